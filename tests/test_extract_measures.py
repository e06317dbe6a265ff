"""Measure labels, non-measures, ranges and subjects on sentences of the genre (written for these tests).

Labels are short noun phrases an officer would put in a comparison table: the counted noun for counts,
the population (and what it says) for percentages, the subject of the clause for "X rose to N", what
the money is for.
"""
import pytest


def metric(res, value, unit=None):
    found = [m for m in res["metrics"] if m["value"] == value and (unit is None or m["unit"] == unit)]
    assert found, res["metrics"]
    return found[0]


def test_count_label_is_the_counted_noun_phrase(run):
    res = run("The panel was told there were 14 Early Help Hubs across three districts of Northshire.")
    assert metric(res, 14)["measure"] == "Early Help Hubs"
    assert metric(res, 3)["measure"].startswith("districts of Northshire")


def test_count_label_keeps_its_per_phrase(run):
    res = run("Each locality will have 7 family workers per Early Help Hub and a team manager.")
    assert metric(res, 7)["measure"] == "family workers per Early Help Hub"


def test_bare_figure_takes_the_subject_of_its_verb_not_a_month(run):
    res = run("The average number of open referrals has fallen from 412 (April – Sept 2023) to 377 (Oct – Mar 2024).")
    for v in (412, 377):
        assert metric(res, v)["measure"] == "average number of open referrals"


def test_percentage_of_population_with_its_verb(run):
    res = run("Some 64% of foster carers said that the training met their needs.")
    assert metric(res, 64, "%")["measure"] == "foster carers saying the training met their needs"


def test_percentage_in_brackets_after_population(run):
    res = run("Most parents (71%) said that the worker listened to them, while 58% said they understood the plan.")
    assert metric(res, 71, "%")["measure"].startswith("parents saying the worker listened")
    assert "understood the plan" in metric(res, 58, "%")["measure"]


def test_percentage_label_from_clausal_subject(run):
    res = run("Northshire's percentage of pupils leaving school without a place in education is 6.1% this year.")
    assert metric(res, 6.1, "%")["measure"].startswith("pupils leaving school without a place")


def test_rate_label_drops_place_phrases(run):
    res = run("Northshire has the lowest rate of children in need in the region at 280 per 10,000.")
    assert metric(res, 280)["measure"] == "children in need rate"


def test_same_rate_reads_the_same_across_phrasings(run):
    a = run("The rate of children in care is 70 per 10,000.")
    b = run("Westshire's rate of children in care in the county stood at 82 per 10,000 in March 2024.")
    assert metric(a, 70)["measure"] == metric(b, 82)["measure"] == "children in care rate"


def test_money_label_says_what_the_money_is_for(run):
    res = run("The Home Office has awarded Northshire £420,000 in order to expand the youth offending service.")
    m = metric(res, 420000, "GBP")
    assert m["measure"] == "Home Office funding awarded to expand the youth offending service"


def test_payment_labels_name_payee_and_purpose(run):
    res = run("Councillors resolved to pay Ashdown Landscapes £1,250 for hedge cutting on the green.")
    assert metric(res, 1250, "GBP")["measure"] == "payment to Ashdown Landscapes for hedge cutting on the green"
    res = run("The council resolved to donate £80 to the Upper Dale Community Bus.")
    assert metric(res, 80, "GBP")["measure"] == "donation to the Upper Dale Community Bus"


def test_payment_list_items_label_their_amounts(run):
    res = run("Payments: Northern Mowers - Grass Cutting £ 640.00 Data Commissioner - Annual Fee £ 40.00 "
              "Resolved to pay both.")
    assert metric(res, 640, "GBP")["measure"] == "Northern Mowers - Grass Cutting"
    assert metric(res, 40, "GBP")["measure"] == "Data Commissioner - Annual Fee"
    # an amount that qualifies the noun after it is not the end of a list item
    res = run("The remaining £2.1 million overspend is on home to school transport.")
    assert metric(res, 2100000, "GBP")["measure"].lower() != "remaining"


def test_money_overspend_label(run):
    res = run("An overspend of £1.8m is forecast on home to school transport.")
    assert metric(res, 1800000, "GBP")["measure"] == "overspend"


def test_duration_label_for_time_allowed(run):
    res = run("The Chair will allow 30 minutes for the budget item.")
    assert metric(res, 30, "minutes")["measure"] == "time allowed for the budget item"


def test_duration_label_from_copula_subject(run):
    res = run("The average wait from referral to first appointment was 19 weeks.")
    assert metric(res, 19, "weeks")["measure"].endswith("wait from referral to first appointment")


@pytest.mark.parametrize("text", [
    "Agenda reports pack (PDF 2 MB) and supplementary papers (512 KB) are available.",
    "Minutes of the meeting held on 4 March (PDF 340 kB).",
    "The meeting will begin at 10.30 am in Room 3.",
    "Minute 214 was noted and Item 7. was deferred.",
    "See paragraph 4.3 and clause 12 of the agreement.",
    "Members noted the 16-19 transport policy for 2025/26.",
    "Call 01632 960123 or write to NE1 4XY for details.",
])
def test_non_measures_are_not_metrics(run, text):
    assert run(text, kind="report")["metrics"] == []


def test_range_gives_lower_bound_and_high(run):
    res = run("Families waited four to six weeks for a first visit.")
    m = metric(res, 4, "weeks")
    assert m["value_high"] == 6
    assert not [x for x in res["metrics"] if x["value"] == 6]


def test_numeric_range_of_a_count(run):
    res = run("Between 25 and 40 volunteers will support the holiday activities programme.")
    m = metric(res, 25)
    assert m["value_high"] == 40 and "volunteers" in m["measure"]


def test_change_from_to_is_not_a_range(run):
    res = run("The number of open cases fell from 530 to 498 over the quarter.")
    assert {m["value"] for m in res["metrics"]} >= {530, 498}
    assert all(m.get("value_high") is None for m in res["metrics"])


def test_age_is_not_a_count(run):
    res = run("At 16 young people may choose to leave the virtual school roll.")
    assert not [m for m in res["metrics"] if m["value"] == 16]


def test_subject_after_figure_national(run):
    res = run("Our rate of re-referrals is 19.2%, compared with 21.5% in England.")
    subjects = {m["value"]: m["subject"] for m in res["metrics"]}
    assert subjects[21.5] == "England"
    assert subjects[19.2] == "Northshire"


def test_no_period_invented(run):
    res = run("The team supports 220 families with complex needs.")
    assert metric(res, 220)["period"] is None


def test_hyphenated_number_words_are_not_counts(run):
    res = run("All remaining two-tier areas are covered by the three-borough partnership.")
    assert res["metrics"] == []


def test_scaled_count(run):
    res = run("The county has around 1.6 million residents across 12 districts.")
    assert metric(res, 1600000)["measure"] == "residents"
    assert metric(res, 12)["measure"] == "districts"


def test_change_by_percentage_labelled_as_change(run):
    res = run("The new rota could reduce agency costs by 8%.")
    assert metric(res, 8, "%")["measure"] == "reduction in agency costs"
