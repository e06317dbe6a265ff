"""`scrutiny fetch moderngov` against a local HTTP server on 127.0.0.1 that answers like a ModernGov site's
web service (mgWebService.asmx: GetCommittees, GetMeetings, GetMeeting in their real shapes: lower-case
tags, dd/mm/yyyy dates, relative document URLs, unescaped HTML in a field) and serves real papers."""
from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from cli.main import cli
from ingest.fetch.moderngov import _xml
from tests.conftest import CORPUS

PUBLISHED = CORPUS / "published"
REPORT = (PUBLISHED / "001_6787dac944f98423.pdf").read_bytes()
SLIDES = (PUBLISHED / "004_235523c0adba9974.pptx").read_bytes()

COMMITTEES = """<?xml version="1.0" encoding="utf-8"?>
<getcommittees><committeescount>2</committeescount><committees>
<committee><committeeid>142</committeeid><committeetitle>Children and Young People's Scrutiny Committee</committeetitle>
<committeecategory>Scrutiny</committeecategory><committeedeleted>False</committeedeleted></committee>
<committee><committeeid>7</committeeid><committeetitle>Planning Committee</committeetitle></committee>
</committees></getcommittees>"""
MEETINGS = """<?xml version="1.0" encoding="utf-8"?>
<getmeetings><meetingscount>2</meetingscount><meetings>
<meeting><meetingid>501</meetingid><meetingdate>21/09/2023</meetingdate><meetingtime>18:00</meetingtime>
<meetingstatus>Confirmed</meetingstatus></meeting>
<meeting><meetingid>499</meetingid><meetingdate>03/01/2019</meetingdate></meeting>
</meetings></getmeetings>"""
MEETING = """<?xml version="1.0" encoding="utf-8"?>
<getmeeting><meeting><meetingid>501</meetingid><meetingdate>21/09/2023</meetingdate>
<meetinglocation>Town Hall, Blackpool</meetinglocation>
<agendaitems>
<agendaitem><agendaitemnumber>5</agendaitemnumber><agendaitemtitle>Family Safeguarding update</agendaitemtitle>
<agendaitemdescription><div class="mgAiTitleTxt">Report of the Director<br></div></agendaitemdescription>
<linkeddocuments>
<linkeddoc><attachmentid>9001</attachmentid><title>Family Safeguarding report</title>
<url>documents/s9001/Family%20Safeguarding.pdf</url><ownertitle>Family Safeguarding update</ownertitle></linkeddoc>
<linkeddoc><attachmentid>9002</attachmentid><title>Appendix A slides</title>
<url>mgConvert2PDF.aspx?ID=9002</url></linkeddoc>
<linkeddoc><attachmentid>9003</attachmentid><title>Appendix B (broken)</title><url>documents/s9003/broken.pdf</url></linkeddoc>
<linkeddoc><attachmentid>9004</attachmentid><title>Elsewhere</title><url>http://elsewhere.example/x.pdf</url></linkeddoc>
</linkeddocuments></agendaitem>
</agendaitems></meeting></getmeeting>"""

# The same site's HTML pages, as a site with its web service switched off serves them
COMMITTEE_LIST = """<html><body><div id="mgContent"><ul class="mgBulletList">
<li><a href="mgCommitteeDetails.aspx?ID=142" title="Link to committee details for Children and Young People&#39;s Scrutiny
 Committee">Children and Young People&#39;s Scrutiny Committee</a></li>
<li><a href="mgCommitteeDetails.aspx?ID=7">Planning Committee</a></li></ul></div></body></html>"""
MEETING_LIST = """<html><body><ul class="mgBulletList">
<li><a href="ieListDocuments.aspx?CId=142&amp;MId=501&amp;Ver=4" title="Link to documents for meeting of Children and
 Young People&#39;s Scrutiny Committee">Thursday, 21st September, 2023 6.00 pm</a></li>
<li><a href="ieListDocuments.aspx?CId=142&amp;MId=499&amp;Ver=4">3 Jan 2019 10.00 am</a></li>
</ul></body></html>"""
DOCUMENTS = """<html><body><table class="mgItemTable">
<tr><td class="mgItemNumberCell"><p class="mgAiTitleTxt">5.</p></td>
<td><p class="mgAiTitleTxt"><a href="mgAi.aspx?ID=3001" class="mgAiTitleLnk">Family Safeguarding update</a></p>
<div class="mgWordPara"><p>Report of the Director of Children&#39;s Services.</p></div>
<ul class="mgActionList">
<li><a href="documents/s9001/Family%20Safeguarding.pdf" class="mgTitleLink"
 title="Link to document &#39;Family Safeguarding report&#39; PDF 120 KB">Family Safeguarding report
 <span class="mgHide">PDF 120 KB</span></a></li>
<li><a href="mgConvert2PDF.aspx?ID=9002">Appendix A slides <span class="mgHide">PDF 30 KB</span></a></li>
<li><a href="documents/s9003/broken.pdf">Appendix B (broken) PDF 5 KB</a></li>
<li><a href="http://elsewhere.example/documents/s1/x.pdf">Elsewhere</a></li>
</ul></td></tr></table>
<ul class="mgActionList"><li><a href="documents/b501/Agenda%20reports%20pack.pdf?T=10">Agenda reports pack
 PDF 2 MB</a></li></ul></body></html>"""


class Site:
    """What the server answers: path -> bytes; paths that fail with 500 or answer late; every request."""

    def __init__(self, html_only: bool = False) -> None:
        self.html_only = html_only  # the web service switched off: only the HTML pages answer
        self.files = {"/documents/s9001/Family%20Safeguarding.pdf": REPORT, "/mgConvert2PDF.aspx?ID=9002": SLIDES}
        self.fail = {"/documents/s9003/broken.pdf"}
        self.slow: set[str] = set()
        self.requests: list[tuple[str, str]] = []  # (Host header, path)

    def answer(self, h: BaseHTTPRequestHandler) -> None:
        self.requests.append((h.headers.get("Host", ""), h.path))
        url = urlsplit(h.path)
        q = parse_qs(url.query)
        if self.html_only and "mgWebService.asmx" in url.path:
            h.send_response(404)
            h.end_headers()
            return None
        if url.path.endswith("mgListCommittees.aspx"):
            return self._send(h, COMMITTEE_LIST.encode(), "text/html")
        if url.path.endswith("ieListMeetings.aspx"):
            return self._send(h, (MEETING_LIST if q.get("CId") == ["142"] else "<html><body></body></html>").encode(),
                              "text/html")
        if url.path.endswith("ieListDocuments.aspx") and q.get("MId") == ["501"] and q.get("CId") == ["142"]:
            return self._send(h, DOCUMENTS.encode(), "text/html")
        if url.path.endswith("mgWebService.asmx/GetCommittees"):
            return self._send(h, COMMITTEES.encode(), "text/xml")
        if url.path.endswith("mgWebService.asmx/GetMeetings"):
            return self._send(h, (MEETINGS if q.get("lCommitteeId") == ["142"] else
                                  "<getmeetings><meetingscount>0</meetingscount></getmeetings>").encode(), "text/xml")
        if url.path.endswith("mgWebService.asmx/GetMeeting"):
            return self._send(h, MEETING.encode(), "text/xml")
        if h.path in self.slow:
            time.sleep(2.5)
        if h.path in self.fail:
            h.send_response(500)
            h.end_headers()
            return None
        body = self.files.get(h.path)
        if body is None:
            h.send_response(404)
            h.end_headers()
            return None
        etag = '"' + hashlib.md5(body).hexdigest() + '"'
        if h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.end_headers()
            return None
        return self._send(h, body, "application/octet-stream", etag)

    @staticmethod
    def _send(h, body: bytes, ctype: str, etag: str | None = None) -> None:
        h.send_response(200)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        if etag:
            h.send_header("ETag", etag)
        h.end_headers()
        h.wfile.write(body)


@contextlib.contextmanager
def serve(state: Site):
    """The site on 127.0.0.1 at a free port: its base URL."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a client that gave up
                state.answer(self)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def site():
    state = Site()
    with serve(state) as base:
        yield state, base


def fetch(home, base, *args):
    return CliRunner().invoke(cli, ["--kb", str(home), "fetch", "moderngov", base, "--delay", "0", "--retries", "1",
                                    "--since", "2023-01-01", "--until", "2023-12-31", *args], catch_exceptions=False)


def test_the_web_service_xml_is_read_with_its_quirks():
    root = _xml(MEETING.encode())  # an unescaped <div> inside a field: still read
    assert root is not None and "Family Safeguarding update" in "".join(root.itertext())


def assert_fetched(r, home, base: str, state: Site) -> None:
    """The children's committee's 2023 papers as the site lists them: two downloaded with the site's metadata,
    two failures reported (a 500, a link off the host), nothing asked of another host."""
    assert r.exit_code == 1, r.output
    assert "2 new, 0 changed, 0 unchanged, 2 failed" in r.output, r.output
    assert "documents/s9003/broken.pdf: HTTP 500" in r.output and "elsewhere.example" in r.output
    folder = home / "papers" / f"127.0.0.1_{base.rsplit(':', 1)[1]}" / \
        "Children and Young People's Scrutiny Committee" / "2023-09-21"
    assert (folder / "Family Safeguarding report.pdf").read_bytes() == REPORT
    assert (folder / "Appendix A slides.pptx").read_bytes() == SLIDES
    rows = {r["file"]: r for r in csv.DictReader((folder / "manifest.csv").open(encoding="utf-8"))}
    assert rows["Family Safeguarding report.pdf"]["committee"] == "Children and Young People's Scrutiny Committee"
    assert rows["Family Safeguarding report.pdf"]["meeting_date"] == "2023-09-21"
    assert rows["Appendix A slides.pptx"]["url"] == f"{base}/mgConvert2PDF.aspx?ID=9002"
    fetched = json.loads((home / "papers" / "fetched.json").read_text())
    assert fetched[f"{base}/documents/s9001/Family%20Safeguarding.pdf"]["item"] == "Family Safeguarding update"
    assert {host for host, _ in state.requests} == {base.split("//")[1]}


def test_papers_fetched_with_the_sites_metadata_and_failures_reported(site, tmp_path):
    state, base = site
    r = fetch(tmp_path / "kb", base, "--no-ingest", "--committee", "children and young")
    assert_fetched(r, tmp_path / "kb", base, state)
    # the Planning Committee was not asked for, nor a meeting outside the dates
    assert not any("lCommitteeId=7" in p for _, p in state.requests)
    assert not any("GetMeeting?lMeetingId=499" in p for _, p in state.requests)  # 2019: outside the dates


def test_a_site_with_its_web_service_off_is_read_through_its_html_pages(tmp_path):
    """The same papers, folders and metadata as through the web service; the reports pack is left out."""
    state = Site(html_only=True)
    with serve(state) as base:
        r = fetch(tmp_path / "kb", base, "--no-ingest", "--committee", "children and young")
    assert_fetched(r, tmp_path / "kb", base, state)
    paths = [p for _, p in state.requests]
    assert not any("reports%20pack" in p for p in paths) and not any("MId=499" in p for p in paths)
    assert not any("CId=7" in p for p in paths)  # the Planning Committee was not asked for


def test_meeting_dates_as_modern_gov_pages_write_them():
    from ingest.fetch.moderngov_pages import meeting_date

    assert meeting_date("Thursday, 21st September, 2023 6.00 pm") == "2023-09-21"
    assert meeting_date("3 Jan 2019 10.00 am") == "2019-01-03"
    assert meeting_date("Link to documents for meeting of Cabinet, 05/02/2024 10:00") == "2024-02-05"
    assert meeting_date("31st February, 2023") is None and meeting_date("Cabinet") is None


def test_a_second_fetch_downloads_nothing_and_a_changed_paper_is_fetched_again(site, tmp_path):
    state, base = site
    home = tmp_path / "kb"
    fetch(home, base, "--no-ingest")
    state.requests.clear()
    again = fetch(home, base, "--no-ingest")
    assert "0 new, 0 changed, 2 unchanged, 2 failed" in again.output, again.output
    state.files["/mgConvert2PDF.aspx?ID=9002"] = REPORT  # the site replaced the appendix
    third = fetch(home, base, "--no-ingest")
    assert "0 new, 1 changed, 1 unchanged" in third.output, third.output
    changed = next(home.rglob("Appendix A slides.pptx"))
    assert changed.read_bytes() == REPORT


def test_a_paper_that_answers_too_late_is_reported_and_the_rest_carry_on(site, tmp_path):
    state, base = site
    state.slow.add("/documents/s9001/Family%20Safeguarding.pdf")
    r = fetch(tmp_path / "kb", base, "--no-ingest", "--timeout", "1", "--retries", "0")
    assert r.exit_code == 1
    assert "Family%20Safeguarding.pdf: no answer (timed out)" in r.output, r.output
    assert "1 new" in r.output and next((tmp_path / "kb").rglob("Appendix A slides.pptx")).is_file()


def test_a_bad_base_url_is_a_usage_error(tmp_path):
    r = CliRunner().invoke(cli, ["--kb", str(tmp_path), "fetch", "moderngov", "democracy.example.gov.uk"])
    assert r.exit_code == 2 and "BASE_URL must be a site's address" in r.output


@pytest.mark.slow
def test_fetched_papers_are_ingested_with_the_sites_metadata(site, tmp_path):
    _, base = site
    home = tmp_path / "kb"
    r = fetch(home, base, "--no-index", "--authority", "Blackpool Council")
    assert r.exit_code == 1 and "2 ingested" in r.output, r.output  # exit 1: the two failed downloads
    out = json.loads(CliRunner().invoke(cli, ["--kb", str(home), "export"], catch_exceptions=False).stdout)
    docs = {Path(d["source"]).name: d for d in out["documents"]}
    report = docs["Family Safeguarding report.pdf"]
    assert report["authority"] == "Blackpool Council" and report["meeting_date"] == "2023-09-21"
    assert report["committee"] == "Children and Young People's Scrutiny Committee"
    assert report["url"] == f"{base}/documents/s9001/Family%20Safeguarding.pdf"
    again = fetch(home, base, "--no-index")
    assert "2 unchanged" in again.output and "0 ingested" in again.output, again.output


def test_fetch_urls_downloads_a_plain_list(site, tmp_path):
    _, base = site
    listed = tmp_path / "urls.txt"
    listed.write_text(f"# Blackpool papers\n{base}/documents/s9001/Family%20Safeguarding.pdf\n\n"
                      f"{base}/documents/s9003/broken.pdf\n", encoding="utf-8")
    home = tmp_path / "kb"
    args = ["--kb", str(home), "fetch", "urls", str(listed), "--delay", "0", "--retries", "0", "--no-ingest"]
    r = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert r.exit_code == 1 and "1 new, 0 changed, 0 unchanged, 1 failed" in r.output, r.output
    folder = home / "papers" / f"127.0.0.1_{base.rsplit(':', 1)[1]}"
    assert (folder / "Family Safeguarding.pdf").read_bytes() == REPORT
    row = next(csv.DictReader((folder / "manifest.csv").open(encoding="utf-8")))
    assert row["url"] == f"{base}/documents/s9001/Family%20Safeguarding.pdf" and row["committee"] == ""
    again = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert "0 new, 0 changed, 1 unchanged, 1 failed" in again.output, again.output


def test_fetch_urls_names_a_line_that_is_not_an_address(tmp_path):
    listed = tmp_path / "urls.txt"
    listed.write_text("https://democracy.example.gov.uk/a.pdf\nfile:///etc/passwd\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["--kb", str(tmp_path / "kb"), "fetch", "urls", str(listed)])
    assert r.exit_code == 2 and "line 2: not an http(s) address: file:///etc/passwd" in r.output, r.output


def test_a_redirect_off_the_host_is_refused():
    from ingest.fetch.http import Client, FetchError, Response

    client = Client(hosts={"127.0.0.1:1"}, delay=0, retries=0)
    client._get_once = lambda url, etag, lm: Response(302, url="http://elsewhere.example/x.pdf")
    with pytest.raises(FetchError, match=r"refused: elsewhere\.example is not the site.s host"):
        client.get("http://127.0.0.1:1/a.pdf")
    assert client.requests == []  # the stub stands in for the one request; nothing else was asked


def test_a_site_without_the_web_service_is_reported_as_such(tmp_path):
    class Off(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Off)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        r = fetch(tmp_path / "kb", f"http://127.0.0.1:{server.server_address[1]}", "--no-ingest")
    finally:
        server.shutdown()
        server.server_close()
    assert r.exit_code == 1 and "GetCommittees: HTTP 404" in r.output and "switched off" in r.output, r.output


def test_fetch_dates_take_the_projects_date_forms_and_cover_whole_periods():
    """`--since 2023 --until 2023-03` means 1 January to 31 March, as every other date option reads it."""
    from datetime import date

    from kb.dates import bounds

    assert bounds("2023") == (date(2023, 1, 1), date(2023, 12, 31))
    assert bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert bounds("2023-05-17") == (date(2023, 5, 17), date(2023, 5, 17))
    r = CliRunner().invoke(cli, ["--kb", "/nonexistent-kb", "fetch", "moderngov", "https://example.org",
                                 "--since", "2023-02-30"])
    assert r.exit_code == 2 and "February 2023 has no day 30" in r.output
