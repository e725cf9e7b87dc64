"""ICS calendars with the icalendar library: the site's, each institution's, each audience's, each event's.

One VEVENT per event: a recurring event keeps its RRULE and EXDATE instead of being expanded, so a
subscriber's app shows one series under one stable UID (`<slug>@<host>`) and follows later changes.
Times in an IANA zone are written with TZID and a VTIMEZONE (our own, see `vtimezone`) that covers
only the years of the events (small and the same on every build); fixed offsets are written in UTC;
all-day events are DATE values with an exclusive DTEND. DTSTAMP is the build's clock, never the wall
clock, so two builds of the same sources and `--now` give the same bytes. icalendar (7.x) folds lines
at 75 octets between characters, never inside a UTF-8 sequence; tests check every line.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import icalendar

from netsite.content import agenda
from netsite.content.kinds import Event, of_kind
from netsite.content.markup import to_plain
from netsite.content.models import OutputFile
from netsite.content.site import Site
from netsite.content.urls import calendar_path, event_calendar_path, output_file, term_path
from netsite.publish import icsfold, recurrence

icsfold.install()  # icalendar's own folding is a per-character loop: most of a big build's time
PRODID = "-//netsite//netsite calendar//RU"
REFRESH = timedelta(hours=6)
"""How often subscribers should fetch again: events change rarely, cancellations matter the same day."""
STATUS = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}


def calendar_files(site: Site, strings: Callable[..., str],
                   specs: Iterable[tuple[str, tuple[Event, ...], str]] | None = None) -> Iterator[OutputFile]:
    """The .ics files of `specs` (by default every one of `calendar_specs`), in that order, one at a time."""
    maker = Calendars(site, strings)
    for spec in calendar_specs(site) if specs is None else specs:
        yield maker.file(spec)


class Calendars:
    """Makes .ics files one at a time; each VTIMEZONE and VEVENT is made once and shared by every
    calendar that holds it (in each process: forked workers fill their own copies)."""

    def __init__(self, site: Site, strings: Callable[..., str]):
        self.site, self.strings = site, strings
        self.zones: dict[str, icalendar.Timezone] | None = None
        self.items = _Items(lambda event: vevent(site, event, strings))

    def file(self, spec: tuple[str, tuple[Event, ...], str]) -> OutputFile:
        if self.zones is None:
            self.zones = timezones(self.site.events)
        path, events, name = spec
        return OutputFile(path, calendar(self.site, events, name, self.strings, self.zones, self.items))


def calendar_specs(site: Site) -> list[tuple[str, tuple[Event, ...], str]]:
    """(output file, events, calendar name) of every .ics file of the site, in a stable order."""
    title = site.config.title
    specs = [(output_file(calendar_path("/")), site.events, title)]
    for institution in site.institutions:
        events = tuple(of_kind(Event, site.institution_entries[institution.slug]["events"]))
        name = f"{institution.short_name or institution.title} — {title}"
        specs.append((output_file(calendar_path(institution.path)), events, name))
    # Every audience of the vocabulary gets a calendar, so a subscription never points at a 404.
    for audience, label in site.config.vocabularies["audience"].items():
        events = tuple(e for e in site.events if audience in e.audience)
        specs.append((output_file(calendar_path(term_path("audience", audience))), events, f"{label} — {title}"))
    for event in site.events:
        specs.append((output_file(event_calendar_path(event.path)), (event,), event.title))
    return specs


class _Items(dict):
    """VEVENTs by slug, each made and serialized on first use: a rebuild that writes one calendar
    makes only its events, and an event in six calendars is turned into text once, not six times."""

    def __init__(self, make: Callable[[Event], icalendar.Event]):
        super().__init__()
        self.make = make

    def of(self, event: Event) -> bytes:
        if event.slug not in self:
            self[event.slug] = self.make(event).to_ical()
        return self[event.slug]


def calendar(site: Site, events: tuple[Event, ...], name: str, strings: Callable[..., str],
             zones: dict[str, icalendar.Timezone] | None = None,
             items: _Items | None = None) -> bytes:
    """One VCALENDAR with its events (in the order given) and the VTIMEZONEs they use."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    if site.config.description:
        cal.add("x-wr-caldesc", site.config.description)
    cal.add("x-wr-timezone", site.config.timezone)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(REFRESH))
    zones = timezones(events) if zones is None else zones
    for key in sorted({key for event in events if (key := _zone_key(event)) is not None}):
        cal.add_component(zones[key])
    items = items if items is not None else _Items(lambda event: vevent(site, event, strings))
    # A component's text is the same alone or nested: the events' are spliced in before the end.
    head = cal.to_ical()
    assert head.endswith(_END)
    return b"".join([head[:-len(_END)], *(items.of(event) for event in events), _END])


_END = b"END:VCALENDAR\r\n"


def _zone_key(event: Event) -> str | None:
    """The TZID an event is written with, or None (all-day, or a fixed offset written in UTC)."""
    zone = event.start.tzinfo
    return zone.key if not event.all_day and isinstance(zone, zoneinfo.ZoneInfo) else None


def timezones(events: Iterable[Event]) -> dict[str, icalendar.Timezone]:
    """A VTIMEZONE per IANA zone of the timed events, covering the years of their occurrences."""
    return {key: vtimezone(key, first, last) for key, first, last in zone_spans(events)}


def zone_spans(events: Iterable[Event]) -> tuple[tuple[str, int, int], ...]:
    """(IANA zone, first year, last year) of the timed events' occurrences: every calendar's
    VTIMEZONEs follow from these, so they are part of every calendar's inputs (build.py)."""
    years: dict[str, set[int]] = {}
    for event in events:
        key = _zone_key(event)
        if key is None:
            continue
        for occurrence in agenda.occurrences(event):
            years.setdefault(key, set()).update({occurrence.start.year, occurrence.end.year})
    return tuple((key, min(span), max(span)) for key, span in sorted(years.items()))


def vtimezone(key: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """VTIMEZONE of `key` for the given years: the observance at their start, then one
    sub-component per offset change, its DTSTART in the local time before the change (RFC 5545
    3.6.5). Written here because icalendar 7.3's Timezone.from_tzinfo puts the spring change at
    03:00 instead of 02:00 in Europe/Berlin (the local time after it), which Outlook would use."""
    zone = zoneinfo.ZoneInfo(key)
    start = datetime(first_year, 1, 1, tzinfo=zone).astimezone(UTC)
    tz = icalendar.Timezone()
    tz.add("tzid", key)
    tz.add_component(_observance(start, start, zone))
    for instant in _transitions(zone, start, datetime(last_year + 1, 1, 1, tzinfo=UTC)):
        tz.add_component(_observance(instant - timedelta(seconds=1), instant, zone))
    return tz


def _transitions(zone: zoneinfo.ZoneInfo, start: datetime, stop: datetime) -> list[datetime]:
    """UTC instants at which the zone's offset or name changes: daily steps, refined to the minute
    (zones change at most a few times a year, never twice in a day)."""
    def state(moment: datetime) -> tuple:
        local = moment.astimezone(zone)
        return local.utcoffset(), local.tzname()

    found, day, moment = [], timedelta(days=1), start
    while moment < stop:
        if state(moment) != state(moment + day):
            low = moment
            for step in (timedelta(hours=1), timedelta(minutes=1)):
                while state(low + step) == state(low):
                    low += step
            found.append(low + timedelta(minutes=1))
        moment += day
    return found


def _observance(before: datetime, after: datetime, zone: zoneinfo.ZoneInfo) -> icalendar.Component:
    old, new = before.astimezone(zone), after.astimezone(zone)
    part = icalendar.TimezoneDaylight() if new.dst() else icalendar.TimezoneStandard()
    part.add("dtstart", (after + (old.utcoffset() or timedelta())).replace(tzinfo=None))
    part.add("tzname", new.tzname())
    part.add("tzoffsetfrom", old.utcoffset())
    part.add("tzoffsetto", new.utcoffset())
    return part


def vevent(site: Site, event: Event, strings: Callable[..., str]) -> icalendar.Event:
    """The VEVENT of one event (a whole series for a recurring one)."""
    item = icalendar.Event()
    host = urlsplit(site.config.base_url).hostname
    item.add("uid", f"{event.slug}@{host}")
    item.add("dtstamp", site.now.astimezone(UTC))
    item.add("dtstart", _value(event.start, event.all_day))
    item.add("dtend", _value(event.end, event.all_day))
    if event.rrule:
        parts = agenda.ics_rule(event.rrule, event.start, event.all_day)
        item.add("rrule", icalendar.vRecur.from_ical(";".join(f"{k}={v}" for k, v in parts.items())))
        if event.exdates:
            item.add("exdate", [_value(moment, event.all_day) for moment in event.exdates])
    item.add("status", STATUS[event.status])
    item.add("summary", summary(event, strings))
    item.add("description", description(site, event, strings))
    location = event.location or event.online
    if location:
        item.add("location", location)
    item.add("url", site.links.absolute(event.path))
    return item


def summary(event: Event, strings: Callable[..., str]) -> str:
    """The title, with «Отменено: » or «Перенесено: » in front: not every app shows STATUS."""
    if event.status == "scheduled":
        return event.title
    return f"{strings('status_short_' + event.status)}: {event.title}"


def _value(moment: datetime, all_day: bool) -> date | datetime:
    if all_day:
        return moment.date()
    if isinstance(moment.tzinfo, zoneinfo.ZoneInfo):
        return moment
    return moment.astimezone(UTC)  # a fixed offset has no TZID: UTC says the same instant


def description(site: Site, event: Event, strings: Callable[..., str]) -> str:
    """Plain text: the summary, the repetition in words, the online link, the registration link,
    the body, the page. The summary is left out when the body begins with it (it was taken from
    the first paragraph)."""
    body = to_plain(event.body)
    parts = []
    if event.summary and not _begins_with(body, event.summary):
        parts.append(event.summary)
    words = recurrence.describe(event, site.config.zone, site.config.language)
    if words:  # apps show a series' dates, few say its rule in words
        parts.append(f"{strings('recurring')}: {words}")
    if event.online:
        parts.append(f"{strings('online')}: {event.online}")
    if event.registration and event.status == "scheduled":
        parts.append(f"{strings('register')}: {event.registration}")
    if body:
        parts.append(body)
    parts.append(site.links.absolute(event.path))
    return "\n\n".join(parts)


def _begins_with(body: str, summary: str) -> bool:
    """True when the body's first paragraph starts with the summary (cut short at '…' or not)."""
    first = " ".join(body.split("\n\n", 1)[0].split())
    head = " ".join(summary.removesuffix("…").split())
    return bool(head) and first.startswith(head)
