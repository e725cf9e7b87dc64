"""Month grid and event pages, read as HTML and compared with an independent expansion of the ICS."""

from __future__ import annotations

import json
import re
import zoneinfo
from collections import defaultdict
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
import recurring_ical_events

from conftest import build_site, new_context

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


class Grid(HTMLParser):
    """Reads a month page: days with their event links, weekday headers, today, month links."""

    def __init__(self):
        super().__init__()
        self.days: dict[date, list[str]] = {}
        self.headers: list[str] = []
        self.today: list[date] = []
        self.rel: dict[str, str] = {}
        self._td: dict | None = None
        self._day: date | None = None
        self._in_th = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "td":
            self._td, self._day = attrs, None
        elif tag == "th":
            self._in_th = True
        elif tag == "abbr" and self._in_th:
            self.headers.append(attrs["title"])
        elif tag == "time" and self._td is not None and self._day is None:
            self._day = date.fromisoformat(attrs["datetime"])
            self.days[self._day] = []
            if self._td.get("aria-current") == "date":
                self.today.append(self._day)
        elif tag == "a" and self._day is not None and attrs.get("href", "").startswith("/events/"):
            self.days[self._day].append(attrs["href"].split("/")[2])
        elif tag == "a" and attrs.get("rel") in ("prev", "next"):
            self.rel[attrs["rel"]] = attrs["href"]

    def handle_endtag(self, tag):
        if tag == "td":
            self._td, self._day = None, None
        elif tag == "th":
            self._in_th = False


def grid_of(path: Path) -> Grid:
    parser = Grid()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def example(example_site):
    return build_site(example_site), example_site / "public"


def ics_days(public: Path) -> dict[date, set[str]]:
    """Day → event slugs from /calendar.ics expanded by recurring-ical-events: timed events on
    every Moscow day they cover, all-day events on their dates (DTEND exclusive)."""
    cal = icalendar.Calendar.from_ical((public / "calendar.ics").read_bytes())
    days = defaultdict(set)
    for item in recurring_ical_events.of(cal).between(date(2000, 1, 1), date(2100, 1, 1)):
        start, end = item.decoded("dtstart"), item.decoded("dtend")
        if isinstance(start, datetime):
            first = start.astimezone(MOSCOW).date()
            last = max(first, (end.astimezone(MOSCOW) - timedelta(seconds=1)).date())
        else:
            first, last = start, end - timedelta(days=1)
        for n in range((last - first).days + 1):
            days[first + timedelta(days=n)].add(str(item["uid"]).split("@")[0])
    return dict(days)


def test_month_grid_shows_exactly_the_expanded_dates(example):
    _, public = example
    shown: dict[date, set[str]] = defaultdict(set)
    for page in sorted((public / "calendar").glob("2*/*/index.html")):
        for day, slugs in grid_of(page).days.items():
            shown[day].update(slugs)
    assert {d: s for d, s in shown.items() if s} == ics_days(public)


def test_month_pages_run_from_the_first_to_the_last_occurrence(example):
    _, public = example
    months = sorted(p.parent.relative_to(public / "calendar").as_posix()
                    for p in (public / "calendar").glob("2*/*/index.html"))
    assert months == ["2026/09", "2026/10", "2026/11", "2026/12", "2027/01", "2027/02", "2027/03",
                      "2027/04", "2027/05"]


def test_calendar_index_is_the_month_of_now_with_today_marked(example):
    _, public = example
    grid = grid_of(public / "calendar/index.html")
    assert grid.today == [date(2026, 11, 25)]
    assert min(grid.days).month == 11 and len(grid.days) == 30
    assert grid.rel == {"prev": "/calendar/2026/10/", "next": "/calendar/2026/12/"}
    assert grid.days[date(2026, 11, 25)] == ["klub-knizhkina-sreda"]
    assert grid_of(public / "calendar/2026/12/index.html").today == []


def test_weekday_headers_are_monday_first_in_russian(example):
    _, public = example
    grid = grid_of(public / "calendar/2026/12/index.html")
    assert grid.headers == ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"]


def test_first_and_last_month_link_only_to_existing_months(example):
    _, public = example
    assert grid_of(public / "calendar/2026/09/index.html").rel == {"next": "/calendar/2026/10/"}
    assert grid_of(public / "calendar/2027/05/index.html").rel == {"prev": "/calendar/2027/04/"}


def test_grid_cells_show_times_and_multi_day_continuation(example):
    _, public = example
    html = (public / "calendar/2026/11/index.html").read_text(encoding="utf-8")
    assert '<time class="event-time" datetime="2026-11-17T10:00:00+03:00">10:00</time>' in html
    assert html.count("/events/festival-enskie-zvezdochki/") == 3
    html = (public / "calendar/2027/02/index.html").read_text(encoding="utf-8")
    # 12:00 in Yekaterinburg is 10:00 in the site's zone, the zone the grid is printed in.
    assert 'datetime="2027-02-11T12:00:00+05:00">10:00</time>' in html


def test_cancelled_event_is_marked_in_the_grid(example):
    _, public = example
    html = (public / "calendar/2026/12/index.html").read_text(encoding="utf-8")
    item = re.search(r'<li class="day-event status-cancelled">.*?</li>', html).group(0)
    assert "master-klass-risovanie-na-peske" in item and "Отменено" in item


# ---- event pages ---------------------------------------------------------------------------------

def json_ld(html: str) -> dict:
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    return json.loads(raw)


def page(public: Path, slug: str) -> str:
    return (public / "events" / slug / "index.html").read_text(encoding="utf-8")


def test_json_ld_of_events(example):
    _, public = example
    cancelled = json_ld(page(public, "master-klass-risovanie-na-peske"))
    assert cancelled["@type"] == "Event"
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"
    assert cancelled["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert cancelled["location"][0]["@type"] == "Place"
    assert cancelled["organizer"][0]["url"] == "https://net.example.org/institutions/mbdou-rosinka/"
    assert cancelled["startDate"] == "2026-12-03T15:00:00+03:00"
    online = json_ld(page(public, "konferenciya-ekaterinburg"))
    assert online["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert online["location"] == [{"@type": "VirtualLocation", "url": "https://conf.example.org/ural-doo-2027"}]
    assert online["startDate"] == "2027-02-11T12:00:00+05:00"
    assert json_ld(page(public, "zimnyaya-spartakiada"))["eventStatus"] == "https://schema.org/EventPostponed"
    assert json_ld(page(public, "den-kosmonavtiki"))["endDate"] == "2027-04-12"


def test_json_ld_cannot_close_its_script(make_site):
    title = "</script><script>alert(1)</script> & «дети»"
    root = make_site({"content/events/x.md": f'---\ntitle: "{title}"\nstart: "2026-12-03 10:00"\n'
                      f'summary: "a <b> & c"\n---\nТекст.\n'})
    build_site(root)
    html = page(root / "public", "x")
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in script and ">" not in script and "&" not in script
    assert json.loads(script)["name"] == title


def test_add_to_calendar_links(example):
    _, public = example
    html = page(public, "klub-knizhkina-sreda")
    assert 'href="/events/klub-knizhkina-sreda/event.ics"' in html
    assert (public / "events/klub-knizhkina-sreda/event.ics").is_file()
    google = re.search(r'href="(https://calendar\.google\.com/calendar/render\?[^"]+)"', html).group(1)
    query = parse_qs(urlsplit(google.replace("&amp;", "&")).query)
    assert query["action"] == ["TEMPLATE"] and query["ctz"] == ["Europe/Moscow"]
    assert query["dates"] == ["20261125T170000/20261125T180000"]  # the next meeting after --now
    assert query["text"] == ["Клуб семейного чтения «Книжкина среда»"]
    yandex = re.search(r'href="(https://calendar\.yandex\.ru/event\?[^"]+)"', html).group(1)
    query = parse_qs(urlsplit(yandex.replace("&amp;", "&")).query)
    assert query["start"] == ["20261125T170000"] and query["tz_id"] == ["Europe/Moscow"]
    all_day = page(public, "den-kosmonavtiki")
    google = re.search(r'href="(https://calendar\.google\.com/calendar/render\?[^"]+)"', all_day).group(1)
    assert parse_qs(urlsplit(google.replace("&amp;", "&")).query)["dates"] == ["20270412/20270413"]


def test_event_page_facts(example):
    _, public = example
    other_zone = page(public, "konferenciya-ekaterinburg").replace("\u202f", " ").replace("\xa0", " ").replace("\xad", "")
    assert "11 февраля 2027 г., 10:00–14:00 (Москва), 12:00–16:00 (Екатеринбург)" in other_zone
    local = page(public, "seminar-praktikum-fop-do").replace("\xad", "")  # soft hyphens (typography.py) aside
    assert "Екатеринбург" not in local
    club = page(public, "klub-knizhkina-sreda")
    assert "8 встреч" in club and club.count('<li><time datetime="2026-12') == 4  # 2, 9, 16, 23; the 30th is excluded
    cancelled = page(public, "master-klass-risovanie-na-peske")
    assert 'class="banner banner-cancelled"' in cancelled
    festival = page(public, "festival-enskie-zvezdochki")
    assert "/news/itogi-festivalya/" in festival


def test_pages_link_their_calendar_subscriptions(example):
    _, public = example
    inst = (public / "institutions/mbdou-solnyshko/index.html").read_text(encoding="utf-8")
    assert 'href="webcal://net.example.org/institutions/mbdou-solnyshko/calendar.ics"' in inst
    assert 'href="/institutions/mbdou-solnyshko/calendar.ics"' in inst
    audience = (public / "audiences/parents/index.html").read_text(encoding="utf-8")
    assert 'href="webcal://net.example.org/audiences/parents/calendar.ics"' in audience
    events = (public / "events/index.html").read_text(encoding="utf-8")
    assert 'href="webcal://net.example.org/calendar.ics"' in events and 'href="/subscribe/"' in events
    subscribe = (public / "subscribe/index.html").read_text(encoding="utf-8")
    for href in re.findall(r'href="(webcal://[^"]+)"', subscribe):
        target = public / urlsplit(href).path.lstrip("/")
        assert target.is_file(), href
    body = subscribe.split("<main", 1)[1].split("</main>", 1)[0]  # the footer links the network's calendar too
    assert len(re.findall(r'href="webcal://', body)) == 3


# ---- what a reader sees, in a real browser ---------------------------------------------------------

def serve_folder(public: Path):
    """A Playwright route handler serving the built folder as the root of http://site.test/."""
    def handle(route):
        path = urlsplit(route.request.url).path.lstrip("/")
        route.fulfill(path=str(public / (path + "index.html" if path.endswith("/") or not path else path)))
    return handle


def open_month(chromium, public: Path, width: int):
    page = new_context(chromium, viewport={"width": width, "height": 900}).new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.route("**/*", serve_folder(public))
    page.goto("http://site.test/calendar/")
    return page, requests


@pytest.mark.browser
def test_narrow_screen_reads_as_a_day_list(chromium, example):
    _, public = example
    page, requests = open_month(chromium, public, 375)
    assert not page.locator("table.month thead").is_visible()
    visible = page.locator("td.day:visible")
    texts = [visible.nth(i).inner_text() for i in range(visible.count())]
    assert len(texts) == 6 and all(visible.nth(i).locator("li.day-event").count() for i in range(6))
    assert texts[0].startswith("среда, 11 ноября")  # weekday and month are spelled out
    assert page.locator("td.day.empty").first.is_hidden()
    boxes = [visible.nth(i).bounding_box() for i in range(visible.count())]
    assert all(b["width"] > 300 for b in boxes)  # full width, one under another
    assert all(urlsplit(url).hostname == "site.test" for url in requests)
    page.context.close()


@pytest.mark.browser
def test_wide_screen_is_a_seven_column_table(chromium, example):
    _, public = example
    page, requests = open_month(chromium, public, 1200)
    assert page.locator("table.month thead").is_visible()
    row = page.locator("table.month tbody tr").nth(2).locator("td")
    lefts = [row.nth(i).bounding_box()["x"] for i in range(7)]
    assert lefts == sorted(lefts) and len(set(lefts)) == 7
    today = page.locator('td[aria-current="date"]')
    assert today.count() == 1 and "25" in today.inner_text()
    assert all(urlsplit(url).hostname == "site.test" for url in requests)
    page.context.close()


def test_calendar_without_events_and_after_the_last_event(make_site):
    root = make_site({})
    build_site(root)
    html = (root / "public/calendar/index.html").read_text(encoding="utf-8")
    assert "В этом месяце событий нет." in html and grid_of(root / "public/calendar/index.html").rel == {}
    assert not list((root / "public/calendar").glob("2*"))
    assert (root / "public/calendar.ics").read_bytes().count(b"BEGIN:VEVENT") == 0
    root = make_site({"content/events/x.md": '---\ntitle: Было\nstart: "2026-09-03"\n---\nТекст.\n'})
    build_site(root)
    grid = grid_of(root / "public/calendar/index.html")
    assert grid.rel == {"prev": "/calendar/2026/09/"} and grid.today == [date(2026, 11, 25)]
