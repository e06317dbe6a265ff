"""Turning report data into output: terminal tables (rich), Markdown, CSV, Excel, HTML, JSON.

Each report module provides `tables(data) -> list[Table]` (what the table/md/xlsx outputs show) and
`flat(data) -> Table` (one long table for CSV); HTML comes from Jinja2 templates in
reports/templates (autoescape on, most specific template first). CSV and Excel cells go through
kb.safe.csv_cell so that document text can never run as a spreadsheet formula.
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kb.safe import csv_cell, csv_row, web_url

FORMATS = ("table", "md", "html", "csv", "xlsx", "docx", "json")
TEMPLATES = Path(__file__).parent / "templates"
RAG = {"overdue": "d4351c", "open": "f47738", "done": "00703c", "slipped": "d4351c", "updated": "1d70b8",
       "possible update": "505a5f", "dropped": "505a5f",
       "no outcome reported": "d4351c", "delivered": "00703c", "happened": "00703c", "planned": "f47738"}
RAG_FILL = {"overdue": "f6d7d2", "open": "fff2d3", "done": "cce2d8", "slipped": "f6d7d2", "updated": "d2e2f1",
            "possible update": "e5e6e7", "dropped": "e5e6e7",
            "no outcome reported": "f6d7d2", "delivered": "cce2d8"}


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    status_col: str | None = None  # column whose value colours the row (RAG)
    note: str | None = None  # shown under the title (e.g. "not found in the documents")


def cited(item: dict) -> str:
    """An item's citation in plain text: "minutes.pdf p.3", with ", read by OCR" when its text came from a scan."""
    source, page = item.get("source"), item.get("page")
    if not source:
        return ""
    return f"{source}" + (f" p.{page}" if page is not None else "") + (", read by OCR" if item.get("ocr") else "")


def text_value(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def format_value(v, unit: str | None, short: bool = False) -> str:
    """188 / 12.5% / £2,100,000 (or £2.1m when short) / a rating's text."""
    if not isinstance(v, (int, float)):
        return "" if v is None else str(v)
    u = re.sub(r"[\s,]", "", (unit or "").lower())
    if u == "gbp":
        if short and abs(v) >= 1_000_000:
            return f"£{v / 1_000_000:,.1f}m".replace(".0m", "m")
        if short and abs(v) >= 10_000:
            return f"£{v / 1000:,.0f}k"
        return f"£{v:,.0f}" if float(v).is_integer() else f"£{v:,.2f}"
    text = f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"
    return text + ("%" if u == "%" else "")


# --- JSON ----------------------------------------------------------------------------------------
def to_json(data: dict) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, default=str)


# --- terminal ------------------------------------------------------------------------------------
def to_terminal(title: str, tables: list[Table], to_file: bool = False) -> str:
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    tty = sys.stdout.isatty() and not to_file
    width = shutil.get_terminal_size((160, 40)).columns if tty else 160
    console = Console(file=io.StringIO(), force_terminal=tty, width=width, color_system="standard" if tty else None)
    console.print(Text(title, style="bold"))
    colours = {"overdue": "red", "open": "yellow", "done": "green", "updated": "blue", "possible update": "magenta",
               "slipped": "red", "no outcome reported": "red",
               "delivered": "green", "planned": "yellow"}
    for t in tables:
        rt = RichTable(title=t.title, title_justify="left", show_lines=False, header_style="bold", expand=False)
        for c in t.columns:
            rt.add_column(c, overflow="fold")
        si = t.columns.index(t.status_col) if t.status_col in t.columns else None
        for row in t.rows:
            cells = [Text(text_value(v)) for v in row]
            if si is not None:
                cells[si].stylize(colours.get(str(row[si]), ""))
            rt.add_row(*cells)
        if not t.rows:
            rt.add_row(*([Text(t.note or "not found", style="dim")] + [""] * (len(t.columns) - 1)))
        console.print(rt)
    return console.file.getvalue()


# --- Markdown ------------------------------------------------------------------------------------
def md_cell(v) -> str:
    s = text_value(v).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")
    return s.replace("<", "&lt;").replace(">", "&gt;").replace("&lt;br&gt;", "<br>")


def to_markdown(title: str, tables: list[Table], intro: str | None = None) -> str:
    out = [f"# {md_cell(title)}", ""]
    if intro:
        out += [intro, ""]
    for t in tables:
        out += [f"## {md_cell(t.title)}", ""]
        if not t.rows:
            out += [f"_{t.note or 'not found'}_", ""]
            continue
        out.append("| " + " | ".join(md_cell(c) for c in t.columns) + " |")
        out.append("|" + "|".join("---" for _ in t.columns) + "|")
        for row in t.rows:
            out.append("| " + " | ".join(md_cell(v) for v in row) + " |")
        out.append("")
    return "\n".join(out)


# --- CSV -----------------------------------------------------------------------------------------
def to_csv(table: Table) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(csv_row(table.columns))
    for row in table.rows:
        w.writerow(csv_row("" if v is None else v for v in row))
    return buf.getvalue()


# --- Excel ---------------------------------------------------------------------------------------
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def xlsx_value(v):
    """A cell's value for Excel: a full ISO date as a real date (month- or year-precision dates stay
    text: they are not a day), text neutralised against formulas, the rest as it is."""
    if isinstance(v, str) and ISO_DATE.fullmatch(v):
        from datetime import date

        try:
            return date.fromisoformat(v)
        except ValueError:
            return v
    return csv_cell(v)


def _dates_and_links(ws, r: int, columns: list[str], row: list) -> None:
    """Dates shown as dates; the row's source (and its link column) a hyperlink to its http(s) URL."""
    from openpyxl.styles import Font

    for c in range(1, len(row) + 1):
        if ws.cell(r, c).is_date:
            ws.cell(r, c).number_format = "yyyy-mm-dd"
    lower = [str(c).lower() for c in columns]
    link = next((i for i, c in enumerate(lower) if c in ("url", "link")), None)
    url = web_url(row[link]) if link is not None else None
    if url is None:
        return
    for i in {link, *(i for i, c in enumerate(lower) if c == "source")}:
        cell = ws.cell(r, i + 1)
        cell.hyperlink = url
        cell.font = Font(color="1D70B8", underline="single")


def to_xlsx(tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for t in tables:
        name = "".join(ch for ch in t.title if ch not in "[]:*?/\\")[:31] or "Sheet"
        base, n = name, 2
        while name in used:
            name = f"{base[:28]} {n}"
            n += 1
        used.add(name)
        ws = wb.create_sheet(name)
        ws.append(csv_row(t.columns))  # a column may be named by a manifest (an authority): never a formula
        for cell in ws[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="0B0C0C")
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        si = t.columns.index(t.status_col) if t.status_col in t.columns else None
        for row in t.rows:
            ws.append([xlsx_value(v) for v in row])
            r = ws.max_row
            _dates_and_links(ws, r, t.columns, row)
            if si is not None and str(row[si]) in RAG_FILL:
                fill = PatternFill("solid", fgColor=RAG_FILL[str(row[si])])
                ws.cell(r, si + 1).fill = PatternFill("solid", fgColor=RAG[str(row[si])])
                ws.cell(r, si + 1).font = Font(bold=True, color="FFFFFF")
                for c in range(1, len(t.columns) + 1):
                    if c != si + 1:
                        ws.cell(r, c).fill = fill
        for i, col in enumerate(t.columns, 1):
            longest = max([len(str(col))] + [len(text_value(r[i - 1])) for r in t.rows])
            ws.column_dimensions[get_column_letter(i)].width = max(8, min(60, longest + 2))
            if longest > 60:
                for r in range(2, ws.max_row + 1):
                    ws.cell(r, i).alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(t.columns))}{max(ws.max_row, 1)}"
    if not wb.sheetnames:
        wb.create_sheet("Empty")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- HTML ----------------------------------------------------------------------------------------
def environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True, undefined=StrictUndefined)
    env.filters["num"] = text_value
    env.filters["fmt"] = format_value
    env.filters["weburl"] = web_url  # only an http(s) address becomes a link (never javascript: or data:)
    env.globals["rag"] = RAG
    return env


def source_numbers(sources: list[dict]) -> tuple[list[dict], dict[str, int]]:
    """Number the documents cited, in order of first appearance (footnote-style citations)."""
    seen: dict[str, int] = {}
    out = []
    for s in sources:
        if s["source"] not in seen:
            seen[s["source"]] = len(seen) + 1
            out.append({**s, "n": seen[s["source"]]})
    return out, seen


def to_html(name: str, data: dict, variant: str | None = None, **ctx) -> str:
    env = environment()
    names = ([f"{name}-{variant}.html"] if variant else []) + [f"{name}.html"]
    template = env.select_template(names)
    return template.render(data=data, **ctx)


def to_html_tables(title: str, tables: list[Table], intro: str | None = None) -> str:
    """A listing with no report template of its own (stats, a document, search hits)."""
    return environment().get_template("tables.html").render(title=title, tables=tables, intro=intro)


def render(name: str, data: dict, fmt: str, module, to_file: bool = False) -> str | bytes:
    """Render report `name` (compare | actions | timeline) in `fmt` using `module`'s tables/flat/title."""
    if fmt == "json":
        return to_json(data)
    if fmt == "csv":
        return to_csv(module.flat(data))
    if fmt == "xlsx":
        return to_xlsx(module.tables(data, spreadsheet=True))
    if fmt == "docx":
        from reports.docx_out import to_docx

        return to_docx(module.title(data), module.tables(data), module.intro(data))
    if fmt == "md":
        return to_markdown(module.title(data), module.tables(data), module.intro(data))
    if fmt == "html":
        return to_html(name, data, **module.html_context(data))
    return to_terminal(module.title(data), module.tables(data), to_file=to_file)
