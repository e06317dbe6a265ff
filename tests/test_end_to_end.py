"""The whole path on the bundled corpus: real parsers, the real spaCy pipeline and embedding
model, the store, search, compare and the action tracker; then a generated follow-up minutes
page reports back and the tracker marks the action done, citing it."""
import json

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow

FOLLOW_UP = """<!DOCTYPE html>
<html lang="en"><head><title>Agenda item - Family Safeguarding model: six month update - {committee}</title></head>
<body><div id="modgov"><h1 class="mgMainTitleTxt">Agenda item</h1>
<h2 class="mgSubTitleTxt">Family Safeguarding model: six month update</h2>
<p>Meeting of {committee}, Tuesday, 14th September, 2021 10.30 am</p>
<h3>Minutes:</h3>
<p>The update report on the Family Safeguarding Model requested by the committee in March was presented
by the Director of Children's Social Care. Members noted the progress of the model since its launch.</p>
<p>Resolved: That the update report be noted.</p>
</div></body></html>
"""


def run(*args):
    r = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return r


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    home = tmp_path_factory.mktemp("e2e") / "kb"
    r = run("--kb", str(home), "ingest", "-q", str(CORPUS / "published"))
    assert r.exit_code == 0, r.output
    return home


def cited(item):
    return item.get("source") and "page" in item


def test_compare_holds_the_key_facts_with_citations(kb):
    r = run("--kb", str(kb), "compare", "Lancashire", "Blackpool", "Somerset", "--topic", "family safeguarding",
            "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    by = {a["authority"]: a for a in data["authorities"]}
    assert set(by) == {"Lancashire County Council", "Blackpool Council", "Somerset County Council"}
    for a in by.values():
        assert a["sources"]
        for key in ("figures", "money", "ratings", "events", "recommendations", "decisions", "actions", "issues"):
            assert all(cited(i) for i in a[key]), key
    bp, so, la = by["Blackpool Council"], by["Somerset County Council"], by["Lancashire County Council"]
    assert any(m["value"] == 764610 and m["unit"] == "GBP" for m in bp["money"])
    assert any(f["value"] == 188 and f["unit"] == "per 10,000" for f in bp["figures"])
    assert any(f["value"] == 51 and f["unit"] == "per 10,000" for f in so["figures"])
    assert any(f["value"] == 20.4 and f["unit"] == "per 10,000" for f in so["figures"])
    launch = [e for e in la["events"] if str(e.get("actual", "")).startswith("2021-02-11")]
    assert launch and any(str(e.get("planned", "")).startswith("2020-10") for e in launch)
    assert any("six months" in a["text"] for a in la["actions"])
    # the same measure lines up across authorities, never across units
    for g in data["aligned"]:
        assert len({c["unit"] for c in g["authorities"] if c["status"] == "found"} | {g["unit"]}) == 1


def test_action_is_overdue_then_done_when_a_later_meeting_reports_back(kb, tmp_path):
    def lancashire_update():
        r = run("--kb", str(kb), "actions", "--authority", "Lancashire", "--as-of", "2026-11-23", "--format", "json")
        assert r.exit_code == 0, r.output
        data = json.loads(r.stdout)
        assert data["as_of"] == "2026-11-23"
        return next(a for a in data["actions"] if "update report" in a["text"].lower() and "six months" in a["text"])

    before = lancashire_update()
    assert before["due_date"] == "2021-09" and before["status"] == "overdue" and before["evidence"] is None
    committee = "Education and Children's Services Scrutiny Committee"
    page = tmp_path / "follow-up" / "mgAi-2021-09-14.html"
    page.parent.mkdir()
    page.write_text(FOLLOW_UP.format(committee=committee))
    (page.parent / "manifest.csv").write_text(
        "file,authority,committee,meeting_date,kind,url\n"
        f'{page.name},Lancashire County Council,"{committee}",2021-09-14,minutes,\n')
    assert run("--kb", str(kb), "ingest", "-q", str(page.parent)).exit_code == 0
    after = lancashire_update()
    assert after["status"] == "done"
    assert after["evidence"]["source"].endswith(page.name)
    assert "update report" in after["evidence"]["text"].lower()


def test_search_finds_the_passage_with_its_page(kb):
    r = run("--kb", str(kb), "search", "--json", "--limit", "5", "DfE grant awarded to Blackpool")
    hits = json.loads(r.stdout)["hits"]
    top = [h for h in hits if "764,610" in h["text"]]
    assert top and top[0]["source"].endswith(".pdf") and top[0]["page"] >= 1
