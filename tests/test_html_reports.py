"""HTML, Markdown, CSV and Excel output of the reports: well-formed, escaped, formula-safe, and a
screenshot of the compare page in headless Chromium (skipped where Chromium is not installed:
`apt-get install -y chromium`)."""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from reports_corpus import NORFOLK, NORFOLK_CTTE, build, put

from cli.main import cli
from reports import actions as actions_mod
from reports import compare as compare_mod
from reports import timeline as timeline_mod
from reports.render import md_cell, render

AS_OF = "2026-11-23"
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "rect", "line", "path", "circle"}


@pytest.fixture()
def store(tmp_path):
    s = build(tmp_path / "kb", follow_up=True)
    put(s, "norfolk/2023-01-report.txt", NORFOLK, NORFOLK_CTTE, "2023-01-10", "report", "Family safeguarding | costs",
        [("paragraph", "Placement costs | remain a pressure on the family safeguarding budget.", 1, None)],
        {"recommendations": [{"number": "3", "text": "Note costs | and risks", "page": 1}]})
    yield s
    s.close()


def reports_data(store):
    return {
        "compare": (compare_mod, compare_mod.compare(store, ["Devon", "Norfolk", "Cumbria"], "family safeguarding",
                                                      as_of=AS_OF)),
        "actions": (actions_mod, actions_mod.tracker(store, as_of=AS_OF)),
        "timeline": (timeline_mod, timeline_mod.timeline(store, "Norfolk", as_of=AS_OF)),
    }


class Balance(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.scripts = [], [], 0

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.scripts += tag == "script"

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()


@pytest.mark.parametrize("name", ["compare", "actions", "timeline"])
def test_html_well_formed_and_escaped(store, name):
    module, data = reports_data(store)[name]
    html = render(name, data, "html", module)
    assert html.startswith("<!DOCTYPE html>")
    p = Balance()
    p.feed(html)
    p.close()
    assert p.errors == [] and p.stack == []
    # XHTML-compatible: an XML parser reads it whole
    root = ET.fromstring(html.split("\n", 1)[1])
    assert root.tag == "html"
    # document text is text: never markup, never a script
    assert p.scripts == 0 and not re.search(r"<script", html, re.IGNORECASE)
    if name in ("compare", "actions"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<style>" in html and "http://" not in html.split("<body>")[0]  # self-contained: no external assets


def test_compare_html_has_charts_and_footnote_citations(store):
    module, data = reports_data(store)["compare"]
    html = render("compare", data, "html", module)
    assert html.count("<svg") >= 1 and "<rect" in html
    assert re.search(r'<a class="cite" href="#src-\d+"', html) and 'id="src-1"' in html
    assert "not found" in html and "statistical neighbours" in html
    assert "https://democracy.devon.gov.uk/ieListDocuments.aspx?CId=100&amp;MId=2001" in html


def test_csv_and_xlsx_neutralise_formulas(store, tmp_path):
    module, data = reports_data(store)["compare"]
    rows = list(csv.reader(io.StringIO(render("compare", data, "csv", module))))
    cells = [c for r in rows for c in r]
    assert any(c.startswith("'=HYPERLINK(") for c in cells)
    assert not any(c.startswith("=") for c in cells)
    from openpyxl import load_workbook

    out = tmp_path / "c.xlsx"
    out.write_bytes(render("compare", data, "xlsx", module))
    wb = load_workbook(out)
    assert "Key figures side by side" in wb.sheetnames and "All items" in wb.sheetnames
    values = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith("'=HYPERLINK(") for v in values) and not any(v.startswith("=") for v in values)
    for ws in wb:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref


def test_markdown_escapes_pipes_and_markup(store):
    module, data = reports_data(store)["compare"]
    md = render("compare", data, "md", module)
    assert "Note costs \\| and risks" in md
    for block in md.split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln.startswith("|")]
        widths = {len(re.findall(r"(?<!\\)\|", ln)) for ln in lines}
        assert len(widths) <= 1, block
    assert "<script>" not in md
    assert md_cell("a|b\nc") == "a\\|b<br>c"


def _chromium() -> str | None:
    for name in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(name).exists():
            return name
    return shutil.which("chromium")


@pytest.mark.skipif(_chromium() is None, reason="Chromium not installed (/usr/bin/chromium absent): "
                                                "apt-get install -y chromium")
def test_compare_html_screenshot(store, tmp_path):
    from PIL import Image, ImageStat

    page = tmp_path / "compare.html"
    r = CliRunner().invoke(cli, ["--kb", str(store.home), "compare", "Devon", "Norfolk", "Cumbria", "--topic",
                                 "family safeguarding", "--as-of", AS_OF, "--format", "html", "-o", str(page)],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    png = tmp_path / "compare.png"
    subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={png}", "--window-size=1280,2000",
                    page.as_uri()], capture_output=True, timeout=120, check=False)
    assert png.exists(), "chromium wrote no screenshot"
    assert png.stat().st_size > 30_000
    with Image.open(png) as im:
        assert im.size == (1280, 2000)
        stat = ImageStat.Stat(im.convert("L"))
        assert stat.stddev[0] > 20  # not blank: text, table rules, bars
        colours = im.convert("RGB").resize((320, 500)).getcolors(maxcolors=1_000_000)
        assert any(abs(r - 0x1D) < 12 and abs(g - 0x70) < 12 and abs(b - 0xB8) < 12 for _, (r, g, b) in colours)
