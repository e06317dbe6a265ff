"""Follow-up forms of parish and panel minutes read since the first contact with bench/gold-real-l.json (issue #12):
a body agreeing to do something, replies still outstanding, matters put to a later agenda, and the next meeting's
date as minutes state it (for "at the next meeting" and "September's meeting")."""
from pathlib import Path

from nlp.dates import resolve_due, stated_next_meeting


def acts(res):
    return [(a["type"], a["due_date"], a["text"]) for a in res["actions"]]


def test_a_body_agreeing_to_do_something_is_a_resolution_to_act(run):
    res = run("Council agreed to seek advice and quotations for a tree management plan from three tree surgeons.\n\n"
              "Panel members agreed to submit comments offline to the Chair.", kind="minutes")
    assert len(res["decisions"]) == 2
    assert [t for t, _, _ in acts(res)] == ["resolution", "resolution"]


def test_a_body_agreeing_to_note_or_to_keep_watching_is_no_task(run):
    res = run("The Council agreed to note the report.\n\nMembers agreed to monitor the situation.", kind="minutes")
    assert res["actions"] == []


def test_replies_still_outstanding_are_awaited(run):
    res = run("The Clerk sent a subsequent letter to the owners but has not received a response.\n\n"
              "Litter bins. The details have not been received from the Chair.\n\n"
              "Mr Collins had not heard back yet about the funding for streetlights.", kind="minutes")
    assert [t for t, _, _ in acts(res)] == ["awaiting", "awaiting", "awaiting"]


def test_a_reply_received_is_not_awaited(run):
    res = run("The details have been received from the Chair and circulated.", kind="minutes")
    assert "awaiting" not in [t for t, _, _ in acts(res)]


def test_a_matter_put_to_a_later_agenda_is_a_follow_up(run):
    res = run("Dog fouling to be an agenda item for the next meeting\n\n"
              "This matter will be an agenda item again at the November Parish Council meeting.\n\n"
              "Date of next meeting: Monday 13th July 2015 at 7.30pm.", meeting_date="2015-05-13", kind="minutes")
    assert acts(res)[:2] == [
        ("resolution", "2015-07-13", "Dog fouling to be an agenda item for the next meeting"),
        ("undertaking", "2015-11", "This matter will be an agenda item again at the November Parish Council meeting.")]


def test_a_matter_that_will_not_come_back_is_no_follow_up(run):
    res = run("The bus shelter will not be an agenda item again.", kind="minutes")
    assert res["actions"] == []


def test_the_next_meeting_as_minutes_state_it():
    assert stated_next_meeting("(e) Light reported. The next meeting was arranged for Wednesday 26th January 2005 "
                               "There being no further business the meeting closed.", "2004-12-15") == "2005-01-26"
    assert stated_next_meeting("Date of next meeting: The next meeting of the Parish Council was confirmed as Tuesday "
                               "1 st July 2014 at 7:30pm, in the Village Hall.", "2014-06-10") == "2014-07-01"
    assert stated_next_meeting("Action: Secretariat to invite Paul Boyle to a future Panel meeting. Future meeting "
                               "dates: Thursday 5th June 2013", "2013-03-21") == "2013-06-05"
    assert stated_next_meeting("As co-option had not been added it will be an agenda item for the meeting in July.",
                               "2015-05-13") == "2015-07"
    # a past meeting is not the next one
    assert stated_next_meeting("The next meeting was arranged for Wednesday 26th January 2005", "2005-03-01") is None


def test_a_meeting_named_by_its_month_in_the_possessive():
    assert resolve_due("Clerk to add this to the agenda for September’s meeting and seek two more quotes.",
                       "2014-07-08") == ("2014-09", "for September’s meeting")
    assert resolve_due("Clerk to add this to the agenda for September’s meeting.", "2014-07-08",
                       lambda: "2014-09-09") == ("2014-09-09", "for September’s meeting")
    assert resolve_due("The action from 25th July meeting was noted.", "2014-07-08") == (None, None)


def test_minutes_naming_their_meeting_by_month_take_it_before_the_page_month():
    from ingest.metadata import infer_metadata
    from tests.test_metadata import doc

    text = ("Minutes of the meeting of the West Dereham Parish Council\nOctober 2007\n"
            "Minutes of the September meeting of West Dereham Parish Council\n"
            "Present: Miss Richardson - Chairperson, R. Drew, Mrs. Cann\n\nIt was agreed to repair the gate.\n")
    assert infer_metadata(doc(text), Path("2007-10_minutes-west-dereham.html"))["meeting_date"] == "2007-09"
    text = text.replace("Minutes of the September meeting", "Minutes of the December meeting")
    assert infer_metadata(doc(text), Path("2008-01_minutes-west-dereham.html"))["meeting_date"] == "2007-12"


def test_a_month_named_meeting_yields_to_its_own_day():
    from ingest.metadata import infer_metadata
    from tests.test_metadata import doc

    text = ("West Dereham Parish Council Minutes\nMarch 2010\nMinutes of the November meeting of the Parish Council\n"
            "MINUTES OF WEST DEREHAM PARISH COUNCIL MEETING\nHELD AT THE VILLAGE HALL\nTHURSDAY NOVEMBER 5TH 2009\n"
            "Present: Mrs Claire Cann - Chairman, Mr Barry Glover.\n\nIt was agreed to repair the gate.\n")
    assert infer_metadata(doc(text), Path("2010-03_west-dereham-minutes.html"))["meeting_date"] == "2009-11-05"


def test_minutes_reporting_what_would_be_done_record_an_undertaking(run):
    res = run("It was essential that the grass be cut and CGM would be contacted.\n\n"
              "The Parish Council insurance company would be informed of the event.", kind="minutes")
    assert [(t, a["owner"]) for t, a in zip([t for t, _, _ in acts(res)], res["actions"])] == [
        ("undertaking", "Northshire County Council"), ("undertaking", "Northshire County Council")]


def test_a_forecast_or_a_hope_of_what_would_be_done_is_no_undertaking(run):
    res = run("Savings: The forecast indicated that £80.3 million in savings would be delivered.\n\n"
              "It was hoped that the footpath would be repaired.\n\nThe benefits would be felt across the county.\n\n"
              "Regarding the next steps, services would be delivered together to meet the needs of all family members.\n\n"
              "The money would be used to create a different residential estate for the children.",
              kind="minutes")
    assert res["actions"] == []


def test_a_request_minuted_as_the_question_put(run):
    res = run("Could the Borough Council be asked to pay for the projector.\n\n"
              "Could a simple map be put in the Village Pump showing the footpaths.", kind="minutes")
    assert [t for t, _, _ in acts(res)] == ["request", "request"]
    assert run("Could this be the reason for the delay?", kind="minutes")["actions"] == []


def test_nothing_heard_as_yet_is_awaited(run):
    res = run("Clerk checked on Highways website, no action showing as yet regarding the pothole in Long Lane.\n\n"
              "Audit completed and sent to Mazars, no contact as yet.", kind="minutes")
    assert [t for t, _, _ in acts(res)] == ["awaiting", "awaiting"]


def test_the_new_year_and_a_next_meeting_named_by_month():
    assert resolve_due("Plans for the skateboard area would be brought forward in the new year.", "2004-12-15") == (
        "2005-01", "in the new year")
    assert resolve_due("These two items were deferred to the next meeting in October.", "2012-09-12",
                       lambda: "2012-10-10") == ("2012-10-10", "to the next meeting in October")
    assert resolve_due("These two items were deferred to the next meeting in January.", "2012-11-14") == (
        "2013-01", "to the next meeting in January")


def test_minutes_numbered_by_year_and_month_give_the_meeting_month():
    from ingest.metadata import infer_metadata
    from tests.test_metadata import doc

    text = ("MINUTES OF NORTHWOLD PARISH COUNCIL MEETING HELD AT THE VILLAGE HALL ON\nSeptember 2014\n"
            "Councillors present: Cllr. R. Crisp – Chair (RC), Cllr. F. Eglington (FE).\n\n14/06/1 Apologies: none.\n\n"
            "14/06/2 Declarations of interest: none.\n\n14/06/3 The minutes were agreed.\n\n"
            "14/06/9.04 The Annual Return was adopted.\n")
    assert infer_metadata(doc(text), Path("2014-09_minutes-of-northwold.html"))["meeting_date"] == "2014-06"
    # dates written dd/mm/yy are not minute numbers: too few under one month, and not before the page
    text = text.replace("14/06/", "item ").replace("Apologies", "Paid on 03/09/19 and 03/09/20")
    assert infer_metadata(doc(text), Path("2014-09_minutes-of-northwold.html"))["meeting_date"] != "2003-09"


def test_a_county_councils_full_meeting_is_county_council():
    from ingest.metadata import _own_committee

    assert _own_committee("Kent County Council", "Full Council") == "County Council"
    assert _own_committee("Blackpool Council", "Full Council") == "Full Council"
    assert _own_committee("Kent County Council", "Cabinet") == "Cabinet"


def test_a_named_body_asking_for_something_is_a_request(run):
    res = run("ODUG asked for the opportunity to comment on the PDG Data Offer prior to its publication.", kind="minutes")
    assert [t for t, _, _ in acts(res)] == ["request"]
    # a question put at the meeting and answered there is none
    assert run("Mr Hampson asked whether the data was published.", kind="minutes")["actions"] == []


def test_a_minuted_task_whose_verb_the_tagger_misreads(run):
    res = run("The Clerk to forward the email received from Highway Rangers.\n\nTree safety discussed, Mrs Leet to contact",
              kind="minutes")
    assert [(a["type"], a["owner"]) for a in res["actions"]] == [("resolution", "Clerk"), ("resolution", "Mrs Leet")]


def test_routine_business_minuted_in_the_passive_is_a_decision(run):
    res = run("The payments were considered and approved.\n\n"
              "The updated Asset Register 2014-2015 was reviewed and adopted by the Council and signed by the Chairman.",
              kind="minutes")
    assert len(res["decisions"]) == 2 and res["actions"] == []
    assert run("The report was presented to the Council.", kind="minutes")["decisions"] == []


def test_a_motion_set_under_its_proposer_and_seconder_is_a_decision(run):
    res = run("To discuss the purchase of a projector\n\nProposed – Cllr Leamon Seconded – Cllr Lintern\n\n"
              "That a projector be purchased up to the value of £300.00’\n\nAll in favour\n\n"
              "To agree the Governance Statement\n\nProposed – Cllr Precey Seconded – Cllr Clements\n\n"
              "‘That the Governance Statement be approved although it was noted that there was no Internal Auditor at "
              "present’\n\nFor – 6 Abstention - 1", kind="minutes")
    assert [d["text"] for d in res["decisions"]] == [
        "That a projector be purchased up to the value of £300.00",
        "That the Governance Statement be approved although it was noted that there was no Internal Auditor at present"]
    # a "That ..." line with no proposer before it is not read as a motion by this rule
    assert run("To note the report.\n\nThat was the view of the residents present.", kind="minutes")["decisions"] == []
