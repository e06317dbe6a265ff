"""`scrutiny compare`: what the documents of several authorities say on one topic, side by side.

Per authority: key figures (metrics), money (unit GBP), inspections and ratings (unit rating), a
timeline of events with planned-vs-actual, recommendations, decisions, open actions, the issues and
risks raised, and the source list. Across authorities, `aligned` groups the figures that measure the
same thing (normalised measure wording, never mixing units), with each authority's value or "not
found" and the national / statistical-neighbour figures the documents quote, marked as such.
Every item carries `source` and `page`.
"""
from __future__ import annotations

import re
from datetime import date

from reports.actions import action_status
from reports.common import (
    NOT_FOUND,
    ReportError,
    cite,
    keywords,
    normalise_measure,
    normalise_unit,
    parse_as_of,
    resolve_authorities,
    same_measure,
    sentences,
    topic_documents,
)
from reports.render import format_value
from reports.timeline import build_events, source_list

SECTIONS = ("figures", "money", "ratings", "events", "recommendations", "decisions", "actions", "issues")

COMPARATORS: list[tuple[str, str]] = [
    (r"\bstat(?:istical)?\.? ?neighbou?rs?\b|\bsn average\b|\bcomparator (?:authorities|group)\b|\bsimilar "
     r"(?:authorities|councils)\b", "statistical neighbours"),
    (r"\bengland\b|\bnational\b|\bnationally\b|\buk\b|\bunited kingdom\b|\bgreat britain\b|\bwales\b",
     "national"),
    (r"\bnorth[- ]west\b|\bnorth[- ]east\b|\bsouth[- ]west\b|\bsouth[- ]east\b|\bwest midlands\b|"
     r"\beast midlands\b|\byorkshire and (?:the )?humber\b|\beast of england\b|\blondon\b|\bregion(?:al)?\b",
     "regional"),
]

ISSUE_WORDS = re.compile(r"\b(risks?|concerns?|concerned|challeng\w*|issues?|pressures?|backlogs?|delays?|delayed|"
                         r"shortages?|difficult\w*|vacanc\w*|turnover|overspends?|waiting (?:list|time)s?|"
                         r"recruitment|retention|demand|shortfall|gaps?)\b", re.I)
# Words that on their own rarely mark an issue raised ("mental health issues", "demand for support").
WEAK_ISSUE_WORDS = {"issue", "issues", "demand", "recruitment", "retention", "gap", "gaps", "challenges", "challenge"}
DOMAIN_PHRASES = re.compile(r"\b(?:mental health|health|substance misuse|parental) issues\b|\bhigh risk families\b|"
                            r"\bpose a risk\b|\bat risk\b", re.I)
MARKUP = re.compile(r"</?(?:p|br|li|ul|ol|div|span|b|i|strong|em)\b[^<>]{0,80}>", re.I)
MAX_ISSUES = 10


def comparator_of(subject: str | None, authority: str | None) -> str | None:
    """'national', 'statistical neighbours' or 'regional' when a figure is a benchmark, not the authority's own."""
    if not subject:
        return None
    s = subject.lower()
    if authority and s.split()[0:1] == authority.lower().split()[0:1]:
        return None
    for pattern, label in COMPARATORS:
        if re.search(pattern, s):
            return label
    return None


def _metric_item(m: dict, doc: dict) -> dict:
    unit = m.get("unit")
    nu = normalise_unit(unit)
    kind = "money" if nu == "gbp" else "ratings" if nu == "rating" else "figures"
    return {"measure": m.get("measure"), "value": m.get("value"), "unit": unit, "period": m.get("period"),
            "subject": m.get("subject"), "comparator": comparator_of(m.get("subject"), doc.get("authority")),
            "text": m.get("text"), **cite(doc, m.get("page"), m), "authority": doc.get("authority"),
            "url": doc.get("url"), "section_kind": kind}


def _issues(store, docs: list[dict], topic: str | None) -> list[dict]:
    topic_words = keywords(topic)
    seen, found = set(), []
    for d in docs:
        for b in store.blocks(d["id"]):
            if b.kind in ("heading", "table_row"):
                continue
            for s in sentences(MARKUP.sub(" ", b.text)):
                s = re.sub(r"\s+", " ", s).strip()
                hits = ISSUE_WORDS.findall(DOMAIN_PHRASES.sub(" ", s))
                n_words = len(s.split())
                if not hits or n_words < 6 or n_words > 60:
                    continue
                key = " ".join(sorted(keywords(s)))
                if key in seen:
                    continue
                seen.add(key)
                text = s if len(s) <= 320 else s[:317].rsplit(" ", 1)[0] + "…"
                kinds = {h.lower() for h in hits}
                score = sum(1 if k in WEAK_ISSUE_WORDS else 2 for k in kinds) + len(topic_words & keywords(s)) * 0.5
                score -= n_words / 60  # prefer short, quotable passages
                if score < 1.2:
                    continue
                found.append({"text": text, "keywords": sorted({h.lower() for h in hits}), **cite(d, b.page),
                              "url": d.get("url"), "score": score})
    found.sort(key=lambda x: -x["score"])
    keep = found[:MAX_ISSUES]
    keep.sort(key=lambda x: (x.get("meeting_date") or "", x["page"] or 0))
    for x in keep:
        x.pop("score")
    return keep


def authority_report(store, authority: str, topic: str | None, as_of: date, **filters) -> dict:
    docs = topic_documents(store, authority, topic, **filters)
    rep: dict = {"authority": authority, **{s: [] for s in SECTIONS}, "actions_done": []}
    cache: dict = {}
    for d in docs:
        for m in store.records("metrics", d["id"]):
            item = _metric_item(m, d)
            rep[item.pop("section_kind")].append(item)
        for kind in ("recommendations", "decisions"):
            for r in store.records(kind, d["id"]):
                rep[kind].append({"number": r.get("number"), "text": r.get("text"), **cite(d, r.get("page"), r),
                                  "url": d.get("url")})
        for r in store.records("actions", d["id"]):
            status, evidence = action_status(store, d, r, as_of, cache)
            item = {"ref": f"{d['id'][:8]}-{r['seq'] + 1}", "text": r.get("text"), "owner": r.get("owner"),
                    "due_date": r.get("due_date"), "status": status, "evidence": evidence,
                    "set_by_hand": r.get("set_by_hand"), **cite(d, r.get("page"), r), "url": d.get("url")}
            rep["actions_done" if status == "done" else "actions"].append(item)
    rep["events"] = build_events(store, docs, as_of, topic=topic)
    rep["issues"] = _issues(store, docs, topic)
    rep["sources"] = source_list(docs)
    rep["not_found"] = [s for s in SECTIONS if not rep[s]]
    if not docs:
        rep["note"] = f'no documents on "{topic}"' if topic else "no documents"
    return rep


def _latest(items: list[dict]) -> dict:
    return max(items, key=lambda x: (x.get("meeting_date") or "", str(x.get("period") or "")))


def align(reports: list[dict]) -> list[dict]:
    """Group figures, money and ratings across authorities by what they measure and their unit."""
    groups: list[dict] = []
    for rep in reports:
        for section in ("figures", "ratings", "money"):
            for item in rep[section]:
                toks = normalise_measure(item.get("measure"))
                unit = normalise_unit(item.get("unit"))
                if not toks:
                    continue
                for g in groups:
                    if g["_unit"] == unit and g["_section"] == section and same_measure(g["_tokens"], toks):
                        break
                else:
                    g = {"_unit": unit, "_section": section, "_tokens": toks, "_items": [], "_labels": []}
                    groups.append(g)
                g["_items"].append((rep["authority"], item))
                g["_labels"].append(item.get("measure"))
                item["aligned"] = len(groups) - 1  # provisional index, renumbered below
    out = []
    names = [r["authority"] for r in reports]
    for g in groups:
        own = [(a, i) for a, i in g["_items"] if not i["comparator"]]
        comps = [i for _, i in g["_items"] if i["comparator"]]
        cells = []
        for a in names:
            mine = [i for au, i in own if au == a]
            if mine:
                head = _latest(mine)
                cells.append({"authority": a, "status": "found", "value": head["value"], "unit": head["unit"],
                              "period": head["period"], "subject": head["subject"], "source": head["source"],
                              "page": head["page"], "meeting_date": head["meeting_date"], "url": head.get("url"),
                              "text": head.get("text"), "figures": mine})
            else:
                cells.append({"authority": a, "status": NOT_FOUND, "value": None, "unit": None, "period": None,
                              "subject": None, "source": None, "page": None, "figures": []})
        # one benchmark per comparator subject: the latest stated
        bench: dict[str, list[dict]] = {}
        for c in comps:
            bench.setdefault((c["subject"] or c["comparator"]).strip().lower(), []).append(c)
        comparators = [{**_latest(v), "quoted_by": sorted({x["authority"] for x in v})} for v in bench.values()]
        label = max(set(g["_labels"]), key=lambda lab: (g["_labels"].count(lab), -len(lab or "")))
        out.append({"measure": label, "unit": g["_items"][0][1]["unit"], "section": g["_section"],
                    "measure_key": sorted(g["_tokens"]), "found_for": sum(c["status"] == "found" for c in cells),
                    "authorities": cells, "comparators": comparators, "_members": g["_items"]})
    out.sort(key=lambda g: (-g["found_for"], g["section"] != "figures", -len(g["comparators"]), g["measure"] or ""))
    for n, g in enumerate(out):
        for _, item in g.pop("_members"):
            item["aligned"] = n
        g["id"] = n
        # worth a row of the side-by-side table: stated for two or more authorities, or with a benchmark
        g["shared"] = g["found_for"] >= 2 or bool(g["comparators"]) or len(names) == 1
        g["chart"] = bar_chart(g)
    return out


PALETTE = ("#1d70b8", "#00703c", "#912b88", "#f47738", "#28a197", "#d4351c", "#5694ca", "#85994b")


def bar_chart(group: dict, width: int = 560) -> dict | None:
    """Bar geometry (computed here, drawn as inline SVG by the template) for one aligned measure."""
    bars = []
    for i, c in enumerate(group["authorities"]):
        if c["status"] == "found" and isinstance(c["value"], (int, float)):
            bars.append({"label": c["authority"], "value": c["value"], "period": c["period"],
                         "colour": PALETTE[i % len(PALETTE)], "comparator": False})
    if not bars:
        return None
    for c in group["comparators"]:
        if isinstance(c["value"], (int, float)):
            subj = c["subject"] or c["comparator"]
            label = subj if c["comparator"] in subj.lower() else f"{subj} ({c['comparator']})"
            bars.append({"label": label[:1].upper() + label[1:], "value": c["value"], "period": c["period"],
                         "colour": "#505a5f", "comparator": True})
    if len(bars) < 2:
        return None  # one bar compares nothing
    label_w, value_w, bar_h, gap, top = 250, 90, 22, 10, 6
    area = width - label_w - value_w
    top_value = max(max(b["value"] for b in bars), 0) or 1
    for n, b in enumerate(bars):
        b["y"] = top + n * (bar_h + gap)
        b["x"] = label_w
        b["h"] = bar_h
        b["w"] = round(max(b["value"], 0) / top_value * area, 1) if b["value"] > 0 else 0
        b["text_y"] = b["y"] + bar_h * 0.7
        b["value_x"] = label_w + b["w"] + 6
        b["value_label"] = format_value(b["value"], group["unit"], short=True)
        full = b["label"] + (f" ({b['period']})" if b["period"] else "")
        b["short_label"] = full if len(full) <= 36 else full[:35] + "…"
    return {"width": width, "height": top * 2 + len(bars) * (bar_h + gap), "label_w": label_w, "bars": bars}


def compare(store, authorities: list[str] | tuple[str, ...], topic: str, as_of: str | None = None,
            committee: str | None = None, since: str | None = None, until: str | None = None) -> dict:
    """The `scrutiny compare` report as data (shared SCHEMA.md `compare` contract)."""
    if not authorities:
        raise ReportError("name at least one authority")
    names = resolve_authorities(store, authorities)
    day = parse_as_of(as_of)
    reports = [authority_report(store, a, topic, day, committee=committee, since=since, until=until) for a in names]
    if not any(r["sources"] for r in reports):
        raise ReportError(f'no documents on "{topic}" for {", ".join(names)}')
    aligned = align(reports)
    return {"topic": topic, "as_of": day.isoformat(), "authorities": reports, "aligned": aligned}


# --- presentation (used by reports.render) ---------------------------------------------------------
def title(data: dict) -> str:
    return f"Comparison: {data['topic']}"


def intro(data: dict) -> str:
    names = ", ".join(a["authority"] for a in data["authorities"])
    n = sum(len(a["sources"]) for a in data["authorities"])
    return (f"{names}: what {n} documents on \"{data['topic']}\" say, as of {data['as_of']}. "
            "Each figure cites its document and page; \"not found\" means the documents do not state it.")


def _fig(c: dict) -> str:
    from reports.render import cited, text_value

    if c.get("status") == NOT_FOUND:
        return NOT_FOUND
    # no period stated: say when the paper is dated, never guess the figure's own period
    period = (f" ({c['period']})" if c.get("period")
              else f" (paper of {c['meeting_date']})" if c.get("meeting_date") else "")
    return f"{text_value(c['value'])}{period} [{cited(c)}]"


def _bench(g: dict) -> str:
    from reports.render import cited, text_value

    return "; ".join(f"{c['subject']} ({c['comparator']}): {text_value(c['value'])}"
                     + (f" ({c['period']})" if c.get("period") else "") + f" [{cited(c)}]"
                     for c in g["comparators"])


def tables(data: dict, spreadsheet: bool = False):
    from reports.render import Table, cited

    names = [a["authority"] for a in data["authorities"]]
    t = [Table("Key figures side by side", ["Measure", "Unit", *names, "Benchmarks quoted"],
               [[g["measure"], g["unit"], *[_fig(c) for c in g["authorities"]], _bench(g)] for g in data["aligned"]
                if g.get("shared", True)],
               note="no figure is stated for more than one authority; each authority's figures are listed below")]
    single = [[c["authority"], g["measure"], g["unit"], _fig(c)] for g in data["aligned"] if not g.get("shared", True)
              for c in g["authorities"] if c.get("status") != NOT_FOUND]
    if single:
        t.append(Table("Figures stated for one authority only", ["Authority", "Measure", "Unit", "Value"],
                       sorted(single, key=lambda r: (r[0], r[1] or "")), note="none"))
    ev, recs, acts, iss, srcs = [], [], [], [], []
    for a in data["authorities"]:
        au = a["authority"]
        for e in a["events"]:
            ev.append([au, e["date"], e["event"], e.get("planned"), e.get("actual"), e["status"],
                       cited(e)])
        for kind in ("recommendations", "decisions"):
            for r in a[kind]:
                recs.append([au, kind[:-1], r.get("number"), r["text"], cited(r)])
        for x in a["actions"]:
            hand = " (set by hand)" if x.get("set_by_hand") else ""
            acts.append([au, x["ref"], x["text"], x.get("owner"), x.get("due_date"), x["status"] + hand,
                         cited(x)])
        for x in a["issues"]:
            iss.append([au, x["text"], cited(x)])
        for s in a["sources"]:
            srcs.append([au, s["source"], s.get("committee"), s.get("meeting_date"), s.get("kind"), s.get("url")])
    t += [Table("Timeline (planned vs actual)", ["Authority", "Date", "Event", "Planned", "Actual", "Status",
                                                 "Source"], ev, status_col="Status", note="no dated events found"),
          Table("Recommendations and decisions", ["Authority", "Type", "No.", "Text", "Source"], recs,
                note="none found"),
          Table("Open actions", ["Authority", "Ref", "Action", "Owner", "Due", "Status", "Source"], acts,
                status_col="Status", note="no open actions found"),
          Table("Issues and risks raised", ["Authority", "Passage", "Source"], iss, note="none found"),
          Table("Sources", ["Authority", "Source", "Committee", "Meeting date", "Kind", "Link"], srcs)]
    if spreadsheet:
        t.append(flat(data))
    return t


FLAT_COLUMNS = ["authority", "section", "measure", "value", "unit", "period", "subject", "comparator", "number",
                "ref", "date", "planned", "actual", "status", "owner", "due_date", "text", "source", "page",
                "meeting_date", "committee", "url", "aligned"]


def flat(data: dict):
    """Every item of every authority, one per row (the CSV output)."""
    from reports.render import Table

    rows = []
    for a in data["authorities"]:
        for section in (*SECTIONS, "actions_done", "sources"):
            for item in a.get(section, []):
                row = {"authority": a["authority"], "section": section, **item}
                if section == "events":
                    row["text"] = item.get("text") or item.get("event")
                rows.append([row.get(c) for c in FLAT_COLUMNS])
    return Table("All items", FLAT_COLUMNS, rows, status_col="status")


def html_context(data: dict) -> dict:
    from reports.render import source_numbers

    sources, numbers = source_numbers([s for a in data["authorities"] for s in a["sources"]])
    colours = {a["authority"]: PALETTE[i % len(PALETTE)] for i, a in enumerate(data["authorities"])}
    return {"title": title(data), "intro": intro(data), "sources": sources, "srcno": numbers, "colours": colours,
            "not_found": NOT_FOUND}
