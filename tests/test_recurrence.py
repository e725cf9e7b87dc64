"""Repeating events described in Russian words from their rule (issue 13): exact strings, on the
event page and in feed items (read by feedparser)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
import pytest

from netsite.content import agenda
from netsite.content.kinds import Event
from netsite.publish.recurrence import describe, meetings

from conftest import build_site

MOSCOW = ZoneInfo("Europe/Moscow")


def series(rule: str, start: str, exdates: tuple[str, ...] = (), zone: str = "Europe/Moscow",
           all_day: bool = False) -> Event:
    """An event entry as content/schema.py makes it: occurrences and matched exdates."""
    tz = ZoneInfo(zone)
    first = datetime.fromisoformat(start).replace(tzinfo=tz)
    end = first + (timedelta(days=1) if all_day else timedelta(hours=1))
    expanded = agenda.expand_series(first, end, all_day, rule,
                                    tuple(datetime.fromisoformat(d).replace(tzinfo=tz) for d in exdates))
    assert not expanded.unmatched
    return Event(kind="events", slug="e", title="e", source="e.md", path="/events/e/", rrule=rule, start=first,
                 end=end, all_day=all_day, zone=zone, occurrences=expanded.occurrences, exdates=expanded.excluded)


@pytest.mark.parametrize(("rule", "start", "exdates", "words"), [
    ("FREQ=WEEKLY;BYDAY=WE;UNTIL=20270331", "2026-12-02 17:00", ("2027-01-13 17:00",),
     "каждую среду в 17:00, до 31 марта 2027 г., кроме 13 января"),
    ("FREQ=WEEKLY;BYDAY=WE;UNTIL=20261230", "2026-12-02 17:00", ("2026-12-16",),
     "каждую среду в 17:00, до 30 декабря, кроме 16 декабря"),
    ("FREQ=WEEKLY;BYDAY=WE;UNTIL=20261230", "2026-12-02 17:00", ("2026-12-30 17:00",),
     "каждую среду в 17:00, до 30 декабря, кроме 30 декабря"),
    ("FREQ=WEEKLY;BYDAY=WE;COUNT=10", "2026-10-28 17:00", ("2026-11-04 17:00", "2026-12-30 17:00"),
     "каждую среду в 17:00, 8 встреч, кроме 4 ноября и 30 декабря"),
    ("FREQ=WEEKLY;COUNT=3", "2026-11-30 09:00", (), "каждый понедельник в 09:00, 3 встречи"),
    ("FREQ=WEEKLY;BYDAY=SU;COUNT=21", "2026-11-29 12:00", (), "каждое воскресенье в 12:00, 21 встреча"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=5", "2026-12-01 10:00", (),
     "раз в две недели по вторникам в 10:00, 5 встреч"),
    ("FREQ=WEEKLY;INTERVAL=5;BYDAY=TU;COUNT=2", "2026-12-01 10:00", (),
     "раз в 5 недель по вторникам в 10:00, 2 встречи"),
    ("FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=12", "2026-11-30 10:00", ("2026-12-02", "2026-12-04", "2026-12-07"),
     "по понедельникам, средам и пятницам в 10:00, 9 встреч, кроме 2 декабря, 4 декабря и 7 декабря"),
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10", "2026-11-30 09:00", (), "по будням в 09:00, 10 встреч"),
    ("FREQ=MONTHLY;BYDAY=2TU;COUNT=3", "2026-12-08 10:00", (), "каждый второй вторник месяца в 10:00, 3 встречи"),
    ("FREQ=MONTHLY;BYDAY=-1FR;COUNT=4", "2026-12-25 10:00", (),
     "каждую последнюю пятницу месяца в 10:00, 4 встречи"),
    ("FREQ=MONTHLY;BYDAY=1WE,3WE;COUNT=4", "2026-12-02 10:00", (),
     "каждый месяц, в первую и третью среду в 10:00, 4 встречи"),
    ("FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU;COUNT=3", "2026-12-08 10:00", (),
     "раз в два месяца, во второй вторник в 10:00, 3 встречи"),
    ("FREQ=MONTHLY;BYDAY=TH;BYSETPOS=3;UNTIL=20270531T235959Z", "2026-12-17 15:00", (),
     "каждый третий четверг месяца в 15:00, до 20 мая 2027 г."),
    ("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=2", "2026-12-15 10:00", (), "каждый месяц 15-го числа в 10:00, 2 встречи"),
    ("FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=4", "2026-12-01 10:00", (),
     "каждый месяц 1-го и 15-го числа в 10:00, 4 встречи"),
    ("FREQ=MONTHLY;INTERVAL=3;COUNT=2", "2026-12-15 10:00", (), "раз в три месяца 15-го числа в 10:00, 2 встречи"),
    ("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=2", "2026-12-31 10:00", (), "в последний день месяца в 10:00, 2 встречи"),
    ("FREQ=YEARLY;COUNT=3", "2027-04-12 10:00", (), "каждый год 12 апреля в 10:00, 3 встречи"),
    ("FREQ=YEARLY;INTERVAL=2;COUNT=2", "2027-04-12 10:00", (), "раз в два года 12 апреля в 10:00, 2 встречи"),
    ("FREQ=DAILY;COUNT=5", "2026-12-01 09:00", ("2026-12-03 09:00",), "каждый день в 09:00, 4 встречи, кроме 3 декабря"),
    ("FREQ=DAILY;INTERVAL=2;COUNT=5", "2026-12-01 09:00", (), "раз в два дня в 09:00, 5 встреч"),
    ("FREQ=DAILY;INTERVAL=7;COUNT=2", "2026-12-01 09:00", (), "раз в 7 дней в 09:00, 2 встречи"),
])
def test_rules_in_words(rule, start, exdates, words):
    assert describe(series(rule, start, exdates), MOSCOW, "ru") == words


def test_all_day_series_have_no_time():
    event = series("FREQ=YEARLY;COUNT=2", "2027-04-12", all_day=True)
    assert describe(event, MOSCOW, "ru") == "каждый год 12 апреля, 2 встречи"


def test_a_series_in_another_zone_names_its_city():
    event = series("FREQ=WEEKLY;BYDAY=WE;COUNT=3", "2026-12-02 17:00", zone="Europe/Berlin")
    assert describe(event, MOSCOW, "ru") == "каждую среду в 17:00 (Берлин), 3 встречи"


@pytest.mark.parametrize(("rule", "first"), [("FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1;COUNT=2", "2026-12-01 10:00"),
                                             ("FREQ=MONTHLY;BYDAY=1MO,2TU;COUNT=2", "2026-12-07 10:00"),
                                             ("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13;COUNT=2", "2027-08-13 10:00")])
def test_rules_without_words_give_none(rule, first):
    assert describe(series(rule, first), MOSCOW, "ru") is None


def test_other_languages_fall_back():
    assert describe(series("FREQ=DAILY;COUNT=2", "2026-12-01 09:00"), MOSCOW, "en") is None


@pytest.mark.parametrize(("n", "words"), [(1, "1 встреча"), (2, "2 встречи"), (4, "4 встречи"), (5, "5 встреч"),
                                          (11, "11 встреч"), (21, "21 встреча"), (22, "22 встречи"),
                                          (111, "111 встреч")])
def test_plural_forms(n, words):
    assert meetings(n) == words


def test_event_page_and_feed_items_describe_the_series(make_site):
    root = make_site({"content/events/club.md": """\
        ---
        title: Клуб
        start: 2026-12-02 17:00
        end: 2026-12-02 18:00
        rrule: FREQ=WEEKLY;BYDAY=WE;UNTIL=20261230
        exdates: [2026-12-16]
        organizers: [solnyshko]
        date: 2026-11-20
        ---
        Встречи клуба.
        """})
    build_site(root)
    words = "каждую среду в 17:00, до 30 декабря, кроме 16 декабря"
    page = (root / "public/events/club/index.html").read_text(encoding="utf-8")
    assert f"Повторяется: {words}" in page
    full = feedparser.parse((root / "public/events/rss.xml").read_bytes()).entries[0]
    assert f"повторяется: {words}" in re.sub(r"\s", " ", full.content[0].value)
    assert f"повторяется: {words}" in re.sub(r"\s", " ", full.summary)
