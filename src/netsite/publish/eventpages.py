"""What event and calendar pages show beyond the core: month grids, add-to-calendar links, JSON-LD.

Pure functions of the `Site`; render.py registers them as template filters and adds the month
pages to the page set. The month grid places a timed event on the days it covers in the site's
zone (the zone the grid is printed in) and an all-day event on its own dates.
The Google and Yandex links add the next occurrence only: neither takes EXDATE, so a whole series
would be wrong there; the event's .ics carries the whole series.
"""

from __future__ import annotations

import bisect
import json
import zoneinfo
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from babel.dates import get_day_names
from markupsafe import Markup

from netsite.content import agenda
from netsite.content.kinds import Event
from netsite.content.models import Occurrence
from netsite.content.site import Site
from netsite.content.urls import month_path
from netsite.publish import monthgrid

GOOGLE = "https://calendar.google.com/calendar/render"
YANDEX = "https://calendar.yandex.ru/event"
SCHEMA_STATUS = {"scheduled": "EventScheduled", "cancelled": "EventCancelled", "postponed": "EventPostponed"}


def month_contexts(site: Site) -> list[tuple[str, dict[str, Any]]]:
    """(site path, template context) of every month page from the first to the last occurrence,
    then '/calendar/', the month of the build's clock."""
    index = monthgrid.days_index(site.events, site.config.zone)
    months = monthgrid.month_span(index)
    weekdays = weekday_names(site.config.language)
    today = site.now.astimezone(site.config.zone).date()
    current = date(today.year, today.month, 1)
    pages = []
    for first in months + [current]:
        before = bisect.bisect_left(months, first)
        after = bisect.bisect_right(months, first)
        grid = monthgrid.month_grid(first, index)
        pages.append((month_path(first.year, first.month), {
            "grid": grid, "weekdays": weekdays, "today": today,
            "busy": any(day.items for week in grid.weeks for day in week),
            "prev_month": months[before - 1] if before > 0 else None,
            "next_month": months[after] if after < len(months) else None}))
    pages[-1] = ("/calendar/", pages[-1][1])
    return pages


def weekday_names(language: str) -> list[tuple[str, str]]:
    """(wide, abbreviated) weekday names, Monday first as Russian calendars print them."""
    wide = get_day_names("wide", locale=language)
    short = get_day_names("abbreviated", locale=language)
    return [(wide[n], short[n]) for n in range(7)]  # Babel numbers Monday as 0


def webcal(site: Site, path: str) -> str:
    """'webcal://host/…/calendar.ics': calendar apps open it as a subscription, not a download."""
    return "webcal://" + site.links.absolute(path).split("://", 1)[1]


def google_url(site: Site, event: Event) -> str:
    """Google Calendar's 'add event' form for the next occurrence, times in the event's zone."""
    occurrence = agenda.next_occurrence(event, site.now)
    params = {"action": "TEMPLATE", "text": event.title, "dates": "/".join(_stamps(occurrence)),
              "details": _details(site, event), "location": _place(event)}
    zone = occurrence.start.tzinfo
    if not occurrence.all_day and isinstance(zone, zoneinfo.ZoneInfo):
        params["ctz"] = zone.key
    return f"{GOOGLE}?{urlencode(_nonempty(params), quote_via=quote)}"


def yandex_url(site: Site, event: Event) -> str:
    """Yandex Calendar's 'new event' form for the next occurrence, local times with their zone."""
    occurrence = agenda.next_occurrence(event, site.now)
    start, end = occurrence.start, occurrence.end
    if not isinstance(start.tzinfo, zoneinfo.ZoneInfo):
        start, end = start.astimezone(site.config.zone), end.astimezone(site.config.zone)
    params = {"name": event.title, "description": _details(site, event), "location": _place(event),
              "start": f"{start:%Y%m%dT%H%M%S}", "end": f"{end:%Y%m%dT%H%M%S}",
              "tz_id": getattr(start.tzinfo, "key", "")}
    return f"{YANDEX}?{urlencode(_nonempty(params), quote_via=quote)}"


def _stamps(occurrence: Occurrence) -> tuple[str, str]:
    start, end = occurrence.start, occurrence.end
    if occurrence.all_day:
        return f"{start:%Y%m%d}", f"{end:%Y%m%d}"  # Google's all-day end is exclusive, like ours
    if isinstance(start.tzinfo, zoneinfo.ZoneInfo):
        return f"{start:%Y%m%dT%H%M%S}", f"{end:%Y%m%dT%H%M%S}"  # local, read in 'ctz'
    utc = lambda d: d.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")  # noqa: E731
    return utc(start), utc(end)


def _details(site: Site, event: Event) -> str:
    return "\n\n".join(filter(None, [event.summary, site.links.absolute(event.path)]))


def _place(event: Event) -> str:
    return event.location or event.online or ""


def _nonempty(params: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in params.items() if v}


def json_ld(site: Site, event: Event) -> Markup:
    """schema.org Event as JSON safe inside <script>: '<', '>' and '&' are written as \\u escapes,
    so no text of an author can close the script element."""
    occurrence = agenda.next_occurrence(event, site.now)
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Event", "name": event.title,
        "url": site.links.absolute(event.path),
        "startDate": _schema_time(occurrence.start, occurrence.all_day),
        "endDate": _schema_time(occurrence.end - timedelta(days=1), True) if occurrence.all_day
        else _schema_time(occurrence.end, False),
        "eventStatus": f"https://schema.org/{SCHEMA_STATUS[event.status]}",
        "eventAttendanceMode": f"https://schema.org/{_attendance(event)}",
        "organizer": [_organization(site, slug) for slug in event.institutions],
    }
    if _locations(event):
        data["location"] = _locations(event)
    if event.summary:
        data["description"] = event.summary
    return script_json(data)


def script_json(data: dict[str, Any]) -> Markup:
    """JSON safe inside <script>: '<', '>', '&' and the JS line separators as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return Markup(text)


def _organization(site: Site, slug: str) -> dict[str, str]:
    institution = site.institution(slug)
    return {"@type": "Organization", "name": institution.title, "url": site.links.absolute(institution.path)}


def _schema_time(moment: datetime, all_day: bool) -> str:
    return moment.date().isoformat() if all_day else moment.isoformat()


def _attendance(event: Event) -> str:
    online, place = bool(event.online), bool(event.location)
    if online and place:
        return "MixedEventAttendanceMode"
    return "OnlineEventAttendanceMode" if online else "OfflineEventAttendanceMode"


def _locations(event: Event) -> list[dict[str, str]]:
    places = []
    if event.location:
        places.append({"@type": "Place", "name": event.location, "address": event.location})
    if event.online:
        places.append({"@type": "VirtualLocation", "url": event.online})
    return places


def upcoming_dates(site: Site, event: Event, limit: int = 12) -> list[Occurrence]:
    """The occurrences of a recurring event not over yet, soonest first, at most `limit`."""
    return [o for o in agenda.occurrences(event) if o.end > site.now][:limit]
