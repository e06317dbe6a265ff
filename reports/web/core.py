"""What every page of the web workspace shares: the knowledge base it reads, the templates, who is asking,
the CSRF token of their forms, and the checks on a request that changes something.

The KB is one SQLite store kept open for the life of the server and used under one lock: the search
engine keeps its dense index in memory, stamped by this connection's view of the database, so one
connection keeps it warm. Writes (corrections, sign-ins) are short; an ingest runs in its own process.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

WEB = Path(__file__).parent
SESSION_COOKIE = "skb_session"
ANON_COOKIE = "skb_anon"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
NAV = (("Search", "/search"), ("Documents", "/documents"), ("Tracker", "/tracker"), ("Compare", "/compare"),
       ("Timeline", "/timeline"), ("Ingest", "/ingest"))


@dataclass
class Settings:
    home: Path
    sign_in: bool = False  # bound to an address other people can reach: users must sign in
    local_user: str = "local"  # who makes the changes when no one signs in (the account running the server)
    secure_cookies: bool | None = None  # None: Secure when the request came over https (TLS at a proxy)
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    max_upload_mb: int = 512
    allowed_hosts: tuple[str, ...] | None = None  # Host headers answered (None: any); on 127.0.0.1 its own names,
    # so that a web page elsewhere cannot reach the workspace by pointing its own name at 127.0.0.1


class WebKB:
    """The knowledge base as the server sees it: one store, one lock."""

    def __init__(self, home: Path):
        from kb.store import kb_location

        self.home = kb_location(home)
        self.lock = threading.RLock()
        self._store = None
        self._sources: dict[str, str] | None = None
        self._sources_stamp = None

    @contextmanager
    def store(self) -> Iterator:
        from kb.store import open_store

        with self.lock:
            if self._store is None:
                self._store = open_store(self.home)
            yield self._store

    def close(self) -> None:
        with self.lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def doc_id_of(self, source: str | None) -> str | None:
        """The id of the stored document with this source path (for links from report citations)."""
        if not source:
            return None
        with self.store() as s:
            stamp = s.change_stamp()
            if self._sources is None or stamp != self._sources_stamp:
                self._sources = s.source_ids()
                self._sources_stamp = stamp
            return self._sources.get(source)

    def doc_href(self, source: str | None, page=None) -> str | None:
        doc_id = self.doc_id_of(source)
        if doc_id is None:
            return None
        return f"/documents/{doc_id}" + (f"#page-{page}" if page not in (None, "") else "")


def environment(kb: WebKB):
    """The web templates first, then the reports' (so a report's body renders inside the workspace's pages)."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

    from reports.render import TEMPLATES
    from reports.render import environment as report_env
    from reports.web.views import highlight

    base = report_env()
    env = Environment(loader=ChoiceLoader([FileSystemLoader(str(WEB / "templates")), FileSystemLoader(str(TEMPLATES))]),
                      autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined)
    env.filters.update(base.filters)
    env.globals.update(base.globals)
    env.globals["doc_href"] = kb.doc_href
    env.globals["nav"] = NAV
    env.filters["urlq"] = lambda v: quote(str(v or ""), safe="")
    env.filters["hl"] = highlight
    env.filters["timefmt"] = lambda t: time.strftime("%Y-%m-%d %H:%M", time.localtime(t))
    env.globals["query"] = lambda **kw: urlencode([(k, v) for k, vs in kw.items()
                                                   for v in (vs if isinstance(vs, (list, tuple)) else [vs]) if v])
    return env


def app_state(request: Request):
    return request.app.state


def user_of(request: Request) -> dict | None:
    return getattr(request.state, "user", None)


def can_edit(request: Request) -> bool:
    u = user_of(request)
    return bool(u) and u["role"] in ("editor", "admin")


def csrf_token(request: Request) -> str:
    """The token every form of this visitor carries: an HMAC of their session (or anonymous) cookie."""
    st = app_state(request)
    basis = getattr(request.state, "csrf_basis", None) or ""
    return hmac.new(st.settings.secret, basis.encode("utf-8"), hashlib.sha256).hexdigest()


async def require_csrf(request: Request) -> None:
    """Refuse (403) a request that changes something without this visitor's CSRF token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            sent = form.get(CSRF_FIELD)
    if not sent or not isinstance(sent, str) or not hmac.compare_digest(sent, csrf_token(request)):
        raise HTTPException(403, "This form has expired or did not come from this site (no valid CSRF token). "
                                 "Go back, reload the page and try again.")


def require_editor(request: Request) -> dict:
    """The signed-in editor or admin; a viewer is refused (403)."""
    u = user_of(request)
    if not u or u["role"] not in ("editor", "admin"):
        raise HTTPException(403, "Viewers cannot change anything: ask an editor or an admin.")
    return u


def render(request: Request, template: str, status_code: int = 200, **ctx) -> HTMLResponse:
    st = app_state(request)
    page = st.env.get_template(template).render(
        request=request, user=user_of(request), can_edit=can_edit(request), csrf=csrf_token(request),
        csrf_field=CSRF_FIELD, sign_in=st.settings.sign_in, path=request.url.path, **ctx)
    return HTMLResponse(page, status_code=status_code)
