"""Papers fetched from where councils publish them, into the KB's folder, then ingested.

`fetch_moderngov` lists a ModernGov site's committees and meetings through its web service
(:mod:`ingest.fetch.moderngov`), or its HTML pages where the service is switched off
(:mod:`ingest.fetch.moderngov_pages`), downloads each meeting's linked documents into
``<kb>/papers/<host>/<committee>/<date>/`` with a ``manifest.csv`` holding what the site says (committee,
meeting date, URL, and the authority where given), and keeps ``<kb>/papers/fetched.json``: per URL its
ETag / Last-Modified, content hash, file, document and item title. A later fetch asks conditionally and
writes nothing for what is held unchanged. Every failure (a 500, a timeout) is reported with the URL and
the rest carry on. `fetch_urls` does the same for a plain list of document URLs.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ingest.fetch.http import Client, FetchError
from ingest.fetch.moderngov import ModernGov, Paper, wanted

STATE = "fetched.json"


@dataclass
class FetchReport:
    new: list[str] = field(default_factory=list)  # files written for the first time
    changed: list[str] = field(default_factory=list)  # files written again: the site's copy changed
    unchanged: list[str] = field(default_factory=list)  # URLs whose copy held is current
    failed: list[tuple[str, str]] = field(default_factory=list)  # (URL, reason)
    folders: set[str] = field(default_factory=set)  # folders holding what was written


def papers_root(home: Path, base_url: str) -> Path:
    return Path(home) / "papers" / _slug(urlsplit(base_url).netloc.replace(":", "_"))


def _slug(text: str, limit: int = 80) -> str:
    s = re.sub(r"[^\w.,()&' -]+", "-", text, flags=re.UNICODE).strip(" .-")
    return (s or "untitled")[:limit].rstrip(" .-")


def _suffix(body: bytes, url: str, content_type: str | None) -> str:
    """The file's extension from its bytes first, then its URL and Content-Type."""
    if body[:5] == b"%PDF-" or b"%PDF-" in body[:1024]:
        return ".pdf"
    if body[:2] == b"PK":
        from ingest.parsers import _zip_kind

        kind = _zip_kind(body)
        return f".{kind}" if kind in ("docx", "pptx") else (kind if kind and kind.startswith(".") else ".zip")
    if body[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return ".ppt" if ".ppt" in url.lower() else ".doc"
    path_suffix = os.path.splitext(urlsplit(url).path)[1].lower()
    if path_suffix in (".doc", ".docx", ".ppt", ".pptx", ".odt", ".odp", ".rtf", ".txt"):
        return path_suffix
    if "html" in (content_type or "") or re.search(rb"<html", body[:2048], re.IGNORECASE):
        return ".html"
    return path_suffix or ".bin"


def load_state(root: Path) -> dict[str, dict]:
    try:
        return json.loads((root.parent / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_state(root: Path, state: dict[str, dict]) -> None:
    path = root.parent / STATE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def fetch_moderngov(home: Path, base_url: str, client: Client, committees: tuple[str, ...] = (),
                    since: date | None = None, until: date | None = None, authority: str | None = None,
                    progress=None) -> FetchReport:
    """Download the papers of the site's meetings between `since` and `until` (default: the last year)
    for the committees named (default: all); returns what was new, changed, unchanged or failed."""
    until = until or date.today()
    since = since or date(until.year - 1, until.month, min(until.day, 28))
    root = papers_root(home, base_url)
    state = load_state(root)
    report = FetchReport()
    site, listed = _committees(base_url, client, report)
    if site is None:
        return report
    listed = [(cid, title) for cid, title in listed if wanted(title, committees)]
    for cid, title in listed:
        try:
            meetings = site.meetings(cid, since, until)
        except (FetchError, ValueError) as e:
            report.failed.append((f"{title} (committee {cid})", f"meetings could not be listed: {e}"))
            continue
        for mid, when in meetings:
            try:
                papers = site.papers(mid, title, when)
            except (FetchError, ValueError) as e:
                report.failed.append((f"{title} {when} (meeting {mid})", f"papers could not be listed: {e}"))
                continue
            for paper in papers:
                _fetch_paper(client, paper, root, state, report, authority)
                progress and progress(paper)
            save_state(root, state)
    save_state(root, state)
    return report


def _committees(base_url: str, client: Client, report: FetchReport):
    """(the site reader, its committees): through the web service, else (switched off) the HTML pages;
    (None, []) with the failure reported when neither answers."""
    from ingest.fetch.moderngov_pages import ModernGovPages

    try:
        service = ModernGov(base_url, client)
        return service, service.committees()
    except (FetchError, ValueError) as e:
        service_error = f"mgWebService.asmx/GetCommittees: {e}"
    try:
        pages = ModernGovPages(base_url, client)
        return pages, pages.committees()
    except (FetchError, ValueError) as e:
        report.failed.append((base_url, f"committees could not be listed: not through the web service "
                                        f"({service_error}: switched off?) nor the HTML pages "
                                        f"(mgListCommittees.aspx: {e}); is it a ModernGov site?"))
        return None, []


def read_url_list(text: str) -> list[str]:
    """The URLs of a list, one a line (blank lines and # comments ignored); ValueError naming a line that is
    not an http(s) address."""
    urls = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = urlsplit(line)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"line {n}: not an http(s) address: {line[:120]}")
        urls.append(line)
    return list(dict.fromkeys(urls))


def fetch_urls(home: Path, urls: list[str], client: Client, authority: str | None = None,
               progress=None) -> FetchReport:
    """Download each URL (one request at a time, conditionally where held) into ``<kb>/papers/<host>/``,
    named by the URL's last part, with a manifest row holding the URL (and `authority`)."""
    report = FetchReport()
    state = load_state(papers_root(home, urls[0])) if urls else {}
    for url in urls:
        root = papers_root(home, url)
        name = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]) or urlsplit(url).netloc
        paper = Paper(url=url, title=os.path.splitext(name)[0] or name, item=None, committee="",
                      meeting_date="", meeting_id="")
        _fetch_paper(client, paper, root, state, report, authority)
        progress and progress(paper)
        save_state(root, state)
    return report


def _fetch_paper(client: Client, paper: Paper, root: Path, state: dict, report: FetchReport,
                 authority: str | None) -> None:
    held = state.get(paper.url)
    path = root / held["file"] if held else None
    have = held if path and path.is_file() else None
    try:
        r = client.get(paper.url, (have or {}).get("etag"), (have or {}).get("last_modified"))
    except FetchError as e:
        report.failed.append((paper.url, str(e)))
        return
    if r.status == 304 and have:
        report.unchanged.append(paper.url)
        return
    digest = hashlib.sha256(r.body).hexdigest()
    if have and have["sha256"] == digest:
        have.update(etag=r.etag, last_modified=r.last_modified)
        report.unchanged.append(paper.url)
        return
    if not r.body:
        report.failed.append((paper.url, "empty response"))
        return
    folder = root / _slug(paper.committee) / paper.meeting_date if paper.committee else root
    name = (held["file"].rsplit("/", 1)[-1] if held else
            _unique(folder, _slug(paper.title) + _suffix(r.body, paper.url, r.content_type)))
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{name}.part"
    tmp.write_bytes(r.body)
    os.replace(tmp, folder / name)
    _manifest_row(folder, name, paper, authority)
    state[paper.url] = {"file": str((folder / name).relative_to(root)), "sha256": digest, "etag": r.etag,
                        "last_modified": r.last_modified, "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        **{k: v for k, v in asdict(paper).items() if k != "url"}}
    (report.changed if have else report.new).append(str(folder / name))
    report.folders.add(str(folder))


def _unique(folder: Path, name: str) -> str:
    stem, suffix = os.path.splitext(name)
    candidate, n = name, 2
    while (folder / candidate).exists():
        candidate, n = f"{stem} ({n}){suffix}", n + 1
    return candidate


def _manifest_row(folder: Path, name: str, paper: Paper, authority: str | None) -> None:
    """The folder's manifest.csv with this file's row (what the site says) added or replaced."""
    path = folder / "manifest.csv"
    fields = ["file", "authority", "committee", "meeting_date", "kind", "url"]
    rows = []
    if path.is_file():
        rows = [r for r in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))) if r.get("file") != name]
    rows.append({"file": name, "authority": authority or "", "committee": paper.committee,
                 "meeting_date": paper.meeting_date, "kind": "", "url": paper.url})
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
