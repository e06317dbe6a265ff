"""Embedding speed on each device this machine has (issue #17): passages per second for the CPU and, where one
is visible, the GPU, with the backend `scrutiny ingest --device ...` would use (onnxruntime, or torch through
sentence-transformers where onnxruntime has no CUDA provider).

    python bench/embed_gpu.py [PATH ...] [--passages N] [--batch 32,128]

Passages are the real search passages of PATH (default ../shared/corpus-real, else corpus/text), cut by the
ingest's own chunker and given to the model as the index gives them (heading path, then text). CI has no GPU:
there the GPU line says why it was not run.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _kb import ROOT, SHARED  # also puts the project on sys.path, offline model settings


def real_passages(paths: list[str], wanted: int) -> list[str]:
    from ingest.parsers import parse_file
    from kb.search.chunking import model_text, passages

    files = sorted(f for p in paths for f in Path(p).rglob("*") if f.suffix.lower() in (".pdf", ".html", ".txt", ".docx"))
    out: list[str] = []
    for f in files[::max(1, len(files) // 40)]:
        try:
            doc = parse_file(f)
        except Exception:  # noqa: BLE001 - a bench: files the parser refuses are not passages
            continue
        out += [model_text(p) for p in passages(doc.blocks, doc.format)]
        if len(out) >= wanted:
            break
    return out[:wanted]


def rate(device: str, texts: list[str], batch: int) -> tuple[str, float]:
    from kb.search.embed import get_embedder

    emb = get_embedder(None, device)
    emb.embed(texts[:batch], batch_size=batch)  # warm (CUDA context, kernels)
    t0 = time.perf_counter()
    emb.embed(texts, batch_size=batch)
    return emb.backend, len(texts) / (time.perf_counter() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--passages", type=int, default=600)
    ap.add_argument("--batch", default="32,128")
    args = ap.parse_args()
    from kb.search.embed import EmbeddingError, check_device

    paths = args.paths or [str(p) for p in (SHARED / "corpus-real",) if p.exists()] or [str(ROOT / "corpus" / "text")]
    texts = real_passages(paths, args.passages)
    print(f"{len(texts)} passages of {', '.join(paths)}")
    for device in ("cpu", "cuda"):
        try:
            check_device(device)
        except EmbeddingError as e:
            print(f"  {device}: not run: {e}")
            continue
        for batch in (int(b) for b in args.batch.split(",")):
            backend, per_s = rate(device, texts, batch)
            print(f"  {device:4} {backend:22} batch {batch:4d}: {per_s:8.1f} passages/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
