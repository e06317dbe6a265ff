"""What DOCX and PPTX files share: their core properties (title, author, dates) as parser hints."""
from __future__ import annotations


def core_hints(core_properties, text_fields: tuple[str, ...] = ("title", "subject", "author", "keywords")) -> dict:
    hints: dict = {}
    for name in text_fields:
        value = (getattr(core_properties, name, None) or "").strip()
        if value:
            hints[name] = value
    for name in ("created", "modified"):
        value = getattr(core_properties, name, None)
        if value is not None:
            hints[name] = value.date().isoformat()
    return hints
