"""Exit codes follow one rule (README, "Exit status"): 2 when the command line itself is wrong,
1 when something it names is missing or could not be done, 0 otherwise; the help says what the code does."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from reports_corpus import build

from cli.main import cli
from tests.conftest import ROOT


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    home = tmp_path_factory.mktemp("codes") / "kb"
    build(home, follow_up=True).close()
    return home


USAGE = [  # the command line is wrong: 2
    ["actions", "--status", "late"],
    ["actions", "--as-of", "2026-13-45"],
    ["search", "care", "--since", "garbage"],
    ["search"],
    ["stats", "--format", "csv", "-o", "stats.html"],
    ["stats", "--json", "--format", "md"],
    ["export", "--format", "xlsx"],
    ["ingest"],
    ["ingest", "--workers", "0", "x"],
    ["compare", "Devon"],
    ["timeline"],
    ["show"],
    ["no-such-command"],
]
MISSING = [  # something named does not exist: 1
    ["actions", "-a", "Lancs"],
    ["search", "care", "-a", "Nowhere", "--mode", "bm25"],
    ["export", "-a", "Nowhere"],
    ["compare", "Devn", "--topic", "family safeguarding"],
    ["timeline", "Nowhere"],
    ["show", "no-such-document"],
    ["compare", "Devon", "--topic", "bus lanes"],
]


@pytest.mark.parametrize("args", USAGE, ids=" ".join)
def test_usage_mistakes_exit_2(kb, args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("--kb", kb, *args)
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output


@pytest.mark.parametrize("args", MISSING, ids=" ".join)
def test_missing_things_exit_1_naming_them(kb, args):
    r = run("--kb", kb, *args)
    assert r.exit_code == 1, r.output
    assert r.output.startswith("Error: ") and "Traceback" not in r.output


@pytest.mark.parametrize("command", ["stats", "export", "check", "actions"])
def test_no_knowledge_base_exits_1(tmp_path, command):
    r = run("--kb", tmp_path / "none", command)
    assert r.exit_code == 1 and "no knowledge base" in r.output


def test_ingest_help_states_the_default_it_uses():
    from ingest.workers import default_workers

    r = CliRunner().invoke(cli, ["ingest", "--help"], terminal_width=200)
    shown = re.search(r"--workers.*?\[default: (\d+)", " ".join(r.output.split()))
    assert shown and int(shown[1]) == default_workers()
    (param,) = [p for p in cli.commands["ingest"].params if p.name == "workers"]
    assert param.default == default_workers()


def test_the_rule_is_written_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### Exit status", 1)[1].split("\n#", 1)[0]
    assert "0" in section and "1" in section and "2" in section and "unknown authority" in section
