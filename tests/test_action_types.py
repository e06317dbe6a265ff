"""Action types and the guideline's boundaries (shared/eval/ANNOTATION.md), on sentences of the genre."""
import pytest


def types(res):
    return [(a["type"], a["text"]) for a in res["actions"]]


def test_every_action_has_a_type_of_the_guideline(run):
    from ingest.model import ACTION_TYPES

    res = run("RESOLVED that an update report be presented to the committee in six months.\n\n"
              "Members requested details of who the team leaders were for their areas.\n\n"
              "Ms Gleave offered to raise the matter with the appropriate service.\n\n"
              "A letter was sent to the Village Hall Committee regarding the fees, no reply received as yet.\n\n"
              "The new website will go live in January.", kind="minutes", meeting_date="2019-11-06")
    got = {t for t, _ in types(res)}
    assert got == set(ACTION_TYPES), types(res)
    due = {a["type"]: a["due_date"] for a in res["actions"]}
    assert due["resolution"] == "2020-05" and due["commitment"] == "2020-01"


@pytest.mark.parametrize("sentence", [
    "Additional provision will be secured through a combination of expanding existing schools and opening new ones.",
    "Specialist adult roles will be recruited to who will co-locate with the safeguarding teams.",
    "KCC will continue to monitor this data and forecast its impact over time.",
    "Work was ongoing with the implementation plan.",
])
def test_undated_plans_and_ongoing_work_in_a_report_are_not_actions(run, sentence):
    assert run(sentence, kind="report", meeting_date="2025-01-30")["actions"] == []


def test_a_plan_with_a_time_is_a_commitment(run):
    res = run("Specialist adult roles will be recruited to by April 2025.", kind="report", meeting_date="2025-01-30")
    assert [(a["type"], a["due_date"]) for a in res["actions"]] == [("commitment", "2025-04")]


def test_an_officer_saying_they_will_do_something_at_a_meeting_is_an_undertaking(run):
    res = run("Cllr Mrs Leamon queried whether it was possible to have a further wheelie bin for rubbish. "
              "The Clerk will investigate this and report back.", kind="minutes", meeting_date="2012-09-12")
    assert [(t, a) for t, a in types(res)] == [("undertaking", "The Clerk will investigate this and report back.")]
    assert res["actions"][0]["owner"] == "Clerk"


def test_an_awaited_deliverable_is_awaiting(run):
    res = run("Indigo Road – Emailed for update on 27 June and awaiting response from developer.\n\n"
              "Final report expected June 2022", kind="minutes", meeting_date="2018-07-04")
    assert [t for t, _ in types(res)] == ["awaiting", "awaiting"]
    assert res["actions"][1]["due_date"] == "2022-06"


def test_a_report_recommendation_is_never_an_action(run):
    res = run("Recommendation(s)\n\n1. The Board to note the information and receive further updates as the "
              "work moves forward.", kind="report")
    assert len(res["recommendations"]) == 1 and res["actions"] == []
