"""Server mode (issue #16): a knowledge base in PostgreSQL with its vectors in a Chroma server, against
real servers started for the session (tests/servers.py); skipped, saying why, where they cannot start."""
from __future__ import annotations

import json
import threading

import pytest
from click.testing import CliRunner

from cli.main import cli
from ingest.model import Block
from kb.store import kb_location as parse_location
from kb.store import open_store


def doc(doc_id: str, source: str, **kw) -> dict:
    return {"id": doc_id, "source": source, "format": "txt", "authority": "Devon County Council",
            "meeting_date": "2024-03-05", **kw}


def test_a_postgresql_url_opens_a_server_store_and_a_folder_an_embedded_one(pg_kb, tmp_path):
    assert parse_location(pg_kb) == pg_kb
    with open_store(pg_kb) as store:
        assert store.server and store.location() == pg_kb
    with open_store(tmp_path / "kb") as store:
        assert not store.server


def test_identical_content_ingested_concurrently_is_stored_once(pg_kb):
    """Four workers store the same file's content at once: one document, its blocks once, no error."""
    blocks = [Block("heading", "Budget", level=1),
              Block("paragraph", "The grant of two million pounds funds the first two years.", section="Budget")]
    records = {"decisions": [{"number": "1", "text": "Resolved to note the grant."}]}
    open_store(pg_kb).close()  # migrated once before the race
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker(n: int) -> None:
        try:
            with open_store(pg_kb) as store:
                start.wait()
                store.put_document(doc("same-bytes", "papers/budget.txt"), blocks, records)
        except BaseException as e:  # the test reports it below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with open_store(pg_kb) as store:
        counts = store.counts()
        assert counts["documents"] == 1 and counts["blocks"] == 2 and counts["decisions"] == 1
        assert store.passage_count() >= 1


def test_a_failed_document_write_leaves_what_was_stored(pg_kb):
    with open_store(pg_kb) as store:
        store.put_document(doc("d1", "a.txt"), [Block("paragraph", "First paper about school transport.")], {})
        with pytest.raises(Exception):  # noqa: B017 (PostgreSQL's NOT NULL, whatever class carries it)
            store.put_document(doc("d2", "b.txt"), [Block("paragraph", None)], {})
        assert [d["source"] for d in store.documents()] == ["a.txt"]
        assert store.counts()["blocks"] == 1


def test_keyword_search_uses_postgresql_full_text_search_with_filters(pg_kb):
    from kb.search import search

    with open_store(pg_kb) as store:
        store.put_document(doc("d1", "devon.txt"), [Block("paragraph", "Recruiting mental health workers is hard.")], {})
        store.put_document(doc("d2", "norfolk.txt", authority="Norfolk County Council", meeting_date="2022-01-01"),
                           [Block("paragraph", "The mental health team recruited two workers.")], {})
        hits = search(store, "recruiting mental health workers", mode="bm25")
        assert [h["source"] for h in hits] == ["devon.txt", "norfolk.txt"]  # stems: recruited ~ recruiting
        assert [h["source"] for h in search(store, "mental health", mode="bm25", authority=["Norfolk"])] == \
            ["norfolk.txt"]
        assert [h["source"] for h in search(store, "mental health", mode="bm25", since="2023")] == ["devon.txt"]
        assert search(store, "hamsters", mode="bm25") == []


def test_cli_reports_on_a_server_kb(pg_kb):
    from tests.reports_corpus import build

    build(pg_kb).close()
    r = CliRunner().invoke(cli, ["stats"], catch_exceptions=False)
    assert r.exit_code == 0 and "documents" in r.output, r.output
    r = CliRunner().invoke(cli, ["export", "--format", "json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.output)["documents"]) >= 3


def test_backup_of_a_server_kb_says_what_to_use(pg_kb, tmp_path):
    open_store(pg_kb).close()
    r = CliRunner().invoke(cli, ["backup", str(tmp_path / "copy")])
    assert r.exit_code == 1 and "pg_dump" in r.output, r.output


def test_an_unreachable_server_is_said_plainly(tmp_path):
    pytest.importorskip("psycopg")
    from tests.servers import free_port

    r = CliRunner().invoke(cli, ["--kb", f"postgresql://nobody@127.0.0.1:{free_port()}/kb", "stats"])
    assert r.exit_code == 1 and "cannot connect to the knowledge base" in r.output, r.output


def test_four_ingests_over_the_same_files_read_each_file_once(pg_kb, chroma_server, tmp_path):
    """Several `scrutiny ingest` processes on one server KB claim files (FOR UPDATE SKIP LOCKED): each file
    is read by one of them and stored once; every process ends with the KB complete."""
    import re
    import subprocess
    import sys

    from tests.conftest import ROOT

    folder = tmp_path / "papers"
    folder.mkdir()
    for i in range(12):
        (folder / f"paper-{i:02}.txt").write_text(f"Minutes {i}\n\nThe committee noted report number {i} on "
                                                  f"school transport and asked for an update by March.\n")
    open_store(pg_kb).close()  # migrated before the race
    env = {**__import__("os").environ, "SCRUTINY_KB": pg_kb, "SCRUTINY_VECTORS": chroma_server.url}
    procs = [subprocess.Popen([sys.executable, "-m", "cli", "ingest", str(folder), "--no-extract", "--no-index",
                               "-j", "1", "-q"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) for _ in range(4)]
    outs = [p.communicate(timeout=300)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    ingested = sum(int(re.search(r"(\d+) ingested", o).group(1)) for o in outs)
    assert ingested == 12, outs  # no file read twice
    with open_store(pg_kb) as store:
        assert store.counts()["documents"] == 12
        assert len(store.source_ids()) == 12


def test_an_sqlite_kb_never_imports_psycopg(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = ("import sys; from kb.store import open_store; s = open_store(sys.argv[1]); s.counts(); "
            "print('psycopg' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "kb")], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_migrate_brings_the_vectors_without_embedding_again(pg_kb, tmp_path):
    import numpy as np

    from kb.moving import copy_kb
    from kb.search import search
    from kb.search.index import _load_cache

    with open_store(tmp_path / "kb") as src:
        src.put_document(doc("d1", "devon.txt"), [Block("paragraph", "Recruiting mental health workers is hard.")],
                         {})
        rng = np.random.default_rng(0)

        class Fake:  # a tiny deterministic embedder: the test is about vectors moving, not the model
            backend = "fake"

            def embed(self, texts, batch_size=64):
                out = [rng.standard_normal(384).astype(np.float32) for _ in texts]
                return [v / np.linalg.norm(v) for v in out]

        from kb.search.index import sync

        sync(src, embedder=Fake())
        _, mat, hashes = _load_cache(src.home)
        vecs = dict(zip(hashes, np.asarray(mat)))
        with open_store(pg_kb) as dst:
            info = copy_kb(src, dst)
            assert info["embedded"] == 0 and info["vectors_added"] == len(vecs) == 1
            hits = search(dst, "anything", mode="dense", dense_backend="chroma")
            assert [h["source"] for h in hits] == ["devon.txt"]


def test_migrate_copies_an_embedded_kb_into_a_server_kb_with_its_corrections(pg_kb, tmp_path):
    """`scrutiny migrate --to`: the same export (records as corrected, record ids aside) and the same
    corrections, parsing nothing again."""
    from kb.corrections import history
    from tests.reports_corpus import build

    home = tmp_path / "kb"
    store = build(home)
    decision = store.records("decisions")[0]["id"]
    store.close()
    base = ["--kb", str(home)]
    r = CliRunner().invoke(cli, [*base, "records", "reject", decision, "--by", "jb", "--reason", "not a decision"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(cli, [*base, "migrate", "--to", pg_kb, "--no-index"], catch_exceptions=False)
    assert r.exit_code == 0 and "copied into" in r.output, r.output

    def export(kb: str) -> list:
        out = CliRunner().invoke(cli, ["--kb", kb, "export", "--format", "json"], catch_exceptions=False).output
        docs = json.loads(out)["documents"]
        for d in docs:
            for kind in ("metrics", "recommendations", "decisions", "actions", "dates", "people"):
                for rec in d[kind]:
                    rec.pop("id")
        return docs

    assert export(pg_kb) == export(str(home))
    with open_store(home) as a, open_store(pg_kb) as b:
        assert history(a) == history(b)
        assert a.counts() == b.counts()


@pytest.mark.slow
def test_an_ingest_killed_mid_file_loses_nothing_on_a_server_kb(pg_kb, chroma_server, tmp_path):
    """SIGKILL of an ingest and its workers mid-run, then a re-run at once: its claims are free (the killed
    connection is gone), the re-run completes the KB, the export equals an embedded KB's clean run
    (record ids aside) and `check` passes."""
    import os
    import signal
    import time

    from tests.test_crash_safety import make_docs, scrutiny

    docs = make_docs(tmp_path / "docs", copies=3)
    clean = scrutiny(tmp_path / "clean-kb", "ingest", "-q", "-j", "2", str(docs))
    assert clean.communicate(timeout=600)[0] is not None and clean.returncode == 0
    p = scrutiny(pg_kb, "ingest", "-q", "-j", "2", str(docs), start_new_session=True)
    time.sleep(4)
    os.killpg(p.pid, signal.SIGKILL)
    p.communicate()
    rerun = scrutiny(pg_kb, "ingest", "-q", "-j", "2", str(docs))
    _, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err

    def export(kb) -> list:
        q = scrutiny(kb, "export")
        out, err = q.communicate(timeout=120)
        assert q.returncode == 0, err
        docs = sorted(json.loads(out)["documents"], key=lambda d: d["source"])
        for d in docs:
            for kind in ("metrics", "recommendations", "decisions", "actions", "dates", "people"):
                for rec in d[kind]:
                    rec.pop("id")
        return docs

    assert export(pg_kb) == export(tmp_path / "clean-kb")
    check = scrutiny(pg_kb, "check")
    out, err = check.communicate(timeout=300)
    assert check.returncode == 0, out + err
