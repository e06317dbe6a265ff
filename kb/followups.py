"""Follow-up evidence: which later papers of the same authority report on each action, and what they say.

For each action, every sentence of the authority's later papers that shares a word with it (kb.followup_text)
is scored for being about it, by a logistic model (FEATURES, WEIGHTS) of:

- the words they share, weighted by how rare each word is among that authority's papers: how much of what
  the action names the sentence holds, how much of the sentence is about it, and how much is shared at all;
- the item and dash-label each sits under ("208/18 Letter to Borough Council regarding Dukes Head Building";
  "Cemetery Bin – The bin has been ordered ..."), and a "matters arising" or clerk's report item;
- a reference to the action's minute ("Minute 808", "52/18"), and words that say it follows something up
  ("as requested at the March meeting");
- the owner's name, the same committee, how soon after (the next meeting counts most), whether the action
  is the one of all earlier actions that the sentence is most like;
- semantic closeness of the action and the later passage (the passage vectors the search index stores),
  where the KB has them.

What the sentence says happened (kb.followup_cues, read against what the action asked for) makes the link's
`says`: done, updated (goes on, awaited), dropped or a mere mention. A sentence that reads as done is scored
again by the done model (DONE_FEATURES, DONE_WEIGHTS): how surely it is the report that this action was done
(`p_done`, kept in the link's `why`); "done" needs it at T_DONE. A council's own tracker table row carries its stated status. Links
are stored in `followups` (migration m006) with their evidence and recomputed when an authority's papers
change (`refresh`, run after ingest and before a report when stale); `status_of` turns an action's links
into its status at a date, for reports to show.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime

from kb.followup_cues import asks, cue_clause, says, taken_up, taken_up_at, words
from kb.followup_text import ITEM_REF_RE, STOP, Profile, Unit, names_in, profile, units_of  # noqa: F401 (re-exported)
from kb.meetings import is_later

LINKER = "link-4"
# Thresholds (0-1), calibrated on bench/chains (see bench/README.md): "done" only where the done model is this
# sure that the sentence reports the action done (the lowest threshold keeping wrong "done" under 10% on
# held-out chains); "updated" for a later mention this surely about the action (link score); "possible update"
# for weaker ones, for a person to confirm.
T_DONE = 0.4
T_UPDATE = 0.4
T_POSSIBLE = 0.3
T_KEEP = 0.15  # links weaker than this are not stored
CANDIDATES = 80  # later sentences scored per action, those sharing its rarest words
REF_CITED_RE = r"(?<![\d/])(?:{ref})(?![\d/])"


# --- scoring ---------------------------------------------------------------------------------------
def _idf(units: list[Unit]) -> dict[str, float]:
    df: dict[str, int] = {}
    for u in units:
        for w in u.own | u.topic:
            df[w] = df.get(w, 0) + 1
    n = len(units) + BACKGROUND
    top = math.log(n / 0.5)  # a word in no sentence: 1.0, so that weights mean the same in a small KB and a big one
    return {w: math.log(n / (c + 0.5)) / top for w, c in df.items()}


def _weight(ws: set[str], idf: dict[str, float], default: float) -> float:
    return sum(idf.get(w, default) for w in ws)


def _cites(p: Profile, u: Unit, nth: int = 0) -> bool:
    """The later sentence or its item cites the action's minute ("Minute 208/18", "52/18"); or, at the next meeting,
    its item and sub-item ("Item 16a, the bin has been installed" for "16. ... a. ... Cllr Anderson to install")."""
    if not p.ref:
        return False
    if nth == 1 and p.sub and any(m.group(1) == p.ref and (m.group(2) or "").lower() == p.sub
                                  for m in ITEM_REF_RE.finditer(u.text)):
        return True
    if "/" not in p.ref and len(p.ref) < 3:
        return False
    rx = re.compile(REF_CITED_RE.format(ref=re.escape(p.ref)))
    if rx.search(u.text):
        return True
    item = u.item.split(" ", 1)
    return bool(len(item) > 1 and rx.search(item[1]))


# The link model: the chance that a later sentence reports on the action, a logistic function of what they
# share. Fitted on the annotated chains (bench/tracker_fit.py prints these; see bench/README.md), except for
# the features the chains never show (PRIORS: no parish minute cites an earlier minute by number, and each
# chain is one body's), which keep the weight set here by judgement.
FEATURES = ("recall", "focus", "mass", "topic", "label", "arising", "refers_back", "mutual", "cites", "owner",
            "same_committee", "next_meeting", "closeness", "has_closeness", "says_done", "says_goes_on", "done_as_asked",
            "long")
# a sentence that says it follows something up: "as requested at the March meeting", "further to the last meeting"
REFERS_BACK_RE = re.compile(
    r"(?i)\bas\s+(?:requested|agreed|promised|minuted|actioned|reported)\b|\bfurther\s+to\b|\bfollowing\s+(?:on\s+from\s+)?"
    r"(?:the|a|an|last|previous|earlier)\b|\b(?:at|from|since)\s+the\s+(?:last|previous|earlier)\s+(?:meeting|month)\b"
    r"|\bpreviously\b|\bagain\b|\bupdate[ds]?\s+on\b|\bhad\s+(?:been\s+)?(?:asked|requested|agreed)\s+to\b")
PRIORS = {"cites": 2.0, "same_committee": 0.5}
WEIGHTS = {"recall": 1.52, "focus": 1.99, "mass": 3.03, "topic": 0.99, "label": 0.04, "arising": 0.45, "refers_back":
           0.85, "mutual": 0.00, "owner": 1.67, "next_meeting": 1.23, "closeness": 1.56, "has_closeness": -0.59,
           "says_done": 0.62, "says_goes_on": 0.21, "done_as_asked": 0.40, "long": -0.36, **PRIORS}
BIAS = -7.59
# The done model: the chance that a later sentence that reads as done (kb.followup_cues.says) is the report that
# this action was done, fitted on the chains' done-saying candidates of every tracker row (bench/tracker_fit.py).
# Few features, for a model fitted on a few dozen true done reports to carry over to other councils: the link
# model's score; whether the sentence is the action's best link in its meeting's papers, and the action the
# sentence's best; how much of what the action names stands in the very clause that says done, and in the
# sentence; how soon after; how often rows read by the action's cue were real actions, and whether it asks for
# something to be done at all; which reading made it done (a contact made or answered, the action's own verb,
# the matter taken up at the meeting it was put to; else a completion word).
DONE_FEATURES = ("link", "top", "mutual", "clause_recall", "recall", "next_meeting", "confidence", "asks", "by_contact",
                 "by_echo", "by_meeting", "lead")
DONE_WEIGHTS = {"link": 2.35, "top": 1.96, "mutual": 0.86, "clause_recall": 0.65, "recall": 0.89, "next_meeting":
                0.87, "confidence": 0.22, "asks": 1.48, "by_contact": 0.17, "by_echo": 0.09, "by_meeting": 0.00, "lead": 0.0}
DONE_BIAS = -7.93
BACKGROUND = 300  # sentences assumed to hold none of the words: a few papers' own words are not all common
# cues (kb.followup_cues.says, taken_up) that read the sentence against what the action asked for
AS_ASKED = ("contact made", "answer reported", "its own verb done", "taken up")
MASS = 1.5  # idf weight of shared words at which a match counts in full (about two distinctive words)


def features(p: Profile, u: Unit, idf: dict[str, float], default: float, nth: int) -> dict:
    """What a later sentence `u` shares with the action (0-1 or 0/1 each). `nth`: 1 for the body's next
    meeting after the action's, 2 for the one after, ..."""
    def w(ws: set[str]) -> float:
        return _weight(ws, idf, default)

    hit = p.own & u.own
    in_topic = (p.own & u.topic) - hit
    w_hit = w(hit) + 0.5 * w(in_topic)
    topic_hit = p.topic & (u.own | u.topic)
    return {"recall": w_hit / (w(p.own) or 1.0), "focus": w(hit) / (w(u.own) or 1.0),
            "mass": min(1.0, (w_hit + 0.5 * w(topic_hit)) / MASS),
            "topic": w(topic_hit) / (w(p.topic) or 1.0) if p.topic else 0.0,
            "label": w(u.label & (p.own | p.topic)) / (w(u.label) or 1.0) if u.label else 0.0,
            "arising": float(u.arising), "refers_back": float(bool(REFERS_BACK_RE.search(u.text))), "mutual": 0.0,
            "cites": float(_cites(p, u, nth)), "owner": float(bool(p.owner) and p.owner <= (u.own | words(u.text))),
            "same_committee": float(bool(u.doc.get("committee")) and u.doc.get("committee") == p.doc.get("committee")),
            "next_meeting": 1.0 / max(1, nth), "closeness": 0.0, "has_closeness": 0.0, "says_done": 0.0,
            "says_goes_on": 0.0, "done_as_asked": 0.0, "long": min(1.0, len(u.text.split()) / 80),
            "_shared": sorted(hit), "_item": sorted(topic_hit | in_topic)}


def link_score(x: dict) -> float:
    z = BIAS + sum(WEIGHTS[k] * x[k] for k in FEATURES)
    return 1.0 / (1.0 + math.exp(-z))


def done_score(x: dict) -> float:
    """The done model's chance that a done-saying sentence reports this action done (0 for other sentences)."""
    if not x.get("says_done"):
        return 0.0
    z = DONE_BIAS + sum(DONE_WEIGHTS[k] * x[k] for k in DONE_FEATURES)
    return 1.0 / (1.0 + math.exp(-z))


# --- linking ---------------------------------------------------------------------------------------
class Closeness:
    """Cosine of an action and the stored passage vector holding a later sentence (None without vectors)."""

    def __init__(self, store, profiles: list[Profile]):
        self.idx = None
        self.chunks: dict[str, list[tuple[int, str]]] = {}
        self.store = store
        try:
            from kb.search.server import vector_reader

            self.idx = vector_reader(store)
            if self.idx is not None and self.idx.size and profiles:
                from kb.search.embed import get_embedder

                vecs = get_embedder(store.home).embed([p.rec.get("text") or "" for p in profiles])
                for p, v in zip(profiles, vecs):
                    p.vec = v
            else:
                self.idx = None
        except Exception:  # no model or no vectors: closeness is left out
            self.idx = None

    def chunk_of(self, u: Unit) -> int | None:
        doc_id = u.doc["id"]
        if doc_id not in self.chunks:
            self.chunks[doc_id] = [(r[0], " ".join(r[1].split())) for r in self.store.db.execute(
                "SELECT id, text FROM chunks WHERE doc_id = ? ORDER BY seq", (doc_id,))]
        probe = " ".join(u.text.split())[:80]
        return next((cid for cid, t in self.chunks[doc_id] if probe in t), None)

    def cos(self, p: Profile, u: Unit) -> float | None:
        if self.idx is None or p.vec is None:
            return None
        if u.chunk is None:
            u.chunk = self.chunk_of(u) or -1
        if u.chunk < 0:
            return None
        return self.idx.scores_of(p.vec, [u.chunk]).get(u.chunk)


@dataclass
class Group:
    """One authority's papers made ready for linking: its actions, its sentences and their word index."""
    profiles: list[Profile]
    units: list[Unit]
    postings: dict[str, list[int]]
    idf: dict[str, float]
    default: float
    close: Closeness
    dates: list[str]


def prepare(store, docs: list[dict]) -> Group | None:
    blocks = {d["id"]: store.blocks(d["id"]) for d in docs}
    names = names_in(blocks)
    profiles = [profile(r, d, blocks[d["id"]], names) for d in docs for r in store.records("actions", d["id"])]
    units = [u for d in docs for u in units_of(store, d)]
    if not profiles or not units:
        return None
    idf = _idf(units)
    postings: dict[str, list[int]] = {}
    for i, u in enumerate(units):
        for w in u.own | u.topic:
            postings.setdefault(w, []).append(i)
    return Group(profiles, units, postings, idf, max(idf.values(), default=1.0), Closeness(store, profiles),
                 sorted({d["meeting_date"] for d in docs if d.get("meeting_date")}))


def link_group(store, docs: list[dict]) -> list[dict]:
    """Links for every action of `docs` (one authority's papers) to their later papers."""
    g = prepare(store, docs)
    if g is None:
        return []
    row_actions = _tracker_row_actions(store, docs)
    out = []
    for p, cands in all_candidates(g):
        best: dict[tuple[str, str], tuple[float, dict, Unit]] = {}
        for u, x, what, cue in cands:
            s = 1.0 if p.tracker_ref and u.ref and _same_ref(p.tracker_ref, u.ref) else link_score(x)
            closing = what in ("done", "dropped")
            d = done_score(x) if closing and not u.stated else None
            if s < T_KEEP and (d is None or d < T_KEEP):
                continue
            key = (u.doc["id"], "done" if closing else "other")
            rank = d if d is not None else s
            if key not in best or rank > best[key][0]:
                why = {"shared": x["_shared"], "item": x["_item"]}
                why.update({k: True for k in ("cites", "owner") if x[k]})
                if x["has_closeness"]:
                    why["closeness"] = round(x["closeness"], 3)
                if d is not None:
                    why["p_done"] = round(d, 4)
                best[key] = (rank, {**why, "says": what, "cue": cue, "_s": s}, u)
        for _rank, why, u in best.values():
            s = why.pop("_s")
            same = row_actions.get((u.doc["id"], u.block)) if u.stated and s >= 0.8 else None
            out.append({"action_id": p.rowid, "evidence_doc_id": u.doc["id"], "evidence_action_id": same,
                        "meeting_date": u.doc.get("meeting_date"), "page": u.page, "block": u.block,
                        "sentence": u.text, "says": why.pop("says"), "score": round(s, 4), "cue": why.pop("cue"),
                        "why": json.dumps(why), "linker": LINKER})
    return out


def all_candidates(g: Group) -> list[tuple[Profile, list]]:
    """Every action's candidates, each marked `mutual` where the action is the one the later sentence is most
    like of all the earlier actions (a matters-arising line reports on one action: the one it is closest to)."""
    out = [(p, list(candidates(p, g))) for p in g.profiles]
    top: dict[int, float] = {}
    for _p, cands in out:
        for u, x, _w, _c in cands:
            top[id(u)] = max(top.get(id(u), 0.0), link_score(x))
    for _p, cands in out:
        for u, x, _w, _c in cands:
            x["mutual"] = float(link_score(x) >= top[id(u)])
        best: dict[str, float] = {}
        for u, x, _w, _c in cands:
            x["link"] = link_score(x)
            best[u.doc["id"]] = max(best.get(u.doc["id"], 0.0), x["link"])
        for u, x, _w, _c in cands:  # the sentence of its meeting's papers most about the action
            x["top"] = float(x["link"] >= best[u.doc["id"]])
        set_leads([x for _u, x, _w, _c in cands])
    return out


def set_leads(xs: list[dict]) -> None:
    """`lead` of each of an action's done-saying candidates: how far its link score stands above the best of the
    action's other done-saying candidates (0 where another is as good): one report that clearly stands out among
    the many done-saying sentences about the same matter, rather than the first of several alike."""
    done = [x for x in xs if x.get("says_done")]
    ranked = sorted((x["link"] for x in done), reverse=True)
    for x in xs:
        x["lead"] = 0.0
    for x in done:
        other = ranked[1] if len(ranked) > 1 and x["link"] >= ranked[0] else (ranked[0] if x["link"] < ranked[0] else 0.0)
        x["lead"] = max(0.0, x["link"] - other)


def candidates(p: Profile, g: Group):
    """(unit, features, says, cue) for the later sentences sharing most with the action (at most CANDIDATES of
    them, by the rare words shared: a big KB's common words would otherwise bring thousands)."""
    md = p.doc.get("meeting_date")
    shared: dict[int, float] = {}
    for w in p.own | p.topic:
        weight = g.idf.get(w, g.default) * (1.0 if w in p.own else 0.5)
        for i in g.postings.get(w, ()):
            shared[i] = shared.get(i, 0.0) + weight
    later = [i for i in shared if is_later(g.units[i].doc.get("meeting_date"), md)]
    for i in sorted(sorted(later, key=lambda i: -shared[i])[:CANDIDATES]):
        u = g.units[i]
        nth = sum(1 for d in g.dates if is_later(d, md) and d <= u.doc["meeting_date"])
        x = features(p, u, g.idf, g.default, nth)
        what, cue = (u.stated, u.cue) if u.stated else says(u.text, (p.own | p.topic) & (u.own | u.topic), p.rec.get("text"),
                                                                  p.rec.get("owner"))
        if what in ("mention", "updated") and not u.stated and (
                up := taken_up(p.rec.get("text"), u.text, u.after)
                or taken_up_at(p.rec.get("text"), u.text, nth, u.doc.get("meeting_date"), u.after)):
            what, cue = "done", f"taken up: {up}"  # "bring back to the June meeting", and the June minutes discuss it
        x["says_done"] = float(what in ("done", "dropped"))
        x["says_goes_on"] = float(what == "updated")
        x["done_as_asked"] = float(what == "done" and str(cue or "").startswith(AS_ASKED))
        mine = p.own & words(cue_clause(u.text, cue)) if x["says_done"] else set()
        x["clause_recall"] = _weight(mine, g.idf, g.default) / (_weight(p.own, g.idf, g.default) or 1.0)
        x["asks"] = float(asks(p.rec.get("text")))
        x["top"] = x["link"] = x["lead"] = 0.0
        x["confidence"] = action_confidence(p.rec)
        kind = str(cue or "") if x["says_done"] else ""
        x["by_contact"] = float(kind.startswith(("contact made", "answer reported")))
        x["by_echo"] = float(kind.startswith("its own verb done"))
        x["by_meeting"] = float(kind.startswith("taken up"))
        c = g.close.cos(p, u)
        if c is not None:
            x["closeness"], x["has_closeness"] = max(0.0, c), 1.0
        yield u, x, what, cue


def _same_ref(a: str, b: str) -> bool:
    na, nb = re.sub(r"\W+", "", a.lower()), re.sub(r"\W+", "", b.lower())
    return bool(na) and na == nb


def _tracker_row_actions(store, docs: list[dict]) -> dict[tuple[str, int], int]:
    """{(document, block): action row id} of the tracker table rows stored as actions."""
    out = {}
    for d in docs:
        for r in store.db.execute("SELECT id, block FROM actions WHERE doc_id = ? AND cue LIKE 'tracker table%'",
                                  (d["id"],)):
            out[(d["id"], r[1])] = r[0]
    return out


# --- keeping the links current ---------------------------------------------------------------------
def _groups(store, authorities: list[str] | None) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for d in store.documents(authority=authorities):
        out.setdefault(d.get("authority") or "", []).append(d)
    return out


def _stamp(store, docs: list[dict]) -> str:
    h = hashlib.sha1(LINKER.encode())
    for d in sorted(docs, key=lambda x: x["id"]):
        h.update(json.dumps([d["id"], d.get("extractor"), d.get("meeting_date"), d.get("committee")]).encode())
    from kb.search.index import has_vectors

    vectors = has_vectors(store) and store.passage_count() > 0
    h.update(b"v" if vectors else b"-")
    return h.hexdigest()


def stale(store, authorities: list[str] | None = None) -> list[str]:
    """The authorities ('' for none) whose links are not those of their papers now."""
    have = {r[0]: r[1] for r in store.db.execute("SELECT authority, stamp FROM followup_state")}
    return [a for a, docs in _groups(store, authorities).items() if have.get(a) != _stamp(store, docs)]


def refresh(store, authorities: list[str] | None = None, force: bool = False) -> list[str]:
    """Recompute the links of each authority whose papers changed since (all of them with `force`);
    returns the authorities recomputed. A KB another process is writing to is left for the next time."""
    done = []
    groups = _groups(store, authorities)
    have = {r[0]: r[1] for r in store.db.execute("SELECT authority, stamp FROM followup_state")}
    for auth, docs in groups.items():
        stamp = _stamp(store, docs)
        if not force and have.get(auth) == stamp:
            continue
        links = link_group(store, docs) if auth else []  # papers of no authority follow up on nothing
        ids = [d["id"] for d in docs]
        try:
            with store.transaction() as db:
                for part in range(0, len(ids), 500):
                    chunk = ids[part:part + 500]
                    db.execute(f"DELETE FROM followups WHERE action_id IN (SELECT id FROM actions WHERE doc_id IN "
                               f"({','.join('?' * len(chunk))}))", chunk)
                cols = list(links[0]) if links else []
                if links:
                    db.executemany(f"INSERT INTO followups ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                                   [[lk[c] for c in cols] for lk in links])
                db.execute("INSERT INTO followup_state VALUES (?, ?, ?) ON CONFLICT (authority) DO UPDATE"
                           " SET stamp = excluded.stamp, computed_at = excluded.computed_at",
                           (auth, stamp, datetime.now(UTC).isoformat(timespec="seconds")))
        except sqlite3.OperationalError:  # locked by an ingest: the next report computes them
            continue
        done.append(auth)
    return done


def links_of(store, action_rowids: list[int]) -> dict[int, list[dict]]:
    """{action row id: [link, with its evidence document's source, committee, url]} as stored."""
    out: dict[int, list[dict]] = {}
    for part in range(0, len(action_rowids), 500):
        chunk = action_rowids[part:part + 500]
        for r in store.db.execute(
                "SELECT f.*, d.source, d.committee, d.url FROM followups f JOIN documents d ON d.id = f.evidence_doc_id"
                f" WHERE f.action_id IN ({','.join('?' * len(chunk))}) ORDER BY f.meeting_date, f.score DESC", chunk):
            lk = dict(r)
            lk["why"] = json.loads(lk["why"]) if lk.get("why") else {}
            out.setdefault(lk["action_id"], []).append(lk)
    return out


# --- which actions enter the tracker ------------------------------------------------------------------
# An action's confidence where extraction gave none: the share of tracker rows read by that cue that were real
# actions on the annotated chains (bench/tracker.py; (right + 6) / (rows + 10), drawn towards 0.6 where rows
# were few); cues the chains did not show keep a judged value.
CUE_CONFIDENCE = {"tracker table": 0.9, "action line": 0.9, "task": 0.79, "will/would": 0.75, "awaiting": 0.77,
                  "undertaking": 0.74, "reported undertaking": 0.67, "offered": 0.53, "resolution": 0.51,
                  "dated plan": 0.44, "request": 0.36, "answer to a question": 0.55, "ongoing work": 0.4}
DEFAULT_CONFIDENCE = 0.6


def action_confidence(rec: dict) -> float:
    if rec.get("confidence") is not None:
        return float(rec["confidence"])
    cue = str(rec.get("cue") or "")
    if cue.startswith("tracker table"):
        cue = "tracker table"
    return CUE_CONFIDENCE.get(cue, CUE_CONFIDENCE.get(rec.get("type") or "", DEFAULT_CONFIDENCE))


# --- status ------------------------------------------------------------------------------------------
def status_of(links: list[dict], day: date, due_end: date | None = None) -> tuple[str, dict | None]:
    """(status, the link it rests on) at `day` from an action's links: a tracker table's latest stated status
    wins; else done (a done report this sure, `p_done`, not followed by a report that it goes on), dropped, updated,
    overdue (due passed), "possible update" (a weaker mention, for a person to confirm) or open."""
    known = [lk for lk in links if (_start(lk.get("meeting_date")) or day) <= day]
    tracked = [lk for lk in known if (lk.get("cue") or "").startswith("tracker table") and lk["score"] >= T_UPDATE]
    if tracked:
        lk = max(tracked, key=lambda x: (x.get("meeting_date") or "", x["score"]))
        st = {"done": "done", "dropped": "dropped", "open": "open"}.get(lk["says"], "updated")
        return (_open_or_overdue(day, due_end) if st == "open" else st), lk
    strong = [lk for lk in known if lk["score"] >= T_UPDATE]
    closing = [lk for lk in known if lk["says"] in ("done", "dropped") and p_done(lk) >= T_DONE]
    if closing:
        lk = max(closing, key=lambda x: (x.get("meeting_date") or "", p_done(x)))
        goes_on = [x for x in strong if x["says"] == "updated" and (x.get("meeting_date") or "") > (lk.get("meeting_date") or "")]
        if not goes_on:
            return lk["says"], lk
    if strong:
        return "updated", max(strong, key=lambda x: (x.get("meeting_date") or "", x["score"]))
    weak = [lk for lk in known if lk["score"] >= T_POSSIBLE]
    st = _open_or_overdue(day, due_end)
    if weak:  # overdue stays overdue: the weak match is shown for a person to judge
        return ("possible update" if st == "open" else st), max(weak, key=lambda x: x["score"])
    return st, None


def p_done(lk: dict) -> float:
    """How surely a stored link reports its action done: the done model's chance where it gave one, else its score."""
    why = lk.get("why") or {}
    if isinstance(why, str):
        why = json.loads(why or "{}")
    return float(why.get("p_done", lk["score"]))


def _start(s: str | None) -> date | None:
    m = re.match(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", s or "")
    return date(int(m[1]), int(m[2] or 1), int(m[3] or 1)) if m else None


def _open_or_overdue(day: date, due_end: date | None) -> str:
    return "overdue" if due_end is not None and due_end < day else "open"

