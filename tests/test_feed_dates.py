"""Feed dates tell when an item was published, never when an event happens (issue 13), read by feedparser."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import feedparser
from lxml import etree

from conftest import build_site

ZONE = ZoneInfo("Europe/Moscow")
CLOCK = datetime(2026, 11, 25, 12, 0, tzinfo=ZONE)  # conftest.NOW
TEREMOK = """\
---
title: Детский сад «Теремок»
kind: kindergarten
---
Детский сад.
"""


def event(title: str, start: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\nstart: {start}\norganizers: [solnyshko]\ntags: [встречи]\n{extra}---\nТекст.\n"


def news(title: str, day: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: {day}\ninstitution: solnyshko\n{extra}---\nТекст.\n"


def parse(path):
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def stamp(parsed_time) -> datetime:
    return datetime.fromtimestamp(calendar.timegm(parsed_time), UTC)


SITE = {
    # Announced 30 days before the start by default: 2026-11-10 10:00.
    "content/events/soon.md": event("Скоро", "2026-12-10 10:00"),
    # Its `date:` is the announcement.
    "content/events/announced.md": event("Объявлено", "2027-05-20 10:00", "date: 2026-11-20 09:00\n"),
    # Far ahead, no date: announced 2027-04-01, not in feeds yet however many there are.
    **{f"content/events/far-{n}.md": event(f"Далеко {n}", f"2027-05-{n + 1:02d} 10:00") for n in range(5)},
    # Announced tomorrow: not in feeds today.
    "content/events/tomorrow.md": event("Объявят завтра", "2026-12-20 10:00", "date: 2026-11-26 09:00\n"),
    # Past: dated 30 days before it took place.
    "content/events/past.md": event("Прошло", "2026-10-01 10:00", "status: cancelled\n"),
    "content/news/2026-11-15-a.md": news("Новость А", "2026-11-15"),
    "content/news/2026-11-05-b.md": news("Новость Б", "2026-11-05"),
}


def test_items_are_dated_by_publication_never_after_the_clock(make_site):
    root = make_site(SITE)
    build_site(root)
    for name in ("rss.xml", "atom.xml", "events/rss.xml", "tags/vstrechi/atom.xml",
                 "institutions/solnyshko/rss.xml"):
        parsed = parse(root / "public" / name)
        dates = [stamp(e.published_parsed) for e in parsed.entries]
        assert dates and max(dates) <= CLOCK, name
        assert stamp(parsed.feed.updated_parsed) == max(dates), name
    site = parse(root / "public/rss.xml")
    assert [(e.title, stamp(e.published_parsed)) for e in site.entries] == [
        ("Объявлено", datetime(2026, 11, 20, 9, 0, tzinfo=ZONE)),
        ("Новость А", datetime(2026, 11, 15, tzinfo=ZONE)),
        ("Скоро", datetime(2026, 11, 10, 10, 0, tzinfo=ZONE)),
        ("Новость Б", datetime(2026, 11, 5, tzinfo=ZONE)),
        ("Отменено: Прошло", datetime(2026, 9, 1, 10, 0, tzinfo=ZONE)),
    ]


def test_the_next_days_build_adds_the_announced_item_and_keeps_the_others_dates(make_site):
    root = make_site(SITE)
    build_site(root, now="2026-11-26 12:00")
    site = parse(root / "public/rss.xml")
    assert site.entries[0].title == "Объявят завтра"
    assert stamp(site.entries[0].published_parsed) == datetime(2026, 11, 26, 9, 0, tzinfo=ZONE)
    assert stamp(site.entries[1].published_parsed) == datetime(2026, 11, 20, 9, 0, tzinfo=ZONE)


def test_coming_events_do_not_push_news_out_of_a_short_feed(make_site):
    root = make_site(SITE, config="title: Сеть\nbase_url: https://net.example.org/\n"
                     "timezone: Europe/Moscow\nfeed_length: 4\n")
    build_site(root)
    titles = [e.title for e in parse(root / "public/rss.xml").entries]
    assert titles == ["Объявлено", "Новость А", "Скоро", "Новость Б"]


def test_an_empty_feed_is_dated_by_the_sites_newest_item(make_site):
    root = make_site({**SITE, "content/institutions/teremok.md": TEREMOK})
    build_site(root)
    for name in ("institutions/teremok/rss.xml", "institutions/teremok/atom.xml"):
        parsed = parse(root / "public" / name)
        assert parsed.entries == []
        assert stamp(parsed.feed.updated_parsed) == datetime(2026, 11, 20, 9, 0, tzinfo=ZONE)


def test_an_empty_site_dates_its_feeds_by_the_build_clock(make_site):
    build_site(root := make_site({}))
    assert stamp(parse(root / "public/rss.xml").feed.updated_parsed) == CLOCK


def test_every_institution_of_an_item_is_in_one_rss_creator_and_in_atom_authors(make_site):
    root = make_site({"content/institutions/teremok.md": TEREMOK,
                      "content/news/2026-11-15-a.md": news("Вместе", "2026-11-15").replace(
                          "institution: solnyshko", "institutions: [solnyshko, teremok]")})
    build_site(root)
    channel = etree.parse(str(root / "public/rss.xml")).getroot().find("channel")
    creators = channel.find("item").findall("{http://purl.org/dc/elements/1.1/}creator")
    assert [c.text for c in creators] == ["Детский сад «Солнышко», Детский сад «Теремок»"]
    assert parse(root / "public/rss.xml").entries[0].author == "Детский сад «Солнышко», Детский сад «Теремок»"
    atom = parse(root / "public/atom.xml").entries[0]
    assert [a.name for a in atom.authors] == ["Детский сад «Солнышко»", "Детский сад «Теремок»"]


def test_cancelled_and_postponed_events_say_so_in_feed_titles(make_site):
    root = make_site({"content/events/a.md": event("Утренник", "2026-12-01 10:00", "status: cancelled\n"),
                      "content/events/b.md": event("Концерт", "2026-12-02 10:00", "status: postponed\n")})
    build_site(root)
    for name in ("events/rss.xml", "events/atom.xml"):
        assert sorted(e.title for e in parse(root / "public" / name).entries) == \
            ["Отменено: Утренник", "Перенесено: Концерт"]


def test_the_sitemap_dates_events_by_their_announcement_never_after_the_clock(make_site):
    root = make_site(SITE)
    build_site(root)
    tree = etree.parse(str(root / "public/sitemap.xml")).getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    dates = {u.findtext(ns + "loc").split(".org")[1]: u.findtext(ns + "lastmod") for u in tree}
    assert dates["/events/soon/"] == "2026-11-10"
    assert dates["/events/far-0/"] is None and dates["/events/tomorrow/"] is None
    assert max(d for d in dates.values() if d) <= "2026-11-25"
