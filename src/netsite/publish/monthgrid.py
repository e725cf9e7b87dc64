"""Month grids of the calendar pages: Monday-first weeks, each day with the events that cover it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from netsite.content.agenda import occurrences
from netsite.content.kinds import Event
from netsite.content.models import Occurrence


@dataclass(frozen=True, slots=True)
class DayItem:
    """One event on one day of the grid; `first` is False on the later days of a multi-day event."""

    event: Event
    occurrence: Occurrence
    first: bool


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    in_month: bool
    items: tuple[DayItem, ...] = ()


@dataclass(frozen=True, slots=True)
class MonthGrid:
    first: date
    """The first day of the month."""
    weeks: tuple[tuple[Day, ...], ...]
    """Monday-first weeks; days of the neighbouring months have in_month False and no items."""


def occurrence_days(occurrence: Occurrence, zone: tzinfo) -> list[date]:
    """The days an occurrence covers: all-day ones by their own dates, timed ones in `zone`
    (the site's), up to the day of its last moment since the end is exclusive."""
    if occurrence.all_day:
        first, last = occurrence.start.date(), occurrence.end.date() - timedelta(days=1)
    else:
        first = occurrence.start.astimezone(zone).date()
        last = max(first, (occurrence.end.astimezone(zone) - timedelta(microseconds=1)).date())
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def days_index(events: Iterable[Event], zone: tzinfo) -> dict[date, tuple[DayItem, ...]]:
    """day → its items, each day sorted by start then title; built once for every month page."""
    index: dict[date, list[DayItem]] = {}
    for event in events:
        for occurrence in occurrences(event):
            days = occurrence_days(occurrence, zone)
            for day in days:
                index.setdefault(day, []).append(DayItem(event, occurrence, day == days[0]))
    order = lambda item: (not item.occurrence.all_day, item.occurrence.start, item.event.title)  # noqa: E731
    return {day: tuple(sorted(items, key=order)) for day, items in sorted(index.items())}


def month_span(index: dict[date, tuple[DayItem, ...]]) -> list[date]:
    """First days of every month from the first to the last day that has an event."""
    if not index:
        return []
    first, last = min(index), max(index)
    months, current = [], date(first.year, first.month, 1)
    while current <= last:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def month_grid(first: date, index: dict[date, tuple[DayItem, ...]]) -> MonthGrid:
    """The Monday-first weeks of the month that starts on `first`."""
    start = first - timedelta(days=first.weekday())
    weeks: list[tuple[Day, ...]] = []
    day = start
    while not weeks or day.month == first.month:
        week = []
        for _ in range(7):
            inside = day.month == first.month
            week.append(Day(day, inside, index.get(day, ()) if inside else ()))
            day += timedelta(days=1)
        weeks.append(tuple(week))
    return MonthGrid(first, tuple(weeks))
