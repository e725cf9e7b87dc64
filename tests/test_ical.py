"""ICS output, read back by independent parsers: icalendar's parser and recurring-ical-events."""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from netsite.content import agenda

from conftest import build_again, build_site, example_sources

WINDOW = (date(2000, 1, 1), date(2100, 1, 1))


def read(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def instances(cal: icalendar.Calendar) -> dict[str, list]:
    """UID → sorted start instants (aware UTC datetimes, or dates for all-day), expanded by
    recurring-ical-events, which knows nothing about netsite."""
    found = defaultdict(list)
    for item in recurring_ical_events.of(cal).between(*WINDOW):
        start = item.decoded("dtstart")
        found[str(item["uid"])].append(start.astimezone(UTC) if isinstance(start, datetime) else start)
    return {uid: sorted(starts) for uid, starts in found.items()}


def expected(event) -> list:
    return [o.start.date() if o.all_day else o.start.astimezone(UTC) for o in agenda.occurrences(event)]


@pytest.fixture(scope="module")
def example(example_site):
    return build_site(example_site), example_site / "public"


def test_every_example_event_is_in_the_site_calendar_at_the_right_utc_instant(example):
    result, public = example
    found = instances(read(public / "calendar.ics"))
    assert set(found) == {f"{e.slug}@net.example.org" for e in result.site.events}
    for event in result.site.events:
        assert found[f"{event.slug}@net.example.org"] == expected(event), event.slug


def test_known_instants_of_the_example(example):
    _, public = example
    found = instances(read(public / "calendar.ics"))
    # 12:00 in Yekaterinburg (UTC+5) is 07:00 UTC.
    assert found["konferenciya-ekaterinburg@net.example.org"] == [datetime(2027, 2, 11, 7, 0, tzinfo=UTC)]
    club = found["klub-knizhkina-sreda@net.example.org"]
    assert len(club) == 8 and datetime(2026, 11, 4, 14, 0, tzinfo=UTC) not in club
    meeting = found["metodicheskoe-obedinenie@net.example.org"]
    assert meeting[0] == datetime(2026, 9, 17, 11, 0, tzinfo=UTC) and all(d.weekday() == 3 for d in meeting)
    assert found["den-kosmonavtiki@net.example.org"] == [date(2027, 4, 12)]


def test_each_event_file_holds_that_event_only(example):
    result, public = example
    for event in result.site.events:
        found = instances(read(public / "events" / event.slug / "event.ics"))
        assert found == {f"{event.slug}@net.example.org": expected(event)}


def test_institution_and_audience_calendars_hold_their_events(example):
    result, public = example
    for institution in result.site.institutions:
        found = instances(read(public / "institutions" / institution.slug / "calendar.ics"))
        own = {e.slug for e in result.site.events if institution.slug in e.institutions}
        assert {uid.split("@")[0] for uid in found} == own
    for audience in result.config.vocabularies["audience"]:
        found = instances(read(public / "audiences" / audience / "calendar.ics"))
        own = {e.slug for e in result.site.events if audience in e.get("audience", ())}
        assert {uid.split("@")[0] for uid in found} == own and own


def test_status_of_cancelled_and_postponed_events(example):
    _, public = example
    events = {str(e["uid"]).split("@")[0]: e for e in read(public / "calendar.ics").walk("VEVENT")}
    assert events["master-klass-risovanie-na-peske"]["status"] == "CANCELLED"
    assert str(events["master-klass-risovanie-na-peske"]["summary"]).startswith("Отменено: ")
    assert events["zimnyaya-spartakiada"]["status"] == "TENTATIVE"
    assert events["seminar-praktikum-fop-do"]["status"] == "CONFIRMED"


def test_calendar_properties_for_subscribers(example):
    result, public = example
    raw = (public / "calendar.ics").read_bytes().decode("utf-8")
    unfolded = raw.replace("\r\n ", "")
    for line in ("VERSION:2.0", "METHOD:PUBLISH", "X-WR-TIMEZONE:Europe/Moscow",
                 "REFRESH-INTERVAL;VALUE=DURATION:PT6H", "X-PUBLISHED-TTL:PT6H",
                 f"X-WR-CALNAME:{result.config.title}"):
        assert f"\r\n{line}\r\n" in unfolded, line
    cal = read(public / "calendar.ics")
    tzids = {str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")}
    assert tzids == {"Europe/Moscow", "Asia/Yekaterinburg"}
    for item in cal.walk("VEVENT"):
        assert item.decoded("dtstamp") == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
        assert str(item["url"]) == f"https://net.example.org/events/{str(item['uid']).split('@')[0]}/"


def test_description_is_plain_text_and_location_is_the_place_or_link(example):
    _, public = example
    events = {str(e["uid"]).split("@")[0]: e for e in read(public / "calendar.ics").walk("VEVENT")}
    webinar = events["vebinar-razvivayushchaya-sreda"]
    assert str(webinar["location"]) == "https://webinar.example.org/ensk/ppps-2026"
    for item in events.values():
        text = str(item["description"])
        assert "<" not in text and "&amp;" not in text and text.endswith(str(item["url"]))
    assert "Почитайка" in str(events["klub-knizhkina-sreda"]["location"])


def test_rrule_and_exdate_are_written_as_rfc_5545_wants(example):
    _, public = example
    raw = (public / "events/klub-knizhkina-sreda/event.ics").read_bytes().decode().replace("\r\n ", "")
    assert "\r\nRRULE:FREQ=WEEKLY;COUNT=10;BYDAY=WE\r\n" in raw
    assert "\r\nEXDATE;TZID=Europe/Moscow:20261104T170000,20261230T170000\r\n" in raw
    meeting = (public / "events/metodicheskoe-obedinenie/event.ics").read_bytes().decode().replace("\r\n ", "")
    assert "UNTIL=20270531T235959Z" in meeting  # UTC beside a DTSTART with TZID


def every_ics(public: Path) -> list[Path]:
    return sorted(public.rglob("*.ics"))


def test_every_physical_line_is_crlf_and_at_most_75_octets(example):
    _, public = example
    files = every_ics(public)
    assert len(files) == 1 + 8 + 3 + 18
    folded_cyrillic = 0
    for path in files:
        data = path.read_bytes()
        assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
        assert not [c.errors for c in icalendar.Calendar.from_ical(data).walk() if c.errors], path
        lines = data.split(b"\r\n")[:-1]
        for line in lines:
            assert len(line) <= 75, (path, line)
            line.decode("utf-8")  # a fold never cuts a letter in half
        folded_cyrillic += sum(1 for a, b in zip(lines, lines[1:]) if b.startswith(b" ") and len(a) >= 70
                               and any("а" <= ch <= "я" for ch in b.decode()))
    assert folded_cyrillic > 100


def test_text_escaping_round_trips(make_site):
    title = "Семинар; «Игра», \\ задача: дети"
    root = make_site({"content/events/x.md": f'---\ntitle: "{title.replace(chr(92), chr(92) * 2)}"\n'
                      'start: "2026-12-03 10:00"\nlocation: "ул. Садовая, д. 14; зал"\n---\nТекст.\n'})
    build_site(root)
    item = read(root / "public/events/x/event.ics").walk("VEVENT")[0]
    assert str(item["summary"]) == title
    assert str(item["location"]) == "ул. Садовая, д. 14; зал"


def test_offset_events_are_written_in_utc_and_all_day_as_dates(make_site):
    root = make_site({
        "content/events/offset.md": '---\ntitle: Офсет\nstart: "2026-12-03 10:00+05:00"\n---\nТекст.\n',
        "content/events/days.md": '---\ntitle: Дни\nstart: "2026-12-03"\nend: "2026-12-05"\n---\nТекст.\n',
    })
    build_site(root)
    raw = (root / "public/calendar.ics").read_bytes().decode()
    assert "\r\nDTSTART:20261203T050000Z\r\n" in raw
    assert "\r\nDTSTART;VALUE=DATE:20261203\r\nDTEND;VALUE=DATE:20261206\r\n" in raw
    assert "BEGIN:VTIMEZONE" not in raw


@pytest.mark.slow
def test_two_builds_give_identical_ics_bytes(tmp_path, example):
    _, public = example
    other = example_sources(tmp_path / "again")
    build_again(other)
    first = {p.relative_to(public): p.read_bytes() for p in every_ics(public)}
    second = {p.relative_to(other / "public"): p.read_bytes() for p in every_ics(other / "public")}
    assert first == second


DST_SITE = {
    "content/events/evening.md": '---\ntitle: Вечер\nstart: "2026-10-14 17:00"\nend: "2026-10-14 18:30"\n'
                                 'rrule: "FREQ=WEEKLY;BYDAY=WE;COUNT=4"\n---\nТекст.\n',
    "content/events/night.md": '---\ntitle: Ночь\nstart: "2027-03-21 02:30"\nrrule: "FREQ=WEEKLY;COUNT=3"\n---\nТекст.\n',
    "content/events/month-end.md": '---\ntitle: Конец месяца\nstart: "2027-01-31 10:00"\n'
                                   'rrule: "FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20270601"\n---\nТекст.\n',
    "content/events/days.md": '---\ntitle: Дни\nstart: "2026-12-28"\nend: "2026-12-29"\n'
                              'rrule: "FREQ=DAILY;INTERVAL=3;COUNT=4"\nexdates: ["2026-12-31"]\n---\nТекст.\n',
    "content/events/new-york.md": '---\ntitle: Нью-Йорк\nstart: "2026-11-01 01:30-04:00"\ntimezone: America/New_York\n'
                                  '---\nТекст.\n',
    "content/events/nyc-series.md": '---\ntitle: Серия\nstart: "2026-10-30 09:00"\ntimezone: America/New_York\n'
                                    'rrule: "FREQ=DAILY;COUNT=4"\n---\nТекст.\n',
}


def test_dst_zones_and_series_agree_with_an_independent_expansion(make_site):
    config = "title: Сеть\nbase_url: https://net.example.org/\ntimezone: Europe/Berlin\n"
    result = build_site(make_site(DST_SITE, config=config))
    found = instances(read(result.config.output_path / "calendar.ics"))
    assert len(found) == len(result.site.events) == 6
    for event in result.site.events:
        assert found[f"{event.slug}@net.example.org"] == expected(event), event.slug
    evening = found["evening@net.example.org"]
    assert [d.hour for d in evening] == [15, 15, 16, 16]  # 17:00 local, before and after the change
    assert found["days@net.example.org"] == [date(2026, 12, 28), date(2027, 1, 3), date(2027, 1, 6)]


def test_vtimezone_onsets_are_local_times_before_each_change(make_site):
    """RFC 5545 3.6.5: an observance's DTSTART is local time in its TZOFFSETFROM."""
    config = "title: Сеть\nbase_url: https://net.example.org/\ntimezone: Europe/Berlin\n"
    result = build_site(make_site(DST_SITE, config=config))
    cal = read(result.config.output_path / "calendar.ics")
    zones = {str(tz["tzid"]): tz for tz in cal.walk("VTIMEZONE")}
    assert set(zones) == {"Europe/Berlin", "America/New_York"}
    onsets = []
    for key, tz in zones.items():
        zone = zoneinfo.ZoneInfo(key)
        for part in tz.subcomponents[1:]:  # the first one only states the offset at the start
            before, after = part["tzoffsetfrom"].td, part["tzoffsetto"].td
            instant = (part.decoded("dtstart") - before).replace(tzinfo=UTC)
            assert (instant - timedelta(seconds=1)).astimezone(zone).utcoffset() == before
            assert instant.astimezone(zone).utcoffset() == after
            onsets.append((key, part.decoded("dtstart")))
    assert ("Europe/Berlin", datetime(2027, 3, 28, 2, 0)) in onsets
    assert ("Europe/Berlin", datetime(2026, 10, 25, 3, 0)) in onsets
    assert ("America/New_York", datetime(2026, 11, 1, 2, 0)) in onsets


def test_each_vevent_is_serialized_once_and_spliced_alike(tmp_path, monkeypatch):
    """An event sits in the site's, its institution's, its audiences' and its own calendar: its text
    is made once, and every calendar still parses to the very VEVENT icalendar itself would write."""
    from netsite.publish import ical

    made = []
    real = icalendar.Event.to_ical
    monkeypatch.setattr(icalendar.Event, "to_ical", lambda self, *a, **k: made.append(str(self["uid"])) or real(self, *a, **k))
    root = example_sources(tmp_path / "site")  # a cold build: a warm one may rightly serialize nothing
    result = build_again(root, jobs=1)  # one process: workers would count in their own copies
    assert sorted(made) == sorted({f"{e.slug}@net.example.org" for e in result.site.events})
    public = root / "public"
    monkeypatch.setattr(icalendar.Event, "to_ical", real)
    for path in public.rglob("*.ics"):
        data = path.read_bytes()
        assert data == read(path).to_ical(), path  # nothing lost or reordered in the splice
        assert data.count(b"BEGIN:VCALENDAR") == 1 and data.endswith(ical._END)
