#!/usr/bin/env python3
"""Which gold chain actions extraction misses, and the nearest record it made (diagnosis for the tracker's "found").

For each chain in bench/chains, its papers are parsed and extracted with the chain's meeting dates (no ingest,
no linking); each gold action is matched to an extracted action of the same paper (token F1 >= 0.5, as
bench/tracker.py). Misses are printed with the nearest extracted action or decision (by token F1), grouped by
the first words of the gold text, so that the forms the minutes use can be read off.

usage: python bench/tracker_misses.py [--chains DIR] [--corpus DIR] [--extra] [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _kb import ROOT, SHARED
from tracker import match, token_f1

SENTENCES: dict[str, list[str]] = {}


def extract_chain(chain: dict, corpus: Path) -> dict[str, dict]:
    from ingest.parsers import parse_file
    from nlp.extract import extract_many
    from nlp.segment import segment

    items, names = [], []
    for d in chain["documents"]:
        f = corpus / d["source"]
        if not f.exists():
            continue
        doc = parse_file(f)
        meta = {"authority": chain["body"], "committee": None, "meeting_date": d["meeting_date"], "kind": "minutes",
                "title": doc.title}
        items.append((doc, meta))
        names.append(d["source"])
        SENTENCES[d["source"]] = [x.text for c in segment(doc, d["meeting_date"]) for x in c.sentences]
    return dict(zip(names, extract_many(items)))


def nearest(text: str, res: dict) -> tuple[float, str, str]:
    best = (0.0, "", "")
    for kind in ("actions", "decisions"):
        for r in res.get(kind, []):
            f = token_f1(text, r.get("text") or "")
            if f > best[0]:
                best = (f, kind, r.get("text") or "")
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chains", type=Path, default=ROOT / "bench" / "chains")
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus-parish")
    ap.add_argument("--extra", action="store_true", help="also list extracted actions that match no gold action")
    ap.add_argument("--json", type=Path, help="write the misses and extras as JSON")
    args = ap.parse_args(argv)
    out, tot_g, tot_f, tot_r = {}, 0, 0, 0
    for f in sorted(args.chains.glob("*.json")):
        chain = json.loads(f.read_text())
        results = extract_chain(chain, args.corpus)
        rows = [{"source": s, **a} for s, res in results.items() for a in res.get("actions", [])]
        gold = chain["actions"]
        m = match(gold, rows)
        tot_g, tot_f, tot_r = tot_g + len(gold), tot_f + len(m), tot_r + len(rows)
        print(f"{f.stem}: found {len(m)}/{len(gold)}, rows {len(rows)}, precision {len(m) / max(1, len(rows)):.2f}")
        misses = []
        for gi, g in enumerate(gold):
            if gi in m:
                continue
            sc, kind, near = nearest(g["text"], results.get(g["source"], {}))
            sent = max(SENTENCES.get(g["source"], []), key=lambda x: token_f1(g["text"], x), default="")
            misses.append({"id": g["id"], "type": g.get("type"), "status": g.get("status"), "text": g["text"],
                           "near_kind": kind, "near_f1": round(sc, 2), "near": near, "sentence": sent})
            print(f"  MISS {g['id']} [{g.get('type')}/{g.get('status')}] {g['text'][:150]}\n"
                  f"       ~{sc:.2f} {kind}: {near[:150]}\n       sentence {token_f1(g['text'], sent):.2f}: {sent[:150]}")
        extras = [r["text"] for ri, r in enumerate(rows) if ri not in set(m.values())]
        if args.extra:
            for t in extras:
                print(f"  EXTRA {t[:150]}")
        out[f.stem] = {"misses": misses, "extras": extras}
    print(f"all: found {tot_f}/{tot_g} ({tot_f / tot_g:.2f}), rows {tot_r}, precision {tot_f / max(1, tot_r):.2f}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
