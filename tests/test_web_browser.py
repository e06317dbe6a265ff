"""The web workspace in a real browser: Debian's Chromium driven by Playwright, against `scrutiny serve`'s
server on a KB built by the real ingest of corpus/published. Journeys: search -> a hit opened at its page
-> the record marked there; tracker -> an action marked done with a note -> the CLI shows it set by hand ->
undone; the compare page's charts; sign-in on `scrutiny serve --host 0.0.0.0` (an editor edits, a viewer cannot, a form
without its CSRF token is refused); no console errors; axe-core (vendored from its npm package in
tests/assets) finds no WCAG 2.1 A/AA violation on any page."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow
AXE = Path(__file__).parent / "assets" / "axe.min.js"
AS_OF = "2026-11-23"
PASSWORD = "correct horse battery"
CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()),
                shutil.which("chromium"))
if CHROMIUM is None:
    pytest.skip("Chromium not installed (apt-get install -y chromium; .ci/run does)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e '.[dev]')")


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    home = tmp_path_factory.mktemp("web") / "kb"
    r = CliRunner().invoke(cli, ["--kb", str(home), "ingest", "-q", str(CORPUS / "published")], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    from kb.store import open_store
    from kb.users import add_user

    with open_store(home) as s:
        add_user(s, "ed", PASSWORD, "editor")
        add_user(s, "vi", PASSWORD, "viewer")
    return home


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def local(kb):
    from reports.web.core import Settings
    from reports.web.live import serving

    with serving(Settings(home=kb, local_user="officer")) as url:
        yield url


@pytest.fixture(scope="module")
def shared(kb):
    """`scrutiny serve --host 0.0.0.0` itself, in its own process: bound where others can reach it, so sign-in."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    from reports.web.live import free_port
    from tests.conftest import ROOT

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "cli", "--kb", str(kb), "serve", "--host", "0.0.0.0", "--port",
                             str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(url + "/sign-in", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


class Page:
    """A browser tab that records console errors and failed requests."""

    def __init__(self, browser, refusals: bool = False, **ctx):
        self.refusals = refusals  # a 403 the journey provokes is no error of the page
        self.ctx = browser.new_context(**ctx)
        self.page = self.ctx.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def __enter__(self):
        return self.page

    def __exit__(self, *exc):
        self.ctx.close()
        if self.refusals:
            self.errors = [e for e in self.errors if "status of 403" not in e]
        if exc[0] is None:
            assert self.errors == [], "console errors"


def cli_actions(kb) -> dict:
    r = CliRunner().invoke(cli, ["--kb", str(kb), "actions", "--as-of", AS_OF, "--format", "json"],
                           catch_exceptions=False)
    return {a["ref"]: a for a in json.loads(r.output)["actions"]}


def test_search_opens_a_hit_at_its_page_with_the_record_marked(browser, local):
    with Page(browser) as page:
        page.goto(local + "/search")
        page.fill("#f-q", "children in care")
        page.click("button:has-text('Search')")
        first = page.locator("ol.hits a[href*='#page-']").first
        href = first.get_attribute("href")
        first.click()
        page.wait_for_load_state()
        n = href.rsplit("#page-", 1)[1]
        assert page.url.endswith(f"#page-{n}")
        section = page.locator(f"#page-{n}")
        assert section.is_visible() and section.locator("mark.rec").count() > 0
        assert section.locator("mark:not(.rec)").count() > 0, "the query's words are marked too"
        box = section.bounding_box()
        assert box and abs(box["y"]) < 50, "the page is scrolled to the hit's page"


def test_tracker_mark_done_with_a_note_the_cli_sees_it_then_undo(browser, local, kb):
    with Page(browser) as page:
        page.goto(local + f"/tracker?as_of={AS_OF}&status=overdue")
        row = page.locator("table.tracker tbody tr").first
        ref = row.get_attribute("id").removeprefix("action-")
        assert cli_actions(kb)[ref]["set_by_hand"] is None
        row.locator("summary:has-text('Change')").click()
        row.locator("select[name=status]").select_option("done")
        row.locator("input[name=note]").fill("reported to the September meeting")
        row.locator("button:has-text('Save')").click()
        page.wait_for_load_state()
        assert page.locator(".notice").inner_text().startswith("Saved as correction")
        a = cli_actions(kb)[ref]
        assert a["status"] == "done" and a["set_by_hand"]["status"]["by"] == "officer"
        assert a["set_by_hand"]["status"]["note"] == "reported to the September meeting"
        page.click(".notice button:has-text('Undo it')")
        page.wait_for_load_state()
        a = cli_actions(kb)[ref]
        assert a["status"] == "overdue" and a["set_by_hand"] is None


def test_compare_page_renders_its_charts_and_downloads(browser, local):
    with Page(browser) as page:
        page.goto(local + "/compare")
        for name in ("Lancashire County Council", "Blackpool Council", "Somerset County Council"):
            page.check(f"label:has-text('{name}') >> xpath=../input")
        page.fill("#f-topic", "family safeguarding")
        page.click("button:has-text('Compare')")
        page.wait_for_load_state()
        assert page.locator("h1").inner_text().startswith("Family safeguarding")
        charts = page.locator("figure svg[role=img]")
        assert charts.count() >= 1 and charts.first.locator("rect").count() >= 2
        assert charts.first.bounding_box()["width"] > 200
        with page.expect_download() as dl:
            page.click("a:has-text('Excel')")
        assert dl.value.suggested_filename == "compare-family-safeguarding.xlsx"


def sign_in(page, url: str, name: str) -> None:
    page.goto(url + "/tracker")
    assert "/sign-in" in page.url
    page.fill("#f-name", name)
    page.fill("#f-password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()


def test_an_editor_signs_in_a_viewer_cannot_edit_and_a_form_needs_its_token(browser, shared, kb):
    with Page(browser, refusals=True) as page:
        sign_in(page, shared, "ed")
        assert page.url.endswith("/tracker") and "Signed in as ed (editor)" in page.inner_text("header")
        row = page.locator("table.tracker tbody tr").first
        ref = row.get_attribute("id").removeprefix("action-")
        row.locator("summary:has-text('Change')").click()
        row.locator("input[name=note]").fill("chased by email")
        row.locator("form.row-form input[name=csrf_token]").evaluate("e => e.remove()")
        row.locator("button:has-text('Save')").click()
        page.wait_for_load_state()
        assert "CSRF" in page.inner_text("main") and ref not in json.dumps(
            [a for a in cli_actions(kb).values() if a["set_by_hand"]])
    with Page(browser, refusals=True) as page:
        sign_in(page, shared, "vi")
        assert "(viewer)" in page.inner_text("header") and page.locator("form.row-form").count() == 0 and page.locator("table.tracker").count() == 1
        status = page.evaluate("""async (ref) => {
            const token = document.querySelector('input[name=csrf_token]').value;
            const r = await fetch('/tracker/' + ref, {method: 'POST', headers: {'x-csrf-token': token},
                                                      body: new URLSearchParams({status: 'done'})});
            return r.status; }""", ref)
        assert status == 403


PAGES = ["/search", "/search?q=agency+social+workers", "/documents", "/tracker", "/compare",
         "/compare?authority=Lancashire+County+Council&authority=Blackpool+Council&topic=family+safeguarding",
         "/timeline", "/timeline?authority=Somerset+County+Council", "/authorities/Lancashire%20County%20Council",
         "/ingest", "/corrections", "/api"]


def test_no_accessibility_violations(browser, local, shared, kb):
    from kb.store import open_store

    with open_store(kb) as s:
        docs = [d["id"] for d in s.documents()]
    found = {}
    with Page(browser, bypass_csp=True) as page:  # the CSP would refuse axe's script, injected inline
        for url in [local + u for u in PAGES + [f"/documents/{d}" for d in docs]] + [shared + "/sign-in"]:
            page.goto(url)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})).violations.map(
                v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))""")
            if result:
                found[url] = result
    assert found == {}


def test_pages_work_with_javascript_off(browser, local):
    with Page(browser, java_script_enabled=False) as page:
        page.goto(local + "/search?q=children+in+care")
        page.locator("ol.hits a[href*='#page-']").first.click()
        page.wait_for_load_state()
        assert page.locator("mark.rec").count() > 0
        page.goto(local + "/tracker")
        page.locator("summary:has-text('Filter the actions')").click()
        page.select_option("#f-status", "overdue")
        page.click("button:has-text('Show actions')")
        page.wait_for_load_state()
        assert "status=overdue" in page.url and page.locator("table.tracker .tag.overdue").count() > 0


def test_ingest_shows_progress_as_it_goes_and_failures_with_reasons(browser, local, tmp_path):
    (tmp_path / "minutes.txt").write_text("Minutes of the Corporate Parenting Board, Lancashire County Council, "
                                          "4 March 2024\n\nResolved: That the Director circulate the dashboard.\n")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    with Page(browser) as page:
        page.goto(local + "/ingest")
        page.set_input_files("#f-files", [str(tmp_path / "minutes.txt"), str(tmp_path / "scan.pdf")])
        page.click("button:has-text('Ingest')")
        page.wait_for_url("**/ingest/*")
        progress = page.locator("#progress")
        progress.get_by_text("Finished with problems").wait_for(timeout=180_000)  # polled in place by htmx
        assert "/ingest/" in page.url and "1 ingested" in progress.inner_text()
        assert "scan.pdf: damaged PDF" in progress.locator("ul.failures").inner_text()
