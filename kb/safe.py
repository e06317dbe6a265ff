"""Neutralising document text for spreadsheets: a cell that begins with = + - @ (or a tab/CR)
is read as a formula by Excel and LibreOffice; prefix it with an apostrophe."""
from __future__ import annotations

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
