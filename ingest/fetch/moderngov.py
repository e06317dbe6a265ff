"""Committee papers from a ModernGov site through its web service, ``mgWebService.asmx``:

- ``GetCommittees``: ``<getcommittees><committees><committee><committeeid/><committeetitle/>...``
- ``GetMeetings?lCommitteeId=N&sFromDate=dd/mm/yyyy&sToDate=dd/mm/yyyy``: ``<getmeetings><meetings><meeting>
  <meetingid/><meetingdate>dd/mm/yyyy</meetingdate>...``
- ``GetMeeting?lMeetingId=N``: the meeting with its ``agendaitems/agendaitem`` (``agendaitemtitle``), each with
  ``linkeddocuments/linkeddoc`` (``attachmentid``, ``title``, ``url``: relative or absolute).

as the public scrapers read them (DemocracyClub's ModGov scrapers, among others): tags matched by local name,
in any namespace or none; fields holding unescaped HTML (``<div ...>``), which make the XML malformed, read
with a recovering parser. Dates are dd/mm/yyyy. Sites whose web service is switched off are read
through their HTML pages (ingest.fetch.moderngov_pages).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode, urljoin

from ingest.fetch.http import Client


@dataclass
class Paper:
    url: str
    title: str  # the document's title on the site
    item: str | None  # the agenda item it belongs to
    committee: str
    meeting_date: str  # ISO
    meeting_id: str
    attachment_id: str | None = None


def _xml(body: bytes):
    from lxml import etree

    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(body, parser)
    if root is None:
        raise ValueError("not XML")
    return root


def _local(el) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower()


def _all(el, name: str) -> list:
    return [e for e in el.iter() if _local(e) == name]


def _text(el, name: str) -> str:
    for e in el.iter():
        if e is not el and _local(e) == name:
            return "".join(e.itertext()).strip()
    return ""


def _date(text: str) -> str | None:
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%Y %H:%M:%S"):
        try:
            return datetime.strptime(text[:19] if " " in text else text[:10], fmt).date().isoformat()
        except ValueError:
            continue
    return None


class ModernGov:
    """A ModernGov site's web service, read through a polite Client limited to the site's host."""

    def __init__(self, base_url: str, client: Client) -> None:
        self.base = base_url.rstrip("/") + "/"
        self.client = client

    def _call(self, op: str, **params) -> object:
        url = urljoin(self.base, f"mgWebService.asmx/{op}") + (f"?{urlencode(params)}" if params else "")
        return _xml(self.client.get(url).body)

    def committees(self) -> list[tuple[str, str]]:
        """(id, title) of every committee the site lists."""
        root = self._call("GetCommittees", lDays=0)
        out = []
        for c in _all(root, "committee"):
            cid, title = _text(c, "committeeid"), _text(c, "committeetitle")
            if cid and title:
                out.append((cid, title))
        return out

    def meetings(self, committee_id: str, since: date, until: date) -> list[tuple[str, str]]:
        """(id, ISO date) of the committee's meetings between two dates."""
        root = self._call("GetMeetings", lCommitteeId=committee_id, sFromDate=since.strftime("%d/%m/%Y"),
                          sToDate=until.strftime("%d/%m/%Y"))
        out = []
        for m in _all(root, "meeting"):
            mid, when = _text(m, "meetingid"), _date(_text(m, "meetingdate"))
            if mid and when and since.isoformat() <= when <= until.isoformat():
                out.append((mid, when))
        return out

    def papers(self, meeting_id: str, committee: str, meeting_date: str) -> list[Paper]:
        """The documents linked to a meeting's agenda items (and to the meeting itself), each once."""
        root = self._call("GetMeeting", lMeetingId=meeting_id)
        out: list[Paper] = []
        seen: set[str] = set()
        for doc in _all(root, "linkeddoc"):
            raw = _text(doc, "url")
            if not raw:
                continue
            url = urljoin(self.base, raw)
            if url in seen:
                continue
            seen.add(url)
            item = next((a for a in doc.iterancestors() if _local(a) == "agendaitem"), None)
            out.append(Paper(url=url, title=_text(doc, "title") or raw.rsplit("/", 1)[-1],
                             item=_text(item, "agendaitemtitle") or None if item is not None else None,
                             committee=committee, meeting_date=meeting_date, meeting_id=meeting_id,
                             attachment_id=_text(doc, "attachmentid") or None))
        return out


def wanted(title: str, names: tuple[str, ...]) -> bool:
    """Whether a committee is among `names` (case and spacing ignored; a name may be part of the title)."""
    if not names:
        return True
    norm = re.sub(r"\s+", " ", title).strip().lower()
    return any(re.sub(r"\s+", " ", n).strip().lower() in norm for n in names)
