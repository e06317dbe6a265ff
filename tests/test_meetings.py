"""Which meeting follows which (kb.meetings), as extraction at ingest and the tracker use it."""
from __future__ import annotations

from ingest.pipeline import next_meeting_finder
from kb.meetings import is_later, meeting_key, next_meeting

CTTE = "Children's Scrutiny Committee"


def test_later_is_judged_at_the_precision_both_dates_state():
    assert is_later("2021-04", "2021-03-16") and is_later("2021-03-17", "2021-03-16")
    assert not is_later("2021-03", "2021-03-16") and not is_later("2021-03-16", "2021-03-16")
    assert not is_later(None, "2021-03") and not is_later("2021-03", None)


def test_next_meeting_is_the_same_bodys_first_later_meeting():
    doc = {"authority": "Devon County Council", "committee": CTTE, "meeting_date": "2022-01-10"}
    docs = [dict(doc, meeting_date="2022-05-09"), dict(doc, meeting_date="2022-03-07"),
            dict(doc, meeting_date="2022-01-10"),  # itself: not later
            dict(doc, meeting_date="2021-12-01"),
            dict(doc, authority="DEVON COUNTY COUNCIL", committee=CTTE.upper(), meeting_date="2022-02-20"),
            dict(doc, committee="Cabinet", meeting_date="2022-01-20"),
            dict(doc, authority="Norfolk County Council", meeting_date="2022-01-12")]
    assert next_meeting(doc, docs)["meeting_date"] == "2022-02-20"  # case aside, the same body
    assert next_meeting(dict(doc, committee=None), docs) is None
    assert next_meeting(dict(doc, meeting_date=None), docs) is None


def test_ingest_resolves_the_next_meeting_by_the_same_rule():
    meta = {"authority": "Devon County Council", "committee": CTTE, "meeting_date": "2022-01"}
    key = meeting_key(meta["authority"], meta["committee"])
    meetings = {key: [dict(meta, meeting_date=d) for d in ("2022-01-10", "2022-04-04", "2022-02-07")]}
    assert next_meeting_finder(meetings, meta)() == "2022-02-07"  # 2022-01-10 is not after "2022-01"
    assert next_meeting_finder({}, meta)() is None
