"""A generated corpus for the report tests: councils that are NOT in the seed corpus (Devon, Norfolk,
Cumbria) with invented-but-plausible figures, stored through `put_document` in exactly the record
shapes extraction produces."""
from __future__ import annotations

import hashlib

from ingest.model import Block
from kb.store import open_store

DEVON = "Devon County Council"
NORFOLK = "Norfolk County Council"
CUMBRIA = "Cumbria County Council"
DEVON_CTTE = "Children's Scrutiny Committee"
NORFOLK_CTTE = "People and Communities Select Committee"
CUMBRIA_CTTE = "Children and Young People Scrutiny Panel"


def put(store, source: str, authority: str, committee: str, meeting_date: str, kind: str, title: str,
        blocks: list[tuple], records: dict | None = None, url: str | None = None) -> str:
    """blocks: (kind, text, page, section); records: {kind: [dicts]}. Returns the document id."""
    doc_id = hashlib.sha256(source.encode()).hexdigest()[:16]
    row = {"id": doc_id, "source": source, "format": "txt", "kind": kind, "authority": authority,
           "committee": committee, "meeting_date": meeting_date, "title": title, "url": url,
           "pages": max((b[2] or 1) for b in blocks)}
    bl = [Block(kind=k, text=t, page=p, section=s) for k, t, p, s in blocks]
    store.put_document(row, bl, records or {})
    return doc_id


def m(value, unit, measure, subject, period, page, text=None):
    return {"value": value, "unit": unit, "measure": measure, "subject": subject, "period": period,
            "text": text or f"{measure}: {value} {unit} ({subject}, {period})", "page": page}


def build(home, follow_up: bool = False, hostile: bool = True):
    """The corpus; `follow_up` adds Devon's later minutes reporting the six-month update done."""
    store = open_store(home)
    S = "Family Safeguarding Model"
    put(store, "devon/2020-01-30-report.txt", DEVON, DEVON_CTTE, "2020-01-30", "report", S, [
        ("heading", "Family Safeguarding Model", 1, None),
        ("paragraph", "The Family Safeguarding Model will start in October 2020 across all four localities. "
                      "The rate of children in care was 72 per 10,000 in 2019/20, against 65 for England and 58 for "
                      "our statistical neighbours.", 1, "Family Safeguarding Model"),
        ("paragraph", "There is a risk that the shortage of experienced social workers will delay the roll out. "
                      "Recruitment remains a challenge in the north of the county.", 2,
         "Family Safeguarding Model > Risks"),
        ("paragraph", "The Department for Education grant of £2.1 million funds the first two years.", 2,
         "Family Safeguarding Model > Finance"),
    ], {
        "metrics": [m(72, "per 10,000", "children in care rate", "Devon", "2019/20", 1),
                    m(65, "per 10,000", "children in care rate", "England", "2019/20", 1),
                    m(58, "per 10,000", "children in care rate", "statistical neighbours", "2019/20", 1),
                    m(44, "per 10,000", "child protection plans rate", "Devon", "2019/20", 1),
                    m(2100000, "GBP", "Department for Education grant", "Devon", "2020-2022", 2),
                    m("Requires Improvement", "rating", "Ofsted inspection of children's services", "Devon",
                      "2019", 2)],
        "recommendations": [{"number": "2.1", "text": "To note the plan to implement the Family Safeguarding "
                                                      "Model from October 2020.", "page": 1}],
        "dates": [{"date": "2020-10", "event": "Family Safeguarding Model will start",
                   "text": "The Family Safeguarding Model will start in October 2020 across all four localities.",
                   "page": 1}],
    }, url="https://democracy.devon.gov.uk/ieListDocuments.aspx?CId=100&MId=2001")
    put(store, "devon/2021-03-minutes.txt", DEVON, DEVON_CTTE, "2021-03", "minutes", "Update on Family "
        "Safeguarding Model", [
        ("heading", "Update on Family Safeguarding Model", 1, None),
        ("paragraph", "Devon County Council launched the Family Safeguarding Model on 11 February 2021. "
                      "Members raised concern about the backlog of assessments in Exeter.", 1,
         "Update on Family Safeguarding Model"),
        ("paragraph", "The rate of looked after children was 70 per 10,000 in March 2021.", 1,
         "Update on Family Safeguarding Model"),
        ("list_item", "Resolved: That an update report be presented to the committee in six months.", 2,
         "Update on Family Safeguarding Model"),
    ], {
        "metrics": [m(70, "per 10,000", "rate of looked after children", "Devon", "March 2021", 1),
                    m(541, "count", "number of children in care", "Devon", "March 2021", 1)],
        "decisions": [{"number": "2", "text": "An update report be presented to the committee in six months.",
                       "page": 2}],
        "actions": [{"text": "An update report be presented to the committee in six months",
                     "owner": "Director of Children's Services", "due_date": "2021-09", "due_text": "in six months",
                     "status": "open", "page": 2},
                    {"text": "Details of team leaders for each locality to be circulated to members",
                     "owner": "Head of Service", "due_date": None, "due_text": None, "status": "open", "page": 2}],
        "dates": [{"date": "2021-02-11", "event": "Family Safeguarding Model launched",
                   "text": "Devon County Council launched the Family Safeguarding Model on 11 February 2021.",
                   "page": 1}],
    })
    put(store, "devon/2021-05-highways.txt", DEVON, "Corporate Infrastructure Scrutiny Committee", "2021-05-10",
        "minutes", "Highways maintenance", [
            ("paragraph", "Pothole repairs rose to 41,000 in 2020/21; the backlog remains a concern.", 1, None)],
        {"metrics": [m(41000, "count", "pothole repairs", "Devon", "2020/21", 1)]})
    if follow_up:
        put(store, "devon/2021-10-minutes.txt", DEVON, DEVON_CTTE, "2021-10-12", "minutes",
            "Family Safeguarding Model: six month update", [
                ("heading", "Family Safeguarding Model: six month update", 1, None),
                ("paragraph", "The six month update report on the Family Safeguarding Model was presented by the "
                              "Director of Children's Services, as requested at the March meeting.", 1,
                 "Family Safeguarding Model: six month update"),
            ], {})

    hostile_text = "<script>alert(1)</script> staffing pressures remain a concern for the service." if hostile \
        else "Staffing pressures remain a concern for the service."
    put(store, "norfolk/2022-06-20-minutes.txt", NORFOLK, NORFOLK_CTTE, "2022-06-20", "minutes",
        "Family safeguarding in Norfolk", [
            ("heading", "Family safeguarding in Norfolk", 1, None),
            ("paragraph", "The number of looked after children per 10,000 was 51 in May 2022, below the national "
                          "average of 67.", 1, "Family safeguarding in Norfolk"),
            ("paragraph", "Children on CP plans stood at 38 per 10,000. " + hostile_text, 2,
             "Family safeguarding in Norfolk"),
            ("paragraph", "Ofsted rated Norfolk children's services Good in 2022. Savings of £850,000 are expected "
                          "from the family safeguarding teams. The family safeguarding teams went live in April 2022.",
             2, "Family safeguarding in Norfolk"),
        ], {
            "metrics": [m(51, "per 10,000", "looked after children per 10,000", "Norfolk", "May 2022", 1),
                        m(67, "per 10,000", "looked after children", "national average", "2022", 1),
                        m(38, "per 10,000", "children on CP plans", "Norfolk", "2022", 2),
                        m(12, "%", "children in care", "Norfolk", "2022", 2,
                          "12% of children in care were placed out of county."),
                        m("Good", "rating", "Ofsted inspection of children's services", "Norfolk", "2022", 2),
                        m(850000, "GBP", "savings from family safeguarding teams", "Norfolk", "2022/23", 2)],
            "recommendations": [{"number": "1", "text": "=HYPERLINK(\"http://evil.example\",\"click\") note the "
                                                        "family safeguarding report" if hostile else
                                 "Note the family safeguarding report", "page": 1}],
            "actions": [{"text": "=HYPERLINK(\"http://evil.example\",\"click\") Circulate the family safeguarding "
                                 "dashboard" if hostile else "Circulate the family safeguarding dashboard",
                         "owner": "Assistant Director <script>alert(1)</script>", "due_date": "2022-07",
                         "due_text": "next month", "status": "open", "page": 2}],
            "dates": [{"date": "2022-04", "event": "family safeguarding teams went live",
                       "text": "The family safeguarding teams went live in April 2022.", "page": 2}],
        })
    put(store, "cumbria/2022-11-report.txt", CUMBRIA, CUMBRIA_CTTE, "2022-11-03", "report",
        "Family Safeguarding: progress report", [
            ("paragraph", "Average social worker caseloads in the family safeguarding teams were 18 in 2022.", 1,
             "Progress"),
            ("paragraph", "The evaluation of family safeguarding is planned to conclude in March 2023.", 1,
             "Progress"),
            ("paragraph", "Vacancy rates continue to cause delay in allocating cases.", 2, "Risks"),
        ], {
            "metrics": [m(18, "count", "average social worker caseload", "Cumbria", "2022", 1)],
            "dates": [{"date": "2023-03", "event": "evaluation of family safeguarding to conclude",
                       "text": "The evaluation of family safeguarding is planned to conclude in March 2023.",
                       "page": 1}],
        })
    return store
