import json
import shutil

from click.testing import CliRunner

from cli.main import cli
from tests.conftest import CORPUS


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_check_finds_and_repairs_orphans(tmp_path):
    home = tmp_path / "kb"
    assert run("--kb", str(home), "ingest", "--no-extract", str(CORPUS / "text")).exit_code == 0
    assert run("--kb", str(home), "check").exit_code == 0
    from kb.store import open_store

    store = open_store(home)
    store.db.execute("PRAGMA foreign_keys=OFF")
    store.db.execute("INSERT INTO blocks (doc_id, seq, kind, text) VALUES ('ghost', 0, 'paragraph', 'x')")
    store.close()
    r = run("--kb", str(home), "check", "--json")
    assert r.exit_code == 1 and any("no document" in p for p in json.loads(r.stdout)["problems"])
    assert run("--kb", str(home), "check", "--repair").exit_code == 0
    assert run("--kb", str(home), "check").exit_code == 0


def test_backup_then_restore_gives_the_same_export(tmp_path):
    home = tmp_path / "kb"
    run("--kb", str(home), "ingest", "--no-extract", str(CORPUS / "text"))
    before = run("--kb", str(home), "export").stdout
    r = run("--kb", str(home), "backup", str(tmp_path / "copy"))
    assert r.exit_code == 0, r.output
    shutil.rmtree(home)  # disaster
    shutil.copytree(tmp_path / "copy", home)  # restore
    assert run("--kb", str(home), "export").stdout == before
    assert run("--kb", str(home), "check").exit_code == 0
    r = run("--kb", str(home), "backup", str(tmp_path / "copy"))
    assert r.exit_code == 1 and "not empty" in r.output


def test_check_sees_index_disagreement_and_repair_mends_it(tmp_path):
    home = tmp_path / "kb"
    assert run("--kb", str(home), "ingest", "--no-extract", str(CORPUS / "text")).exit_code == 0
    assert run("--kb", str(home), "check").exit_code == 0
    from kb.search.index import chroma_collection
    from kb.store import open_store

    store = open_store(home)
    victim = store.db.execute("SELECT id FROM documents LIMIT 1").fetchone()[0]
    with store.transaction() as db:  # passages lost (as if an older version never chunked them)
        db.execute("DELETE FROM chunks WHERE doc_id = ?", (victim,))
    _, col = chroma_collection(home)
    col.add(ids=["999999:deadbeef"], embeddings=[[0.0] * 384], metadatas=[{"doc_id": "ghost"}])  # a stale vector
    store.close()
    r = run("--kb", str(home), "check", "--json")
    problems = json.loads(r.stdout)["problems"]
    assert r.exit_code == 1
    assert any("no search passages" in p for p in problems)
    assert any("belong to no passage" in p for p in problems)
    r = run("--kb", str(home), "check", "--repair")
    assert r.exit_code == 0, r.output
    assert run("--kb", str(home), "check").exit_code == 0
    hits = run("--kb", str(home), "search", "--json", "family safeguarding")
    assert json.loads(hits.stdout)["hits"]


def test_check_sees_passages_of_an_older_chunker_and_repair_recuts_them(tmp_path):
    from kb.search.chunking import CHUNKER
    from kb.store import open_store

    home = tmp_path / "kb"
    assert run("--kb", str(home), "ingest", "--no-extract", str(CORPUS / "text")).exit_code == 0
    store = open_store(home)
    with store.transaction() as db:  # as a KB from before the chunker changed
        db.execute("UPDATE chunks SET chunker = 'structure-v0/224'")
    store.close()
    r = run("--kb", str(home), "check", "--json")
    assert r.exit_code == 1 and any("older version of the chunker" in p for p in json.loads(r.stdout)["problems"])
    assert run("--kb", str(home), "check", "--repair").exit_code == 0
    store = open_store(home)
    assert {c for (c,) in store.db.execute("SELECT DISTINCT chunker FROM chunks")} == {CHUNKER}
    store.close()
    assert run("--kb", str(home), "check").exit_code == 0
