#!/usr/bin/env python3
"""Extraction benchmark on the seed texts, and on held-out real documents.

Parses ../shared/seeds/*.txt, takes metadata from their manifest.csv, runs nlp.extract_many,
writes an export-shaped JSON, scores it with shared/eval/score.py, then scores a plain baseline
(quantulum3 quantities as metrics, spaCy DATE entities parsed by dateparser as dates, nothing
else) on the same documents, and prints extraction throughput.

Held out: bench/gold-real-*.json are gold extractions of six ../shared/corpus-real documents
(Kent panel minutes and reports, parish minutes, a national panel's minutes, a London borough's
audit committee), written by annotators who had not seen the extraction code. Those files are
ingested as a user would (the ingest pipeline, no manifest: metadata inferred) and the export
is scored against that gold. The seed rules were written looking at the seeds; this is the check
on how they carry over to papers they were not written for.

usage: python bench/extraction.py [--seeds DIR] [--gold FILE] [--out FILE] [--verbose] [--no-held-out]
"""
from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import heldout
from _kb import ROOT, SHARED

WORDS_PER_PAGE = 320


def load_rendered(folder: Path):
    """The seeds rendered as HTML/PDF/DOCX/PPTX (corpus/published), parsed by the real parsers."""
    from ingest.parsers import parse_file

    with (folder / "manifest.csv").open(newline="", encoding="utf-8") as fh:
        manifest = {row["file"]: row for row in csv.DictReader(fh)}
    items = []
    for name, row in sorted(manifest.items()):
        f = folder / name
        if not f.exists():
            continue
        doc = parse_file(f)
        meta = {k: (row.get(k) or None) for k in ("authority", "committee", "meeting_date", "kind")}
        meta["title"] = doc.title
        items.append((f, doc, meta))
    return items


def load(seeds: Path):
    from ingest.parsers.text import parse

    manifest = {}
    mf = seeds / "manifest.csv"
    if mf.exists():
        with mf.open(newline="", encoding="utf-8") as fh:
            manifest = {row["file"]: row for row in csv.DictReader(fh)}
    items = []
    for f in sorted(seeds.glob("*.txt")):
        doc = parse(f, f.read_bytes(), "txt")
        row = manifest.get(f.name, {})
        meta = {k: (row.get(k) or None) for k in ("authority", "committee", "meeting_date", "kind")}
        meta["title"] = doc.title
        items.append((f, doc, meta))
    return items


def export(items, results) -> dict:
    docs = []
    for (f, _doc, meta), res in zip(items, results):
        d = {"source": f.name, "format": f.suffix.lstrip(".") or "txt", **{k: meta.get(k) for k in ("kind", "authority", "committee", "meeting_date", "title")}}
        d.update(res)
        docs.append(d)
    return {"documents": docs}


def baseline(items) -> list[dict]:
    """quantulum3 quantities as metrics; spaCy DATE entities, parsed by dateparser, as dates."""
    import dateparser
    from quantulum3 import parser as qparser

    from nlp.spacy_pipeline import get_nlp

    nlp = get_nlp()
    out = []
    for _f, doc, _meta in items:
        metrics, dates = [], []
        for b in doc.blocks:
            try:
                quants = qparser.parse(b.text)
            except Exception:
                quants = []
            for q in quants:
                unit = q.unit.name
                unit = {"dimensionless": "count", "percentage": "%", "pound sterling": "GBP"}.get(unit, unit)
                metrics.append({"value": q.value, "unit": unit, "measure": None, "text": b.text, "page": b.page})
            for ent in nlp(b.text).ents:
                if ent.label_ != "DATE":
                    continue
                when = dateparser.parse(ent.text, settings={"PREFER_DAY_OF_MONTH": "first"})
                if when:
                    dates.append({"date": when.date().isoformat(), "event": ent.text, "text": b.text, "page": b.page})
        out.append({"metrics": metrics, "recommendations": [], "decisions": [], "actions": [], "dates": dates,
                    "people": []})
    return out


def score(score_py: Path, gold: Path, export_path: Path, verbose: bool) -> str:
    cmd = [sys.executable, str(score_py), str(gold), str(export_path)] + (["--verbose"] if verbose else [])
    return subprocess.run(cmd, capture_output=True, text=True).stdout


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default=str(SHARED / "seeds"))
    ap.add_argument("--gold", default=str(SHARED / "eval" / "gold-seeds.json"))
    ap.add_argument("--no-held-out", action="store_true", help="skip the held-out real documents")
    ap.add_argument("--first-contact", nargs=2, metavar=("BATCH", "COMMIT"),
                    help="score gold file BATCH (e.g. gold-parish-h.json) with the code at COMMIT, the last commit "
                         "before the batch was looked at, and keep it in bench/first_contact.json")
    ap.add_argument("--out", default="/tmp/extraction-export.json")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--published", nargs="?", const=str(ROOT / "corpus" / "published"), default=None,
                    help="also score the rendered seeds (HTML/PDF/DOCX/PPTX) in this folder, parsed by ingest.parsers")
    args = ap.parse_args(argv)
    if args.first_contact:
        batch, commit = args.first_contact
        entry = heldout.record_first_contact(batch, commit)
        print(heldout.line(f"{batch} first", entry) + f"  @{entry['commit']}")
        return 0
    seeds, gold = Path(args.seeds), Path(args.gold)
    score_py = gold.parent / "score.py"
    if not seeds.is_dir() or not gold.exists() or not score_py.exists():
        print(f"skipping: seeds ({seeds}) or gold ({gold}) or scorer not found")
        return 0
    from nlp.extract import EXTRACTOR_VERSION, extract_many
    from nlp.spacy_pipeline import get_nlp

    items = load(seeds)
    get_nlp()  # load once, outside the timing
    from nlp.spacy_pipeline import get_parser_nlp

    get_parser_nlp()  # the parser pipeline for metric sentences, likewise
    t0 = time.perf_counter()
    results = extract_many([(doc, meta) for _, doc, meta in items])
    elapsed = time.perf_counter() - t0
    out = Path(args.out)
    out.write_text(json.dumps(export(items, results), indent=1, ensure_ascii=False))
    print(f"extractor {EXTRACTOR_VERSION}: wrote {out}")
    print("== extraction ==")
    print(score(score_py, gold, out, args.verbose))
    if args.published and Path(args.published).is_dir():
        rendered = load_rendered(Path(args.published))
        pub_results = extract_many([(doc, meta) for _, doc, meta in rendered])
        pub_out = out.with_name(out.stem + "-published.json")
        pub_out.write_text(json.dumps(export(rendered, pub_results), indent=1, ensure_ascii=False))
        print(f"== extraction, rendered seeds ({args.published}) ==")
        print(score(score_py, gold, pub_out, args.verbose))
    if not args.no_held_out:
        heldout.report(args.verbose)
    if not args.no_baseline:
        base_path = out.with_name(out.stem + "-baseline.json")
        base_path.write_text(json.dumps(export(items, baseline(items)), indent=1, ensure_ascii=False))
        print("== baseline (quantulum3 quantities, spaCy DATE entities + dateparser) ==")
        print(score(score_py, gold, base_path, False))
    words = sum(len(doc.text.split()) for _, doc, _ in items)
    print(f"throughput: {words} words in {elapsed:.2f} s = {words / elapsed:,.0f} words/s, "
          f"{words / WORDS_PER_PAGE / elapsed:,.1f} pages/s (at {WORDS_PER_PAGE} words/page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
