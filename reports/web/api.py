"""The JSON API under /api/: the CLI's JSON shapes (shared/eval/SCHEMA.md), from the same library calls.
Described by the OpenAPI document at /api/openapi.json (and the page /api)."""
from __future__ import annotations

import json

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

router = APIRouter(prefix="/api", tags=["api"])


def _json(data) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, default=str), media_type="application/json")


def _date(name: str, value: str | None) -> str | None:
    from kb.dates import parse_user_date

    if not value:
        return None
    try:
        return parse_user_date(value)
    except ValueError as e:
        raise HTTPException(400, f"{name}: {e}") from None


@router.get("/search", summary="Ranked passages for a query (the `scrutiny search --json` shape)")
def api_search(request: Request, q: str, authority: list[str] = Query(default=[]), committee: str | None = None,
               kind: str | None = None, since: str | None = None, until: str | None = None,
               limit: int = Query(10, ge=1, le=200), mode: str = "hybrid"):
    from kb.search import SearchError, search

    with request.app.state.kb.store() as store:
        try:
            hits = search(store, q, authority=authority or None, committee=committee, kind=kind,
                          since=_date("since", since), until=_date("until", until), limit=limit, mode=mode)
        except SearchError as e:
            raise HTTPException(400, str(e)) from None
    return _json({"query": q, "hits": hits})


@router.get("/actions", summary="The action tracker (the `scrutiny actions --format json` shape)")
def api_actions(request: Request, status: str = "all", as_of: str | None = None,
                authority: list[str] = Query(default=[]), committee: str | None = None, owner: str | None = None,
                since: str | None = None, until: str | None = None, min_confidence: float = Query(0.4, ge=0, le=1),
                for_meeting: str | None = None):
    from reports.actions import tracker
    from reports.common import ReportError

    with request.app.state.kb.store() as store:
        try:
            data = tracker(store, authority=authority, committee=committee, owner=owner, status=status,
                           since=_date("since", since), until=_date("until", until), as_of=_date("as_of", as_of),
                           min_confidence=min_confidence, for_meeting=_date("for_meeting", for_meeting))
        except ReportError as e:
            raise HTTPException(400, str(e)) from None
    return _json(data)


@router.get("/compare", summary="Authorities side by side on a topic (the `scrutiny compare --format json` shape)")
def api_compare(request: Request, topic: str, authority: list[str] = Query(...), as_of: str | None = None,
                committee: str | None = None, since: str | None = None, until: str | None = None):
    from reports.common import ReportError
    from reports.compare import compare

    with request.app.state.kb.store() as store:
        try:
            data = compare(store, authority, topic, as_of=_date("as_of", as_of), committee=committee,
                           since=_date("since", since), until=_date("until", until))
        except ReportError as e:
            raise HTTPException(400, str(e)) from None
    return _json(data)


@router.get("/timeline", summary="An authority's dated events (the `scrutiny timeline --format json` shape)")
def api_timeline(request: Request, authority: str, topic: str | None = None, as_of: str | None = None):
    from reports.common import ReportError
    from reports.timeline import timeline

    with request.app.state.kb.store() as store:
        try:
            data = timeline(store, authority, topic=topic, as_of=_date("as_of", as_of))
        except ReportError as e:
            raise HTTPException(400, str(e)) from None
    return _json(data)


@router.get("/documents", summary="The stored documents' metadata")
def api_documents(request: Request, authority: list[str] = Query(default=[]), committee: str | None = None,
                  kind: str | None = None):
    with request.app.state.kb.store() as store:
        return _json({"documents": store.documents(authority=authority or None, committee=committee, kind=kind)})


@router.get("/documents/{key}", summary="One document: metadata, text blocks and records (`scrutiny show --json`)")
def api_document(request: Request, key: str):
    from kb.store import RECORD_KINDS

    with request.app.state.kb.store() as store:
        d = store.get_document(key)
        if d is None:
            raise HTTPException(404, f'no document matches "{key}"')
        blocks = [b.to_dict() for b in store.blocks(d["id"])]
        recs = {k: store.records(k, d["id"]) for k in RECORD_KINDS}
    return _json({**d, "blocks": blocks, **recs})
