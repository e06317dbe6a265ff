"""A small process pool that can stop a file that takes too long.

concurrent.futures cannot kill a task that hangs inside a C library (a pathological
PDF); here each job runs in a long-lived worker process, and a job past its deadline
has its worker killed and replaced, the job reported as failed, and the run goes on.
A worker can also be given an address-space limit, so one file cannot exhaust memory.

Workers are started fresh ("spawn"), not forked: a fork of a process that runs threads (onnxruntime,
tokenizers, OpenBLAS and OpenMP pools: pytest, `scrutiny serve`, anything that has embedded a passage)
can copy a lock some other thread held, and the child waits on it for ever (seen in CI as every file
"took longer than 300 s"). A fresh worker inherits no lock and no file descriptor but its own pipe.

Workers die with their parent: each asks the kernel for SIGKILL when its parent dies (Linux's
PR_SET_PDEATHSIG), so a parent killed with SIGKILL (the OOM killer) leaves no worker waiting for ever.
"""
from __future__ import annotations

import contextlib
import multiprocessing as mp
import time
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait

_CTX = mp.get_context("spawn")
MAX_DEFAULT_WORKERS = 4


def default_workers() -> int:
    """Worker processes when none are asked for: one per core, at most MAX_DEFAULT_WORKERS."""
    import os

    return max(1, min(MAX_DEFAULT_WORKERS, os.cpu_count() or 1))


def _address_space() -> int:
    """Bytes of address space this process maps now (Linux), else 0."""
    try:
        import os

        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def die_with_parent(parent: int) -> None:
    """In a worker: SIGKILL when the parent dies (Linux), and exit now if it already has."""
    import os
    import signal
    import sys

    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


READY = "ready"  # a worker's word that it has warmed up: its first file's time starts then
WARM_UP_S = 180  # the longest a worker may take to warm up (load its models) before its first file


def _loop(conn: Connection, fn: Callable, memory_mb: int | None, parent: int = 0,
          warm: Callable | None = None) -> None:
    import logging

    if parent:
        die_with_parent(parent)

    # PDF libraries log every oddity of a malformed file; the file's fate is reported per file instead
    for name in ("pdfminer", "pypdf", "pdfplumber", "PIL"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if warm is not None:  # load models once, before the first file's clock starts
        with contextlib.suppress(Exception):
            warm()
    if memory_mb:
        try:
            import resource

            # on top of what the warmed-up worker maps (its libraries and models): the file's own share
            limit = _address_space() + memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):
            pass
    conn.send(READY)
    while True:
        try:
            job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if job is None:
            return
        try:
            conn.send((True, fn(job)))
        except MemoryError:
            conn.send((False, "ran out of memory (over the per-file memory limit)"))
        except BaseException as e:
            conn.send((False, f"{type(e).__name__}: {e}"))


class _Worker:
    def __init__(self, fn: Callable, memory_mb: int | None, warm: Callable | None = None):
        import os

        self.conn, child = _CTX.Pipe()
        self.proc = _CTX.Process(target=_loop, args=(child, fn, memory_mb, os.getpid(), warm), daemon=True)
        self.proc.start()
        child.close()
        self.job = None
        self.deadline = None

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.proc.join(5)
        if self.proc.is_alive():
            self.kill()


class _Ahead:
    """The jobs still to hand out, read from their iterable one at a time: true while one is left."""

    _END = object()

    def __init__(self, jobs: Iterable):
        self.it = iter(jobs)
        self.next = self._END

    def __bool__(self) -> bool:
        if self.next is self._END:
            self.next = next(self.it, self._END)
        return self.next is not self._END

    def pop(self):
        if not self:
            raise IndexError("no job left")
        job, self.next = self.next, self._END
        return job


def run_jobs(fn: Callable, jobs: Iterable, workers: int = 1, timeout: float | None = None,
             memory_mb: int | None = None, warm: Callable | None = None) -> Iterator[tuple[object, bool, object]]:
    """Run fn(job) for each job in worker processes; yields (job, ok, result or error message)
    as each finishes. `fn` (and `warm`, run once in each worker before its first job, outside the `timeout`)
    must be importable (module level, not a script's `__main__` run with -c) and fn's result picklable. `jobs` is read as workers come free (a
    generator may claim each job as it is handed out: ingest/pipeline.py)."""
    pending = _Ahead(jobs)
    pool: list[_Worker] = []
    try:
        while pending or any(w.job is not None for w in pool):
            # hand out work
            for w in pool:
                if w.job is None and pending:
                    w.job = pending.pop()
                    w.deadline = time.monotonic() + timeout if timeout else None
                    w.conn.send(w.job)
            while len(pool) < workers and pending:
                w = _Worker(fn, memory_mb, warm)
                pool.append(w)
                w.job = pending.pop()
                w.deadline = time.monotonic() + timeout + WARM_UP_S if timeout else None
                w.conn.send(w.job)
            busy = [w for w in pool if w.job is not None]
            deadlines = [w.deadline for w in busy if w.deadline]
            wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            ready = wait([w.conn for w in busy], timeout=wait_for)
            now = time.monotonic()
            for w in busy:
                if w.conn in ready:
                    try:
                        message = w.conn.recv()
                        if message == READY:  # warmed up: the first file's clock starts now
                            w.deadline = now + timeout if timeout else None
                            continue
                        ok, result = message
                    except (EOFError, OSError):
                        w.proc.join(1)
                        code = w.proc.exitcode
                        reason = (f"the parser crashed (killed by signal {-code})" if code and code < 0
                                  else "the parser crashed")
                        if code == -9:
                            reason = "the parser was killed (out of memory?)"
                        job, w.job = w.job, None
                        pool.remove(w)
                        w.kill()
                        yield job, False, reason
                        continue
                    job, w.job = w.job, None
                    yield job, ok, result
                elif w.deadline and now >= w.deadline:
                    job, w.job = w.job, None
                    pool.remove(w)
                    w.kill()
                    yield job, False, f"took longer than {timeout:g} s (raise --file-timeout to allow more)"
    finally:
        for w in pool:
            if w.job is not None:
                w.kill()
            else:
                w.stop()
