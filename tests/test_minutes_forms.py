"""How UK minutes record resolutions, votes, requests and undertakings: forms of the genre (issue #12),
each on sentences written the way parish and committee minutes write them."""


def texts(res, kind):
    return [r["text"] for r in res[kind]]


def test_proposed_and_seconded_motions_are_decisions(run):
    res = run("Cllr Brown proposed that the council purchase a new bench, seconded by Cllr White. Unanimously carried.\n\n"
              "Proposed by Cllr Smith, seconded by Cllr Jones, all in favour.\n\n"
              "Cllr Mrs Leamon proposed acceptance of the Updated Regulations, seconded by Cllr Mrs Clements.",
              kind="minutes")
    assert texts(res, "decisions") == [
        "Cllr Brown proposed that the council purchase a new bench, seconded by Cllr White. Unanimously carried.",
        "Proposed by Cllr Smith, seconded by Cllr Jones, all in favour.",
        "Cllr Mrs Leamon proposed acceptance of the Updated Regulations, seconded by Cllr Mrs Clements."]
    assert {d["result"] for d in res["decisions"]} == {"carried"}


def test_a_suggestion_nobody_seconded_or_voted_on_is_no_decision(run):
    res = run("Cllr Shirley Cordner proposed that the village be asked to come forward with ideas for the Gardens.",
              kind="minutes")
    assert res["decisions"] == []


def test_a_motion_not_seconded_is_a_decision_with_its_result(run):
    res = run("Cllr Green proposed that the hedge be cut. This was not seconded.", kind="minutes")
    assert [(d["text"], d["result"]) for d in res["decisions"]] == [
        ("Cllr Green proposed that the hedge be cut. This was not seconded.", "lost")]


def test_the_vote_recorded_after_the_minutes_approval_is_part_of_it(run):
    res = run("The minutes of the Ordinary Parish Council Meeting held on 4 October 2017 were approved. Proposed. "
              "Cllr Janet Taylor, Seconded Cllr Trudy Mann, all agreed.", kind="minutes")
    assert len(res["decisions"]) == 1 and res["decisions"][0]["text"].endswith("all agreed.")


def test_minutes_approved_and_elections_are_procedural_decisions(run):
    res = run("The minutes were approved & signed as correct.\n\n"
              "Cllr Bivon was duly elected as chairman by 5 votes for and 1 against.", kind="minutes")
    assert len(res["decisions"]) == 2
    assert not any(m["value"] in (5, 1) for m in res["metrics"])  # a tally is no figure


def test_a_parish_view_on_a_planning_application_is_a_recommendation(run):
    res = run("20/01234/F Land at Bridge Road – approval recommended.\n\n"
              "The Council felt that the application should be recommended to Monmouthshire CC for refusal.",
              kind="minutes")
    assert len(res["recommendations"]) == 2


def test_a_view_set_after_the_application_or_after_a_dash_is_a_recommendation(run):
    res = run("10.2 To consider the following planning application: Erection of two dwellings and garages at "
              "Land off Mill Lane, Hilgay. A discussion took place, four Councillors support, one objects. Support by "
              "majority.\n\n"
              "The Chairman said he would support the bid for the village hall roof.\n\n"
              "10.3 To consider any planning applications after the agenda was produced: Single storey rear extension "
              "at 4 Church Road (21/00712/F) - Support", kind="minutes")
    recs = texts(res, "recommendations")
    assert len(recs) == 2 and recs[0].startswith("To consider the following planning application: Erection")
    assert "21/00712/F" in recs[1]


def test_advice_a_named_outside_body_gave_is_a_recommendation_the_councils_own_is_not(run):
    res = run("The Council have been strongly advised by NALC to put in place a written agreement with the "
              "landowners.\n\n"
              "The External Auditor has now advised that new assets should be listed at purchase value.\n\n"
              "The Clerk advised that the hedge should be cut before March.\n\n"
              "Mr Smith advised the meeting that the footpath had been cleared.", kind="minutes")
    recs = texts(res, "recommendations")
    assert len(recs) == 2 and "NALC" in recs[0] and "External Auditor" in recs[1]


def test_an_instruction_minuted_without_to(run):
    res = run("Clerk inform the Charity of this.\n\nThe Clerk informed the meeting that the grant had arrived.",
              kind="minutes")
    assert [(a["type"], a["owner"], a["text"]) for a in res["actions"]] == [
        ("resolution", "Clerk", "Clerk inform the Charity of this.")]


def test_an_undertaking_in_reported_speech(run):
    res = run("The officer confirmed that it would be brought to the Committee at the next meeting.",
              kind="minutes", meeting_date="2024-06-12", next_meeting=lambda: "2024-07-10")
    assert [(a["type"], a["due_date"]) for a in res["actions"]] == [("undertaking", "2024-07-10")]


def test_a_delegation_of_authority_is_a_decision_and_an_action(run):
    res = run("RESOLVED that:\n\n(1) the report be noted;\n\n(2) authority be delegated to the Clerk to agree the "
              "final wording.", kind="minutes")
    assert len(res["decisions"]) == 2
    assert [a["type"] for a in res["actions"]] == ["resolution"]


def test_a_month_without_a_year_is_its_next_occurrence(run):
    res = run("The play area will be repaired in January.", kind="report", meeting_date="2024-06-12")
    assert [(a["type"], a["due_date"]) for a in res["actions"]] == [("commitment", "2025-01")]
    assert [d["date"] for d in res["dates"]] == ["2025-01"]
    # in minutes the council says what it will do: an undertaking, due all the same
    res = run("The play area will be repaired in January.", kind="minutes", meeting_date="2024-06-12")
    assert [(a["type"], a["due_date"]) for a in res["actions"]] == [("undertaking", "2025-01")]


def test_what_minutes_say_will_be_done_is_an_undertaking_or_a_resolution(run):
    res = run("Highways will be approached to check whether posts can be placed on the verge.\n\n"
              "A quote is to be obtained for cutting the hedge along the playing field.\n\n"
              "The presentation will be circulated prior to the meeting.\n\n"
              "The money will not be used for the hall.", kind="minutes")
    assert [(a["type"], a["owner"]) for a in res["actions"]] == [
        ("undertaking", "Northshire County Council"), ("resolution", "Northshire County Council")]


def test_a_short_year_is_a_year(run):
    res = run("Construction is now expected to commence in November 24.", kind="minutes", meeting_date="2024-06-12")
    assert [a["due_date"] for a in res["actions"]] == ["2024-11"]


def test_an_undated_vague_time_is_no_commitment_and_some_is_no_owner(run):
    assert run("Some will be replaced in due course.", kind="report")["actions"] == []


def test_money_in_a_payments_list(run):
    res = run("Payments: Grass cutting – £680\n\n£118.44 K & M Lighting\n\nA variance of -£124.5m was reported.",
              kind="minutes")
    assert [m["value"] for m in res["metrics"] if m["unit"] == "GBP"] == [680, 118.44, -124500000]


COUNCIL_MOTIONS = """299. Kent Minerals and Waste Local Plan

(7) Mr Brady proposed, and Ms Meade seconded the following amendment:

Proposed Purpose:

“Allocate up to £75k from general reserves to fund a feasibility study into home to school transport.”

Proposed Amount:

£75k

(8) Following the debate, the Chairman put the amendment to the vote and the voting was as follows:

For (14)

Against (45)

Mr Cooke, Mr Gough Amendment lost.

(9) Mr Murphy proposed, and Mr Thomas seconded the motion that

“Council is asked to:

Note the Inspector’s Report on the examination of the Plan;

Adopt the Kent Minerals and Waste Local Plan 2024-2039 as set out in Appendix B.”

(10) Following the debate, the Chairman put the motion to the vote.

Motion carried.

(11) RESOLVED that Council:

Notes the Inspector’s Report on the examination of the Plan;

Adopts the Kent Minerals and Waste Local Plan 2024-2039 as set out in Appendix B.
"""


def test_a_motion_put_to_the_vote_is_recorded_by_its_text_and_result(run):
    """A lost amendment is a decision with its result, recorded by its text, not by "Amendment lost."; a carried
    motion that a resolution restates is recorded by the resolution, each part its own item."""
    res = run(COUNCIL_MOTIONS, kind="minutes")
    got = [(d["text"], d.get("result")) for d in res["decisions"]]
    assert ("Allocate up to £75k from general reserves to fund a feasibility study into home to school transport.”",
            "lost") in got
    assert not [t for t, _ in got if t.strip() in ("Amendment lost.", "Motion carried.")], got
    assert [t for t, _ in got if t.startswith(("Notes the", "Adopts the"))] == [
        "Notes the Inspector’s Report on the examination of the Plan;",
        "Adopts the Kent Minerals and Waste Local Plan 2024-2039 as set out in Appendix B."]
    assert not [t for t, _ in got if t.startswith(("Note the", "Adopt the"))], got  # restated: not twice


def test_tasks_minuted_by_post_and_instructions(run):
    res = run("Water Supply to the Cemetery quote - £3650.14 - clerk to check why the cost is so high.\n\n"
              "Allotment hedge alongside the side needs cutting - chairperson is to contact Mr. Donoclift.\n\n"
              "The Clerk was instructed to contact Mr. Eastgate and request him to attend a meeting.\n\n"
              "The Council asked the Clerk to look into the possibility and to report at the next meeting.\n\n"
              "The item was deferred to the next meeting, following the Clerk's budget report.\n\n"
              "Mr Chaplin confirmed that he would obtain quotes for the skateboard area.\n\n"
              "The Chair said she would like to thank everyone for their work.", kind="minutes")
    got = [(a["type"], a["owner"]) for a in res["actions"]]
    assert got == [("resolution", "Clerk"), ("resolution", "Chairperson"), ("resolution", "Clerk"),
                   ("resolution", "Clerk"), ("resolution", "Northshire County Council"),
                   ("undertaking", "Mr Chaplin")], got


def test_a_resolution_that_only_notes_or_pays_is_no_action_however_dated(run):
    res = run("RESOLVED that the County Council:\n\n(1) Notes that acceptance onto the Devolution Priority Programme "
              "will commit Kent and Medway to elections in May 2026;\n\n(2) Endorses the proposed decision by the "
              "Leader.\n\nCouncillors resolved to donate £65 to the air ambulance.", kind="minutes",
              meeting_date="2025-01-09")
    assert len(res["decisions"]) == 3 and res["actions"] == []


def test_recommendations_a_report_quotes_and_a_council_makes(run):
    res = run("Location: 6 Church Road, Wretton Details: Extensions to dwelling Ref. No: 07/02465/F\n\n"
              "Approval recommended\n\n"
              "Single storey side extension at 62 School Lane 11/00113/F No comment\n\n"
              "Following correspondence from BDO (Audit) they recommended fire extinguishers should be shown on the "
              "asset register.\n\n"
              "In particular, the Council urges the Executive to enforce the offer that the centres are directly funded.\n\n"
              "Mr Brady asked the Leader how he proposed to provide more money for local services.\n\n"
              "Mr Hook suggested that it might be timely for a review of the Kent Test system.", kind="minutes")
    recs = [r["text"][:25] for r in res["recommendations"]]
    assert recs == ["Location: 6 Church Road, ", "Following correspondence ",
                    "In particular, the Counci"], recs


def test_reported_plans_with_their_time_and_answers_to_members_questions(run):
    res = run("The strategy was expected to be published later in the summer following consultation feedback.\n\n"
              "It was expected that fewer beds would be needed next year.\n\n"
              "In February, Mr Murphy was scheduled to meet with the German Deputy Ambassador in Canterbury.",
              kind="minutes", meeting_date="2025-01-30")
    assert [a["type"] for a in res["actions"]] == ["commitment", "commitment"], res["actions"]
    res = run("Questions put and answers given\n\nAnswer\n\nI have asked our officers to raise this issue again.\n\n"
              "DEFRA is consulting on the framework now, and KCC will be submitting a response in due course.",
              kind="report", meeting_date="2025-03-13")
    assert [a["type"] for a in res["actions"]] == ["resolution", "undertaking"], res["actions"]
