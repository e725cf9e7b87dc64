"""Times a reader sees (issue 13): in the site's zone, named by city, other zones also at their own
local time; no tz database id or offset in any page's text. Checked on the built HTML text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import build_site

CONFIG = "title: Сеть\nbase_url: https://net.example.org/\ntimezone: Europe/Moscow\n"


def event(title: str, start: str, end: str, extra: str = "") -> str:
    return (f"---\ntitle: {title}\nstart: {start}\nend: {end}\norganizers: [solnyshko]\n"
            f"audience: [teachers]\ntags: [встречи]\n{extra}---\nТекст.\n")


SITE = {
    "content/events/berlin.md": event("Семинар в Берлине", "2026-12-03 17:00", "2026-12-03 18:30",
                                      "timezone: Europe/Berlin\n"),
    "content/events/ural.md": event("Вебинар с Уралом", "2026-12-04 15:00", "2026-12-04 16:00",
                                    "timezone: Asia/Yekaterinburg\n"),
    "content/events/offset.md": event("Встреча со смещением", "2026-12-05 17:00+05:00", "2026-12-05 18:00+05:00"),
    "content/events/vladivostok.md": event("Утро во Владивостоке", "2026-12-08 08:00", "2026-12-08 09:00",
                                           "timezone: Asia/Vladivostok\n"),
    "content/events/local.md": event("Утренник", "2026-12-01 10:00", "2026-12-01 11:00"),
    "content/events/minsk.md": event("Встреча в Минске", "2026-12-11 10:00", "2026-12-11 11:00",
                                     "timezone: Europe/Minsk\n"),
}
ZONE_IDS = re.compile(r"Europe/|Asia/|UTC[+-]|GMT[+-]|[+-]0[0-9]:?00\b")


class Text(HTMLParser):
    """The text a reader sees: no script, style or attribute values."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def text(path: Path) -> str:
    parser = Text()
    parser.feed(path.read_text(encoding="utf-8"))
    # Babel's and typography.py's no-break spaces read as spaces; soft hyphens are invisible
    return re.sub(r"\s+", " ", " ".join(parser.parts)).replace("\u00ad", "")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from conftest import INSTITUTION, write_site
    root = write_site(tmp_path_factory.mktemp("times"), {"content/institutions/solnyshko.md": INSTITUTION,
                                                          **SITE}, CONFIG)
    build_site(root)
    return root / "public"


@pytest.mark.parametrize(("page", "shown"), [
    ("events/berlin/index.html", "3 декабря 2026 г., 19:00–20:30 (Москва), 17:00–18:30 (Берлин)"),
    ("events/ural/index.html", "4 декабря 2026 г., 13:00–14:00 (Москва), 15:00–16:00 (Екатеринбург)"),
    ("events/offset/index.html", "5 декабря 2026 г., 15:00–16:00 (Москва), 17:00–18:00 по местному времени"),
    ("events/vladivostok/index.html", "8 декабря 2026 г., 01:00–02:00 (Москва), 08:00–09:00 (Владивосток)"),
    ("events/local/index.html", "1 декабря 2026 г., 10:00–11:00 (Москва)"),
    ("events/minsk/index.html", "11 декабря 2026 г., 10:00–11:00 (Москва)"),  # the same clock: one time
])
def test_event_pages_give_the_sites_time_named_and_the_events_own(site, page, shown):
    assert shown in text(site / page)


def test_late_evening_here_is_the_next_morning_there(make_site):
    root = make_site({"content/events/v.md": event("Вечер", "2026-12-09 08:00", "2026-12-09 09:00",
                                                   "timezone: Asia/Vladivostok\n").replace("09 08:00", "08 23:30")
                      .replace("2026-12-09 09:00", "2026-12-09 00:30")}, config=CONFIG)
    build_site(root)
    assert "8 декабря 2026 г., 16:30–17:30 (Москва), 8 декабря, 23:30 – 9 декабря, 00:30 (Владивосток)" in \
        text(root / "public/events/v/index.html")


@pytest.mark.parametrize("page", ["index.html", "events/index.html", "tags/vstrechi/index.html",
                                  "audiences/teachers/index.html", "institutions/solnyshko/index.html"])
def test_cards_in_lists_give_both_times_of_an_event_elsewhere_and_one_of_a_local_one(site, page):
    shown = text(site / page)
    assert "3 декабря 2026 г., 19:00–20:30 (Москва), 17:00–18:30 (Берлин)" in shown
    assert "1 декабря 2026 г., 10:00–11:00" in shown and "10:00–11:00 (Москва)" not in shown


def test_the_month_grid_and_the_event_page_agree(site):
    month = text(site / "calendar/2026/12/index.html")
    assert "19:00 Семинар в Берлине" in month and "13:00 Вебинар с Уралом" in month
    assert "01:00 Утро во Владивостоке" in month
    assert "Время указано по часовому поясу «Москва»" in month


def test_no_page_names_a_zone_by_its_database_id_or_offset(site):
    for page in sorted(site.rglob("*.html")):
        found = ZONE_IDS.search(text(page))
        assert not found, f"{page.relative_to(site)}: {found.group(0)!r}"


def test_feed_items_name_the_cities(site):
    import feedparser
    items = {e.title: e for e in feedparser.parse((site / "events/rss.xml").read_bytes()).entries}
    item = items["Семинар в Берлине"]
    for where in (item.summary, item.content[0].value):
        assert "19:00–20:30 (Москва), 17:00–18:30 (Берлин)" in re.sub(r"\s", " ", where)
