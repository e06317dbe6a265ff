"""Every command has help text and is shown in the README; --help imports no heavy library."""
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_has_help_and_is_in_the_readme(name):
    r = CliRunner().invoke(cli, [name, "--help"])
    assert r.exit_code == 0 and len(cli.commands[name].help or "") > 20
    assert f"scrutiny {name}" in README


def test_help_does_not_import_spacy_torch_or_chromadb():
    code = ("import sys; from click.testing import CliRunner; from cli.main import cli; "
            "CliRunner().invoke(cli, ['--help']); "
            "print(sorted(m for m in ('spacy', 'torch', 'chromadb', 'sentence_transformers', 'onnxruntime') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
