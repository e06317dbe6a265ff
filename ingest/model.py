"""The normalised document model every parser produces.

A parsed document is metadata plus an ordered list of blocks. Each block knows
its page (or slide) number and the heading path it sits under, so every fact
extracted later can cite where it came from.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

BLOCK_KINDS = ("heading", "paragraph", "list_item", "table_row")


@dataclass
class Block:
    kind: str  # one of BLOCK_KINDS
    text: str  # plain text; for a table row the cells joined with " | "
    page: int | None = None  # 1-based page or slide number; None where the format has no pages
    section: str | None = None  # heading path, " > " joined ("6.0 Background > 6.3 ...")
    level: int = 0  # heading level (1 = top) or list nesting depth
    number: str | None = None  # the block's own number where it has one ("2.1", "4.", "(a)")
    cells: list[str] | None = None  # table rows: the cells
    header: list[str] | None = None  # table rows: the header row of the table they belong to
    table: int | None = None  # table rows: index of the table within the document
    notes: bool = False  # PPTX speaker notes
    ocr: bool = False  # read from a page image by OCR (Tesseract), not from the file's text

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, False)}

    @classmethod
    def from_dict(cls, d: dict) -> Block:
        return cls(**d)


@dataclass
class ParsedDocument:
    format: str  # pdf | html | docx | pptx | txt | md
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    pages: int | None = None  # page/slide count where known
    # hints the parser found in the file itself (DOCX core properties, HTML <title>, PDF info)
    hints: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    converted_from: str | None = None  # "doc", "ppt", "odt", "odp", "rtf": converted by LibreOffice first

    @property
    def ocr(self) -> bool:
        """Whether any of its text was read by OCR."""
        return any(b.ocr for b in self.blocks)

    @property
    def parser(self) -> str:
        """What read it: the format's parser, "+ocr" where OCR read pages, "doc>docx" where converted."""
        name = f"{self.converted_from}>{self.format}" if self.converted_from else self.format
        return f"{name}+ocr" if self.ocr else name

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    def page_text(self, page: int) -> str:
        return "\n".join(b.text for b in self.blocks if b.page == page)


# The most text blocks one document may hold: some 1,800 PDF pages, far beyond any committee paper
# (the longest in ../shared/corpus-real, 101 pages, holds 1,356). Extraction costs some 5 ms a block, so a file
# built of 100,000 one-line paragraphs would otherwise take the whole per-file timeout.
MAX_BLOCKS = 25_000


class ParseError(Exception):
    """A file that cannot be parsed; the message says why, in words for a user."""


class UnsupportedFormat(ParseError):
    """A format we know but do not read (legacy .doc/.ppt, OpenDocument): the file is skipped, not failed."""


class NoText(ParseError):
    """A file with no text to store (empty, blank, or scanned without a text layer): skipped, never
    stored as an empty document."""


# What makes a file skipped (reported with its reason; exit 0 unless `ingest --strict`) rather than failed.
SKIPPED_ERRORS = (UnsupportedFormat, NoText)


# The extracted records, kind by kind: the fields each record of that kind carries (shared/eval/SCHEMA.md,
# plus fields added since: an action's `type` and `cue`, every record's `confidence`). Written once: the
# extractor fills these and the store keeps them (kb.migrations adds a column for each new one).
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "metrics": ("value", "value_high", "unit", "measure", "subject", "period", "text", "page", "cue", "confidence"),
    "recommendations": ("number", "text", "page", "cue", "confidence"),
    "decisions": ("number", "text", "page", "result", "cue", "confidence"),
    "actions": ("text", "owner", "due_date", "due_text", "status", "type", "cue", "page", "confidence"),
    "dates": ("date", "event", "text", "page", "cue", "confidence"),
    "people": ("name", "role", "organisation", "page", "cue", "confidence"),
}
# what every stored record has besides its own fields: where it stands and what produced it
RECORD_PLACE_FIELDS = ("page", "text", "section", "block", "extractor")
# the action types of ANNOTATION.md, in the order a sentence is read for them
ACTION_TYPES = ("resolution", "request", "undertaking", "commitment", "awaiting")
