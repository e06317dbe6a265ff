"""What a later sentence says happened to an action, read against what the action asked for
(kb.followup_cues): a contact made or answered, an answer found, the action's own verb done, the matter
taken up at the meeting it was put to, a part done, and the sentences minutes hold that report on nothing.
Sentences are of the genre (parish minutes, written for these tests); fast, no KB."""
from __future__ import annotations

import pytest

from kb.followup_cues import action_verbs, asks, cue_clause, meeting_named, says, taken_up, taken_up_at, words
from kb.followup_text import BOILERPLATE_RE, sentences


def _says(action: str, sentence: str) -> tuple[str, str | None]:
    return says(sentence, words(action) & words(sentence), action)


@pytest.mark.parametrize(("action", "sentence"), [
    # the contact reported made, whatever the other side still owes
    ("The Clerk was asked to contact the Internal Drainage Board to seek advice on the ditch.",
     "The Clerk reported that he had contacted the Internal Drainage Board for advice and was waiting for a reply."),
    ("Clerk to write to the land agent about the hedge.",
     "The Clerk had written to the land agent about the hedge, who was yet to respond."),
    ("Clerk to instruct the play company.",
     "Play area – a timetable for the repairs has been requested and is awaited."),
    ("The Clerk agreed to report the blocked drain on Mill Road to Highways.",
     "Blocked drain, Mill Road – reported to Highways on 3 May."),
    # the contact answered by the one the action names, or a reply received
    ("The Clerk agreed to contact the Borough Council about the verge cutting.",
     "The Clerk said that the Borough Council had advised that there were no plans to cut the verge."),
    ("Clerk to write to Highways about the drain.", "A reply had been received from Highways about the drain."),
])
def test_a_contact_made_or_answered_is_done_even_while_a_reply_is_awaited(action, sentence):
    what, cue = _says(action, sentence)
    assert what == "done" and cue.startswith("contact made")


def test_what_someone_else_said_unasked_is_no_answer():
    action = "The Clerk advised that potholes could be reported by the public on the County Council's portal."
    assert _says(action, "The Rights of Way Officer had advised that the footpaths are cut twice a year.")[0] != "done"


@pytest.mark.parametrize("sentence", [
    "The Clerk was asked to write to Highways about the drain again.",
    "The Clerk would write to Highways about the drain.",
    "The Clerk had not yet written to Highways about the drain.",
])
def test_a_contact_still_to_make_is_not_done(sentence):
    assert _says("Clerk to write to Highways about the drain.", sentence)[0] == "updated"


def test_an_action_not_to_get_in_touch_stays_open_while_its_thing_is_awaited():
    """'Still awaited' never closes an action to obtain something: the quotation requested is not the quotation."""
    what, _cue = _says("The Clerk to obtain a quotation for repairing the bus shelter roof.",
                       "Bus shelter roof – the quotation had been requested but was still awaited.")
    assert what == "updated"


@pytest.mark.parametrize(("action", "sentence", "word"), [
    ("Cllr Brown to purchase padlocks for the speed sign.",
     "This has been added to the insurance and a padlock purchased to secure the speed sign.", "purchased"),
    ("Cllr Green will attend the planning evening at the Town Hall.",
     "Cllr Green reported on the planning evening that he attended.", "attended"),
    ("Cllr White agreed to draft a letter to the Borough Council.",
     "The letter to the Borough Council drafted by Cllr White was circulated.", "drafted"),
])
def test_the_actions_own_verb_done(action, sentence, word):
    what, cue = _says(action, sentence)
    assert what == "done" and word in cue


def test_the_actions_own_verb_still_to_do_is_not_done():
    assert _says("Cllr Brown to purchase padlocks for the speed sign.",
                 "Padlocks for the speed sign are to be purchased by Cllr Brown.")[0] == "updated"


def test_the_verbs_an_action_asks_for():
    assert action_verbs("The Clerk agreed to contact the Borough Council") == {"contact"}
    assert action_verbs("Clerk to ask Highways and to chase the contractor") == {"ask", "chase"}
    # a purpose further on is not what was asked; "written to" names whom, not a verb
    assert action_verbs("It was agreed to discuss further at the August meeting to allow Councillors more time") == \
        {"discuss"}
    assert action_verbs("The Clerk confirmed that he had written to both Fire and Rescue and Police") == set()
    assert asks("Cllr Green will attend") and not asks("Estimates are awaited.")


@pytest.mark.parametrize("sentence", [
    "Only two quotes have been received for these works.",
    "Roof repairs – one estimate has been received.",
    "GDPR – the Clerk has circulated one of the draft privacy notices.",
    "The hedge has been partly cut back.",
])
def test_a_part_done_is_not_the_whole(sentence):
    assert says(sentence, words(sentence))[0] == "updated"


@pytest.mark.parametrize(("sentence", "cue"), [
    ("Speed sign – SAM2 on order, the post to be installed by the County Council.", "on order"),
    ("The streetlight on West End has had a shield fitted to it.", "had a shield fitted"),
    ("Sounding Alley - this is now in a good state.", "now in a good state"),
])
def test_more_ways_of_saying_done(sentence, cue):
    what, got = says(sentence, words(sentence))
    assert what == "done" and cue in got


def test_it_was_agreed_is_a_decision_not_a_task_done():
    assert says("Councillors agreed that this had been agreed at the last meeting.", {"plaqu"})[0] != "done"


def test_a_sentence_linked_through_its_label_is_read_whole():
    """No clause names the action's words ("A third is awaited"): the label linked it, every clause is read."""
    assert says("Three were received from CGM, CP Tree Services and Golden Tree Surgeons.", {"quot"})[0] == "done"


def test_the_clause_that_holds_the_cue():
    s = "The Clerk reported that the bin has been ordered, and the Handyman will empty it."
    assert cue_clause(s, "has been ordered") == "The Clerk reported that the bin has been ordered"
    assert cue_clause(s, None) == s


@pytest.mark.parametrize(("action", "named"), [
    ("Clerk to place on Sep agenda.", 9), ("This will be included on the March agenda.", 3),
    ("Cllr Daphne Clements to review the plan and report back at the next meeting.", "next"),
    ("Clerk to write to Highways.", None),
])
def test_the_meeting_an_action_puts_its_matter_to(action, named):
    assert meeting_named(action) == named


def test_the_matter_taken_up_at_the_meeting_it_was_put_to():
    action = "Clerk to place on May agenda."
    assert taken_up_at(action, "Roof repairs – one estimate has been received.", 1, "2018-05-03")
    assert not taken_up_at(action, "Roof repairs – one estimate has been received.", 1, "2018-06-07")  # not May
    # moved on again there, in the sentence or the ones after it in its paragraph
    assert not taken_up_at(action, "Roof repairs – estimates not yet received. To place on July agenda.", 1,
                           "2018-05-03")
    assert not taken_up_at(action, "Only two quotes have been received.", 1, "2018-05-03",
                           after="A third is awaited. Decision deferred to the June meeting.")
    # still waiting there: a later "still awaited" never closes an action
    assert not taken_up_at("Costings for extra grass cuts are awaited, Clerk to follow up for October meeting.",
                           "Extra grass cuts for highways land- waiting for response from Highways.", 1, "2018-10-02")
    assert taken_up_at("Put on the next agenda: registering the pub.", "The pub was discussed.", 1, "2018-11-07")
    assert not taken_up_at("Put on the next agenda: registering the pub.", "The pub was discussed.", 2, "2018-12-05")


def test_taken_up_when_the_later_meeting_decides_the_matter():
    action = "It was agreed to put on the next agenda community asset registration for the Bluebell pub."
    assert taken_up(action, "The Parish Council agreed that they would register the Bluebell Pub as an asset.")
    assert taken_up("Cllr McNeill agreed to draft a letter for approval at the next meeting.",
                    "208/18 To Approve: Letter to Borough Council regarding the Dukes Head building.")
    assert not taken_up(action, "The Bluebell pub was discussed.", after="It was deferred to the next meeting.")


def test_the_one_contacted_agreeing_to_act_is_the_contact_answered():
    action = "The Clerk agreed to email the factory about the ivy growing over the wall."
    assert _says(action, "Factory Manager from the Mill had agreed to cut back overgrown ivy at the walls.")[0] == "done"
    # the owner agreeing again, or someone the action does not reach, answers nothing
    again = "Cllr Colin Sampson agreed to ask the Borough Council again about the rubbish behind the houses."
    assert _says(again, "Cllr Colin Sampson had agreed to look at the rubbish behind the houses.")[0] != "done"
    assert _says(action, "The Handyman had agreed to cut back the ivy at the walls.")[0] != "done"


def test_a_deferred_matter_is_taken_up_when_a_later_meeting_decides_it():
    action = "The Councillors agreed to defer payment of the invoice for the software while the Clerk makes enquiries."
    assert taken_up(action, "The Councillors agreed to now pay the deferred payment of the invoice for the software.")
    assert taken_up("Members agreed to defer the review of the standing orders.",
                    "The Council reviewed the standing orders and agreed them.")
    # deferred again, or still waiting: a later "still awaited" never closes it
    assert not taken_up(action, "The Councillors agreed that the invoice remained deferred until the next meeting.")
    assert not taken_up(action, "The invoice for the software was deferred again.")
    assert not taken_up(action, "The Council agreed to wait; the explanation from the company is still awaited.")
    assert not taken_up(action, "The Council agreed to pay the invoice.", after="Payment was then deferred to May.")


@pytest.mark.parametrize(("sentence", "boiler"), [
    ("The minutes were signed by the Chairman as a true record of the meeting held on 4th September 2018.", True),
    ("Apologies were received from Cllr Smith.", True),
    ("iii.", True),
    ("The Clerk has received a reply from Highways.", False),
])
def test_sentences_every_set_of_minutes_holds_report_on_nothing(sentence, boiler):
    assert bool(BOILERPLATE_RE.search(sentence)) == boiler


def test_an_initial_ends_no_sentence():
    assert sentences("Matters Arising: Sounding Alley - C. Humphries has swept it. The bin is full.") == \
        ["Matters Arising: Sounding Alley - C. Humphries has swept it.", "The bin is full."]


def test_a_report_requested_by_the_committee_and_presented_is_done():
    """'requested by the committee' names the report delivered; it is no request still to be met."""
    what, cue = _says("An update report be presented to the committee in six months.",
                      "The update report on the Family Safeguarding Model requested by the committee in March was "
                      "presented by the Director of Children's Social Care.")
    assert what == "done" and "presented" in cue
    assert _says("An update report be presented to the committee in six months.",
                 "An update report was requested for the next meeting.")[0] != "done"


def test_an_item_title_is_the_heading_above_a_bare_minutes_heading():
    """ModernGov agenda-item pages put the minutes under 'Minutes:'; the item is the heading above it."""
    from ingest.model import Block
    from kb.followup_text import item_of

    b = Block(kind="paragraph", text="Resolved: That an update report be presented in six months.",
              section="Family Safeguarding model: six month update > Minutes:")
    assert "Family Safeguarding" in item_of(b)[1]
    assert item_of(Block(kind="paragraph", text="The bin has been ordered.", section="Cemetery"))[1] == "Cemetery"


@pytest.mark.parametrize("sentence", [
    "Grit bins – no reply had been received from Highways.",
    "The Clerk noted that a response has not been received from Highways.",
    "Village Hall Road Sign - The Parish Clerk noted that he still had to contact Highways about the grit bins.",
])
def test_no_reply_or_a_contact_still_to_make_closes_nothing(sentence):
    """A later "still awaited" never closes an action: "no reply had been received" is no reply received, and
    "still had to contact" is the contact not yet made."""
    action = "The Clerk agreed to write to Highways about the grit bins."
    assert says(sentence, words(action) & words(sentence), action, "Clerk")[0] == "updated"


@pytest.mark.parametrize(("action", "owner", "sentence"), [
    ("The Clerk agreed to enquire about the grit bins' re-filling following the recent bad weather.", "Clerk",
     "Grit Bins – The Clerk advised that they would all be filled up once later in the year by the County Council."),
    ("Cllr Daphne Clements agreed to contact the British Legion to find out when the wreaths are moved.",
     "Cllr Daphne Clements",
     "Poppy Wreath – Cllr Daphne Clements shared that the wreaths could be left until Christmas."),
    ("The Parish Clerk was asked to check the ownership of the verge.", "Parish Clerk",
     "Verge - The Parish Clerk reported that the verge belonged to the Borough Council."),
])
def test_the_owner_reporting_back_on_an_inquiry_is_the_answer_reported(action, owner, sentence):
    what, cue = says(sentence, words(action) & words(sentence), action, owner)
    assert what == "done" and cue.startswith("answer reported")


@pytest.mark.parametrize(("owner", "sentence"), [
    ("Clerk", "Grit Bins – Cllr Storey reported that the grit bins would be filled later in the year."),  # not the owner
    ("Northwold Parish Council", "Grit Bins – The Clerk advised that the grit bins would be filled later in the year."),
    ("Clerk", "Grit Bins – The Clerk advised that the County Council's reply was still awaited."),  # still waiting
])
def test_a_report_by_someone_else_or_still_waiting_is_not_the_owners_answer(owner, sentence):
    action = "The Clerk agreed to enquire about the grit bins' re-filling."
    what, cue = says(sentence, words(action) & words(sentence), action, owner)
    assert not (what == "done" and str(cue).startswith("answer reported"))


def test_a_courtesy_repeated_is_no_task_done():
    action = "The Chair wished to congratulate the Clerk on her nomination for Clerk of the Year."
    assert _says(action, "Cllr Mann congratulated the Clerk again on the nomination.")[0] != "done"


def _block(text: str, number: str | None = None):
    from ingest.model import Block

    return Block("paragraph", text, number=number, section="Minutes of the July meeting")


def test_an_item_that_starts_inside_a_block_and_its_sub_items_are_read():
    """HTML dumps run several minutes into one paragraph ("140/18 Apologies ... 141/18 Declarations ..."): each
    sentence is under the item that starts last before it, and its sub-item letter ("a. Dog bin ...")."""
    from kb.followup_text import walk

    b = _block("UPDATE ON CURRENT WORKS a. Dog bin location on Pinfold Lane has been approved. Cllr Anderson to "
               "install once the weather cools. b. Parish Partnership – SAM2 on order. 141/18 Village Gates – the Clerk "
               "to write to the County Council. 10 Ryston Road was discussed.", number="16")
    got = {s[:12]: (n, sub) for s, n, _t, sub in walk(b)}
    assert got["Cllr Anderso"] == ("16", "a")
    assert got["Parish Partn"] == ("16", "b")
    assert got["141/18 Villa"] == ("141/18", None)
    assert got["10 Ryston Ro"] == ("141/18", None)  # a bare number starts no item


def test_a_reference_back_to_the_item_and_sub_item_cites_the_action_at_the_next_meeting_only():
    from kb.followup_text import Unit
    from kb.followups import _cites, profile

    b = _block("UPDATE ON CURRENT WORKS a. Dog bin location on Pinfold Lane has been approved. Cllr Anderson to "
               "install once the weather cools. b. Parish Partnership – SAM2 on order.", number="16")
    p = profile({"rowid": 1, "text": "Cllr Anderson to install once the weather cools.", "block": 0}, {}, [b])
    assert (p.ref, p.sub) == ("16", "a")

    def unit(text: str) -> Unit:
        return Unit({}, 0, None, text, words(text), set(), "3 Matters arising")

    assert _cites(p, unit("Item 16a, the bin has been installed."), nth=1)
    assert not _cites(p, unit("Item 16a, the bin has been installed."), nth=2)  # another meeting's item 16a
    assert not _cites(p, unit("Item 16b, the post has been installed."), nth=1)


def test_a_cheque_raised_is_no_contact_made_but_a_matter_raised_with_someone_is():
    action = "The Clerk was asked to raise the overgrown hedge with Highways."
    sentence = "Hedge – the Clerk had raised a cheque for the hedge cutting."
    assert not str(says(sentence, words(action) & words(sentence), action, "Clerk")[1]).startswith("contact made")
    sentence = "Hedge – the Clerk had raised the overgrown hedge with Highways."
    assert says(sentence, words(action) & words(sentence), action, "Clerk")[1].startswith("contact made")


@pytest.mark.parametrize(("action", "sentence"), [
    ("The Clerk was asked to report the overgrown brambles at 10 Ryston Road to the housing association.",
     "Overgrown brambles at 10 Ryston Road - PW confirmed that the work had now taken place."),
    ("The Clerk agreed to ask the County Council to cut the grass at the bottom of bridleway 8.",
     "Bridleway 8 had been confirmed as being cut by the County Council."),
])
def test_work_taken_place_or_confirmed_as_done_is_a_completion(action, sentence):
    assert _says(action, sentence)[0] == "done"


def test_a_meeting_taken_place_with_the_work_still_to_do_is_no_completion():
    action = "The Clerk agreed to ask the County Council to cut the grass at the bottom of bridleway 8."
    sentence = "The site meeting with the County Council had taken place but the grass was still to be cut."
    assert _says(action, sentence)[0] != "done"
