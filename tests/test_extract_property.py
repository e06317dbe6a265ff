"""Arbitrary text never breaks extraction, and outputs keep the export schema."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.dates import resolve_due
from nlp.extract import FIELDS, KINDS

GENRE = st.sampled_from(["Resolved: That;", "1. ", "£", "%", " per 10,000", "in six months", "Ofsted rated 'Good'",
                         "Members requested", " will be looked at", "\t", "\n", "2.0 Recommendation(s)\n", "- ",
                         "the 1st March", "May '22", "Cllr ", ", Director of ", "24-00096", "01632 960123"])
TEXT = st.lists(st.one_of(st.text(max_size=40), GENRE), max_size=12).map("".join)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT, meeting=st.one_of(st.none(), st.sampled_from(["2021-03", "2024-06-12", "junk", ""])))
def test_extract_never_raises_and_keeps_schema(run, text, meeting):
    res = run(text, meeting_date=meeting)
    assert set(res) == set(KINDS)
    for kind in KINDS:
        for item in res[kind]:
            assert set(FIELDS[kind]) <= set(item)
            assert "block" in item and "section" in item
            assert all(v != "" for v in item.values())
            if kind in ("metrics", "dates", "actions", "recommendations", "decisions"):
                assert isinstance(item["text"], str) and item["text"]
            if kind == "metrics" and item["unit"] != "rating":
                assert isinstance(item["value"], (int, float))


@settings(max_examples=30, deadline=None)
@given(text=st.text(max_size=200), meeting=st.one_of(st.none(), st.text(max_size=12)))
def test_resolve_due_never_raises(text, meeting):
    due, _phrase = resolve_due(text, meeting)
    assert due is None or isinstance(due, str)
