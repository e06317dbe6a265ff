"""Server mode, ingest scaling (issue #16): 1, 2 and 4 `scrutiny ingest` processes over the same folder into
one server KB (each a fresh database), pages/s and the ratio to one process; each file must be stored once.

usage: python bench/scale.py [PATH ...] [--procs 1,2,4] [--no-extract] [--pg-base URL --vectors URL]

Defaults to corpus/published plus ../shared/seeds. Without --pg-base it starts a throwaway PostgreSQL cluster
and Chroma server (tests/servers.py). Each process parses with one worker (-j 1), so N processes are N
parsers, as N machines would be. Not yet here: search latency at 10^5 and 10^6 passages on the server.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _kb import ROOT, SHARED, throwaway_servers  # also puts the project on sys.path, offline model settings


def run(kb: str, paths: list[str], procs: int, extract: bool) -> tuple[float, int]:
    """Seconds for `procs` ingests to finish, and how many files they read in all."""
    env = {**os.environ, "SCRUTINY_KB": kb}
    args = [sys.executable, "-m", "cli", "ingest", *paths, "-j", "1", "-q", "--no-index"]
    args += [] if extract else ["--no-extract"]
    t0 = time.perf_counter()
    ps = [subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
          for _ in range(procs)]
    outs = [p.communicate()[0] for p in ps]
    seconds = time.perf_counter() - t0
    if any(p.returncode not in (0, 1) for p in ps):
        raise SystemExit("\n".join(outs))
    return seconds, sum(int(m.group(1)) for o in outs for m in [re.search(r"(\d+) ingested", o)] if m)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--procs", default="1,2,4")
    ap.add_argument("--no-extract", action="store_true")
    args = ap.parse_args()
    paths = args.paths or [str(p) for p in (ROOT / "corpus" / "published", SHARED / "seeds") if p.exists()]
    from kb.store import open_store

    with contextlib.ExitStack() as stack:
        new_kb = throwaway_servers(stack)
        base = None
        print(f"{'processes':>9} {'seconds':>8} {'files read':>10} {'pages/s':>8} {'ratio':>6}")
        for n in [int(x) for x in args.procs.split(",")]:
            kb = new_kb()
            open_store(kb).close()  # migrated before the processes start
            seconds, read = run(kb, paths, n, not args.no_extract)
            with open_store(kb) as store:
                pages, docs = store.total_pages(), store.counts()["documents"]
            rate = pages / seconds
            base = base or rate
            print(f"{n:9} {seconds:8.1f} {read:10} {rate:8.2f} {rate / base:6.2f}"
                  f"{'' if read == docs else f'  (files read {read}, documents stored {docs})'}")


if __name__ == "__main__":
    main()
