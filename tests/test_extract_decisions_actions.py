"""Decisions, recommendations and actions."""

MINUTES = """Agenda item 6: Children's Services Improvement Plan

Minutes:

The Director presented the report.

The following questions were raised and responded to:

- Members requested a breakdown of the placement figures by district.
- Asked whether agency costs had fallen - officers confirmed they had.
- Concern about waiting lists for speech therapy - this will be looked into by the commissioning team.

The Chair asked that the glossary is updated before publication.

Resolved: That;

1. The report be noted.
2. A further report on the improvement plan be presented to the committee in three months.
3. The Committee's thanks be recorded.
"""


def test_resolved_list_gives_numbered_decisions(run):
    res = run(MINUTES, meeting_date="2024-06-12")
    nums = [(d["number"], d["text"]) for d in res["decisions"]]
    assert [n for n, _ in nums] == ["1", "2", "3"]
    assert nums[1][1].startswith("A further report")


def test_decision_that_asks_for_a_report_is_an_action_with_due_date(run):
    res = run(MINUTES, meeting_date="2024-06-12")
    act = [a for a in res["actions"] if a["text"].startswith("A further report")]
    assert act and act[0]["due_date"] == "2024-09" and act[0]["due_text"] == "in three months"
    assert act[0]["status"] == "open"
    assert not [a for a in res["actions"] if a["text"] == "The report be noted."]


def test_requests_and_undertakings_are_actions(run):
    res = run(MINUTES, meeting_date="2024-06-12")
    texts = [a["text"] for a in res["actions"]]
    assert any(t.startswith("Members requested a breakdown") for t in texts)
    assert any("will be looked into" in t for t in texts)
    assert any(t.startswith("The Chair asked that the glossary") for t in texts)
    assert not any(t.startswith("Asked whether agency costs") for t in texts)  # a question answered at the meeting


def test_inline_resolved_and_it_was_agreed(run):
    res = run("RESOLVED that the draft strategy be endorsed and officers circulate the final version to members.\n\n"
              "After discussion it was agreed that the task group would meet again in the autumn.")
    texts = [d["text"] for d in res["decisions"]]
    assert any(t.startswith("the draft strategy be endorsed") for t in texts)
    assert any(t.startswith("it was agreed that the task group") for t in texts)


def test_inline_resolved_numbered_items():
    from nlp.actions import split_numbered

    items = split_numbered("(1) The update be noted; (2) A report on exclusions be brought to the March meeting.")
    assert [n for n, _ in items] == ["1", "2"]


def test_report_recommendations_section(run):
    text = ("1.0 Purpose of the report\n\n1.1 To update members on the review of short breaks.\n\n"
            "2.0 Recommendation(s)\n\n2.1 To note the findings of the review.\n\n"
            "2.2 To receive a further update on the commissioning of short breaks in January 2025.\n\n"
            "3.0 Reasons for recommendation(s)\n\n3.1 To ensure scrutiny of the service.\n")
    res = run(text, meeting_date="2024-07-10", kind="report")
    recs = [(r["number"], r["text"]) for r in res["recommendations"]]
    assert [n for n, _ in recs] == ["2.1", "2.2"]
    # a report's recommendation is a proposal: its follow-up exists only once a meeting resolves it (ANNOTATION.md)
    assert not [a for a in res["actions"] if a["text"].startswith("To receive a further update")]


def test_inspectorate_recommendations_list(run):
    text = ("The inspectors made three recommendations, which are:\n\n"
            "- Improve the timeliness of initial health assessments.\n"
            "- Strengthen management oversight of private fostering.\n"
            "- Ensure care leavers know their entitlements.\n\n"
            "The service has an action plan.\n")
    res = run(text, kind="report")
    assert len(res["recommendations"]) == 3


def test_dated_plan_list_items_are_actions(run):
    text = ("The service plans to deliver the following between October 2024 and March 2025:\n\n"
            "- Recruit two additional family group conference coordinators.\n"
            "- Launch the new kinship care offer.\n")
    res = run(text, meeting_date="2024-09-18", kind="report")
    acts = [a for a in res["actions"] if a["text"].startswith(("Recruit", "Launch"))]
    assert len(acts) == 2 and {a["due_date"] for a in acts} == {"2025-03"}


def test_descriptive_future_is_not_an_action(run):
    res = run("This will enable families to get help sooner. It will also reduce demand. "
              "The new model will remain our framework for practice.", kind="report")
    assert res["actions"] == []


def test_commitment_with_agent_is_an_action(run):
    res = run("The Council will recruit six additional social workers by March 2025.", meeting_date="2024-06-12",
              kind="report")
    assert len(res["actions"]) == 1
    assert res["actions"][0]["due_date"] == "2025-03"
    assert res["actions"][0]["owner"] == "Northshire County Council"


def test_resolved_inside_a_minute_paragraph(run):
    res = run("Youth Justice Board minutes for noting (Item 7) RESOLVED that the minutes of the meeting held in "
              "September be noted.")
    assert [d["text"] for d in res["decisions"]] == ["the minutes of the meeting held in September be noted."]


def test_resolved_colon_without_that(run):
    res = run("RESOLVED: to note the annual report of the fostering service.")
    assert len(res["decisions"]) == 1 and res["decisions"][0]["text"].startswith("to note the annual report")


def test_next_meeting_hook_and_batching(nlp):
    from ingest.model import ParsedDocument
    from ingest.textblocks import lines_to_blocks
    from nlp.extract import extract, extract_many

    lines = ["Resolved: That;", "", "1. Officers bring the sufficiency data to the next meeting of the committee."]
    doc = ParsedDocument("txt", lines_to_blocks(lines))
    meta = {"meeting_date": "2024-01-10", "authority": "Northshire County Council"}
    plain = extract(doc, meta)
    hooked = extract(doc, meta, next_meeting=lambda: "2024-03-07")
    assert plain["actions"][0]["due_date"] is None and plain["actions"][0]["due_text"] == "to the next meeting"
    assert hooked["actions"][0]["due_date"] == "2024-03-07"
    both = extract_many([(doc, meta), (doc, {"meeting_date": None})])
    assert len(both) == 2 and both[0]["decisions"] == plain["decisions"]


def test_parish_minutes_resolutions(run):
    """Parish and town council minutes: "Councillors resolved to ...", and a "Resolved to ..." that lost
    its line break after a list of payments."""
    res = run("Councillors resolved to donate £65 to the Upper Dale Community Bus. "
              "All councillors agreed that the hedge on the green be cut in October. "
              "Northern Mowers - Grass Cutting £ 640.00 Data Commissioner - Annual Fee £ 40.00 Resolved to pay both.\n\n"
              "The issues raised by residents were discussed at length.")
    texts = [d["text"] for d in res["decisions"]]
    assert any(t.startswith("Councillors resolved to donate £65") for t in texts)
    assert any("hedge on the green be cut" in t for t in texts)
    # a resolution too short to say what was resolved keeps the payments it follows
    assert any(t.startswith("Northern Mowers - Grass Cutting") and t.endswith("Resolved to pay both.") for t in texts), texts
    assert not any("discussed at length" in t for t in texts)


PANEL_MINUTES = """Minutes of the Data Sector Panel

Present: Ed Howlin (EH), Will Minnett (WM), Kieron O'Hara (KO), Sean Palmer (SP)

1. Court listings

The Panel discussed the new listings system.
Action: WM to circulate the paper describing the data sets.
Action: Upon receipt of the note from the Panel, SP to provide information on the data schema by the end of the month.
Actions - EH and KO to write to the Home Secretary about a senior sponsor.
"""


def test_action_lines_are_actions_with_their_owners_named(run):
    acts = {a["text"]: a for a in run(PANEL_MINUTES, meeting_date="2014-02-14")["actions"]}
    circulate = next(a for t, a in acts.items() if "circulate the paper" in t)
    schema = next(a for t, a in acts.items() if "data schema" in t)
    letter = next(a for t, a in acts.items() if "Home Secretary" in t)
    assert circulate["owner"] == "Will Minnett"  # the initials the minutes define
    assert schema["owner"] == "Sean Palmer" and schema["due_date"] == "2014-02"  # "by the end of the month"
    assert letter["owner"] == "Ed Howlin and Kieron O'Hara"


PARISH_MINUTES = """Milltown Parish Council
Minutes of the meeting held on 26 January 2021

21.01.06 Highways
The Councillors propose filling the pot holes as soon as possible, Councillor Healey to order scalpings.
Councillor Connell offered to contact Highways regarding the potholes on the road through the village.
The Village Hall Committee asked the Councillors for their thoughts on planters outside the hall.
A letter from Councillor Smith to the Clerk was read out.
Family Group Conferencing was being offered to families across the county, and advice offered to residents.

21.01.07 Precept
After discussion it was resolved to apply for a precept of £4,500.
It was resolved to note the budget monitoring statement.
Resolved to pay M Joyce for website fees of £45.00
"""


def test_minuted_tasks_undertakings_and_resolutions_to_act(run):
    res = run(PARISH_MINUTES, meeting_date="2021-01-26", authority="Milltown Parish Council")
    acts = {a["text"]: a["owner"] for a in res["actions"]}
    owner = {k: next((o for t, o in acts.items() if k in t), "missing") for k in
             ("order scalpings", "contact Highways", "apply for a precept", "website fees", "planters", "letter from",
              "budget monitoring", "offered to families")}
    assert owner["order scalpings"] == "Councillor Healey"
    assert owner["contact Highways"] == "Councillor Connell"
    assert owner["apply for a precept"] == "Milltown Parish Council"  # the body that resolved acts
    # authorising a payment is a decision only (ANNOTATION.md); on a line of its own it is a sentence, not a heading
    assert owner["planters"] == owner["letter from"] == owner["budget monitoring"] == owner["website fees"] == "missing"
    assert owner["offered to families"] == "missing"  # a service offered to people, not someone offering to act
    assert any("website fees" in d["text"] for d in res["decisions"])


PANEL_REPORTED = """Corporate Parenting Panel

4. Participation Team update

The Chair shared that she would send a message to group leaders to remind Members of their duties.
Ms Gleave said that the figures would be lower next year.
Sarah Hammond praised the accounts and requested the panel to share the content on their own accounts.
Members noted these comments and asked that the Panel be kept advised of progress on the issues raised.
She mentioned her intention to report on the practice framework to the panel at a later date.
Members asked whether the figures included unaccompanied children.
"""


def test_undertakings_and_requests_reported_in_minutes(run):
    acts = {a["text"]: a["owner"] for a in run(PANEL_REPORTED, meeting_date="2024-12-10")["actions"]}
    found = {k: next((o for t, o in acts.items() if k in t), "missing") for k in
             ("group leaders", "figures would be lower", "share the content", "kept advised", "practice framework",
              "asked whether")}
    assert found["group leaders"] == "The Chair"
    assert found["share the content"] != "missing" and found["kept advised"] != "missing"
    assert found["practice framework"] != "missing"
    assert found["figures would be lower"] == found["asked whether"] == "missing"  # a forecast; a question


AUDIT_MINUTES = """5. ANNUAL GOVERNANCE REPORT 2008/09 (Agenda item 5)

The Audit Manager presented the report and answered questions.

RESOLVED: (A) That the Audit Committee notes the Annual Governance Report for the main accounts.

(B) That the Audit Committee notes the Use of Resources judgement for 2008/09.

6. INTERNAL AUDIT PROGRESS (Agenda item 6)

Members discussed the progress of the audit plan. The report was otherwise noted.

(C) That was the view of the auditors, who said so at length.
"""


def test_lettered_resolutions_and_noting_are_decisions(run):
    texts = [d["text"] for d in run(AUDIT_MINUTES, meeting_date="2009-09-24")["decisions"]]
    assert any(t.startswith("(B) That the Audit Committee notes the Use of Resources") for t in texts)
    assert "The report was otherwise noted." in texts
    assert not any("view of the auditors" in t for t in texts)  # not straight after a resolution
    assert len(texts) == 3, texts


def test_the_next_meeting_the_minutes_state_resolves_at_the_next_meeting(run):
    text = ("Data Panel\n\nAction: LGA to give a presentation on LG Inform at the next meeting.\n\n"
            "Action: Secretariat to provide feedback at next Panel meeting.\n\n"
            "Date of next Panel meeting: 18 December 2013\n")
    dues = {a["due_date"] for a in run(text, meeting_date="2013-10-17")["actions"]}
    assert dues == {"2013-12-18"}
    # the paper's own word comes first (ANNOTATION.md); the committee's next meeting the KB holds where it says none
    dues = {a["due_date"] for a in run(text, meeting_date="2013-10-17", next_meeting=lambda: "2013-12-04")["actions"]}
    assert dues == {"2013-12-18"}
    text = text.replace("Date of next Panel meeting: 18 December 2013\n", "")
    dues = {a["due_date"] for a in run(text, meeting_date="2013-10-17", next_meeting=lambda: "2013-12-04")["actions"]}
    assert dues == {"2013-12-04"}


def test_outstanding_actions_dated_decisions_and_reported_plans(run):
    text = ("Item 1: Minutes and Action Points\n\n"
            "The Panel approved the minutes from the meeting on 25 July and discussed the action points.\n\n"
            "Outstanding Action from 25th July meeting: Chris Taggart to set up a procurement working group.\n\n"
            "It was agreed that the Open Government Licence should be launched on 30th September 2013.\n\n"
            "The final strategy would be published in the summer.\n\n"
            "Not all recorded crime would be published; the focus was burglary and robbery.\n")
    acts = {a["text"]: a for a in run(text, meeting_date="2013-09-15")["actions"]}
    find = {k: next((a for t, a in acts.items() if k in t), None) for k in
            ("procurement", "Licence", "final strategy", "recorded crime", "approved the minutes")}
    assert find["procurement"]["owner"] == "Chris Taggart" and find["procurement"]["due_date"] is None
    assert find["Licence"]["due_date"] == "2013-09-30"
    assert find["final strategy"] is not None
    assert find["recorded crime"] is None and find["approved the minutes"] is None


def test_parish_resolutions_with_therefore_and_agreed_payments(run):
    res = run("Finance\nFellrunner Village Bus Donation requested, agreed to pay £65.00.\n"
              "The Clerk had read the revised regulations. It was therefore resolved to retain the Financial "
              "Policy already in place.", kind="minutes")
    texts = [d["text"] for d in res["decisions"]]
    assert any("agreed to pay" in t for t in texts), texts
    assert any(t.startswith("It was therefore resolved to retain") for t in texts), texts


def test_lettered_recommendations_run_together_are_each_their_own(run):
    res = run("Recommendation(s)\nCabinet is asked to:\nA. Agree to TRANSFER the statutory functions of the "
              "service from 1 April 2025; and B. DELEGATE authority to the Corporate Director to take the "
              "relevant actions to implement the decision.\n\nIntroduction\nThe service supports young adults.",
              kind="report")
    recs = {r["number"]: r["text"] for r in res["recommendations"]}
    assert recs.get("A", "").startswith("Agree to TRANSFER") and recs.get("B", "").startswith("DELEGATE authority"), recs


def test_initials_are_not_lettered_items():
    from nlp.actions import split_lettered

    assert split_lettered("A. Smith and J. Bloggs were appointed to the panel.") == [
        (None, "A. Smith and J. Bloggs were appointed to the panel.")]


def test_continuing_activity_without_a_time_is_not_an_action(run):
    """ANNOTATION.md: continuing activity with no end product or time is description, whoever does it;
    the same work with a time that places it is a commitment."""
    res = run("The Practice Development Leaders will continue to revisit the use of motivational interviewing "
              "in everyday practice. This will continue to be a priority for the service. The service will "
              "continue to support families across the county. We are working with Hertfordshire to improve "
              "the system.", kind="report", meeting_date="2023-09-21")
    assert res["actions"] == []
    res = run("The Practice Development Leaders will continue to revisit the use of motivational interviewing "
              "until March 2024.", kind="report", meeting_date="2023-09-21")
    assert [(a["type"], a["due_date"]) for a in res["actions"]] == [("commitment", "2024-03")]


def test_an_owner_whose_title_has_and_in_it(run):
    res = run("The Corporate Director Adult Social Care and Health will inherit delegated authority for the "
              "service from 1 April 2025. The Chair will obtain the oil and pass it on to the Clerk.", kind="minutes")
    owners = {a["owner"] for a in res["actions"]}
    assert "Corporate Director Adult Social Care and Health" in owners, res["actions"]
    assert "Chair" in owners, res["actions"]



def test_a_time_or_condition_before_the_verb_is_not_the_owner(run):
    """ "After the elections there would be ..." names a time, not who acts; a post after the time still is."""
    res = run("After the elections there would be awareness training on family safeguarding. "
              "In January the Clerk will write to the Highways Authority about the verge.", kind="minutes")
    owners = {a["text"][:5]: a["owner"] for a in res["actions"]}
    assert owners.get("After") is None and owners.get("In Ja") == "Clerk", res["actions"]

COUNCIL_VOTES = """Devolution

18) Following the debate, the Chairman put the amendment set out in paragraph 17 to the vote and the voting was as follows:

For (14)

Mr Baldock, Mr Brady

Against (45)

Mr Cooke, Mr Gough

Abstain (4)

Mr Hook

Amendment lost.

20) The Chairman put the amendment set out in paragraph 19 to the vote and the voting was as follows:

For (17)

Against (43)

Abstain (4)

Amendment lost.

21) Following the debate, the Chairman put the amendment set out at paragraph 15 to the vote and it was agreed.

Substantive Motion carried.

26) RESOLVED that the County Council:

(1) Endorses the ongoing joint work between KCC and Medway Council to respond to the White Paper

(2) Notes that acceptance onto the programme may lead to the elections being postponed
"""


def test_a_councils_recorded_votes_and_their_outcomes(run):
    res = run(COUNCIL_VOTES, kind="minutes")
    # a tally is part of its decision, not a figure anyone compares (ANNOTATION.md, revised)
    assert not [m for m in res["metrics"] if m["value"] in (14, 45, 4, 17, 43)], res["metrics"]
    texts = [d["text"] for d in res["decisions"]]
    assert texts.count("Amendment lost.") == 2, texts
    assert "Substantive Motion carried." in texts
    assert any("to the vote and it was agreed" in t for t in texts), texts
    # "RESOLVED that the County Council:" leads its numbered items; the lead-in alone is none
    assert any(t.startswith("(1) Endorses the ongoing joint work") for t in texts), texts
    assert any(t.startswith("(2) Notes that acceptance") for t in texts), texts
    assert not any(t.rstrip().endswith("County Council:") for t in texts), texts


def test_a_short_resolution_keeps_what_was_resolved(run):
    res = run("Invoice received from G & A M Johnston £1033.00 for grass cutting, Councillors resolved to pay.",
              kind="minutes")
    assert [d["text"] for d in res["decisions"]] == [
        "Invoice received from G & A M Johnston £1033.00 for grass cutting, Councillors resolved to pay."]


def test_for_in_a_sentence_about_time_is_no_tally(run):
    res = run("The grant will run for 12 months. Members voted for 3 options.", kind="minutes")
    assert (12, "months") in [(m["value"], m["unit"]) for m in res["metrics"]], res["metrics"]


def test_a_decision_cited_by_its_number_is_not_one_taken_and_a_bare_resolved_to_pay(run):
    res = run("Background\n\nThe providers were awarded a contract, with the Key Decision taken as follows: "
              "Decision - 21/00086 - Commissioned Open Access Provision for Youth Services.\n\n"
              "Invoices received from Wicksteed Leisure Ltd - Play Equipment Inspection £54.00 G & AM Johnston - "
              "Grass Cutting £864.00 Resolved to pay both", kind="minutes")
    texts = [d["text"] for d in res["decisions"]]
    assert not any("21/00086" in t for t in texts), texts
    assert any(t.startswith("Invoices received from Wicksteed") and t.endswith("Resolved to pay both") for t in texts), texts
