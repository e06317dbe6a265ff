"""A confidence (0-1) on every extracted record: how often a record read by the same cue was right on the papers
annotated to shared/eval/ANNOTATION.md. `bench/calibrate.py` measures it (per kind and cue, drawn towards the
kind's own rate where a cue was seen few times) and writes nlp/data/confidence.json; a record given 0.8 is one of
a kind that was right about 80% of the time there. People are not annotated for scoring: theirs is a judged value.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

TABLE_PATH = Path(__file__).resolve().parent / "data" / "confidence.json"


@cache
def table() -> dict:
    try:
        return json.loads(TABLE_PATH.read_text(encoding="utf-8"))["confidence"]
    except (OSError, ValueError, KeyError):
        return {}


def cue_key(rec: dict) -> str:
    """The cue as calibrated: a tracker table's row is one cue whatever its status cell says."""
    cue = str(rec.get("cue") or "")
    return "tracker table" if cue.startswith("tracker table") else cue


def of(kind: str, rec: dict) -> float | None:
    by_cue = table().get(kind) or {}
    value = by_cue.get(cue_key(rec), by_cue.get("*"))
    return round(float(value), 2) if value is not None else None


def assign(result: dict[str, list[dict]]) -> None:
    """Set `confidence` on every record of one document's result that has none yet."""
    for kind, recs in result.items():
        for rec in recs:
            if rec.get("confidence") is None:
                rec["confidence"] = of(kind, rec)
