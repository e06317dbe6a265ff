"""Scores the extractor on the seed documents with the shared scorer; fails below the floors."""
import csv
import importlib.util
from pathlib import Path

import pytest
from conftest import SHARED

SEEDS = SHARED / "seeds"
GOLD = SHARED / "eval" / "gold-seeds.json"
SCORE_PY = SHARED / "eval" / "score.py"
FLOOR = 0.85


@pytest.fixture(scope="module")
def scored(nlp):
    if not (SEEDS.is_dir() and GOLD.exists() and SCORE_PY.exists()):
        pytest.skip("shared seeds / gold / scorer not available")
    import json

    from ingest.parsers.text import parse
    from nlp.extract import extract_many

    spec = importlib.util.spec_from_file_location("seed_score", SCORE_PY)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    with (SEEDS / "manifest.csv").open(newline="", encoding="utf-8") as fh:
        manifest = {r["file"]: r for r in csv.DictReader(fh)}
    files = sorted(SEEDS.glob("*.txt"))
    items = []
    for f in files:
        doc = parse(f, f.read_bytes(), "txt")
        row = manifest.get(f.name, {})
        items.append((doc, {k: row.get(k) or None for k in ("authority", "committee", "meeting_date", "kind")}))
    results = extract_many(items)
    export = {"documents": [{"source": f.name, **meta, **res} for f, (doc, meta), res in zip(files, items, results)]}
    return score.score(json.loads(GOLD.read_text()), export)


@pytest.mark.parametrize("kind", ["metrics", "recommendations", "decisions", "actions", "dates"])
def test_f1_floor(scored, kind):
    assert scored[kind]["f1"] >= FLOOR, scored[kind]


def test_action_due_dates(scored):
    assert scored["action_due_date_accuracy"] is not None and scored["action_due_date_accuracy"] >= 0.9


def test_every_record_quotes_the_document(nlp):
    """Never invent: each record's text is a passage of its document (whitespace aside)."""
    if not SEEDS.is_dir():
        pytest.skip("shared seeds not available")
    import re

    from ingest.parsers.text import parse
    from nlp.extract import extract_many

    files = sorted(SEEDS.glob("*.txt"))
    docs = [parse(f, f.read_bytes(), "txt") for f in files]
    results = extract_many([(d, {"meeting_date": "2022-06-20"}) for d in docs])
    for doc, res in zip(docs, results):
        full = re.sub(r"\s+", " ", doc.text)
        for kind in ("metrics", "recommendations", "decisions", "actions", "dates"):
            for item in res[kind]:
                assert re.sub(r"\s+", " ", item["text"]) in full, (kind, item["text"])
                assert 0 <= item["block"] < len(doc.blocks)


# Floors a little under what the held-out batches scored when this test was last set (2026-12, after the gold was
# re-annotated to the revised ANNOTATION.md and four batches were added): a rule tuned to some papers that breaks
# the others fails here. The final batch (gold-final-*.json) is never tuned on and not tested here.
HELD_OUT_FLOORS = {"metrics": 0.75, "recommendations": 0.70, "decisions": 0.72, "actions": 0.60, "dates": 0.66}
HELD_OUT_ALL, HELD_OUT_DUE = 0.70, 0.65


@pytest.mark.slow
def test_held_out_documents_through_the_pipeline(tmp_path):
    """The held-out papers of bench/gold-*.json (Kent, parish and national papers annotated to ANNOTATION.md by
    annotators who had not seen the extraction code), ingested with inferred metadata as a user's files are."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import heldout

    docs = [d for b in heldout.batches().values() for d in b]
    files = heldout.locate({d["source"] for d in docs})
    if not SCORE_PY.exists() or not docs or any(d["source"] not in files for d in docs):
        pytest.skip("shared corpus-real / corpus-parish / scorer not available")
    result = heldout.score_docs(docs, heldout.export_with([files[d["source"]] for d in docs]))
    low = {k: result[k]["f1"] for k, floor in HELD_OUT_FLOORS.items() if result[k]["f1"] < floor}
    assert not low, low
    assert result["all"]["f1"] >= HELD_OUT_ALL and result["action_due_date_accuracy"] >= HELD_OUT_DUE, result
