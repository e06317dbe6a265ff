"""Neutralising text from documents and manifests for the places that would act on it: a spreadsheet
cell that begins with = + - @ (or a tab/CR) is read as a formula by Excel and LibreOffice (prefix it
with an apostrophe); a link is made only of an http(s) URL."""
from __future__ import annotations

from urllib.parse import urlsplit

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        # a negative number is data, not a formula
        try:
            float(value)
            return value
        except ValueError:
            return "'" + value
    return value


def csv_row(values) -> list:
    """Every cell of a row, headers included, through `csv_cell`."""
    return [csv_cell(v) for v in values]


def web_url(value) -> str | None:
    """`value` if it is an http(s) URL with a host (fit to be a link), else None: never javascript:,
    data:, file: or a relative path."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(ch in url for ch in "\x00\r\n\t "):
        return None
    return url
