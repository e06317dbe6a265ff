"""Metrics on sentences of the genre (written for these tests)."""
import pytest

from nlp.money import find_money


def values(res, unit=None):
    return [(m["value"], m["unit"]) for m in res["metrics"] if unit is None or m["unit"] == unit]


@pytest.mark.parametrize("text,expected", [
    ("The grant was £1,250,300 for the year.", 1250300),
    ("A saving of £420,000 is forecast.", 420000),
    ("The service received £1.2m from the Home Office.", 1200000),
    ("An overspend of £350k was reported.", 350000),
    ("The council allocated 98,200 pounds to the scheme.", 98200),
    ("Capital spend of £2.5 million was approved.", 2500000),
    ("The authority's budget exceeds £1bn.", 1000000000),
    ("A further £3.75 billion is needed nationally.", 3750000000),
])
def test_money_forms(run, text, expected):
    res = run(text, kind="report")
    gbp = values(res, "GBP")
    assert gbp == [(expected, "GBP")], res["metrics"]


def test_money_with_pounds_suffix_counted_once():
    assert [v for _, _, v in find_money("awarded £12,500 pounds to the trust")] == [12500]


def test_rate_per_10000_and_comparators(run):
    res = run("Northshire's rate of children in need is 312.5 per 10,000, while England has a rate of 321.2 "
              "and our statistical neighbours have a rate of 298.")
    got = {(m["value"], m["unit"]) for m in res["metrics"]}
    assert {(312.5, "per 10,000"), (321.2, "per 10,000"), (298, "per 10,000")} <= got
    subjects = {m["value"]: m["subject"] for m in res["metrics"]}
    assert subjects[321.2] == "England"
    assert "statistical neighbours" in subjects[298]


def test_rate_context_carried_from_earlier_sentence(run):
    res = run("- The rate per 1,000 has fallen to 7.4 in March 2024 from 8.1 in March 2023.")
    assert {(7.4, "per 1,000"), (8.1, "per 1,000")} <= set(values(res))
    periods = {m["value"]: m["period"] for m in res["metrics"]}
    assert periods[7.4] == "2024-03"


def test_percentages_and_percentage_points(run):
    res = run("Attendance rose to 91.3% this term, an improvement of 2.1 percentage points, and 64 per cent of "
              "pupils reached the expected standard.")
    got = set(values(res))
    assert (91.3, "%") in got
    assert (2.1, "percentage points") in got
    assert (64, "%") in got
    assert (2.1, "%") not in got


def test_percentage_measure_from_of_phrase(run):
    res = run("Around 40% of foster carers responded to the survey.")
    m = next(m for m in res["metrics"] if m["unit"] == "%")
    assert "foster carers" in m["measure"]


def test_counts_with_what_they_count(run):
    res = run("The committee heard that there were 37 children placed out of county and three new residential homes.")
    by_value = {m["value"]: m for m in res["metrics"]}
    assert by_value[37]["unit"] == "count" and "children" in by_value[37]["measure"]
    assert by_value[3]["unit"] == "count" and "homes" in by_value[3]["measure"]


@pytest.mark.parametrize("rating", ["Requires Improvement", "Good", "Inadequate", "Outstanding"])
def test_ratings_in_rating_context(run, rating):
    res = run(f"Following the inspection in May 2023 Ofsted rated the service '{rating}' overall.", kind="report")
    ratings = [m for m in res["metrics"] if m["unit"] == "rating"]
    assert [r["value"] for r in ratings] == [rating]


def test_rating_words_without_rating_context_are_not_metrics(run):
    res = run("Good progress has been made and the team is committed to an outstanding service.")
    assert not [m for m in res["metrics"] if m["unit"] == "rating"]


def test_durations_measured_but_time_frames_not(run):
    res = run("The average wait for an assessment was 14 weeks, compared with 9 weeks within the last 12 months.")
    got = set(values(res))
    assert (14, "weeks") in got and (9, "weeks") in got
    assert (12, "months") not in got


@pytest.mark.parametrize("text", [
    "Please refer to section 4.2 of the report and paragraph 12.",
    "The meeting was held on 14 March 2024 and the plan runs to 2026.",
    "For further information telephone 01632 960123 or write to NE1 4XY.",
    "See decision 24-00117 and the 18-25 pathway on page 7.",
    "The item started at 10.30 am.",
    "1. The report be noted.",
    "This was the 2nd such review since Covid-19.",
    "Please send comments to Lower Ground Floor, Ministry of Justice, 102 Petty France, London, SW1H 9AJ.",
    "The Committee notes the Annual Governance Report under the International Standard on Auditing 260 (ISA 260).",
    "In the first half of the interview, open questions were used.",
    "Total (111.2) (75.8) (0.3) (4.2)",
    "Smith, J. (2017) Recording practice. Archivaria, (94), pp.64-93.",
])
def test_not_metrics(run, text):
    res = run(text)
    assert res["metrics"] == [], res["metrics"]


def test_table_row_labels_become_measure(run):
    text = "Indicator\t2022/23\t2023/24\nChildren looked after\t412\t398\nCare leavers in education\t61%\t64%\n"
    res = run(text, kind="report")
    by_value = {m["value"]: m for m in res["metrics"]}
    assert by_value[398]["unit"] == "count"
    assert "Children looked after" in by_value[398]["measure"] and "2023/24" in by_value[398]["measure"]
    assert by_value[64]["unit"] == "%"
    assert by_value[64]["period"] == "2023/24"


@pytest.mark.parametrize("text", [
    "Members received the Virtual School's 6 monthly update.",
    "The design was by a year five pupil.",
    "Bus services have run commercially since the 1980s.",
    "Support is offered to care leavers aged 18+ in the county.",
    "The 3-year plan was agreed.",
])
def test_more_non_metrics(run, text):
    res = run(text)
    assert res["metrics"] == [], res["metrics"]


def test_table_of_contents_page_numbers_are_not_metrics(run):
    res = run("Introduction 3 Background 5 Consultation responses 9 Equality analysis 14 Next steps 21")
    assert res["metrics"] == []


def test_a_cost_stated_with_the_verb_be_is_named_cost(run):
    (m,) = [m for m in run("The cost is approximately £80, lasting for two years.")["metrics"] if m["unit"] == "GBP"]
    assert (m["value"], m["measure"]) == (80, "cost")


@pytest.mark.parametrize("text,value,unit", [
    ("Most of the department's datasets (some 800) were already published.", 800, "count"),
    ("In response to a question on care plans, reviews took place twice a year.", 2, "per year"),
    ("The panel meets four times a year.", 4, "per year"),
    ("Half of those received focussed on projects developing standards.", 50, "%"),
])
def test_counts_in_brackets_frequencies_and_shares_in_words(run, text, value, unit):
    assert (value, unit) in values(run(text)), run(text)["metrics"]


def test_a_surveys_frequency_categories_are_not_frequencies(run):
    res = run("38% use the hub at least once a week (22% more than once a week, 16% once a week).")
    assert sorted(values(res)) == [(16, "%"), (22, "%"), (38, "%")]


def test_school_places_in_forms_of_entry_and_year_groups(run):
    """ "0.3FE 85 Year R temp places": 0.3 forms of entry and 85 places in Year R, not 85 years."""
    res = run("By 2025-26 the plan needs 0.3FE and 85 Year R temp places. A total of 38FE and up to 810 "
              "temporary Year 7 places will be commissioned.", kind="report")
    got = set(values(res))
    assert {(0.3, "FE"), (85, "count"), (38, "FE"), (810, "count")} <= got, res["metrics"]
    assert not [m for m in res["metrics"] if m["unit"] == "years"]


def test_a_count_with_a_plus_and_an_increase_of_n(run):
    res = run("There are currently 2000+ care leavers in Kent. This is an increase of 477 (2.5%) since "
              "January 2023. Young people aged 18+ can use the service.", kind="report")
    got = {(m["value"], m["unit"]): m for m in res["metrics"]}
    assert (2000, "count") in got and "care leavers" in got[(2000, "count")]["measure"]
    assert (477, "count") in got and "increase" in got[(477, "count")]["measure"]
    assert (18, "count") not in got  # "18+" is an age


def test_street_numbers_age_bands_and_item_numbers_are_not_metrics(run):
    res = run("Venue: 1 Horseguards Road, Room G23. The Director will transfer the 18- 25 section of the "
              "service to adult social care.", kind="minutes")
    assert values(res) == [], res["metrics"]


def test_a_tables_item_column_numbers_rows():
    from nlp.metrics import metrics_in_table_row

    assert metrics_in_table_row(["3", "Finance report", "SR"], ["Item", "Description", "Lead"], None) == []
    found = metrics_in_table_row(["Places", "450"], ["Measure", "Number"], None)
    assert [(f["value"], f["unit"]) for _, f in found] == [(450, "count")]


def test_millions_written_with_m_after_a_decimal(run):
    res = run("A Strategic Authority would cover circa 1.9m resident population. Staff kept 2m apart.", kind="report")
    assert values(res) == [(1900000, "count")], res["metrics"]


def test_distances_ages_reached_and_row_references(run):
    from nlp.metrics import metrics_in_table_row

    res = run("Margate Family Hub is 1.4 miles away. Young people turning 18 leave care.", kind="report")
    assert values(res) == [(1.4, "miles")], res["metrics"]
    found = metrics_in_table_row(["95", "Adult social care", "£1.2m"], ["Row Ref", "Service", "Budget"], None)
    assert [(f["value"], f["unit"]) for _, f in found] == [(1200000, "GBP")]


def test_row_numbers_and_spaced_page_footers_are_not_metrics():
    from nlp.metrics import metrics_in_sentence, metrics_in_table_row

    assert metrics_in_table_row(["14", "Will the project use new technology?"], ["11", "Question"], None) == []
    assert metrics_in_table_row(["3", "Agree the minutes"], None, None) == []
    assert metrics_in_table_row(["Q3", "Answer"], ["Question Number", "Answer"], None) == []
    assert [f["value"] for _, f in metrics_in_table_row(["Children in care", "188"], ["Measure", "2023"], None)] == [188]
    assert metrics_in_sentence("68 P a g e 1 4", None) == []


def test_a_columns_thousands_label_is_not_money():
    assert find_money("Service Area 2025-26 £000's") == []
    assert find_money("Budget £000s") == []
    assert [v for _, _, v in find_money("a grant of £0.5m and £1,000")] == [500000, 1000]


def test_a_money_range_is_not_a_negative_amount(run):
    res = run("The valuation range is £400,000 - £450,000 for the site. A rephasing variance of -£124.5m was "
              "reported.", kind="report")
    assert sorted(values(res, "GBP")) == [(-124500000, "GBP"), (400000, "GBP"), (450000, "GBP")], res["metrics"]


def test_an_age_range_with_a_spaced_en_dash_is_read_not_a_crash(run):
    """'between 0 – 19 years old' (en dash, spaces): the sentence's figures are still read (it raised IndexError)."""
    res = run("The service supported 412 young people between 0 – 19 years old in 2023.", kind="report")
    assert [m["value"] for m in res["metrics"]] == [412]
