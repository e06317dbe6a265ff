#!/usr/bin/env python3
"""Held-out action and decision misses sorted by form (a rough sort by cue words), to pick the forms a tuning round
writes rules for (bench/README.md, Extraction, round four).

Ingests the held-out papers as bench/heldout.py does (no manifest), pairs gold and found items with
shared/eval/score.py, and puts each gold item left unmatched under the first form whose cue it shows. Papers named in
--leave-out (default: those of sets being annotated blind) are scored by the bench but never printed here.

usage: python bench/miss_forms.py [--export SAVED.json] [--list FORM]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import heldout

LEAVE_OUT = ("templates_Minutes_03.09.19", "2005-02_minutes-of-a-meeting-of-stoke-ferry",
             "2008-10_minutes-of-the-meeting-of-wereham")
FORMS = [
    ("delegation", r"(?i)\bdelegat"),
    ("item of a resolution list", r"^(?:\(?\w{1,2}[.)]\s*)?(?:To\s+)?(?:Note|Notes|Agree|Adopt|Approve|Endorse|Write|"
                                  r"Encourage|Support|request|recognise|commend|declare|note|delegate)\b"),
    ("agreed that X should be done", r"(?i)\b(?:agreed|decided|resolved)\b.*\b(?:should|will|would|be)\b|^That\s"),
    ("agreed to do", r"(?i)\b(?:agreed|resolved|decided)\b"),
    ("step still outstanding", r"(?i)still|yet\b|no reply|no further|not been|waiting|awaiting|outstanding"),
    ("request in the passive or as a noun", r"(?i)sought|suggest|request|asked|quer|clarification|full (?:details|disclosure)"),
    ("'Clerk to ...' line or bare passive", r"^(?:[Tt]he\s+)?(?:[A-Z][\w’'.-]*\s+){1,4}(?:and\s+[A-Z][\w’'.-]*\s+)?to\s+(?!be\b)"
                                            r"[a-z]+|\bto\s+be\s+[a-z]+ed\b"),
    ("someone will/would ...", r"(?i)\b(?:will|would|shall|is to|are to|going to|hope|offered|intention)\b"),
    ("dated plan", r"(?i)\b(?:20\d\d|January|February|March|April|May|June|July|August|September|October|November|"
                   r"December|next week|later this year|due)\b"),
    ("other", r""),
]


def form_of(gold_text: str, found_texts: list[str], score) -> str:
    t = gold_text.strip()
    if any(len(y) > 20 and (t in y or y in t) and score.token_f1(t, y) < 0.5 for y in found_texts):
        return "boundary"  # found, inside a longer item or as a part of it
    return next(name for name, rx in FORMS if re.search(rx, t))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--export", help="a saved export of the held-out papers (else they are ingested now)")
    ap.add_argument("--list", help="print the misses of this form")
    args = ap.parse_args(argv)
    golds = heldout.batches(final=True)
    docs = [d for ds in golds.values() for d in ds]
    if args.export:
        export = json.loads(Path(args.export).read_text())
    else:
        files = heldout.locate({d["source"] for d in docs})
        docs = [d for d in docs if d["source"] in files]
        export = heldout.export_with([files[d["source"]] for d in docs])
    sc = heldout.scorer()
    by = {Path(x["source"]).name: x for x in export["documents"]}
    table = Counter()
    for g in docs:
        if g["source"].startswith(LEAVE_OUT):
            continue
        e = by.get(g["source"], {})
        found = [y["text"] for k in ("actions", "decisions", "recommendations") for y in e.get(k) or []]
        for kind in ("actions", "decisions"):
            matched = {id(p[0]) for p in sc.pair(g.get(kind) or [], e.get(kind) or [], sc.matcher(kind))}
            for x in g.get(kind) or []:
                if id(x) not in matched:
                    form = form_of(x["text"], found, sc)
                    table[(kind, form)] += 1
                    if args.list == form:
                        print(f"{kind}\t{x.get('type')}\t{g['source'][:40]}\t{x['text'][:160]}")
    for kind in ("actions", "decisions"):
        print(f"{kind} missed, by form:")
        for (k, form), n in sorted(table.items(), key=lambda kv: -kv[1]):
            if k == kind:
                print(f"  {n:4d}  {form}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
