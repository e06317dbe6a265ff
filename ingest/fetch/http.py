"""A polite HTTP client for fetching council papers: one request at a time with a delay between them,
retries with back-off on a 5xx, 429 or a network error, conditional requests (ETag / Last-Modified), a
timeout on every request, and no request outside the hosts it was given (redirects included)."""
from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

USER_AGENT = "scrutiny-kb/0.1 (+council papers for scrutiny; one request at a time)"
MAX_BYTES = 512 * 1024 * 1024


class FetchError(Exception):
    """A URL that could not be fetched; the message says why (status, timeout, host refused)."""


@dataclass
class Response:
    status: int  # 200, or 304 when the copy held is current
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    url: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by Client.get itself, so that each hop is checked against the hosts."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Client:
    hosts: set[str]  # the only hosts (host:port) requests may go to
    delay: float = 1.0  # seconds between two requests
    retries: int = 3
    backoff: float = 2.0  # seconds before the first retry, doubled each time
    timeout: float = 30.0
    requests: list[str] = field(default_factory=list)  # every URL requested, in order
    _last: float = 0.0

    def __post_init__(self) -> None:
        self._opener = urllib.request.build_opener(_NoRedirect)

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and parts.netloc.lower() in self.hosts

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        """The URL's response (status 304 where `etag`/`last_modified` still hold); FetchError after the
        retries, or at once for a 4xx or a host not allowed."""
        for _ in range(5):  # redirects
            response = self._get_with_retries(url, etag, last_modified)
            if response.status in (301, 302, 303, 307, 308):
                url = urllib.parse.urljoin(url, response.url)
                continue
            return response
        raise FetchError("too many redirects")

    def _get_with_retries(self, url: str, etag: str | None, last_modified: str | None) -> Response:
        if not self.allowed(url):
            raise FetchError(f"refused: {urlsplit(url).netloc or url} is not the site's host")
        wait = self.backoff
        for attempt in range(self.retries + 1):
            try:
                return self._get_once(url, etag, last_modified)
            except _Retry as e:
                if attempt == self.retries:
                    raise FetchError(str(e)) from None
                time.sleep(wait)
                wait *= 2
        raise AssertionError("unreachable")

    def _get_once(self, url: str, etag: str | None, last_modified: str | None) -> Response:
        pause = self._last + self.delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        headers = {"User-Agent": USER_AGENT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self.requests.append(url)
        try:
            with self._opener.open(urllib.request.Request(url, headers=headers), timeout=self.timeout) as r:
                body = r.read(MAX_BYTES + 1)
                if len(body) > MAX_BYTES:
                    raise FetchError(f"larger than {MAX_BYTES >> 20} MB")
                return Response(r.status, body, r.headers.get("ETag"), r.headers.get("Last-Modified"),
                                r.headers.get("Content-Type"), url)
        except urllib.error.HTTPError as e:
            if e.code == 304:
                return Response(304, url=url)
            if e.code in (301, 302, 303, 307, 308) and e.headers.get("Location"):
                return Response(e.code, url=e.headers["Location"])
            if e.code >= 500 or e.code == 429:
                raise _Retry(f"HTTP {e.code} {e.reason}") from None
            raise FetchError(f"HTTP {e.code} {e.reason}") from None
        except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as e:
            reason = getattr(e, "reason", None) or e
            raise _Retry(f"no answer ({'timed out' if isinstance(reason, TimeoutError) else reason})") from None
        finally:
            self._last = time.monotonic()


class _Retry(Exception):
    pass
