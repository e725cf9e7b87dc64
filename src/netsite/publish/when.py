"""When an event happens, as a reader sees it: in the site's zone, named by its city (CLDR), an event
held in another zone also at its own local time, named by that zone's city.

'3 декабря 2026 г., 19:00–20:30 (Москва), 17:00–18:30 (Берлин)'. Zone names come from Babel's CLDR
exemplar cities, in the site's language; a tz database id or an offset never reaches the text.
An event written with a bare offset ('17:00+05:00') has no city to name: its own time is «по
местному времени» (local to where it is held), beside the site's named time.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, tzinfo
from functools import lru_cache

from babel.dates import format_date, format_time, get_timezone_location

from netsite.content.models import Occurrence


@lru_cache(maxsize=256)
def zone_city(zone: tzinfo, language: str) -> str:
    """The zone's city in the reader's language, from CLDR: 'Москва', 'Берлин', 'Екатеринбург'."""
    return get_timezone_location(zone, locale=language, return_city=True)


@lru_cache(maxsize=65536)  # every card and list shows the same occurrences again; Babel is slow
def event_when(occurrence: Occurrence, zone: zoneinfo.ZoneInfo, language: str, strings,
               named: bool = False) -> str:
    """The occurrence in the site's `zone`; `named` adds the zone's city even for a local event
    (an event page, a feed item: read far from the site's list pages)."""
    if occurrence.all_day:  # a day is the same day everywhere: the author's own dates
        return _days(occurrence.start, occurrence.end, language)
    start, end = occurrence.start.astimezone(zone), occurrence.end.astimezone(zone)
    text = _span(start, end, language)
    own = occurrence.start.tzinfo
    elsewhere = occurrence.start.replace(tzinfo=None) != start.replace(tzinfo=None)  # another clock
    if not (named or elsewhere):
        return text
    text = strings("time_in_city", time=text, city=zone_city(zone, language))
    if elsewhere:
        local_start, local_end = occurrence.start, occurrence.end.astimezone(own)
        if local_start.date() == start.date() and local_end.date() == local_start.date():
            local = f"{_hm(local_start, language)}–{_hm(local_end, language)}"
        else:  # late evening in Moscow is the next morning in Vladivostok: say which day
            local = _span(local_start, local_end, language, year=False)
        if isinstance(own, zoneinfo.ZoneInfo):
            text += ", " + strings("time_in_city", time=local, city=zone_city(own, language))
        else:  # a bare offset names no place: CLDR's name for it would be 'GMT+05:00'
            text += ", " + strings("time_local", time=local)
    return text


def _days(start: datetime, end: datetime, language: str) -> str:
    last = date.fromordinal(end.date().toordinal() - 1)  # the end is exclusive
    if last == start.date():
        return format_date(start, "long", locale=language)
    return f"{format_date(start, 'd MMMM', locale=language)} – {format_date(last, 'long', locale=language)}"


def _span(start: datetime, end: datetime, language: str, year: bool = True) -> str:
    """'3 декабря 2026 г., 10:00–12:00', or over two days with both dates."""
    pattern = "long" if year else "d MMMM"
    day = format_date(start, pattern, locale=language)
    if start.date() == end.date():
        return f"{day}, {_hm(start, language)}–{_hm(end, language)}"
    return f"{day}, {_hm(start, language)} – {format_date(end, pattern, locale=language)}, {_hm(end, language)}"


def _hm(moment: datetime, language: str) -> str:
    return format_time(moment, "HH:mm", locale=language)
