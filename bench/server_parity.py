"""Server mode parity (issue #16): the same files ingested into an embedded KB (SQLite) and a server KB
(PostgreSQL + Chroma server) give the same `export --format json` (apart from record ids), the same
`actions` JSON and the same `compare` JSON; so does the embedded KB copied into a second server KB by
`scrutiny migrate --to` (no parsing).

usage: python bench/server_parity.py [PATH ...] [--pg URL --vectors URL] [--workers N]

Defaults to corpus/published plus ../shared/seeds. Without --pg it starts a throwaway PostgreSQL cluster
and Chroma server on 127.0.0.1 (tests/servers.py; as root, PostgreSQL runs as the `postgres` user).
Prints the seconds each ingest took and every difference found (none is the target).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _kb import ROOT, SHARED, throwaway_servers  # also puts the project on sys.path, offline model settings

VOLATILE = {"id", "ingested_at", "at", "computed_at"}  # ids of records and timestamps: not the same by design


def scrutiny(kb: str, vectors: str | None, *args: str) -> str:
    env = {**os.environ, "SCRUTINY_KB": kb}
    if vectors:
        env["SCRUTINY_VECTORS"] = vectors
    out = subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, env=env, cwd=ROOT)
    if out.returncode:
        raise SystemExit(f"scrutiny {' '.join(args)} failed on {kb}: {out.stderr or out.stdout}")
    return out.stdout


def strip(data, keep_doc_ids: bool = True):
    """`data` without record ids and timestamps (a document's id is its content hash: kept)."""
    if isinstance(data, dict):
        return {k: strip(v) for k, v in data.items() if k not in VOLATILE or (keep_doc_ids and k == "id" and
                                                                            isinstance(v, str) and ":" not in v)}
    if isinstance(data, list):
        return [strip(v) for v in data]
    return data


def differences(a, b, path: str = "") -> list[str]:
    if type(a) is not type(b):
        return [f"{path}: {a!r:.80} != {b!r:.80}"]
    if isinstance(a, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            out += differences(a.get(k), b.get(k), f"{path}.{k}")
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items != {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r:.80} != {b!r:.80}"]


REPORTS = [("export", "--format", "json"),
           ("actions", "--as-of", "2026-11-23", "--format", "json"),
           ("compare", "Lancashire", "Blackpool", "Somerset", "--topic", "family safeguarding", "--format", "json")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--pg")
    ap.add_argument("--vectors")
    ap.add_argument("--workers", default="2")
    args = ap.parse_args()
    paths = args.paths or [str(p) for p in (ROOT / "corpus" / "published", SHARED / "seeds") if p.exists()]
    with contextlib.ExitStack() as stack:
        pg, vectors = args.pg, args.vectors
        new_kb = None
        if pg is None:
            new_kb = throwaway_servers(stack)
            pg, vectors = new_kb(), os.environ["SCRUTINY_VECTORS"]
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        kbs = {"sqlite": (str(Path(tmp) / "kb"), None), "postgresql": (pg, vectors)}
        out: dict[str, dict] = {}
        for name, (kb, vec) in kbs.items():
            t0 = time.perf_counter()
            scrutiny(kb, vec, "ingest", *paths, "--workers", args.workers)
            print(f"{name:10} ingest {time.perf_counter() - t0:6.1f} s")
            out[name] = {r[0]: strip(json.loads(scrutiny(kb, vec, *r))) for r in REPORTS}
        if new_kb is not None:
            moved = new_kb()
            t0 = time.perf_counter()
            scrutiny(kbs["sqlite"][0], vectors, "migrate", "--to", moved)
            print(f"migrate    {time.perf_counter() - t0:6.1f} s")
            out["migrated"] = {r[0]: strip(json.loads(scrutiny(moved, vectors, *r))) for r in REPORTS}
        for other in [n for n in out if n != "sqlite"]:
            for report in out["sqlite"]:
                diff = differences(out["sqlite"][report], out[other][report])
                size = len(json.dumps(out["sqlite"][report]))
                print(f"{other:10} {report:8} {size:8} characters of JSON: {len(diff)} differences from sqlite")
                for d in diff[:20]:
                    print("   ", d)


if __name__ == "__main__":
    main()
