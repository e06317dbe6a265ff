"""A damaged store: every command says what is wrong and what to do (restore kb.sqlite from a backup;
rebuild the derivable vector store with `check --repair`), never a traceback; `check` alone writes nothing."""
from __future__ import annotations

import hashlib
import json
import os
import shutil

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.conftest import CORPUS


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def no_traceback(r) -> bool:
    """The command ended by saying something (a SystemExit with its code), not by an exception."""
    return r.exception is None or isinstance(r.exception, SystemExit)


@pytest.fixture(scope="module")
def healthy(tmp_path_factory):
    """A KB of the seed texts with its search index (vectors) built."""
    home = tmp_path_factory.mktemp("healthy") / "kb"
    r = run("--kb", home, "ingest", "-q", "--no-extract", CORPUS / "text")
    assert r.exit_code == 0, r.output
    return home


def copy_of(healthy, tmp_path):
    home = tmp_path / "kb"
    shutil.copytree(healthy, home)
    return home


def files(home) -> dict[str, str]:
    return {str(p.relative_to(home)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(home.rglob("*")) if p.is_file()}


def truncate(db):
    db.write_bytes(db.read_bytes()[:20000])


def junk(db):
    db.write_bytes(os.urandom(50000))


COMMANDS = [["stats"], ["show", "000_69004c91"], ["search", "family", "--mode", "bm25"], ["export"],
            ["actions"], ["check"], ["check", "--repair"], ["backup", "BACKUP"], ["ingest", "--no-index", "DOCS"]]


@pytest.mark.parametrize("damage", [truncate, junk], ids=["truncated", "junk"])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_damaged_kb_sqlite_is_named_with_what_to_do(healthy, tmp_path, damage, args):
    home = copy_of(healthy, tmp_path)
    damage(home / "kb.sqlite")
    args = [str(tmp_path / "backup") if a == "BACKUP" else str(CORPUS / "text") if a == "DOCS" else a for a in args]
    r = run("--kb", home, *args)
    assert r.exit_code == 1, r.output
    assert no_traceback(r), repr(r.exception)
    assert "is damaged" in r.output and "kb.sqlite" in r.output and "backup" in r.output, r.output


def test_check_finds_junk_inside_kb_sqlite(healthy, tmp_path):
    home = copy_of(healthy, tmp_path)
    with open(home / "kb.sqlite", "r+b") as fh:  # a run of bad sectors in the middle of the file
        fh.seek(4096 * 20)
        fh.write(os.urandom(4096 * 30))
    r = run("--kb", home, "check", "--json")
    assert r.exit_code == 1 and no_traceback(r), r.output
    report = json.loads(r.stdout) if r.stdout.startswith("{") else None
    if report is not None:  # the store opened: check says it is damaged
        assert report["damaged"] and "restore" in report["problems"][0].lower()
    else:  # it did not even open
        assert "is damaged" in r.output


def test_check_without_repair_writes_nothing(healthy, tmp_path):
    home = copy_of(healthy, tmp_path)
    from kb.store import open_store

    with open_store(home) as store:  # a problem for check to find
        store.db.execute("PRAGMA foreign_keys=OFF")
        store.db.execute("INSERT INTO blocks (doc_id, seq, kind, text) VALUES ('ghost', 0, 'paragraph', 'x')")
    before = files(home)
    r = run("--kb", home, "check")
    assert r.exit_code == 1 and "belong to no document" in r.output
    assert files(home) == before
    assert run("--kb", home, "check").exit_code == 1 and files(home) == before


def test_junk_in_the_vector_store_is_repaired_from_sqlite(healthy, tmp_path):
    home = copy_of(healthy, tmp_path)
    (home / "chroma" / "chroma.sqlite3").write_bytes(os.urandom(100_000))
    before = files(home)
    r = run("--kb", home, "check")
    assert r.exit_code == 1 and "vector store (chroma/) cannot be read" in r.output and "--repair" in r.output
    assert files(home) == before
    r = run("--kb", home, "ingest", "--no-extract", CORPUS / "text")  # the next ingest says what to do
    assert r.exit_code == 1 and "check --repair" in r.output and no_traceback(r), r.output
    r = run("--kb", home, "check", "--repair")
    assert r.exit_code == 0, r.output
    assert "moved the unreadable vector store aside" in r.output
    assert [p.name for p in home.iterdir() if p.name.startswith("chroma.broken-")]
    assert run("--kb", home, "check").exit_code == 0
    hits = json.loads(run("--kb", home, "search", "family safeguarding", "--mode", "dense", "--json").stdout)["hits"]
    assert hits


def test_a_junk_copy_of_the_vectors_is_found_and_rewritten(healthy, tmp_path):
    home = copy_of(healthy, tmp_path)
    (home / "vectors.npy").write_bytes(os.urandom(5000))
    r = run("--kb", home, "search", "family safeguarding", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["hits"]  # keywords still rank
    r = run("--kb", home, "check")
    assert r.exit_code == 1 and "vectors.npy" in r.output
    assert run("--kb", home, "check", "--repair").exit_code == 0
    assert run("--kb", home, "check").exit_code == 0
