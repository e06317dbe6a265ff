import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "corpus"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test when the shared material is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} not present (shared material is only beside the project checkout)")
    return p


@pytest.fixture
def kb_home(tmp_path, monkeypatch):
    home = tmp_path / "kb"
    monkeypatch.setenv("SCRUTINY_KB", str(home))
    return home
