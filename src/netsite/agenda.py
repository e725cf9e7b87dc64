"""Event time logic: zones, all-day and multi-day events, recurrence, upcoming and past.

All values here are aware datetimes. A timed event's end is exclusive as in RFC 5545; an all-day
event runs from local midnight of its first day to local midnight after its last day, so the
inclusive `end: 2026-12-05` of an author becomes an exclusive 2026-12-06 00:00 here.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable

from dateutil.rrule import rrulestr

from netsite.models import Entry, Occurrence

MAX_OCCURRENCES = 400
_DATETIME_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
RRULE_KEYS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYSETPOS",
                        "BYMONTH", "WKST"})
RRULE_FREQS = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})


class TimeError(ValueError):
    """A date or time an author wrote that cannot be used; the message says how to fix it."""

    def __init__(self, message: str, code: str = "date.format"):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Moment:
    """A parsed date or date-time as written: `value` is aware unless `is_date`."""

    value: datetime
    is_date: bool


def parse_moment(text: object, zone: zoneinfo.ZoneInfo) -> Moment:
    """'2026-12-03' (a day) or '2026-12-03 10:00' (local in `zone`) or with an offset."""
    if isinstance(text, (date, datetime)):
        text = text.isoformat(sep=" ")
    match = _DATETIME_RE.match(str(text).strip()) if isinstance(text, str) else None
    if not match:
        raise TimeError(f"'{text}' is not a date: write 2026-12-03 or \"2026-12-03 10:00\"")
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        day_value = date(int(year), int(month), int(day))
        if hour is None:
            return Moment(datetime.combine(day_value, time(), zone), True)
        clock = time(int(hour), int(minute), int(second or 0))
    except ValueError as exc:
        raise TimeError(f"'{text}' is not a real date or time ({exc})") from None
    naive = datetime.combine(day_value, clock)
    if offset:
        return Moment(naive.replace(tzinfo=_offset_zone(offset)), False)
    return Moment(localize(naive, zone), False)


def _offset_zone(offset: str) -> timezone:
    if offset == "Z":
        return timezone.utc
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def localize(naive: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """Attach `zone`, refusing wall times that do not exist or happen twice at a DST change."""
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        roundtrip = first.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None)
        if roundtrip != naive:
            raise TimeError(f"{naive:%Y-%m-%d %H:%M} does not exist in {zone.key} (the clocks are moved "
                            "forward then): pick another time", "date.nonexistent")
        raise TimeError(f"{naive:%Y-%m-%d %H:%M} happens twice in {zone.key} (the clocks are moved back "
                        "then): write the offset, such as \"2026-10-25 02:30+03:00\"", "date.ambiguous")
    return first


def zone_of(name: object) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(str(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise TimeError(f"'{name}' is not an IANA time zone such as Europe/Moscow", "event.timezone") from None


def event_span(start: Moment, end: Moment | None, all_day: bool | None) -> tuple[datetime, datetime, bool]:
    """(start, exclusive end, all_day) of the first occurrence."""
    is_all_day = start.is_date if all_day is None else all_day
    if is_all_day:
        first = start.value.replace(hour=0, minute=0, second=0)
        last = (end.value if end else first).replace(hour=0, minute=0, second=0)
        if last < first:
            raise TimeError("'end' is before 'start'", "event.dates")
        zone = first.tzinfo
        stop = datetime.combine(last.date() + timedelta(days=1), time(), zone)
        return first, stop, True
    if start.is_date:
        raise TimeError("'all_day: false' needs a time in 'start', such as \"2026-12-03 10:00\"", "event.dates")
    if end is None:
        return start.value, start.value + timedelta(hours=1), False
    stop = end.value
    if end.is_date:
        raise TimeError("'end' needs a time when 'start' has one, such as \"2026-12-03 12:00\"", "event.dates")
    if stop <= start.value:
        raise TimeError("'end' is before 'start'" if stop < start.value else "'end' equals 'start'",
                        "event.dates")
    return start.value, stop, False


def parse_rrule(rule: str) -> dict[str, str]:
    """Check an RRULE's parts; COUNT or UNTIL is required so that the calendar is finite."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts: dict[str, str] = {}
    for item in filter(None, text.split(";")):
        key, _, value = item.partition("=")
        key = key.strip().upper()
        if key not in RRULE_KEYS:
            raise TimeError(f"'{key}' is not supported in rrule (use {', '.join(sorted(RRULE_KEYS))})",
                            "event.rrule")
        parts[key] = value.strip().upper()
    if parts.get("FREQ") not in RRULE_FREQS:
        raise TimeError("rrule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY", "event.rrule")
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise TimeError("rrule needs COUNT=… or UNTIL=… so that the series ends", "event.rrule")
    return parts


def expand(start: datetime, end: datetime, all_day: bool, rule: str | None,
           exdates: Iterable[datetime] = ()) -> tuple[Occurrence, ...]:
    """Every occurrence, in order; the rule is expanded in local wall-clock time."""
    duration = end - start
    if not rule:
        return (Occurrence(start, end, all_day, 0),)
    parts = parse_rrule(rule)
    text = ";".join(f"{k}={v}" for k, v in parts.items())
    try:
        # Expanding naive local times keeps 17:00 at 17:00 across a DST change.
        naive_start = start.replace(tzinfo=None)
        if "UNTIL" in parts:
            until = _until(parts["UNTIL"], start)
            text = ";".join(f"{k}={v}" for k, v in parts.items() if k != "UNTIL")
            text += f";UNTIL={until:%Y%m%dT%H%M%S}"
        rule_set = rrulestr(f"RRULE:{text}", dtstart=naive_start)
    except (ValueError, TypeError) as exc:
        raise TimeError(f"rrule is not valid: {exc}", "event.rrule") from None
    excluded = {d.replace(tzinfo=None) for d in exdates}
    occurrences = []
    for index, naive in enumerate(rule_set):
        if index >= MAX_OCCURRENCES:
            raise TimeError(f"rrule gives more than {MAX_OCCURRENCES} occurrences: lower COUNT or UNTIL",
                            "event.rrule")
        if naive in excluded or (all_day and naive.date() in {d.date() for d in excluded}):
            continue
        local = naive.replace(tzinfo=start.tzinfo)
        occurrences.append(Occurrence(local, local + duration, all_day, index))
    if not occurrences:
        raise TimeError("rrule and exdates leave no occurrence", "event.rrule")
    return tuple(occurrences)


def _until(value: str, start: datetime) -> datetime:
    """UNTIL as a naive local time in the event's zone."""
    if re.fullmatch(r"\d{8}", value):
        return datetime.strptime(value, "%Y%m%d").replace(hour=23, minute=59, second=59)
    if re.fullmatch(r"\d{8}T\d{6}Z", value):
        moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        return moment.astimezone(start.tzinfo).replace(tzinfo=None)
    if re.fullmatch(r"\d{8}T\d{6}", value):
        return datetime.strptime(value, "%Y%m%dT%H%M%S")
    raise TimeError(f"UNTIL={value} is not a date such as 20270531 or 20270531T235959Z", "event.rrule")


def skipped_months(parts: dict[str, str]) -> bool:
    """True when a monthly rule names a day some months lack (BYMONTHDAY=31 skips April)."""
    days = [d for d in parts.get("BYMONTHDAY", "").split(",") if d.strip().lstrip("+").isdigit()]
    return parts.get("FREQ") == "MONTHLY" and any(int(d) > 28 for d in days) and "BYSETPOS" not in parts


def occurrences(event: Entry) -> tuple[Occurrence, ...]:
    return event.fields["occurrences"]


def is_upcoming(event: Entry, now: datetime) -> bool:
    """An event is upcoming while any occurrence has not ended: later today and in progress count."""
    return any(o.end > now for o in occurrences(event))


def next_occurrence(event: Entry, now: datetime) -> Occurrence:
    """The occurrence in progress or next; the last one for a past event."""
    for occurrence in occurrences(event):
        if occurrence.end > now:
            return occurrence
    return occurrences(event)[-1]


def split_upcoming(events: Iterable[Entry], now: datetime) -> tuple[list[Entry], list[Entry]]:
    """(upcoming soonest first, past newest first), ties broken by slug."""
    upcoming, past = [], []
    for event in events:
        (upcoming if is_upcoming(event, now) else past).append(event)
    upcoming.sort(key=lambda e: (next_occurrence(e, now).start, e.slug))
    past.sort(key=lambda e: (occurrences(e)[-1].start, e.slug), reverse=True)
    return upcoming, past
