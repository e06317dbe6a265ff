"""The Tracker page and what changes things: an action's status, owner, due date and note set in place,
a wrong record rejected, a change undone. Every change goes through kb.corrections (the store the CLI's
`actions set`, `records reject` and `corrections undo` write), attributed to whoever is signed in (or the
account running the server on 127.0.0.1); viewers are refused, and every form needs its CSRF token."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from reports.web.core import render, require_csrf, require_editor

router = APIRouter()
writes = APIRouter(dependencies=[Depends(require_csrf)])
STATUSES = ("all", "overdue", "open", "possible update", "updated", "done", "dropped")
DOWNLOADS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "html": "text/html", "json": "application/json", "md": "text/markdown"}


def _filters(authority, committee, owner, status, since, until, as_of, due_by) -> dict:
    return {"authority": authority, "committee": committee, "owner": owner, "status": status or "all",
            "since": since, "until": until, "as_of": as_of, "due_by": due_by}


def _tracker(store, f: dict, errors: dict) -> dict | None:
    from reports.actions import tracker
    from reports.common import ReportError
    from reports.web.pages import check_date

    dates = {k: check_date(k.replace("_", " "), f[k], errors) for k in ("since", "until", "as_of", "due_by")}
    if f["status"] not in STATUSES:
        errors["status"] = f'Status: "{f["status"]}" is not one of {", ".join(STATUSES)}'
    if errors:
        return None
    try:
        data = tracker(store, authority=[f["authority"]] if f["authority"] else (), committee=f["committee"] or None,
                       owner=f["owner"] or None, status=f["status"], since=dates["since"], until=dates["until"],
                       as_of=dates["as_of"])
    except ReportError as e:
        errors["authority"] = str(e)
        return None
    if dates["due_by"]:
        data["actions"] = [a for a in data["actions"] if a.get("due_date") and a["due_date"][:len(dates["due_by"])]
                           <= dates["due_by"]]
    return data


@router.get("/tracker")
def tracker_page(request: Request, authority: str = "", committee: str = "", owner: str = "", status: str = "all",
                 since: str = "", until: str = "", as_of: str = "", due_by: str = "", saved: int | None = None):
    from reports.actions import SHOWN, due_label, hand_label, why_label
    from reports.web.pages import facets

    f = _filters(authority, committee, owner, status, since, until, as_of, due_by)
    errors: dict[str, str] = {}
    with request.app.state.kb.store() as store:
        data = _tracker(store, f, errors)
        opts = facets(store)
        recent = _recent_changes(store)
    return render(request, "tracker.html", title="Action tracker", data=data, form=f, errors=errors,
                  statuses=STATUSES, shown=SHOWN, due_label=due_label, hand_label=hand_label, why_label=why_label,
                  saved=saved, recent=recent, back=_here(request), **opts)


def _here(request: Request) -> str:
    """This page's address, less the note of what was just saved (where a form sends the reader back)."""
    from urllib.parse import urlencode

    q = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "saved"])
    return request.url.path + (f"?{q}" if q else "")


def _recent_changes(store, n: int = 8) -> list[dict]:
    from kb.corrections import history

    return list(reversed(history(store)))[:n]


def _back(target: str | None, default: str = "/tracker") -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else default


@writes.post("/tracker/{ref}")
def set_action(request: Request, ref: str, status: str = Form(""), owner: str = Form(""), due: str = Form(""),
               note: str = Form(""), back: str = Form("/tracker"), user: dict = Depends(require_editor)):
    """Set what changed of the action's status, owner and due date, with a note (kb.corrections.set_action)."""
    from kb.corrections import CorrectionError
    from kb.corrections import set_action as correct
    from reports.actions import tracker

    with request.app.state.kb.store() as store:
        now = next((a for a in tracker(store, min_confidence=None)["actions"] if a["ref"] == ref), None)
        if now is None:
            raise HTTPException(404, f'No action "{ref}".')
        owner, due = owner.strip(), due.strip()
        fields = {"status": status or None, "owner": owner if owner and owner != (now.get("owner") or "") else None,
                  "due": due if due and due != (now.get("due_date") or "") else None}
        try:
            change = correct(store, ref, note=note.strip() or None, by=user["name"], **fields)
        except CorrectionError as e:
            return _refused(request, str(e), back)
    return RedirectResponse(_with_saved(_back(back), change) + f"#action-{ref}", status_code=303)


def _with_saved(url: str, change: int) -> str:
    base, _, _frag = url.partition("#")
    return base + ("&" if "?" in base else "?") + f"saved={change}"


def _refused(request: Request, message: str, back: str):
    return render(request, "error.html", status_code=400, title="Not changed", message=message, back=_back(back))


@writes.post("/records/{record_id}/reject")
def reject(request: Request, record_id: str, reason: str = Form(""), back: str = Form("/tracker"),
           user: dict = Depends(require_editor)):
    from kb.corrections import CorrectionError
    from kb.corrections import reject as run

    with request.app.state.kb.store() as store:
        try:
            change = run(store, record_id, reason, by=user["name"])
        except CorrectionError as e:
            return _refused(request, str(e), back)
    return RedirectResponse(_with_saved(_back(back), change), status_code=303)


@writes.post("/corrections/{change}/undo")
def undo(request: Request, change: int, back: str = Form("/corrections"), user: dict = Depends(require_editor)):
    from kb.corrections import CorrectionError
    from kb.corrections import undo as run

    with request.app.state.kb.store() as store:
        try:
            run(store, change, by=user["name"])
        except CorrectionError as e:
            return _refused(request, str(e), back)
    return RedirectResponse(_back(back, "/corrections"), status_code=303)


@writes.post("/documents/{key}/metadata")
def set_metadata(request: Request, key: str, authority: str = Form(""), committee: str = Form(""),
                 meeting_date: str = Form(""), kind: str = Form(""), note: str = Form(""),
                 user: dict = Depends(require_editor)):
    """Correct a document's metadata (kb.corrections.set_document): the fields that changed."""
    from kb.corrections import CorrectionError, set_document

    back = f"/documents/{key}"
    with request.app.state.kb.store() as store:
        d = store.get_document(key)
        if d is None:
            raise HTTPException(404, f'No document matches "{key}".')
        given = {"authority": authority, "committee": committee, "meeting_date": meeting_date, "kind": kind}
        fields = {k: (v.strip() or "-") for k, v in given.items() if v.strip() != (d.get(k) or "")}
        try:
            change = set_document(store, d["id"], fields, note=note.strip() or None, by=user["name"])
        except CorrectionError as e:
            return _refused(request, str(e), back)
    return RedirectResponse(f"{back}?saved={change}", status_code=303)


@router.get("/corrections")
def corrections_page(request: Request):
    from kb.corrections import history
    from kb.users import activity

    with request.app.state.kb.store() as store:
        rows = list(reversed(history(store)))
        log = activity(store, 50)
    return render(request, "corrections.html", title="Corrections and activity", rows=rows, log=log)


@router.get("/tracker/download")
def download(request: Request, format: str = "xlsx", authority: str = "", committee: str = "", owner: str = "",
             status: str = "all", since: str = "", until: str = "", as_of: str = "", due_by: str = "",
             for_meeting: str = ""):
    """The tracker as filtered (or, with for_meeting and committee, the pack for that meeting) as a file."""
    from reports import actions as module
    from reports.actions import tracker
    from reports.common import ReportError
    from reports.render import render as render_report
    from reports.web.pages import check_date

    if format not in DOWNLOADS:
        raise HTTPException(400, f'Cannot write "{format}" (one of {", ".join(DOWNLOADS)}).')
    errors: dict[str, str] = {}
    with request.app.state.kb.store() as store:
        if for_meeting:
            day = check_date("meeting date", for_meeting, errors)
            if errors:
                raise HTTPException(400, errors["meeting date"])
            try:
                data = tracker(store, committee=committee or None, for_meeting=day)
            except ReportError as e:
                raise HTTPException(400, str(e)) from None
            name = f"pack-{day}"
        else:
            data = _tracker(store, _filters(authority, committee, owner, status, since, until, as_of, due_by), errors)
            if data is None:
                raise HTTPException(400, "; ".join(errors.values()))
            name = f"actions-{data['as_of']}"
    body = render_report("actions", data, format, module, to_file=True)
    return Response(body, media_type=DOWNLOADS[format],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{format}"'})
