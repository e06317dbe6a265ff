"""Actions are follow-ups someone must do later; descriptive future statements are not (sentences written
for these tests, in the genre of proposal reports and minutes)."""
import pytest


def actions(res):
    return [a["text"] for a in res["actions"]]


@pytest.mark.parametrize("text", [
    # what a proposed service or model will do, in general
    "Under the new model, each young person's needs will be assessed and supported by the adult team.",
    "The Sensory Service will continue to maintain support plans for this cohort.",
    "The Early Help budget will transfer from one directorate to the other.",
    "Transition conversations will begin when a young person turns fifteen.",
    # what others will do
    "The Government will publish further guidance on the reforms later in the year.",
    "Many residents will be switching to electric vehicles as the ban approaches.",
    "Ministers have made clear that populations above 600,000 will be considered too large.",
    # conditionals and consequences
    "If the transfer does not go ahead, the Director of Children's Services will continue to oversee the cohort.",
    "The pre-election period will remove almost three months from the programme.",
])
def test_descriptive_future_in_reports_is_not_an_action(run, text):
    assert actions(run(text, meeting_date="2025-02-10", kind="report")) == []


def test_dated_own_plan_is_an_action(run):
    res = run("The new Family Hub booking system will go live in September 2025.", meeting_date="2025-02-10", kind="report")
    assert actions(res) and res["actions"][0]["due_date"] == "2025-09"


def test_dated_plan_of_another_body_is_not_an_action(run):
    res = run("The academy trust had plans to open its second site in January 2026.", meeting_date="2025-02-10",
              kind="minutes")
    assert actions(res) == []


def test_forecast_is_not_a_plan(run):
    res = run("From July 2025 it was expected that fewer emergency beds would be needed.", meeting_date="2025-02-10",
              kind="minutes")
    assert actions(res) == []


def test_past_year_less_date_is_not_a_plan(run):
    res = run("A briefing for local MPs was held on 3 February and further sessions are being planned.",
              meeting_date="2025-02-10", kind="report")
    assert actions(res) == []


@pytest.mark.parametrize("text", [
    "Mr Okafor offered to circulate the revised transport criteria to the Committee.",
    "The Head of Fostering agreed to provide a breakdown of placements by district.",
    "Officers will look into the delays reported by parents and report back.",
    "A detailed update would be brought back to the Panel in due course.",
    "The Chair requested that the data be shared with all Members.",
])
def test_undertakings_and_requests_are_actions(run, text):
    assert actions(run(text, meeting_date="2025-02-10", kind="minutes")), text


def test_remark_and_question_are_not_actions(run):
    res = run("It was suggested that the district housing offers were confusing.\n\n"
              "A Member asked for clarification as to which provider held the contract.",
              meeting_date="2025-02-10", kind="minutes")
    assert actions(res) == []


def test_essential_to_take_action_is_not_an_undertaking(run):
    res = run("It was essential to take action to reduce the forecast overspend.", meeting_date="2025-02-10",
              kind="minutes")
    assert actions(res) == []


def test_council_commitment_still_an_action(run):
    res = run("To meet demand the Council will recruit twelve foster carers by December 2025.",
              meeting_date="2025-02-10", kind="report")
    assert actions(res) and res["actions"][0]["due_date"] == "2025-12"


def test_lead_ins_are_not_decisions_or_recommendations(run):
    text = ("Recommendations\n\nThe Board is asked to:\n\n(1) Endorse the joint commissioning approach for short breaks.\n\n"
            "(2) Note the timetable for the procurement.")
    res = run(text, meeting_date="2025-02-10", kind="report")
    recs = [r["text"] for r in res["recommendations"]]
    assert not [r for r in recs if r.rstrip().endswith(":")]
    assert any("short breaks" in r for r in recs)


def test_conditional_mood_in_a_report_is_description(run):
    res = run("Plans are reviewed by schools, where older pupils would be picked up by the adult team.",
              meeting_date="2025-02-10", kind="report")
    assert actions(res) == []
