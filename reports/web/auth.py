"""Who is asking: no one signs in on 127.0.0.1 (the officer's own machine: changes are made as the account
running the server); bound to another address, every page but the sign-in page needs a session
(kb.users). Sign-in is rate-limited per address and per name. Cookies are HttpOnly and SameSite, Secure
over https (TLS at a proxy that says so). Every response carries headers that keep the pages to this site.
"""
from __future__ import annotations

import secrets
import threading
import time
from collections import defaultdict, deque
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from reports.web.core import ANON_COOKIE, SESSION_COOKIE, render, require_csrf

PUBLIC = ("/sign-in", "/static/", "/favicon.ico")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
router = APIRouter()


class SignInLimiter:
    """At most `attempts` failed sign-ins per address and per user name in `window` seconds."""

    def __init__(self, attempts: int = 5, window: float = 300.0):
        self.attempts, self.window = attempts, window
        self.failures: dict[str, deque] = defaultdict(deque)
        self.lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque:
        q = self.failures[key]
        while q and q[0] < now - self.window:
            q.popleft()
        return q

    def wait(self, *keys: str) -> int:
        """Seconds until these keys may try again (0: now)."""
        now = time.monotonic()
        with self.lock:
            waits = [int(q[0] + self.window - now) + 1 for k in keys if len(q := self._recent(k, now)) >= self.attempts]
        return max(waits, default=0)

    def failed(self, *keys: str) -> None:
        with self.lock:
            for k in keys:
                self.failures[k].append(time.monotonic())

    def succeeded(self, *keys: str) -> None:
        with self.lock:
            for k in keys:
                self.failures.pop(k, None)


def secure(request: Request) -> bool:
    flag = request.app.state.settings.secure_cookies
    return request.url.scheme == "https" if flag is None else flag


def _lookup(request: Request, token: str) -> dict | None:
    from kb.users import session_user

    with request.app.state.kb.store() as s:
        return session_user(s, token)


async def identify(request: Request, call_next):
    """Middleware: set request.state.user and the basis of the visitor's CSRF token; send a visitor who
    has not signed in (where that is needed) to the sign-in page, or answer 401 on the API."""
    st = request.app.state
    path = request.url.path
    allowed = st.settings.allowed_hosts
    if allowed is not None and (request.url.hostname or "").strip("[]") not in allowed:
        return PlainTextResponse(f"Unknown host; open http://{allowed[0]}:{request.url.port or 80}/", status_code=400)
    anon = request.cookies.get(ANON_COOKIE)
    new_anon = None if anon else secrets.token_urlsafe(24)
    anon = anon or new_anon
    request.state.csrf_basis = "anon:" + anon
    if not st.settings.sign_in:
        request.state.user = {"name": st.settings.local_user, "role": "admin", "local": True}
    else:
        token = request.cookies.get(SESSION_COOKIE)
        request.state.user = await run_in_threadpool(_lookup, request, token) if token else None
        if request.state.user:
            request.state.csrf_basis = "session:" + token
        elif not path.startswith(PUBLIC):
            if path.startswith("/api/"):
                return JSONResponse({"error": "sign in first (POST /sign-in)"}, status_code=401)
            target = path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/sign-in?next={quote(target, safe='')}", status_code=303)
    response = await call_next(request)
    if new_anon:
        response.set_cookie(ANON_COOKIE, new_anon, httponly=True, samesite="strict", secure=secure(request), path="/")
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


@router.get("/sign-in")
def sign_in_page(request: Request, next: str = "/"):
    if not request.app.state.settings.sign_in:
        return RedirectResponse("/", status_code=303)
    return render(request, "sign_in.html", title="Sign in", next=_safe_next(next), error=None, name="")


@router.post("/sign-in", dependencies=[Depends(require_csrf)])
def sign_in(request: Request, name: str = Form(""), password: str = Form(""), next: str = Form("/")):
    from kb.users import log, new_session, verify

    st = request.app.state
    if not st.settings.sign_in:
        return RedirectResponse("/", status_code=303)
    keys = ("addr:" + (request.client.host if request.client else "?"), "name:" + name.strip().lower())
    wait = st.limiter.wait(*keys)
    if wait:
        return render(request, "sign_in.html", status_code=429, title="Sign in", next=_safe_next(next), name=name,
                      error=f"Too many failed attempts. Try again in {max(1, round(wait / 60))} minute(s).")
    with st.kb.store() as s:
        user = verify(s, name.strip(), password)
        if user is None:
            log(s, name.strip() or "?", "sign-in refused", keys[0])
        else:
            token = new_session(s, user["name"])
            log(s, user["name"], "sign-in", keys[0])
    if user is None:
        st.limiter.failed(*keys)
        return render(request, "sign_in.html", status_code=401, title="Sign in", next=_safe_next(next), name=name,
                      error="The name or password is not right.")
    st.limiter.succeeded(keys[1])
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=secure(request), path="/",
                        max_age=12 * 3600)
    return response


@router.post("/sign-out", dependencies=[Depends(require_csrf)])
def sign_out(request: Request):
    from kb.users import end_session, log

    st = request.app.state
    token = request.cookies.get(SESSION_COOKIE)
    user = request.state.user
    if st.settings.sign_in and token:
        with st.kb.store() as s:
            end_session(s, token)
            log(s, user["name"] if user else "?", "sign-out")
    response = RedirectResponse("/sign-in" if st.settings.sign_in else "/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
