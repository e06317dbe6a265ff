"""The README's first steps work as written: after `make demo`, its commands find the demo's
knowledge base, its example id is a document the demo creates, and what the demo writes is git-ignored."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from tests.conftest import CORPUS, ROOT

README = (ROOT / "README.md").read_text()
MAKEFILE = (ROOT / "Makefile").read_text()


def using_it_block() -> list[str]:
    """The shell lines of the README's "Using it" block."""
    block = README.split("## Using it", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.strip().splitlines() if line.strip()]


def demo_kb() -> str:
    return re.search(r"^DEMO_KB \?= (\S+)$", MAKEFILE, re.M)[1]


def test_the_readme_points_its_commands_at_the_kb_make_demo_builds():
    exports = [line for line in using_it_block() if line.startswith("export SCRUTINY_KB=")]
    assert exports, "the README's commands would look for the default KB, which `make demo` does not build"
    assert shlex.split(exports[0].split("#")[0])[1] == f"SCRUTINY_KB={demo_kb()}"
    first_command = next(i for i, line in enumerate(using_it_block()) if line.startswith("scrutiny "))
    assert using_it_block().index(exports[0]) < first_command


def test_the_readme_show_example_is_a_document_the_demo_creates():
    from ingest.pipeline import file_id

    (key,) = re.findall(r"^scrutiny show (\S+)", "\n".join(using_it_block()), re.M)
    ids = {file_id(p.read_bytes()) for p in (CORPUS / "published").iterdir() if p.name != "manifest.csv"}
    assert any(i.startswith(key) for i in ids), (key, ids)


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout")
def test_what_the_demo_and_the_readme_write_is_git_ignored():
    written = [f"{demo_kb()}/kb.sqlite", "out/export.json"]
    written += [w for line in using_it_block() for w in re.findall(r"-o (\S+)", line)]
    for path in written:
        r = subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT)
        assert r.returncode == 0, f"{path} is not git-ignored"


@pytest.mark.slow
def test_the_readme_commands_work_as_written_after_make_demo(tmp_path):
    """`make demo`'s ingest, then every line of the README's block, run by a shell in a copy of the checkout."""
    (tmp_path / "corpus").symlink_to(CORPUS)
    env = {**os.environ, "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("SCRUTINY_KB", None)
    scrutiny = f'scrutiny() {{ "{sys.executable}" -c "from cli.main import cli; cli()" "$@"; }}\n'
    demo = subprocess.run(["bash", "-c", scrutiny + f"scrutiny --kb {demo_kb()} ingest -q corpus/published"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert demo.returncode == 0, demo.stderr
    lines = [line for line in using_it_block() if not line.startswith(". ")]
    script = scrutiny + "set -e\n" + "\n".join(lines) + "\n"
    r = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    assert "no knowledge base" not in r.stderr
    assert (tmp_path / "compare.html").exists() and (tmp_path / "actions.xlsx").exists()
    assert (tmp_path / "kb-backups" / "2026-11-25" / "kb.sqlite").exists()
