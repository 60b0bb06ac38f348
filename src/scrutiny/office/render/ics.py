"""An iCalendar (RFC 5545) feed of what falls due: one all-day event per case deadline or
action due date. Text is escaped and long lines folded as the RFC says."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

from ..inputs import day_problem


class Due(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def id(self) -> int: ...
    @property
    def force(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def due(self) -> dt.date: ...
    @property
    def state(self) -> str: ...
    @property
    def url(self) -> str: ...


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space (never splitting a UTF-8 character)."""
    out: list[str] = []
    current = ""
    for ch in line:
        if len((current + ch).encode()) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += ch
    out.append(current)
    return "\r\n ".join(out)


def _date(day: dt.date) -> str:
    """A DATE value: always eight digits (strftime's %Y drops a small year's leading zeros)."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def calendar(items: Iterable[Due], base_url: str, name: str, now: dt.datetime | None = None) -> str:
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Scrutiny//section 55 deadlines//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(name)}"]
    # A date from before dates were bounded (year 1, 9999) is left out: clients refuse the
    # whole feed over one such event, and the day after 9999-12-31 is no date at all.
    for item in (i for i in items if day_problem(i.due) is None):
        what = "Response due" if item.kind == "case" else "Action due"
        link = base_url.rstrip("/") + item.url
        lines += ["BEGIN:VEVENT", f"UID:{item.kind}-{item.id}@scrutiny", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{_date(item.due)}",
                  f"DTEND;VALUE=DATE:{_date(item.due + dt.timedelta(days=1))}",
                  f"SUMMARY:{_escape(f'{what}: {item.force}: {item.title}')}",
                  f"DESCRIPTION:{_escape(f'{item.state}. {link}')}", f"URL:{link}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
