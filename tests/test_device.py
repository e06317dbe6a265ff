"""`--device cuda` embeds on a GPU where there is one, and says so before reading anything where there is none:
never a silent run on the CPU (onnxruntime's CPU build ignores a CUDA provider it does not have)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli.main import cli as main
from kb.search import embed


def _gpu() -> bool:
    try:
        embed.check_device("cuda")
    except embed.EmbeddingError:
        return False
    return True


@pytest.mark.skipif(_gpu(), reason="this machine has a GPU: the refusal cannot be seen here")
def test_cuda_without_a_gpu_is_refused_before_any_file_is_read(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("The Committee agreed the budget.\n")
    kb = tmp_path / "kb"
    res = CliRunner().invoke(main, ["--kb", str(kb), "ingest", str(tmp_path / "in"), "--device", "cuda"])
    assert res.exit_code == 1, res.output
    assert "--device cuda" in res.output and "--device cpu" in res.output
    assert not kb.exists()  # nothing was read or stored
    with pytest.raises(embed.EmbeddingError):
        embed.get_embedder(tmp_path, device="cuda")


def test_cpu_needs_no_gpu_and_no_index_needs_no_device(tmp_path):
    embed.check_device("cpu")  # never raises
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("The Committee agreed the budget.\n")
    res = CliRunner().invoke(main, ["--kb", str(tmp_path / "kb"), "ingest", str(tmp_path / "in"), "--device", "cuda",
                                    "--no-index", "-j", "1", "-q"])
    assert res.exit_code == 0, res.output
