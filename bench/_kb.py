"""Shared set-up for the benches (project on sys.path, models offline, where ../shared is) and
helpers for the search benches: build a KB from a folder of seed files."""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SCRUTINY_SHARED", "/work/shared"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def build_kb(home: Path, folder: Path, device: str = "cpu", allow_failures: bool = False, workers: int = 1):
    """A KB of `folder` (no extraction) with its search index synced. Files that fail to ingest stop
    the bench unless `allow_failures` (a real corpus holds legacy formats that are refused by design)."""
    from ingest.pipeline import ingest
    from kb.search import sync
    from kb.store import open_store

    store = open_store(home)
    summary = ingest(store, [str(folder)], workers=workers, with_extraction=False)
    if summary.failed and not allow_failures:
        raise SystemExit(f"ingest failed: {[(o.source, o.reason) for o in summary.failed]}")
    sync(store, device=device)
    return store


def _pdf_text(path: str) -> list[str]:
    import pdfplumber

    out = []
    try:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                out.append(page.extract_text() or "")
    except Exception:
        pass
    return out


def real_pages(folder: Path | None = None, workers: int = 2) -> dict[str, list[str]]:
    """{pdf file (relative to folder): [page text]} for every PDF under shared/corpus-real, read with
    pdfplumber once and cached outside the repository ($XDG_CACHE_HOME/scrutiny-kb/bench-real-pages.json)."""
    import json
    from concurrent.futures import ProcessPoolExecutor

    folder = folder or SHARED / "corpus-real"
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.pdf"))
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "scrutiny-kb" / "bench-real-pages.json"
    if cache.exists():
        data = json.loads(cache.read_text())
        if sorted(data) == files:
            return data
    with ProcessPoolExecutor(workers) as ex:
        pages = list(ex.map(_pdf_text, [str(folder / f) for f in files]))
    data = dict(zip(files, pages))
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(data))
    return data


SERVERS: dict = {}  # "pg": the PgCluster, "chroma": the ChromaServer that throwaway_servers started


def throwaway_servers(stack):
    """Start a throwaway PostgreSQL cluster and Chroma server on 127.0.0.1 (tests/servers.py), stopped when
    `stack` (a contextlib.ExitStack) closes; sets SCRUTINY_VECTORS. Returns a function that makes a fresh
    server KB (a new database) and gives its URL."""
    from tests.servers import ChromaServer, PgCluster, chroma_exe, pg_bindir

    cluster = PgCluster(pg_bindir())
    cluster.start()
    stack.callback(cluster.stop)
    chroma = ChromaServer(chroma_exe())
    stack.callback(chroma.stop)
    chroma.wait()
    os.environ["SCRUTINY_VECTORS"] = chroma.url
    SERVERS.update(pg=cluster, chroma=chroma)
    return cluster.new_database
