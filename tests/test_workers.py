import os
import time

from ingest.workers import run_jobs


def job(x):
    if x == "hang":
        time.sleep(60)
    if x == "crash":
        os._exit(3)
    if x == "raise":
        raise ValueError("bad input")
    if x == "hog":
        return len(bytearray(2 * 1024**3))
    return x * 2


def test_results_errors_hangs_and_crashes_are_each_reported_and_the_run_goes_on():
    started = time.monotonic()
    out = {j: (ok, r) for j, ok, r in run_jobs(job, ["a", "hang", "b", "crash", "raise", "c"], workers=2, timeout=2)}
    assert time.monotonic() - started < 20
    assert out["a"] == (True, "aa") and out["b"] == (True, "bb") and out["c"] == (True, "cc")
    assert out["hang"][0] is False and "longer than 2 s" in out["hang"][1]
    assert out["crash"][0] is False and "crashed" in out["crash"][1]
    assert out["raise"] == (False, "ValueError: bad input")


def test_a_memory_limit_stops_one_job_not_the_run():
    out = {j: (ok, r) for j, ok, r in run_jobs(job, ["hog", "a"], workers=1, timeout=30, memory_mb=1024)}
    assert out["hog"][0] is False and "memory" in out["hog"][1]
    assert out["a"] == (True, "aa")


def slow_warm_up():
    time.sleep(3)


def test_a_workers_warm_up_is_not_counted_in_its_first_files_time():
    """Loading the models takes seconds in a fresh worker (more on a busy machine): a short file must not
    fail a tight --file-timeout for it, while a file that hangs still does."""
    out = {j: (ok, r) for j, ok, r in run_jobs(job, ["a", "b", "hang"], workers=2, timeout=2, warm=slow_warm_up)}
    assert out["a"] == (True, "aa") and out["b"] == (True, "bb")
    assert out["hang"][0] is False and "longer than 2 s" in out["hang"][1]
