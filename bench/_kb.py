"""Helpers for the search benches: build a KB from a folder of seed files."""
from __future__ import annotations

import os
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SCRUTINY_SHARED", "/work/shared"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def ensure_metadata_module() -> None:
    """ingest.metadata is written on another branch; stand in a title-only version where it is absent."""
    try:
        import ingest.metadata  # noqa: F401
    except ImportError:
        mod = types.ModuleType("ingest.metadata")
        mod.infer_metadata = lambda doc, path: {"title": doc.title}
        sys.modules["ingest.metadata"] = mod


def build_kb(home: Path, folder: Path, device: str = "cpu"):
    ensure_metadata_module()
    from ingest.pipeline import ingest
    from kb.search import sync
    from kb.store import open_store

    store = open_store(home)
    summary = ingest(store, [str(folder)], workers=1, with_extraction=False)
    if summary.failed:
        raise SystemExit(f"ingest failed: {[(o.source, o.reason) for o in summary.failed]}")
    sync(store, device=device)
    return store
