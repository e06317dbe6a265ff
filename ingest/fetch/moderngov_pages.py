"""A ModernGov site read through its HTML pages, for sites whose web service (mgWebService.asmx) is switched
off. The same three questions as :class:`ingest.fetch.moderngov.ModernGov`, answered by the pages every
ModernGov site serves, in the shapes the public scrapers rely on:

- ``mgListCommittees.aspx``: links to ``mgCommitteeDetails.aspx?ID=N`` (or ``ieListMeetings.aspx?CId=N``),
  the committee's name as the link text;
- ``ieListMeetings.aspx?CId=N&Year=Y``: a committee's meetings of a (municipal) year, links to
  ``ieListDocuments.aspx?CId=N&MId=M&Ver=4`` whose text (or title) carries the date, written as
  "Thursday, 21st September, 2023 6.00 pm", "21 Sep 2023 6.00 pm" or "21/09/2023";
- ``ieListDocuments.aspx?CId=N&MId=M``: the meeting's papers, links to ``documents/g.../...`` (agenda,
  printed minutes), ``documents/s.../...`` (a report) or ``mgConvert2PDF.aspx?ID=..``, under the agenda
  item whose title (class ``mgAiTitleTxt`` / ``mgAiTitleLnk``) stands above them. The "reports pack"
  (``documents/b...``) repeats the reports one by one, and is left out.
"""
from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, urljoin, urlsplit

from ingest.fetch.http import Client
from ingest.fetch.moderngov import Paper

_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), start=1)}
_WRITTEN_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_PAPER = re.compile(r"(?:^|/)documents/[gs]\d+/|mgConvert2PDF\.aspx", re.IGNORECASE)
_PACK = re.compile(r"(?:^|/)documents/b\d+/", re.IGNORECASE)
_SIZE = re.compile(r"\s*\b(?:PDF|DOCX?|PPTX?|XLSX?|RTF|ODT|HTML?)\s+[\d.,]+\s*[KMG]B\s*$", re.IGNORECASE)


def meeting_date(text: str) -> str | None:
    """The ISO date written in a meeting link's text: "Thursday, 21st September, 2023 6.00 pm", "21/09/2023"."""
    for m in _WRITTEN_DATE.finditer(text):
        month = _MONTHS.get(m.group(2)[:3].lower())
        if month:
            try:
                return date(int(m.group(3)), month, int(m.group(1))).isoformat()
            except ValueError:
                continue
    m = _NUMERIC_DATE.search(text)
    if m:
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        except ValueError:
            return None
    return None


def _query(href: str, name: str) -> str | None:
    for key, values in parse_qs(urlsplit(href).query).items():
        if key.lower() == name.lower() and values and values[0].isdigit():
            return values[0]
    return None


def _words(el) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


class ModernGovPages:
    """A ModernGov site's HTML pages, read through a polite Client limited to the site's host."""

    def __init__(self, base_url: str, client: Client) -> None:
        self.base = base_url.rstrip("/") + "/"
        self.client = client
        self._committee_of: dict[str, str] = {}  # meeting id -> committee id: the documents page asks for both

    def _page(self, path: str):
        from lxml import html

        body = self.client.get(urljoin(self.base, path)).body
        if not body.strip():
            raise ValueError(f"{path} is empty")
        return html.fromstring(body)

    def committees(self) -> list[tuple[str, str]]:
        """(id, name) of every committee the site lists."""
        out: dict[str, str] = {}
        for a in self._page("mgListCommittees.aspx").iter("a"):
            href = a.get("href") or ""
            if "mgcommitteedetails.aspx" in href.lower():
                cid = _query(href, "ID")
            elif "ielistmeetings.aspx" in href.lower():
                cid = _query(href, "CId") or _query(href, "CommitteeId")
            else:
                continue
            name = _words(a)
            if cid and name and cid not in out:
                out[cid] = name
        if not out:
            raise ValueError("mgListCommittees.aspx lists no committees")
        return list(out.items())

    def meetings(self, committee_id: str, since: date, until: date) -> list[tuple[str, str]]:
        """(id, ISO date) of the committee's meetings between two dates, from the year pages that cover them
        (a municipal year starts in May: the year before `since` is read too)."""
        found: dict[str, str] = {}
        for year in range(since.year - 1, until.year + 1):
            page = self._page(f"ieListMeetings.aspx?CId={committee_id}&Year={year}")
            for a in page.iter("a"):
                href = a.get("href") or ""
                mid = _query(href, "MId") if "ielistdocuments.aspx" in href.lower() else None
                when = mid and (meeting_date(_words(a)) or meeting_date(a.get("title") or ""))
                if when and since.isoformat() <= when <= until.isoformat():
                    found.setdefault(mid, when)
                    self._committee_of[mid] = committee_id
        return sorted(found.items(), key=lambda x: x[1])

    def papers(self, meeting_id: str, committee: str, meeting_date: str) -> list[Paper]:
        """The meeting's papers, each once, with the agenda item each stands under."""
        page = self._page(f"ieListDocuments.aspx?CId={self._committee_of.get(meeting_id, '')}&MId={meeting_id}")
        out: list[Paper] = []
        seen: set[str] = set()
        item = None
        for el in page.iter():
            if not isinstance(el.tag, str):
                continue
            if re.search(r"\bmgAiTitle(?:Txt|Lnk)\b", el.get("class") or "") and _words(el) \
                    and not re.fullmatch(r"[\d.]+", _words(el)):
                item = _words(el)
            href = el.get("href") or "" if el.tag == "a" else ""
            if not href or not _PAPER.search(href) or _PACK.search(href):
                continue
            url = urljoin(self.base, href)
            if url in seen:
                continue
            seen.add(url)
            title = _SIZE.sub("", _words(el)) or urlsplit(url).path.rsplit("/", 1)[-1]
            out.append(Paper(url=url, title=title, item=item, committee=committee, meeting_date=meeting_date,
                             meeting_id=meeting_id))
        return out
