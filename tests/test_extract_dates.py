"""Due dates and dated events."""
import pytest

from nlp.dates import find_dates, resolve_due


@pytest.mark.parametrize("phrase,meeting,due", [
    ("A progress report be brought back in six months.", "2021-03-16", "2021-09"),
    ("in six months", "2021-03", "2021-09"),
    ("Officers to report back by March 2025.", "2024-07-01", "2025-03"),
    ("The review should be completed within three months.", "2024-11-20", "2025-02"),
    ("An update to be provided by the end of the municipal year.", "2023-10-05", "2024-05"),
    ("An update to be provided by the end of the municipal year.", "2024-02-05", "2024-05"),
    ("An update to be provided by the end of the municipal year.", "2024-06-03", "2025-05"),
    ("Savings to be found by the end of the financial year.", "2024-06-10", "2025-03"),
    ("Savings to be found by the end of the financial year.", "2025-01-15", "2025-03"),
    ("The service will go live in April.", "2023-09-21", "2024-04"),
    ("Delivery between September 2023 and January 2024.", "2023-07-01", "2024-01"),
    ("Training runs in October through to December.", "2023-09-21", "2023-12"),
    ("within 2 weeks", "2024-05-01", "2024-05-15"),
])
def test_resolve_due(phrase, meeting, due):
    assert resolve_due(phrase, meeting)[0] == due


def test_resolve_due_keeps_the_phrase():
    assert resolve_due("The Director will report back in six months.", "2021-03-16") == ("2021-09", "in six months")


def test_next_meeting_uses_the_hook_only():
    assert resolve_due("Officers to bring figures to the next meeting.", "2024-01-10") == (None, "to the next meeting")
    assert resolve_due("Officers to bring figures to the next meeting.", "2024-01-10",
                       next_meeting=lambda: "2024-03-07")[0] == "2024-03-07"


def test_no_time_no_due():
    assert resolve_due("Members requested a breakdown by ward.", "2024-01-10") == (None, None)


def test_day_month_without_year_takes_meeting_year_or_previous():
    assert find_dates("the launch on the 3rd May", "2024-06-12")[0].iso() == "2024-05-03"
    assert find_dates("a visit on the 12th December", "2024-01-15")[0].iso() == "2023-12-12"


def test_may_the_verb_is_not_a_date():
    assert find_dates("Families may need more help and we march on.", "2024-06-12") == []


def test_dated_events(run):
    res = run("The new Front Door service launched on the 4th April 2022. Ofsted carried out a focused visit in "
              "November 2023. The contract with the provider started in 2019.", meeting_date="2024-02-01")
    dates = {d["date"] for d in res["dates"]}
    assert {"2022-04-04", "2023-11", "2019"} <= dates
    assert all(d["text"] in ("The new Front Door service launched on the 4th April 2022.",
                             "Ofsted carried out a focused visit in November 2023.",
                             "The contract with the provider started in 2019.") for d in res["dates"])


def test_header_dates_and_figure_periods_are_not_events(run):
    text = "Date of meeting:\n\n12 June 2024\n\nThe rate per 10,000 increased to 64.1 in March 2024 from 60.2 in March 2023."
    res = run(text)
    assert res["dates"] == [], res["dates"]


def test_timeline_line_dates_following_entries(run):
    text = "Milestones\n\nSeptember 2023\nJo Bloggs appointed as Programme Manager\nSam Smith appointed to the role of Data Lead\n"
    res = run(text, meeting_date="2023-11-01", kind="report")
    assert sorted(d["date"] for d in res["dates"]) == ["2023-09", "2023-09"]


def test_signature_lines_are_not_events(run):
    res = run("Signed ________ Dated 3rd September 2019\n\nNext Meeting Tuesday, 3rd September 2019\n\n"
              "Signed (Chairman) ....... Date: 12 May 2020")
    events = [e["event"] for e in res["dates"]]
    assert not any(e.lower().startswith("signed") for e in events), events
    assert any("Next Meeting" in e for e in events)


def test_a_body_with_its_meeting_date_in_brackets_is_an_event(run):
    res = run("The options have been considered by the Health Overview and Scrutiny Committee (17 December 2024), "
              "the Adult Social Care Committee (HASC) (16 January 2025) and the Selection Committee (27 February 2025). "
              "Referrals rose to 285 (March 2024).", meeting_date="2025-03-13")
    got = {d["date"]: d["event"] for d in res["dates"]}
    assert got == {"2024-12-17": "Health Overview and Scrutiny Committee meeting",
                   "2025-01-16": "Adult Social Care Committee (HASC) meeting",
                   "2025-02-27": "Selection Committee meeting"}


def test_an_election_mentioned_again_and_again_is_one_event(run):
    res = run("The Leader noted the implications for the County Council elections due in May 2025. "
              "Mr Brady said elections were needed in May 2025 along with transparency. "
              "Members noted that the elections scheduled for May 2025 may be postponed.", kind="minutes",
              meeting_date="2025-01-09")
    assert [d["date"] for d in res["dates"]].count("2025-05") == 1, res["dates"]


def test_the_month_meeting_and_the_next_meeting_fall_due_on_the_day_the_minutes_give(run):
    text = ("Mr Jon Miles will attend the Parish Council meeting on December 3rd.\n\n"
            "A draft budget will be presented at the December Parish Council meeting.\n\n"
            "Janet Hughes to develop an initial response prior to next meeting.\n\n"
            "Four places will be booked for the training session on Thursday January 21st.")
    res = run(text, meeting_date="2009-11-05", kind="minutes")
    due = {a["text"][:12]: a["due_date"] for a in res["actions"]}
    assert due["A draft budg"] == "2009-12-03"  # the December meeting: the day the minutes give it
    assert due["Janet Hughes"] == "2009-12-03"  # "prior to next meeting"
    assert due["Four places "] == "2010-01-21"  # a month and day without a year: the next one
    # with no day known, "the June meeting" is the next June, at month precision
    res = run("A report will be brought to the June meeting.", meeting_date="2024-07-10", kind="minutes")
    assert [a["due_date"] for a in res["actions"]] == ["2025-06"]


def test_the_next_meetings_date_is_no_ones_task(run):
    res = run("Next Meeting Tuesday 1st July 2014 at 7.30pm in the Village Hall.\n\n"
              "The next meeting will be held on 3rd December 2014.", meeting_date="2014-06-03", kind="minutes")
    assert res["actions"] == []


def test_a_figures_reference_period_and_a_year_naming_a_thing_are_not_events(run):
    res = run("As of January 2024, this totalled 19,407 children and young people with an EHCP in Kent.\n\n"
              "From January to September 2024, the clinic saw 1,601 patients.\n\n"
              "This needs to be considered when allocating money for training in the 2010 budget.\n\n"
              "The Family Safeguarding Model was launched in February 2021.", meeting_date="2024-10-01", kind="report")
    assert [d["date"] for d in res["dates"]] == ["2021-02"]
