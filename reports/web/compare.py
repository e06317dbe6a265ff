"""The Compare page: pick authorities and a topic, see what `scrutiny compare` gives (its report body, with
its charts and citations, inside the workspace), and download it as HTML, XLSX, CSV or DOCX."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from reports.web.core import render
from reports.web.tracker import DOWNLOADS

router = APIRouter()


def build(store, authority: list[str], topic: str, since: str, until: str, as_of: str, errors: dict) -> dict | None:
    from reports.common import ReportError
    from reports.compare import compare
    from reports.web.pages import check_date

    dates = {k: check_date(k.replace("_", " "), v, errors) for k, v in (("since", since), ("until", until),
                                                                          ("as_of", as_of))}
    names = [a for a in authority if a.strip()]
    if not names:
        errors["authority"] = "Choose at least one authority."
    if not topic.strip():
        errors["topic"] = 'Say what to compare, e.g. "family safeguarding".'
    if errors:
        return None
    try:
        return compare(store, names, topic.strip(), **dates)
    except ReportError as e:
        errors["topic" if "no documents" in str(e) else "authority"] = str(e)
        return None


@router.get("/compare")
def compare_page(request: Request, authority: list[str] = Query(default=[]), topic: str = "", since: str = "",
                 until: str = "", as_of: str = ""):
    from reports import compare as module
    from reports.web.pages import facets

    errors: dict[str, str] = {}
    form = {"authority": authority, "topic": topic, "since": since, "until": until, "as_of": as_of}
    with request.app.state.kb.store() as store:
        opts = facets(store)
        data = build(store, authority, topic, since, until, as_of, errors) if (authority or topic) else None
    if data is None:
        if not (authority or topic):
            errors = {}
        return render(request, "compare_form.html", title="Compare", form=form, errors=errors, **opts)
    return render(request, "compare_page.html", data=data, form=form, errors=errors, formats=("html", "xlsx", "csv",
                                                                                             "docx", "json"),
                  **module.html_context(data), **opts)


@router.get("/compare/download")
def compare_download(request: Request, format: str = "html", authority: list[str] = Query(default=[]),
                     topic: str = "", since: str = "", until: str = "", as_of: str = ""):
    from reports import compare as module
    from reports.render import render as render_report

    if format not in DOWNLOADS:
        raise HTTPException(400, f'Cannot write "{format}" (one of {", ".join(DOWNLOADS)}).')
    errors: dict[str, str] = {}
    with request.app.state.kb.store() as store:
        data = build(store, authority, topic, since, until, as_of, errors)
    if data is None:
        raise HTTPException(400, " ".join(errors.values()))
    body = render_report("compare", data, format, module, to_file=True)
    slug = "".join(c if c.isalnum() else "-" for c in data["topic"].lower()).strip("-")[:40] or "compare"
    return Response(body, media_type=DOWNLOADS[format],
                    headers={"Content-Disposition": f'attachment; filename="compare-{slug}.{format}"'})
