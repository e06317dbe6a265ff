#!/usr/bin/env python3
"""Render the five seed texts (corpus/text) in the formats they were published in.

    python scripts/render_corpus.py [--out corpus/published]

- 000 (Lancashire minutes) and 002 (Somerset minutes): ModernGov ``mgAi.aspx``-style
  HTML pages with site chrome (header, nav, breadcrumb, search form, cookie
  banner, scripts, footer) that a parser must drop.
- 001 (Blackpool report): an A4 PDF (reportlab) with numbered sections, the two
  tables as ruled tables, a running header "Blackpool Council" and a footer
  "Page N of M" on every page.
- 003 (Lancashire board report): a DOCX with Title/Heading styles, the
  recommendation and bulleted lists.
- 004 (Somerset slides): a PPTX, one slide per ALL-CAPS slide title, bullets as
  bullets (indented bullets one level down).

Seed sentences are kept verbatim (Markdown emphasis markers become bold/italic;
lines the text export broke mid-sentence are joined). Output is deterministic:
fixed document dates, reportlab's invariant mode, fixed ZIP entry times.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import io
import re
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "text"
FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)

BULLET_LINE = re.compile(r"^(?P<indent>\s*)(?:[·•]|-)\s+(?P<text>\S.*)$")
NUMBERED_LINE = re.compile(r"^\s*(?P<num>\d{1,2})\.\s+(?P<text>\S.*)$")
SECTION_LINE = re.compile(r"^(?P<num>\d{1,2}\.\d{1,2})\s+(?P<text>\S.*)$")
EMPHASIS = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")


def read_seed(stem: str) -> str:
    return (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")


def plain(text: str) -> str:
    """Seed text without Markdown emphasis markers."""
    return EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text).replace("**", "")


def is_blank(line: str) -> bool:
    return not line.replace("\u00a0", " ").strip()


# --------------------------------------------------------------------------- HTML (ModernGov)

MG_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{description}">
<meta name="DC.Publisher" content="{council}">
<title>{title}</title>
<link rel="stylesheet" href="SiteSpecific/ssMgStyles.css">
<style>.mgHide {{ display: none; }} #cookie-banner {{ position: fixed; bottom: 0; }}</style>
<script src="jquery-3.6.0.min.js"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){{dataLayer.push(arguments);}}
  gtag('js', new Date()); gtag('config', 'UA-0000000-1');
  var mgAiNote = "Resolved: this script text must never reach the knowledge base";
</script>
</head>
<body>
<form method="post" action="./mgAi.aspx?ID={item_id}" id="aspnetForm">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRkZmRlZmF1bHQ=">
<div id="cookie-banner" class="cookie-banner" role="dialog">
  <p>We use cookies to make this site work. <button type="button">Accept all cookies</button></p>
</div>
<a class="skip-link" href="#mgContent">Skip to main content</a>
<header class="site-header" role="banner">
  <a href="/" class="site-header__logo"><img src="logo.png" alt="{council}"></a>
  <div class="site-search" role="search">
    <label for="q">Search this site</label><input id="q" name="q" type="text"><button>Search</button>
  </div>
</header>
<nav class="site-nav" aria-label="Main">
  <ul>
    <li><a href="/">Home</a></li><li><a href="mgMemberIndex.aspx">Councillors</a></li>
    <li><a href="mgListCommittees.aspx">Committees</a></li><li><a href="mgCalendarMonthView.aspx">Calendar</a></li>
    <li><a href="mgDelegatedDecisions.aspx">Decisions</a></li><li><a href="mgListOutsideBodies.aspx">Outside bodies</a></li>
  </ul>
</nav>
<div class="mgBreadCrumbs" id="breadcrumbs">
  <a href="/">Home</a> &gt; <a href="mgListCommittees.aspx">Committees</a> &gt; <a href="ieListMeetings.aspx?CId={committee_id}">{committee}</a> &gt; Agenda item
</div>
<div id="modgov">
"""

MG_FOOT = """</div>
<div class="mgHide" aria-hidden="true">Print this page (hidden print version)</div>
<footer class="site-footer" role="contentinfo">
  <ul><li><a href="/accessibility">Accessibility</a></li><li><a href="/privacy">Privacy notice</a></li>
  <li><a href="/contact">Contact us</a></li></ul>
  <p>&copy; {council}. Powered by Modern.Gov.</p>
</footer>
</form>
<script>document.getElementById('cookie-banner').addEventListener('click', function () {{ this.remove(); }});</script>
</body>
</html>
"""


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _html_inline(text: str) -> str:
    text = _esc(text.strip().replace("\u00a0", " "))
    return EMPHASIS.sub(lambda m: f"<strong>{m.group(1)}</strong>" if m.group(1) else f"<em>{m.group(2)}</em>", text)


def _mg_body(lines: list[str], heading_lines: dict[str, str]) -> str:
    """ModernGov content for the seed lines after the page headings."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if is_blank(line):
            if line and "\u00a0" in line:
                out.append("<p>&nbsp;</p>")
            i += 1
            continue
        stripped = line.strip()
        if stripped in heading_lines:
            out.append(f'<h3 class="mgSubSubTitleTxt">{_esc(stripped)}</h3>')
            if stripped == "Supporting documents:":
                out.append('<ul class="mgActionList"><li><a href="documents/s1000/Presentation.pdf" '
                           'class="mgPdfLink">Presentation PDF 1 MB</a></li></ul>')
            i += 1
            continue
        listed = False
        for pattern, open_tag, close_tag in ((BULLET_LINE, '<ul class="mgBulletList">', "</ul>"),
                                             (NUMBERED_LINE, "<ol>", "</ol>")):
            if pattern.match(line):  # a run of list lines (blank lines between them allowed) is one list
                items = []
                while i < len(lines) and (pattern.match(lines[i]) or is_blank(lines[i])):
                    m = pattern.match(lines[i])
                    if m:
                        items.append(f"<li>{_html_inline(m.group('text'))}</li>")
                    i += 1
                out.append(open_tag + "\n" + "\n".join(items) + "\n" + close_tag)
                listed = True
                break
        if listed:
            continue
        if stripped.lower().startswith("resolved"):
            out.append(f"<p><strong>{_esc(stripped)}</strong></p>")
        else:
            out.append(f"<p>{_html_inline(stripped)}</p>")
        i += 1
    return "\n".join(out)


def render_lancashire_minutes(stem: str) -> bytes:
    lines = read_seed(stem).splitlines()
    assert lines[0].strip() == "Agenda item"
    item_title = lines[2].strip()
    council = "Lancashire County Council"
    parts = [MG_HEAD.format(title=_esc(f"Agenda item - {item_title} - {council}"), council=council,
                            description=_esc(f"Agenda item: {item_title}"), item_id=80860, committee_id=1234,
                            committee=_esc("Education and Children's Services Scrutiny Committee"))]
    parts.append('<div class="mgHeader"><h1 class="mgMainTitleTxt">Agenda item</h1></div>')
    parts.append(f'<div class="mgSubTitle"><h2 class="mgSubTitleTxt">{_esc(item_title)}</h2></div>')
    parts.append('<div class="mgLinks"><ul><li><a href="mgIssueHistoryHome.aspx?IId=1">Issue history</a></li>'
                 '<li><a href="mgAi.aspx?ID=80860&amp;print=1">Printable version</a></li></ul></div>')
    parts.append('<div class="mgContent" id="mgContent">')
    parts.append('<div class="mgWordPara">')
    parts.append(_mg_body(lines[3:], {"Minutes:", "Supporting documents:"}))
    parts.append("</div></div>")
    parts.append(MG_FOOT.format(council=council))
    return "\n".join(parts).encode("utf-8")


def render_somerset_minutes(stem: str) -> bytes:
    lines = read_seed(stem).splitlines()
    nonblank = [ln for ln in lines if not is_blank(ln)]
    assert nonblank[0].strip() == "Meeting documents"
    committee_line, when_line, meeting_link = nonblank[1].strip(), nonblank[2].strip(), nonblank[3].strip()
    start = lines.index(nonblank[3]) + 1
    council = "Somerset County Council"
    item_title = "Family Safeguarding in Somerset: implementation update"
    parts = [MG_HEAD.format(title=_esc(f"Agenda item - {item_title} - {council}"), council=council,
                            description=_esc(f"Agenda item: {item_title}"), item_id=4401, committee_id=140,
                            committee=_esc("Scrutiny for Policies, Children and Families Committee"))]
    parts.append('<div class="mgHeader"><h1 class="mgMainTitleTxt">Meeting documents</h1></div>')
    parts.append(f'<div class="mgSubTitle"><h2 class="mgSubTitleTxt">{_esc(committee_line)}</h2>')
    parts.append(f'<p class="mgSubTitleDate">{_esc(when_line)}</p></div>')
    parts.append('<div class="mgContent" id="mgContent">')
    m = BULLET_LINE.match(meeting_link)
    link_text = m.group("text") if m else meeting_link
    parts.append(f'<ul class="mgActionList"><li><a href="ieListDocuments.aspx?CId=140&amp;MId=1">'
                 f'{_esc(link_text)}</a></li></ul>')
    parts.append('<div class="mgWordPara">')
    parts.append(_mg_body(lines[start:], {"Minutes:", "Supporting documents:"}))
    parts.append("</div></div>")
    parts.append(MG_FOOT.format(council=council))
    return "\n".join(parts).encode("utf-8")


# --------------------------------------------------------------------------- PDF (Blackpool report)

def _blackpool_items(text: str) -> list[tuple]:
    """Seed lines as ('title'|'label'|'value'|'section'|'para'|'numpara'|'bullet'|'numbered'|'table', ...)."""
    raw = text.splitlines()
    items: list[tuple] = []
    i = 0
    label_next = False
    while i < len(raw):
        line = raw[i]
        if is_blank(line):
            i += 1
            continue
        if "\t" in line:
            rows: list[list[str]] = []
            while i < len(raw) and ("\t" in raw[i] or is_blank(raw[i])):
                if "\t" in raw[i]:
                    rows.append(raw[i].split("\t"))
                i += 1
            items.append(("table", rows))
            continue
        stripped = line.strip()
        # a line the text export broke mid-sentence continues on the next non-blank line
        while (len(stripped) > 60 and not label_next and not stripped.endswith((".", ":", "?", "!", ")", "”", '"'))
               and i + 1 < len(raw)):
            j = i + 1
            while j < len(raw) and is_blank(raw[j]):
                j += 1
            if (j >= len(raw) or "\t" in raw[j] or BULLET_LINE.match(raw[j]) or SECTION_LINE.match(raw[j].strip())
                    or (raw[j].strip().endswith(":") and len(raw[j].strip()) < 25)):
                break
            stripped = f"{stripped} {raw[j].strip()}"
            i = j
        if stripped.endswith(":") and len(stripped) < 25 and not SECTION_LINE.match(stripped):
            items.append(("label", stripped))
            label_next = True
            i += 1
            continue
        if label_next:
            items.append(("value", stripped))
            label_next = False
            i += 1
            continue
        m = re.match(r"^(?P<num>\d{1,2}\.0)\s+(?P<text>.+)$", stripped)
        if m:
            items.append(("section", m.group("num"), m.group("text")))
            i += 1
            continue
        if stripped.isupper() and len(stripped) > 10:
            items.append(("title", stripped))
            i += 1
            continue
        indent = line[: len(line) - len(line.lstrip())]
        bm = BULLET_LINE.match(indent + stripped)
        if bm:
            inner = bm.group("text").strip()
            # the text export wrote numbered paragraphs ("- 6.1 ...") as bullets; they are paragraphs
            sm = SECTION_LINE.match(inner)
            if sm:
                items.append(("numpara", sm.group("num"), sm.group("text")))
            else:
                items.append(("bullet", 2 if len(bm.group("indent")) >= 1 else 1, inner))
            i += 1
            continue
        nm = NUMBERED_LINE.match(stripped)
        if nm:
            items.append(("numbered", nm.group("num"), nm.group("text")))
            i += 1
            continue
        sm = SECTION_LINE.match(stripped)
        if sm:
            kind = "subsection" if len(sm.group("text")) < 40 and not sm.group("text").endswith(".") else "numpara"
            items.append((kind, sm.group("num"), sm.group("text")))
            i += 1
            continue
        items.append(("para", stripped))
        i += 1
    return items


def render_blackpool_report(stem: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas as rl_canvas
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontName="Helvetica", fontSize=10.5, leading=14,
                          spaceAfter=6)
    numpara = ParagraphStyle("numpara", parent=body, leftIndent=12 * mm, bulletIndent=0, bulletFontName="Helvetica",
                             bulletFontSize=10.5)
    label = ParagraphStyle("label", parent=body, fontName="Helvetica-Bold", spaceAfter=2)
    section = ParagraphStyle("section", parent=body, fontName="Helvetica-Bold", fontSize=12, leading=16,
                             spaceBefore=10, spaceAfter=6)
    title = ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=16, leading=20,
                           alignment=TA_CENTER, spaceBefore=12, spaceAfter=12)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5, spaceAfter=3)
    cell_head = ParagraphStyle("cellhead", parent=cell, fontName="Helvetica-Bold")

    def p(text: str, style=body) -> Paragraph:
        return Paragraph(_html_inline(text).replace("<strong>", "<b>").replace("</strong>", "</b>")
                         .replace("<em>", "<i>").replace("</em>", "</i>"), style)

    story: list = []
    bullets: list = []

    def flush_bullets() -> None:
        if bullets:
            story.append(ListFlowable(list(bullets), bulletType="bullet", start="•", leftIndent=10 * mm,
                                      bulletFontName="Helvetica"))
            bullets.clear()

    width = A4[0] - 50 * mm
    for item in _blackpool_items(read_seed(stem)):
        kind = item[0]
        if kind != "bullet":
            flush_bullets()
        if kind == "title":
            story.append(p(item[1], title))
        elif kind == "label":
            story.append(p(item[1], label))
        elif kind == "value":
            story.append(p(item[1]))
        elif kind == "section":
            story.append(p(f"{item[1]} {item[2]}", section))
        elif kind == "subsection":
            story.append(p(f"{item[1]} {item[2]}", label))
        elif kind in ("numpara", "numbered"):
            # the number hangs in the margin, the text wraps at the indent
            number = item[1] if kind == "numpara" else f"{item[1]}."
            story.append(Paragraph(_html_inline(item[2]).replace("<em>", "<i>").replace("</em>", "</i>"), numpara,
                                   bulletText=number))
        elif kind == "bullet":
            level, text = item[1], item[2]
            bullets.append(ListItem(p(text), leftIndent=(10 if level == 1 else 18) * mm,
                                    value="•" if level == 1 else "–"))
        elif kind == "para":
            story.append(p(item[1]))
        elif kind == "table":
            rows = item[1]
            header = [re.sub(r"</?p>", "", c).strip() for c in rows[0]]
            body_rows: list[list[str]] = []
            for r in rows[1:]:
                cells = [[x.strip() for x in re.findall(r"<p>(.*?)</p>", c)] or ([c.strip()] if c.strip() else [])
                         for c in r]
                # a row holding whole lists (Outputs | Outcomes) is set out one entry a row
                depth = max(len(c) for c in cells)
                for k in range(depth):
                    body_rows.append([c[k] if k < len(c) else "" for c in cells])
            data = [[Paragraph(_esc(h), cell_head) for h in header]]
            data += [[Paragraph(_esc(c), cell) for c in r] for r in body_rows]
            ncols = len(header)
            t = Table(data, colWidths=[width / ncols] * ncols, repeatRows=1)
            t.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6f0")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))
            story.append(Spacer(1, 4))
            story.append(t)
            story.append(Spacer(1, 8))
    flush_bullets()

    class NumberedCanvas(rl_canvas.Canvas):
        """Running header and "Page N of M" footer, drawn once the page count is known."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved: list[dict] = []

        def showPage(self):
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self.setFont("Helvetica-Bold", 9)
                self.drawString(25 * mm, A4[1] - 14 * mm, "Blackpool Council")
                self.setFont("Helvetica", 9)
                self.drawRightString(A4[0] - 25 * mm, 12 * mm, f"Page {self._pageNumber} of {total}")
                super().showPage()
            super().save()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm,
                            bottomMargin=22 * mm, title="Family Safeguarding Model", author="Blackpool Council",
                            subject="Report to the Children and Young People's Scrutiny Committee, 21 September 2023",
                            creator="scripts/render_corpus.py", invariant=1)
    doc.build(story, canvasmaker=NumberedCanvas)
    return buf.getvalue()


# --------------------------------------------------------------------------- ZIP determinism

def fixed_zip(data: bytes) -> bytes:
    """Rewrite an OOXML package with fixed entry times so re-runs give identical bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- DOCX (Lancashire board report)

def _docx_runs(par, text: str) -> None:
    pos = 0
    for m in EMPHASIS.finditer(text):
        if m.start() > pos:
            par.add_run(text[pos:m.start()])
        run = par.add_run(m.group(1) or m.group(2))
        run.bold = bool(m.group(1))
        run.italic = not m.group(1)
        pos = m.end()
    if pos < len(text):
        par.add_run(text[pos:])


def render_lancashire_report(stem: str) -> bytes:
    import docx
    from docx.shared import Pt

    lines = [ln.strip() for ln in read_seed(stem).splitlines()]
    lines = [ln for ln in lines if ln]
    document = docx.Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    cp = document.core_properties
    cp.title = "Lancashire Safeguarding Model"
    cp.subject = "Corporate Parenting Board, 30 January 2020"
    cp.author = "Lancashire County Council"
    cp.last_modified_by = "Lancashire County Council"
    cp.keywords = "family safeguarding; corporate parenting"
    cp.created = dt.datetime(2020, 1, 20, 9, 0, 0)
    cp.modified = dt.datetime(2020, 1, 20, 9, 0, 0)
    cp.revision = 1

    headings2 = {"Executive Summary", "Recommendation", "Background and Advice", "Why Are We Doing This?",
                 "What Will Be Different?", "How Will We Do This?", "What Next?"}
    i = 0
    # the cover: board name, meeting, report of ...; "Electoral Division affected" sits in a side table
    document.add_paragraph(lines[0], style="Title")
    document.add_paragraph(lines[1])
    cover = document.add_table(rows=1, cols=2)
    cover.cell(0, 0).text = lines[2]
    cover.cell(0, 1).text = f"{lines[3]}\n{lines[4]}"
    i = 5
    in_timeline = False
    while i < len(lines):
        line = lines[i]
        if line == "Lancashire Safeguarding Model":
            document.add_heading(line, level=1)
        elif line in headings2:
            document.add_heading(line, level=2)
        elif line.startswith("Contact for further information:"):
            par = document.add_paragraph()
            par.add_run("Contact for further information:").bold = True
            par.add_run(line[len("Contact for further information:"):])
        elif re.fullmatch(r"(January|February|March|April|May|June|July|August|September|October|November|"
                          r"December) \d{4}", line):
            document.add_heading(line, level=3)
            in_timeline = True
        elif in_timeline:
            document.add_paragraph(line, style="List Bullet")
        else:
            par = document.add_paragraph()
            _docx_runs(par, line)
        i += 1
    buf = io.BytesIO()
    document.save(buf)
    return fixed_zip(buf.getvalue())


# --------------------------------------------------------------------------- PPTX (Somerset slides)

def _somerset_slides(text: str) -> list[tuple[str, list[tuple[str, int, str]]]]:
    """[(title, [(kind 'bullet'|'para', level, text)])]; ALL-CAPS lines start slides."""
    lines = text.splitlines()
    # the title slide: everything before the first section title
    slides: list[tuple[str, list]] = []
    joined = "\n".join(lines)
    first = joined.index("FAMILY SOLUTIONS")
    head = [ln.strip().strip("*").strip() for ln in joined[:first].splitlines() if not is_blank(ln)]
    # "**SCRUTINY\nJUNE 2022**" and "SOMERSET\nCounty Council" are one box each
    title = head[0]
    sub = [x for x in (" ".join(head[1:3]), " ".join(head[3:5])) if x]
    slides.append((title, [("para", 0, s) for s in sub]))
    cur_title: str | None = None
    cur: list = []
    tail = joined[first:].splitlines()
    k = 0
    while k < len(tail):
        raw = tail[k]
        k += 1
        if is_blank(raw):
            continue
        s = raw.strip()
        letters = re.sub(r"[^A-Za-z]", "", s)
        if s == "Any" and k < len(tail) and tail[k].strip() == "Questions?":
            if cur_title is not None:
                slides.append((cur_title, cur))
            slides.append(("Any Questions?", []))
            cur_title, cur = None, []
            k += 1
            continue
        if letters and letters.isupper() and len(letters) >= 4 and not s.startswith(("-", "•")):
            if cur_title is not None:
                slides.append((cur_title, cur))
            cur_title, cur = s, []
            continue
        m = BULLET_LINE.match(raw.rstrip())
        if m:
            cur.append(("bullet", 1 if len(m.group("indent")) >= 1 else 0, m.group("text").strip()))
        else:
            link = re.fullmatch(r"<(https?://[^>]+)>", s)
            cur.append(("para", 0, link.group(1) if link else s))
    if cur_title is not None:
        slides.append((cur_title, cur))
    return slides


def render_somerset_slides(stem: str) -> bytes:
    from pptx import Presentation
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    prs = Presentation()
    cp = prs.core_properties
    cp.title = "Family Safeguarding in Somerset – Implementation update"
    cp.subject = "Scrutiny for Policies, Children and Families Committee, 20 June 2022"
    cp.author = "Somerset County Council"
    cp.last_modified_by = "Somerset County Council"
    cp.created = dt.datetime(2022, 6, 10, 9, 0, 0)
    cp.modified = dt.datetime(2022, 6, 10, 9, 0, 0)
    cp.revision = 1

    def add_runs(paragraph, text: str) -> None:
        pos = 0
        for m in EMPHASIS.finditer(text):
            if m.start() > pos:
                paragraph.add_run().text = text[pos:m.start()]
            r = paragraph.add_run()
            r.text = m.group(1) or m.group(2)
            r.font.bold = bool(m.group(1)) or None
            r.font.italic = (not m.group(1)) or None
            pos = m.end()
        rest = text[pos:].replace("**", "")
        if rest:
            paragraph.add_run().text = rest

    for n, (title, body) in enumerate(_somerset_slides(read_seed(stem))):
        if n == 0:
            slide = prs.slides.add_slide(prs.slide_layouts[0])
            slide.shapes.title.text = title
            sub = slide.placeholders[1].text_frame
            for j, (_, _, text) in enumerate(body):
                para = sub.paragraphs[0] if j == 0 else sub.add_paragraph()
                add_runs(para, text)
            continue
        if not body:
            slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only (a picture slide in the original)
            slide.shapes.title.text = title
            continue
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = title
        frame = slide.placeholders[1].text_frame
        frame.word_wrap = True
        for j, (kind, level, text) in enumerate(body):
            para = frame.paragraphs[0] if j == 0 else frame.add_paragraph()
            add_runs(para, text)
            para.level = level
            for r in para.runs:
                r.font.size = Pt(12)
            if kind == "para":
                ppr = para._p.get_or_add_pPr()
                ppr.set("marL", "0")
                ppr.set("indent", "0")
                ppr.insert(0, ppr.makeelement(qn("a:buNone"), {}))
    buf = io.BytesIO()
    prs.save(buf)
    return fixed_zip(buf.getvalue())


# --------------------------------------------------------------------------- main

RENDERERS = {
    "000_69004c91e2aa51c0": (".html", render_lancashire_minutes),
    "001_6787dac944f98423": (".pdf", render_blackpool_report),
    "002_ac05e4c1368b06cd": (".html", render_somerset_minutes),
    "003_c6f32f02b0ec8fe1": (".docx", render_lancashire_report),
    "004_235523c0adba9974": (".pptx", render_somerset_slides),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "corpus" / "published")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with open(SEEDS / "manifest.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out_rows = []
    for row in rows:
        stem = Path(row["file"]).stem
        suffix, render = RENDERERS[stem]
        target = args.out / f"{stem}{suffix}"
        target.write_bytes(render(stem))
        out_rows.append({**row, "file": target.name})
        print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    with open(args.out / "manifest.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["file", "authority", "committee", "meeting_date", "kind", "url"],
                           lineterminator="\n")
        w.writeheader()
        for r in out_rows:
            w.writerow({k: r.get(k, "") for k in w.fieldnames})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
