"""Tasks as parish minutes write them (issue #13, nlp/minuted_tasks.py, nlp/segment.py): each form on sentences
written the way parish and committee minutes write them, and the near misses that are no task."""
from nlp.segment import split_sentences


def acts(res):
    return [(a["type"], a["owner"], a["text"]) for a in res["actions"]]


def pieces(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_a_sub_item_run_into_the_paragraph_ends_a_sentence():
    assert pieces("Cllr Anderson to progress. c. The noticeboard opposite was discussed.") == [
        "Cllr Anderson to progress.", "The noticeboard opposite was discussed."]
    assert pieces("PCC to seek three estimates for repair. * To place on October agenda.") == [
        "PCC to seek three estimates for repair.", "To place on October agenda."]
    assert pieces("Kate advised they would use a dust Frisbee. o Cllr Storey to report back.") == [
        "Kate advised they would use a dust Frisbee.", "Cllr Storey to report back."]
    assert pieces("Clerk to ask Highways c. Public Rights of Way Signage.") == ["Clerk to ask Highways",
                                                                                 "Public Rights of Way Signage."]
    assert pieces("This will be included on the March agenda. iii.") == ["This will be included on the March agenda."]
    # not a sub-item: an initial, "v." between parties, "c." before a year
    assert len(pieces("Mr J. Smith said. Smith v. Jones was cited, built c. 1900 by them.")) == 2


def test_a_person_agreeing_to_do_something_is_an_undertaking(run):
    res = run("The Clerk agreed to enquire about their re-filling following the recent bad weather.\n\n"
              "Cllr Colin Sampson agreed to discuss with Dave Robson at the Borough Council.", kind="minutes")
    assert [(t, o) for t, o, _ in acts(res)] == [("undertaking", "Clerk"), ("undertaking", "Cllr Colin Sampson")]


def test_agreeing_to_go_on_doing_something_is_no_task(run):
    res = run("Cllr Grant Tomkins agreed to keep an eye on a bin, in case it became overgrown.\n\n"
              "The Chair agreed to offer help.\n\nThe Council agreed to note the report.", kind="minutes")
    assert res["actions"] == []


def test_a_resolution_naming_who_acts_is_an_action_with_that_owner(run):
    res = run("It was agreed that Cllr Anderson should go back to Highways to see if there is a way forward.\n\n"
              "All were in agreement that an application should be progressed by Cllr Anderson and the Clerk.",
              kind="minutes")
    assert [(t, o) for t, o, _ in acts(res)] == [("resolution", "Cllr Anderson"),
                                                 ("resolution", "Cllr Anderson and the Clerk")]
    assert len(res["decisions"]) == 2


def test_a_resolution_to_appoint_or_fund_stays_a_decision(run):
    res = run("It was agreed that Carbrook Windows would be appointed for the works and that this would be funded "
              "by the Parish Council at a cost of £3,916.66 plus vat.", kind="minutes")
    assert res["actions"] == [] and len(res["decisions"]) == 1


def test_a_matter_put_to_a_later_meeting(run):
    res = run("To place on April agenda.\n\nTo be decided at the next meeting.\n\nDecision deferred to April meeting.\n\n"
              "To approve the minutes of the last meeting.\n\nTo receive the Clerk's report.", kind="minutes")
    assert [x for _, _, x in acts(res)] == ["To place on April agenda.", "To be decided at the next meeting.",
                                            "Decision deferred to April meeting."]
    assert {o for _, o, _ in acts(res)} == {"Northshire County Council"}


def test_a_task_minuted_as_a_passive_infinitive(run):
    res = run("Email policy to be placed on website\n\nMore information to be sought.\n\n"
              "The existing boards needed to be replaced.\n\nJune and September 2019 meetings to be held at Christchurch.",
              kind="minutes")
    assert [x for _, _, x in acts(res)] == ["Email policy to be placed on website", "More information to be sought."]


def test_instructions_minuted_without_was(run):
    res = run("Clerk asked to send a letter on behalf of the Parish Council.\n\n"
              "The Parish Clerk was requested to circulate the dates for the potential site visit.\n\n"
              "Cllr Crisp and Cllr Gillett to progress.", kind="minutes")
    assert [(t, o) for t, o, _ in acts(res)] == [("resolution", "Clerk"), ("resolution", "Parish Clerk"),
                                                 ("resolution", "Cllr Gillett")]


def test_undertakings_reported_with_would_or_will(run):
    res = run("The Clerk would report the drains outside 2 Tucks Cottage to Highways.\n\n"
              "Cllr Crisp advised that she will seek further information.\n\n"
              "The Clerk would like to thank everyone.", kind="minutes")
    assert [(t, o) for t, o, _ in acts(res)] == [("undertaking", "Clerk"), ("undertaking", "Cllr Crisp")]


def test_a_member_named_by_initials_requests_and_a_clerk_waits(run):
    res = run("CC requested that the Parish Clerk confirm that the telephone number is up to date.\n\n"
              "LH requested that if there is a repeat of the damage, to take photographs.\n\n"
              "He noted that he was waiting to receive further information from the company.", kind="minutes")
    assert [t for t, _, _ in acts(res)] == ["request", "awaiting"]
