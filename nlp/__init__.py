"""Extraction from parsed documents (spaCy-based rules for the genre); see nlp/extract.py."""

# Stored with each document and record. Change it when the rules change in a way that changes what
# is extracted: the next `scrutiny ingest` re-reads every file stored under an older version.
# e: sub-items run into a paragraph split; minuted tasks (nlp/minuted_tasks.py); outside advice and planning views
# as recommendations
EXTRACTOR_VERSION = "nlp-2026.12l"  # k: 12j + owners after a time; l: outside bodies by kind, no regional company
