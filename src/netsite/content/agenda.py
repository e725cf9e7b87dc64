"""Event time logic: zones, all-day and multi-day events, recurrence, upcoming and past.

All values here are aware datetimes. A timed event's end is exclusive as in RFC 5545; an all-day
event runs from local midnight of its first day to local midnight after its last day, so the
inclusive `end: 2026-12-05` of an author becomes an exclusive 2026-12-06 00:00 here.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

from dateutil.rrule import rrulestr

from netsite.content.models import Occurrence
from netsite.messages import MessageError, third_party

if TYPE_CHECKING:  # kinds reads times with this module
    from netsite.content.kinds import Event

MAX_OCCURRENCES = 400
ANNOUNCE_LEAD = timedelta(days=30)
"""An event without `date:` is announced this long before its first occurrence (see `announced`)."""
_DATETIME_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
RRULE_KEYS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYSETPOS",
                        "BYMONTH", "WKST"})
RRULE_FREQS = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})


class TimeError(MessageError):
    """A date or time an author wrote that cannot be used; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class Moment:
    """A parsed date or date-time as written: `value` is aware unless `is_date`."""

    value: datetime
    is_date: bool


def parse_moment(text: object, zone: zoneinfo.ZoneInfo) -> Moment:
    """'2026-12-03' (a day) or '2026-12-03 10:00' (local in `zone`) or with an offset."""
    if isinstance(text, (date, datetime)):
        text = text.isoformat(sep=" ") if isinstance(text, datetime) else text.isoformat()
    match = _DATETIME_RE.match(str(text).strip()) if isinstance(text, str) else None
    if not match:
        raise TimeError("date.format:not-date", value=str(text))
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        day_value = date(int(year), int(month), int(day))
        if hour is None:
            return Moment(datetime.combine(day_value, time(), zone), True)
        clock = time(int(hour), int(minute), int(second or 0))
    except ValueError as exc:
        raise TimeError("date.format:not-real", value=str(text), detail=third_party(str(exc))) from None
    naive = datetime.combine(day_value, clock)
    if offset:
        written = naive.replace(tzinfo=_offset_zone(offset))
        if _reads_as_a_range(str(text).strip(), offset, written, zone):
            raise TimeError("date.range", value=str(text).strip(), day=day_value.isoformat(),
                            start=f"{clock:%H:%M}", end=offset[1:3] + ":" + offset[-2:])
        return Moment(written, False)
    return Moment(localize(naive, zone), False)


def _reads_as_a_range(text: str, offset: str, written: datetime, zone: zoneinfo.ZoneInfo) -> bool:
    """'2026-12-03 10:00-12:00' is valid ISO (10:00 at UTC−12), but an author meant ten to twelve.

    Taken as a range when the offset follows the time at once with a minus and is not an offset
    the event's own zone has at that time: '10:00-05:00' in New York stays a time with its offset."""
    if not offset.startswith("-") or not text.endswith(offset) or text[-len(offset) - 1].isspace():
        return False
    own = {written.replace(tzinfo=zone, fold=fold).utcoffset() for fold in (0, 1)}
    return written.utcoffset() not in own


def _offset_zone(offset: str) -> timezone:
    if offset == "Z":
        return UTC
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def localize(naive: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """Attach `zone`, refusing wall times that do not exist or happen twice at a DST change."""
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        roundtrip = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        if roundtrip != naive:
            raise TimeError("date.nonexistent", when=f"{naive:%Y-%m-%d %H:%M}", zone=zone.key)
        # The example is this very time with the offset of its first occurrence, ready to paste.
        raise TimeError("date.ambiguous", when=f"{naive:%Y-%m-%d %H:%M}", zone=zone.key,
                        example=f"{naive:%Y-%m-%d %H:%M}{first.isoformat()[-6:]}")
    return first


def zone_of(name: object) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(str(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise TimeError("event.timezone", value=str(name), hint="") from None


def event_span(start: Moment, end: Moment | None, all_day: bool | None) -> tuple[datetime, datetime, bool]:
    """(start, exclusive end, all_day) of the first occurrence."""
    is_all_day = start.is_date if all_day is None else all_day
    if is_all_day:
        first = start.value.replace(hour=0, minute=0, second=0)
        last = (end.value if end else first).replace(hour=0, minute=0, second=0)
        if last < first:
            raise TimeError("event.dates:before", later="end", earlier="start")
        zone = first.tzinfo
        stop = datetime.combine(last.date() + timedelta(days=1), time(), zone)
        return first, stop, True
    if start.is_date:
        raise TimeError("event.dates:all-day", example="2026-12-03 10:00")
    if end is None:
        return start.value, start.value + timedelta(hours=1), False
    stop = end.value
    if end.is_date:
        raise TimeError("event.dates:end-time", example="2026-12-03 12:00")
    if stop <= start.value:
        if stop < start.value:
            raise TimeError("event.dates:before", later="end", earlier="start")
        raise TimeError("event.dates:equal")
    return start.value, stop, False


def parse_rrule(rule: str) -> dict[str, str]:
    """Check an RRULE's parts; COUNT or UNTIL is required so that the calendar is finite."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts: dict[str, str] = {}
    for item in filter(None, text.split(";")):
        key, equals, value = item.partition("=")
        if not equals:  # 'каждую среду': a rule in words, not NAME=value parts
            raise TimeError("event.rrule:words", part=item.strip())
        key = key.strip().upper()
        if key not in RRULE_KEYS:
            raise TimeError("event.rrule:part", part=key, parts=", ".join(sorted(RRULE_KEYS)))
        parts[key] = value.strip().upper()
    if parts.get("FREQ") not in RRULE_FREQS:
        raise TimeError("event.rrule:freq")
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise TimeError("event.rrule:endless")
    if _never(parts):
        raise TimeError("event.rrule:never")
    return parts


def _never(parts: dict[str, str]) -> bool:
    """True when BYMONTH × BYMONTHDAY has no real day; dateutil would search up to year 9999 for one."""
    try:
        months = [int(m) for m in parts["BYMONTH"].split(",")] if "BYMONTH" in parts else list(range(1, 13))
        days = [int(d) for d in parts["BYMONTHDAY"].split(",")] if "BYMONTHDAY" in parts else []
    except ValueError:
        return False  # dateutil reports the malformed number
    longest = {2: 29, 4: 30, 6: 30, 9: 30, 11: 30}
    return bool(days) and not any(abs(d) <= longest.get(m, 31) for m in months for d in days if d)


@dataclass(frozen=True, slots=True)
class Series:
    """An event's expansion: what happens, and what the exdates removed."""

    occurrences: tuple[Occurrence, ...]
    excluded: tuple[datetime, ...] = ()
    """Starts of the rule's instances that exdates removed, in order (for EXDATE in ICS)."""
    unmatched: tuple[int, ...] = ()
    """Indexes of the exdates that match no instance of the rule (a typo, most likely)."""


def expand_series(start: datetime, end: datetime, all_day: bool, rule: str | None,
                  exdates: tuple[datetime, ...] = ()) -> Series:
    """Expand `rule` from `start`; an exdate with a time removes that instance, a date-only one
    (local midnight) removes the instances of that day."""
    if not rule:
        return Series((Occurrence(start, end, all_day, 0),))
    if not all_day and not isinstance(start.tzinfo, zoneinfo.ZoneInfo):
        # A fixed offset has no DST and no TZID; written in UTC, BYDAY would fall on other days.
        raise TimeError("event.rrule:offset", zone="Asia/Yekaterinburg")
    instances = _instances(start, rule)
    # Exdates are compared as wall-clock times of the event's own zone, like the rule itself.
    wanted = [d.astimezone(start.tzinfo).replace(tzinfo=None) for d in exdates]
    matched: set[int] = set()
    kept, excluded = [], []
    for index, naive in enumerate(instances):
        hits = _matching(wanted, naive)
        matched.update(hits)
        local = naive.replace(tzinfo=start.tzinfo)
        if hits:
            excluded.append(local)
        else:
            kept.append(Occurrence(local, local + (end - start), all_day, index))
    if not kept:
        raise TimeError("event.rrule:all-excluded")
    return Series(tuple(kept), tuple(excluded), tuple(i for i in range(len(wanted)) if i not in matched))


def _matching(exdates: list[datetime], instance: datetime) -> list[int]:
    """Indexes of the exdates naming `instance`: the same wall time, or its day at midnight."""
    return [i for i, d in enumerate(exdates)
            if d == instance or (_is_midnight(d) and d.date() == instance.date())]


def _is_midnight(moment: datetime) -> bool:
    return moment.hour == moment.minute == moment.second == 0


def _instances(start: datetime, rule: str) -> list[datetime]:
    """The rule's naive local instances; the first must be `start` itself (RFC 5545 3.8.5.3)."""
    parts = parse_rrule(rule)
    naive_start = start.replace(tzinfo=None)
    text = ";".join(f"{k}={v}" for k, v in parts.items() if k != "UNTIL")
    if "UNTIL" in parts:
        text += f";UNTIL={_until(parts['UNTIL'], start):%Y%m%dT%H%M%S}"
    try:
        # Expanding naive local times keeps 17:00 at 17:00 across a DST change.
        rule_set = rrulestr(f"RRULE:{text}", dtstart=naive_start)
    except (ValueError, TypeError) as exc:
        raise TimeError("event.rrule:invalid", detail=third_party(str(exc))) from None
    instances: list[datetime] = []
    for naive in rule_set:
        if len(instances) >= MAX_OCCURRENCES:
            raise TimeError("event.rrule:too-many", n=MAX_OCCURRENCES)
        instances.append(naive)
    _check_first(instances, naive_start)
    return instances


def _check_first(instances: list[datetime], start: datetime) -> None:
    if not instances:
        raise TimeError("event.rrule:none")
    if instances[0] != start:
        # dateutil silently drops such a start while calendar apps keep it: refuse the ambiguity.
        raise TimeError("event.rrule:start", start=f"{start:%Y-%m-%d %H:%M}",
                        first=f"{instances[0]:%Y-%m-%d %H:%M}")


def ics_rule(rule: str, start: datetime, all_day: bool) -> dict[str, str]:
    """The rule's parts for an ICS RRULE: UNTIL as a DATE for all-day events, else in UTC,
    as RFC 5545 requires beside a DTSTART with TZID."""
    parts = parse_rrule(rule)
    if "UNTIL" in parts:
        local = _until(parts["UNTIL"], start)
        if all_day:
            parts["UNTIL"] = f"{local:%Y%m%d}"
        else:
            moment = local.replace(tzinfo=start.tzinfo).astimezone(UTC)
            parts["UNTIL"] = f"{moment:%Y%m%dT%H%M%SZ}"
    return parts


def _until(value: str, start: datetime) -> datetime:
    """UNTIL as a naive local time in the event's zone."""
    if re.fullmatch(r"\d{8}", value):
        return datetime.strptime(value, "%Y%m%d").replace(hour=23, minute=59, second=59)
    if re.fullmatch(r"\d{8}T\d{6}Z", value):
        moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        return moment.astimezone(start.tzinfo).replace(tzinfo=None)
    if re.fullmatch(r"\d{8}T\d{6}", value):
        return datetime.strptime(value, "%Y%m%dT%H%M%S")
    raise TimeError("event.rrule:until", value=value)


def skipped_months(parts: dict[str, str], start: datetime | None = None) -> bool:
    """True when a monthly or yearly rule names a day some months lack: BYMONTHDAY=31 skips April,
    and so does a plain FREQ=MONTHLY from the 31st (its day of month is implied by 'start')."""
    if "BYSETPOS" in parts or "BYDAY" in parts:
        return False
    days = [d.strip().lstrip("+") for d in parts.get("BYMONTHDAY", "").split(",") if d.strip()]
    if not days and start is not None:
        days = [str(start.day)]
    numbers = [int(d) for d in days if d.isdigit()]
    if parts.get("FREQ") == "MONTHLY":
        return any(n > 28 for n in numbers)
    if parts.get("FREQ") == "YEARLY":
        months = parts.get("BYMONTH", str(start.month if start else 0)).split(",")
        return "2" in [m.strip() for m in months] and 29 in numbers
    return False


def occurrences(event: Event) -> tuple[Occurrence, ...]:
    return event.occurrences


def announced(event: Event) -> datetime:
    """When an event was announced: its `date:`, else 30 days before its first occurrence.

    Feeds date events by this, never by their start. The fallback depends on the sources only, so
    nightly builds give an item the same date every night, and it comes before the event, so an
    announcement is never "from the future" once it is in a feed (feeds leave out later ones)."""
    return event.announced or occurrences(event)[0].start - ANNOUNCE_LEAD


def is_upcoming(event: Event, now: datetime) -> bool:
    """An event is upcoming while any occurrence has not ended: later today and in progress count."""
    return any(o.end > now for o in occurrences(event))


def next_occurrence(event: Event, now: datetime) -> Occurrence:
    """The occurrence in progress or next; the last one for a past event."""
    for occurrence in occurrences(event):
        if occurrence.end > now:
            return occurrence
    return occurrences(event)[-1]


def split_upcoming(events: Iterable[Event], now: datetime) -> tuple[list[Event], list[Event]]:
    """(upcoming soonest first, past newest first), ties broken by slug."""
    upcoming: list[Event] = []
    past: list[Event] = []
    for event in events:
        (upcoming if is_upcoming(event, now) else past).append(event)
    upcoming.sort(key=lambda e: (next_occurrence(e, now).start, e.slug))
    past.sort(key=lambda e: (occurrences(e)[-1].start, e.slug), reverse=True)
    return upcoming, past


# ---- month grids -------------------------------------------------------------------------------


