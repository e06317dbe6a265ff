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
