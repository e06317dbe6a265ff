"""Issue #17: is all-MiniLM-L6-v2 with int8 dynamic quantisation (ONNX Runtime) good enough to embed with?

Kept only if (1) its vectors agree with the fp32 graph's, cosine above 0.99 on real passages, and (2)
`bench/search_quality.py`'s default ranking loses no more than 0.01 Recall@5 with it. Prints both, and the
passages per second of each graph on this machine.

    python bench/quantised.py [--set seeds] [--set real] [--kb-cache DIR] [--sample N]

The int8 graph is made here from the exported fp32 one (`onnxruntime.quantization.quantize_dynamic`, weights
QInt8 per channel, MatMuls only) and never shipped: a KB uses it only where `<kb>/models/minilm.onnx` is that file, which is how each
side's KB is built below (kb.search.embed.onnx_path).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search_quality as sq
from _kb import build_kb

DEFAULT = "hybrid (weighted 0.5)"


def int8_graph(fp32: Path, out: Path) -> Path:
    """Weights of the MatMuls as int8 per output channel, after ORT's graph pre-processing (the best of six
    settings tried on the seed passages: per-tensor QInt8 gave cosine 0.95 with the fp32 vectors, QUInt8 0.98;
    per channel 0.992, MatMuls only the highest minimum, 0.985)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process

    if not out.exists():
        with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):  # ORT writes scratch files in the cwd
            pre = Path(tmp) / "pre.onnx"
            quant_pre_process(str(fp32), str(pre), skip_symbolic_shape=True)
            quantize_dynamic(str(pre), str(out), weight_type=QuantType.QInt8, per_channel=True,
                             op_types_to_quantize=["MatMul"])
    return out


def agreement(fp32: Path, int8: Path, texts: list[str]) -> dict:
    """Cosines between the two graphs' vectors of the same texts, and each graph's passages per second."""
    from kb.search.embed import OnnxEmbedder

    out = {}
    vecs = {}
    for name, path in (("fp32", fp32), ("int8", int8)):
        emb = OnnxEmbedder(path)
        emb.embed(texts[:32])  # warm
        t0 = time.perf_counter()
        vecs[name] = emb.embed(texts)
        out[f"{name} passages/s"] = len(texts) / (time.perf_counter() - t0)
    cos = np.sum(vecs["fp32"] * vecs["int8"], axis=1)  # both L2-normalised by the graph
    out.update({"cosine mean": float(cos.mean()), "cosine p1": float(np.percentile(cos, 1)),
                "cosine min": float(cos.min()), "share below 0.99": float((cos < 0.99).mean())})
    return out


def quality(store, queries: list[dict]) -> dict:
    from kb.search import search

    res = {}
    for variant in (DEFAULT, "dense"):
        rows = []
        for q in queries:
            auth = [q["authority"]] if q.get("authority") else None
            rows.append(sq.score(search(store, q["query"], authority=auth, limit=10, **sq.VARIANTS[variant]),
                                 q["relevant"]))
        res[variant] = {k: sum(r[k] for r in rows) / len(rows) for k in ("recall@5", "mrr@10")}
    return res


def side_kb(home: Path, corpus: Path, graph: Path) -> tuple[object, float]:
    """A KB of `corpus` whose passages and queries are embedded with `graph`; the seconds its embedding took."""
    from kb.search import sync

    (home / "models").mkdir(parents=True, exist_ok=True)
    if not (home / "models" / "minilm.onnx").exists():
        shutil.copyfile(graph, home / "models" / "minilm.onnx")
    t0 = time.perf_counter()
    store = build_kb(home, corpus, allow_failures=True, workers=2)
    sync(store)  # nothing left to embed when the KB was kept from an earlier run
    return store, time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", dest="sets", action="append", choices=sorted(sq.SETS))
    ap.add_argument("--kb-cache", type=Path)
    ap.add_argument("--sample", type=int, default=1500, help="passages for the agreement and speed figures")
    args = ap.parse_args()
    from kb.search.embed import model_file

    fp32 = model_file(None)
    if fp32 is None:
        raise SystemExit("onnxruntime (or torch + onnx for the export) is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.kb_cache or Path(tmp)
        cache.mkdir(parents=True, exist_ok=True)
        int8 = int8_graph(fp32, cache / "minilm-int8.onnx")
        print(f"fp32 graph {fp32.stat().st_size / 1e6:.1f} MB, int8 graph {int8.stat().st_size / 1e6:.1f} MB")
        for name in args.sets or ["seeds", "real"]:
            queries_file, corpus = sq.SETS[name]
            if not corpus.exists() or not queries_file.exists():
                print(f"[{name}] skipped: {corpus} or {queries_file} is missing")
                continue
            queries = json.loads(queries_file.read_text())
            figures = {}
            for side, graph in (("fp32", fp32), ("int8", int8)):
                store, seconds = side_kb(cache / f"{name}-{side}", corpus, graph)
                figures[side] = quality(store, queries)
                if side == "int8":
                    texts = store.passage_texts()
                    step = max(1, len(texts) // args.sample)
                    agree = agreement(fp32, int8, texts[::step][:args.sample])
                store.close()
                print(f"[{name}] {side}: KB built and embedded in {seconds:.0f} s")
            print(f"[{name}] {len(queries)} queries; agreement on {min(args.sample, len(texts))} of its "
                  f"{len(texts)} passages:")
            for k, v in agree.items():
                print(f"  {k:22} {v:8.3f}")
            print(f"  {'ranking':22} {'fp32 R@5':>9} {'int8 R@5':>9} {'fp32 MRR':>9} {'int8 MRR':>9}")
            for variant in (DEFAULT, "dense"):
                a, b = figures["fp32"][variant], figures["int8"][variant]
                print(f"  {variant:22} {a['recall@5']:9.3f} {b['recall@5']:9.3f} {a['mrr@10']:9.3f} "
                      f"{b['mrr@10']:9.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
