"""The pages that read: Search, Documents and a Document, an Authority, a Timeline. Each is a thin layer over
the library call the CLI makes (kb.search.search, SQLiteStore.get_document/blocks/records,
reports.actions.tracker, reports.timeline.timeline)."""
from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse

from reports.web.core import render

router = APIRouter()
DOC_KINDS = ("minutes", "report", "presentation", "agenda", "other")
LISTED = 200  # documents listed on a page at most (the newest; filters narrow the list)


def facets(store) -> dict:
    """What the filters offer: the stored authorities and committees."""
    rows = store.authority_committees()
    return {"authorities": sorted({r[0] for r in rows if r[0]}), "committees": sorted({r[1] for r in rows if r[1]}),
            "kinds": DOC_KINDS}


def check_date(name: str, value: str, errors: dict) -> str | None:
    """A date filter as the CLI reads it (kb.dates), or None with the reason in `errors`."""
    from kb.dates import parse_user_date

    if not value.strip():
        return None
    try:
        return parse_user_date(value.strip())
    except ValueError as e:
        errors[name] = f"{name.capitalize()}: {e}"
        return None


@router.get("/")
def home(request: Request):
    return RedirectResponse("/search", status_code=303)


@router.get("/search")
def search_page(request: Request, q: str = "", authority: str = "", committee: str = "", kind: str = "",
                since: str = "", until: str = "", limit: int = 20):
    from kb.search import SearchError, search
    from reports.web.views import search_hits

    errors: dict[str, str] = {}
    form = {"q": q, "authority": authority, "committee": committee, "kind": kind, "since": since, "until": until}
    dates = {k: check_date(k, form[k], errors) for k in ("since", "until")}
    if kind and kind not in DOC_KINDS:
        errors["kind"] = f'Kind: "{kind}" is not one of {", ".join(DOC_KINDS)}'
    hits = None
    with request.app.state.kb.store() as store:
        opts = facets(store)
        stats = store.stats() if not q.strip() else None
        if q.strip() and not errors:
            try:
                found = search(store, q.strip(), authority=[authority] if authority else None,
                               committee=committee or None, kind=kind or None, limit=max(1, min(limit, 100)), **dates)
                hits = search_hits(found, q)
            except SearchError as e:
                errors["q"] = str(e)
    return render(request, "search.html", title=f"Search: {q}" if q else "Search", form=form, hits=hits,
                  errors=errors, stats=stats, **opts)


@router.get("/documents")
def documents_page(request: Request, authority: str = "", committee: str = "", kind: str = ""):
    with request.app.state.kb.store() as store:
        docs = store.documents(authority=[authority] if authority else None, committee=committee or None,
                               kind=kind or None)
        opts = facets(store)
    docs.sort(key=lambda d: (d.get("meeting_date") or "", d["source"]), reverse=True)
    return render(request, "documents.html", title="Documents", docs=docs[:LISTED], total=len(docs),
                  form={"authority": authority, "committee": committee, "kind": kind}, **opts)


def load_document(store, key: str) -> dict:
    d = store.get_document(key)
    if d is None:
        raise HTTPException(404, f'No document matches "{key}".')
    return d


@router.get("/documents/{key}")
def document_page(request: Request, key: str, q: str = ""):
    from kb.search import query_terms
    from reports.web.views import RECORD_KINDS, document_view, term_pattern

    with request.app.state.kb.store() as store:
        d = load_document(store, key)
        blocks = store.blocks(d["id"])
        records = {k: store.records(k, d["id"], keep_rejected=True) for k in RECORD_KINDS}
    pages, listed = document_view(blocks, records)
    return render(request, "document.html", title=d.get("title") or d["source"], doc=d, pages=pages, listed=listed,
                  original=original_href(d), terms=term_pattern(query_terms(q)) if q else None, q=q,
                  kinds=DOC_KINDS, counts={k: sum(1 for x in listed if x["kind"] == k and not x["rejected"])
                                           for k in RECORD_KINDS})


def original_href(d: dict) -> str | None:
    """Where the original file can be opened: the server's copy (a PDF at its page by #page=N)."""
    path = d.get("abspath")
    return f"/documents/{d['id']}/original" if path and Path(path).is_file() else None


@router.get("/documents/{key}/original")
def original(request: Request, key: str):
    """The original file of a stored document (its path comes from the KB, never from the request)."""
    with request.app.state.kb.store() as store:
        d = load_document(store, key)
    path = Path(d.get("abspath") or "")
    if not path.is_file():
        raise HTTPException(404, f'The original file of "{d["source"]}" is no longer at {path}.')
    media = {"pdf": "application/pdf", "html": "text/html", "txt": "text/plain", "md": "text/plain"}.get(
        d.get("format") or "", mimetypes.guess_type(path.name)[0] or "application/octet-stream")
    inline = media in ("application/pdf", "text/html", "text/plain")
    # a council's HTML page is shown sandboxed (no scripts, no cookies); a PDF opens in the browser's own viewer
    headers = {"X-Frame-Options": "DENY"} | ({} if media == "application/pdf" else {"Content-Security-Policy": "sandbox"})
    return FileResponse(path, media_type=media, filename=path.name, content_disposition_type="inline" if inline
                        else "attachment", headers=headers)


@router.get("/authorities")
def authorities_page(request: Request):
    with request.app.state.kb.store() as store:
        stats = store.stats()
    return render(request, "authorities.html", title="Authorities", stats=stats)


@router.get("/authorities/{name}")
def authority_page(request: Request, name: str, as_of: str = ""):
    from reports.actions import tracker
    from reports.common import ReportError, resolve_authorities
    from reports.web.views import figure_series

    with request.app.state.kb.store() as store:
        try:
            (full,) = resolve_authorities(store, [name])
            acts = tracker(store, authority=[full], as_of=as_of or None)
        except ReportError as e:
            raise HTTPException(404, str(e)) from None
        docs = store.documents(authority=[full])
        metrics = [(d, m) for d in docs for m in store.records("metrics", d["id"])]
    committees: dict[str, list[dict]] = {}
    for d in docs:
        committees.setdefault(d.get("committee") or "(committee not known)", []).append(d)
    docs.sort(key=lambda d: (d.get("meeting_date") or "", d["source"]), reverse=True)
    outstanding = [a for a in acts["actions"] if a["status"] in ("overdue", "open")]
    outstanding.sort(key=lambda a: (a["status"] != "overdue", a.get("due_date") or "9999"))
    return render(request, "authority.html", title=full, authority=full, docs=docs[:LISTED], total=len(docs),
                  committees=committees,
                  series=figure_series(metrics), actions=outstanding, as_of=acts["as_of"], counts=acts["counts"])


@router.get("/timeline")
def timeline_page(request: Request, authority: str = "", topic: str = "", since: str = "", until: str = "",
                  as_of: str = ""):
    from reports import timeline as module
    from reports.common import ReportError

    errors: dict[str, str] = {}
    dates = {k: check_date(k, v, errors) for k, v in (("since", since), ("until", until), ("as_of", as_of))}
    data = ctx = None
    with request.app.state.kb.store() as store:
        opts = facets(store)
        if authority and not errors:
            try:
                data = module.timeline(store, authority, topic=topic or None, **dates)
                ctx = module.html_context(data)
            except ReportError as e:
                errors["authority"] = str(e)
    form = {"authority": authority, "topic": topic, "since": since, "until": until, "as_of": as_of}
    if data is None:
        return render(request, "timeline_form.html", title="Timeline", form=form, errors=errors, **opts)
    return render(request, "timeline_page.html", data=data, form=form, errors=errors, **ctx, **opts)
