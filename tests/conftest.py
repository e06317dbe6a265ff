import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

# the shared material: beside the checkout (../shared), else where SCRUTINY_SHARED says (as the benches do)
SHARED = next((p for p in (ROOT.parent / "shared", Path(os.environ.get("SCRUTINY_SHARED", "/work/shared")))
               if p.is_dir()), ROOT.parent / "shared")
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


@pytest.fixture(scope="session")
def nlp():
    """The real spaCy pipeline, loaded once per test session."""
    from nlp.spacy_pipeline import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def run(nlp):
    """Parse plain text the way the TXT parser does and extract from it."""
    from ingest.model import ParsedDocument
    from ingest.textblocks import lines_to_blocks
    from nlp.extract import extract

    def _run(text, meeting_date="2024-06-12", authority="Northshire County Council", kind="minutes", next_meeting=None):
        blocks = lines_to_blocks(text.splitlines(), page=None, section_stack=[])
        doc = ParsedDocument("txt", blocks)
        meta = {"authority": authority, "committee": "Children's Scrutiny Committee", "meeting_date": meeting_date,
                "kind": kind, "title": None}
        return extract(doc, meta, next_meeting=next_meeting)

    return _run


# server mode (issue #16): pg_cluster, chroma_server, pg_kb and kb_location (both backends in turn)
from tests.servers import chroma_server, kb_location, pg_cluster, pg_kb  # noqa: E402, F401
