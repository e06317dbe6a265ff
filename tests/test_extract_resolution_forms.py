"""Forms of resolutions and outstanding replies read in the fourth tuning round on the held-out batches (issue #12):
a resolution list led by "RESOLVED that Cabinet agree to:", delegations to an officer, a task a meeting agreed in
the passive with no doer named, and replies or steps still outstanding. Sentences of the genre, with near misses."""
from nlp.minuted_tasks import agreed_task
from nlp.segment import RESOLVED_LEADIN_RE


def acts(res):
    return [(a["type"], a["text"]) for a in res["actions"]]


def test_a_body_agreeing_to_a_list_leads_its_items():
    assert RESOLVED_LEADIN_RE.match("RESOLVED that Cabinet agree to:")
    assert RESOLVED_LEADIN_RE.match("RESOLVED that the Committee agrees:")
    # a resolution with its body is no lead-in
    assert not RESOLVED_LEADIN_RE.match("RESOLVED that Cabinet agree the Commissioning Plan")
    assert not RESOLVED_LEADIN_RE.match("RESOLVED that Cabinet agree to note the report")


def test_the_items_of_a_resolution_list_are_decisions_and_a_delegation_is_an_action(run):
    res = run("RESOLVED that Cabinet agree to:\n\nA) Note the forecast revenue overspend of £12.1m.\n\n"
              "b) Agree the Capital budget changes.\n\n"
              "c) Delegate authority to the Director of Public Health to make non-substantial revisions to the plan.",
              kind="minutes")
    assert len(res["decisions"]) == 3
    assert [t for t, _ in acts(res)] == ["resolution"]
    assert "Director of Public Health" in res["actions"][0]["text"]


def test_a_delegation_to_an_officer_without_the_word_authority(run):
    res = run("RESOLVED that the County Council:\n\na) Notes the report;\n\n"
              "b) Delegates to the Monitoring Officer the submission of the response in consultation with the Leader.",
              kind="minutes")
    assert [t for t, _ in acts(res)] == ["resolution"]
    assert res["actions"][0]["owner"] and "Monitoring Officer" in res["actions"][0]["owner"]


def test_a_task_agreed_in_the_passive_is_a_resolution_to_act(run):
    res = run("It was agreed that quotes should be obtained for the repair of the bus shelter.\n\n"
              "Council agreed that the speed limit should be discussed at the next Parish Council meeting.\n\n"
              "It was decided a new specification would be drawn up for the grass cutting contract.",
              kind="minutes")
    assert len(res["decisions"]) == 3
    assert [t for t, _ in acts(res)] == ["resolution", "resolution", "resolution"]
    assert all(a["owner"] == "Northshire County Council" for a in res["actions"])


def test_a_passive_resolution_that_only_notes_pays_or_fixes_a_date_is_no_task():
    assert not agreed_task("It was agreed that the invoices be paid.")
    assert not agreed_task("It was agreed that the report be noted.")
    assert not agreed_task("It was agreed that the next meeting would be held on 5th May.")
    assert not agreed_task("It was agreed the precept would be set at £3,400.")
    assert not agreed_task("It was agreed that no further action would be taken.")
    assert not agreed_task("RESOLVED that the minutes of the meeting were a correct record and that they be signed by the Chair")
    assert agreed_task("That a new noticeboard be purchased up to the value of £250.00")
    # how a class of people is to be treated is a policy; contacting them is a task
    assert not agreed_task("It was agreed that children should be placed as close to home as possible.")
    assert agreed_task("It was agreed that residents should be informed of the road closure.")


def test_steps_still_outstanding_are_awaited(run):
    res = run("The new mandate has been passed to the bank but is still to be finalised.\n\n"
              "The request to exempt the sector had been put to Government, to which a response was yet to be received.\n\n"
              "Broadband - residents reported the fibre not working, still waiting for this to be rectified.\n\n"
              "The footpath at Mill Lane has been repaired but the verge on Church Road is still outstanding.\n\n"
              "At the time of writing, there has been no further detail provided by the Department on the grant.",
              kind="minutes")
    assert [t for t, _ in acts(res)] == ["awaiting"] * 5


def test_an_outstanding_step_since_completed_is_not_awaited(run):
    res = run("The new mandate was finalised and returned to the bank.\n\n"
              "Further detail was provided by the Department in January.", kind="minutes")
    assert "awaiting" not in [t for t, _ in acts(res)]


def test_a_resolution_lead_in_after_the_points_members_raised_starts_its_own_list(run):
    res = run("Further to comments and questions from Members it was noted:\n\n"
              "- Members asked about the timetable for the strategy.\n\n"
              "- The partnership involved the NHS and the voluntary sector.\n\n"
              "4. RESOLVED that Cabinet agree to:\n\n(a) Adopt the Delivery Plan on behalf of the Council.\n\n"
              "(b) Delegate authority to the Director of Public Health to make non-substantial revisions to the plan.",
              kind="minutes")
    texts = [d["text"] for d in res["decisions"]]
    assert any(t.startswith("Adopt the Delivery Plan") for t in texts)
    assert [(a["type"], a["owner"]) for a in res["actions"] if "Delegate" in a["text"]] == [
        ("resolution", "Director of Public Health")]


def test_a_council_requesting_that_a_named_post_acts_is_a_resolution_with_that_owner(run):
    res = run("RESOLVED that the County Council:\n\n(1) To recognise the importance of farming to the local economy.\n\n"
              "(2) To request that the Leader of the Council writes to the Secretary of State to set out the Council's "
              "concerns.\n\n(3) To declare the Council's support for the county's farmers.", kind="minutes")
    assert len(res["decisions"]) == 3
    assert [(a["type"], a["owner"]) for a in res["actions"]] == [("resolution", "Leader of the Council")]


def test_a_lead_in_to_payments_agreed_is_no_task():
    assert not agreed_task("it was agreed that the following payments may be made :-")
    assert not agreed_task("It was agreed that the hedge could be cut back later.")


def test_an_annual_parish_meeting_is_its_own_committee():
    from pathlib import Path

    from ingest.metadata import infer_metadata
    from tests.test_metadata import doc

    text = ("Ashby Annual Parish Meeting - 12th May 2021\nPresent\nCouncillors A Smith (in the Chair), B Jones\n"
            "Minutes of the Last Annual Parish Meeting\nThe minutes were agreed.\nAnnual Report of the Council\n"
            "The Chairman gave the annual report of the Parish Council.\n")
    assert infer_metadata(doc(text), Path("ashby_minutes_2021-05-12.pdf"))["committee"] == "Ashby Annual Parish Meeting"
    # a parish council's own minutes that only mention the annual meeting stay the council's
    text = ("Ashby Parish Council\nMinutes of the Meeting held on 9th March 2021\nPresent: Cllrs A Smith, B Jones\n"
            "Ashby Annual Parish Meeting\nThe date of the Annual Parish Meeting was set for 12th May.\n")
    assert "Annual" not in infer_metadata(doc(text), Path("ashby_minutes_2021-03-09.pdf"))["committee"]


def test_an_outside_bodys_promised_work_is_awaited(run):
    res = run("The Environment Agency would be visiting the site and would report back to residents.\n\n"
              "Highways will repair the damaged sign at the crossroads.\n\n"
              "The fence panels would be replaced by the contractor once the materials arrived.", kind="minutes")
    assert [(a["type"], a["owner"]) for a in res["actions"]] == [
        ("awaiting", "Environment Agency"), ("awaiting", "Highways"), ("awaiting", "The contractor")]


def test_the_council_acting_on_an_outside_body_is_not_awaited_from_it():
    from nlp.minuted_tasks import outside_body_will

    assert outside_body_will("The Clerk will contact Highways about the pothole.") is None
    assert outside_body_will("It was agreed that the police would be invited to the next meeting.") is None
    assert outside_body_will("Highways would not repair the verge this year.") is None
    assert outside_body_will("Highways would be responsible for cutting the hedge.") is None
    assert outside_body_will("If the contractor would reduce the price the work could go ahead.") is None



def test_the_council_asking_that_its_officer_act_is_a_request(run):
    res = run("The Council asked that the Clerk check the budget to see if funds were available for new lights.",
              kind="minutes")
    assert [t for t, _ in acts(res)] == ["request"]
    # the council asking a question of someone, answered at the meeting, is none
    assert run("The Council asked whether the lights had been repaired.", kind="minutes")["actions"] == []
