"""Event time model: zones, DST errors at their line, all-day spans, recurrence, upcoming and past."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest

from netsite.content import agenda
from netsite.content.models import Occurrence
from netsite.publish import monthgrid

from conftest import build_site, check_site, codes, diagnostics_of

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def event(front: str, body: str = "Описание события.") -> str:
    """An event file: `front` is the front matter after the title line (so its keys start at line 3)."""
    return f"---\ntitle: Событие\n{front.strip()}\n---\n{body}\n"


# ---- parsing moments and spans -----------------------------------------------------------------

@pytest.mark.parametrize("text, code", [
    ("2026-03-29 02:30", "date.nonexistent"),   # Berlin springs forward 02:00 → 03:00
    ("2026-10-25 02:30", "date.ambiguous"),     # and falls back 03:00 → 02:00
])
def test_dst_gap_and_overlap_are_refused(text, code):
    with pytest.raises(agenda.TimeError) as info:
        agenda.parse_moment(text, BERLIN)
    assert info.value.code == code


@pytest.mark.parametrize("text, zone", [("2026-10-25 02:30", BERLIN),
                                         ("2026-11-01 01:30", zoneinfo.ZoneInfo("America/New_York"))])
def test_the_overlap_message_suggests_this_time_with_an_offset_that_parses(text, zone):
    """The example is the author's own time with its first offset (it was Moscow's 2026-10-25 for every zone)."""
    with pytest.raises(agenda.TimeError) as info:
        agenda.parse_moment(text, zone)
    example = dict(info.value.message.values)["example"]
    assert example.startswith(text) and example != text
    moment = agenda.parse_moment(example, zone).value
    assert moment.astimezone(UTC) == datetime.fromisoformat(text).replace(tzinfo=zone, fold=0).astimezone(UTC)


@pytest.mark.parametrize("text, zone, meant", [
    ("2026-12-03 10:00-12:00", MOSCOW, None),             # "from ten to twelve", not 10:00 at UTC−12
    ("2026-12-03 9:30-11:00", BERLIN, None),
    ("2026-12-03 10:00-05:00", zoneinfo.ZoneInfo("America/New_York"), datetime(2026, 12, 3, 15, tzinfo=UTC)),
    ("2026-11-01 01:30-04:00", zoneinfo.ZoneInfo("America/New_York"), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
    ("2026-12-03 10:00 -05:00", MOSCOW, datetime(2026, 12, 3, 15, tzinfo=UTC)),  # spaced: an offset, meant so
    ("2026-12-03 10:00+12:00", MOSCOW, datetime(2026, 12, 2, 22, tzinfo=UTC)),
])
def test_a_time_that_reads_as_a_range_is_refused_and_a_real_offset_kept(text, zone, meant):
    """ISO reads '10:00-12:00' as 10:00 at UTC−12 (01:00 the next day in Moscow): an author meant a range."""
    if meant is not None:
        assert agenda.parse_moment(text, zone).value.astimezone(UTC) == meant
        return
    with pytest.raises(agenda.TimeError) as info:
        agenda.parse_moment(text, zone)
    values = dict(info.value.message.values)
    assert info.value.code == "date.range" and values["day"] == "2026-12-03"
    assert (values["start"], values["end"]) in {("10:00", "12:00"), ("09:30", "11:00")}


def test_overlap_resolved_by_an_explicit_offset():
    moment = agenda.parse_moment("2026-10-25 02:30+01:00", BERLIN)
    assert moment.value.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_all_day_end_is_inclusive_for_authors_and_exclusive_inside():
    start = agenda.parse_moment("2026-12-03", MOSCOW)
    end = agenda.parse_moment("2026-12-05", MOSCOW)
    first, stop, all_day = agenda.event_span(start, end, None)
    assert all_day and first == datetime(2026, 12, 3, tzinfo=MOSCOW)
    assert stop == datetime(2026, 12, 6, tzinfo=MOSCOW)


@pytest.mark.parametrize("front, line, code", [
    ('start: "2026-03-29 02:30"\ntimezone: Europe/Berlin', 3, "date.nonexistent"),
    ('timezone: Europe/Berlin\nstart: "2026-10-25 01:00"\nend: "2026-10-25 02:15"', 5, "date.ambiguous"),
    ('start: "2026-12-03 12:00"\nend: "2026-12-03 10:00"', 4, "event.dates"),
    ('start: "2026-12-05"\nend: "2026-12-03"', 4, "event.dates"),
    ('start: "2026-12-03 10:00"\ntimezone: Europe/Moskow', 4, "event.timezone"),
    ('start: "2026-02-30 10:00"', 3, "date.format"),
    ('start: "2026-12-03 10:00-12:00"', 3, "date.range"),
    ('start: "2026-12-03 10:00"\nend: "2026-12-03 10:00-12:00"', 4, "date.range"),
])
def test_time_errors_point_at_their_line_through_the_build(make_site, front, line, code):
    root = make_site({"content/events/x.md": event(front)})
    err = diagnostics_of(root)
    assert (code, "content/events/x.md", line) in codes(err)


def test_dst_gap_in_the_site_zone_is_an_error_too(make_site):
    config = "title: Сеть\nbase_url: https://net.example.org/\ntimezone: Europe/Berlin\n"
    root = make_site({"content/events/x.md": event('organizers: [solnyshko]\nstart: "2027-03-28 02:00"')},
                     config=config)
    assert ("date.nonexistent", "content/events/x.md", 4) in codes(diagnostics_of(root))


def test_an_offset_start_keeps_its_offset_as_the_zone(make_site):
    root = make_site({"content/events/x.md": event('start: "2026-12-03 10:00+05:00"')})
    entry = check_site(root).site.event("x")
    assert entry.zone == "+05:00"
    assert entry.start.astimezone(UTC).hour == 5


# ---- recurrence ----------------------------------------------------------------------------------

def expand(rule: str, start: datetime, hours: int = 1, exdates=()) -> agenda.Series:
    return agenda.expand_series(start, start + timedelta(hours=hours), False, rule, tuple(exdates))


def test_weekly_rule_keeps_wall_clock_time_across_dst():
    series = expand("FREQ=WEEKLY;COUNT=3", datetime(2026, 10, 18, 17, 0, tzinfo=BERLIN))
    local = [o.start.strftime("%m-%d %H:%M") for o in series.occurrences]
    assert local == ["10-18 17:00", "10-25 17:00", "11-01 17:00"]
    offsets = [o.start.utcoffset() for o in series.occurrences]
    assert offsets == [timedelta(hours=2), timedelta(hours=1), timedelta(hours=1)]


def test_exdates_with_time_and_date_only_remove_instances():
    start = datetime(2026, 10, 28, 17, 0, tzinfo=MOSCOW)
    exdates = [datetime(2026, 11, 4, 17, 0, tzinfo=MOSCOW), datetime(2026, 11, 18, tzinfo=MOSCOW)]
    series = expand("FREQ=WEEKLY;BYDAY=WE;COUNT=5", start, exdates=exdates)
    assert [o.start.day for o in series.occurrences] == [28, 11, 25]
    assert [d.day for d in series.excluded] == [4, 18]
    assert series.excluded[1].hour == 17  # EXDATE must name the instance itself
    assert series.unmatched == ()


def test_monthly_by_setpos_gives_the_third_thursday():
    series = expand("FREQ=MONTHLY;BYDAY=TH;BYSETPOS=3;COUNT=4", datetime(2026, 9, 17, 14, 0, tzinfo=MOSCOW))
    assert [o.start.date() for o in series.occurrences] == [
        date(2026, 9, 17), date(2026, 10, 15), date(2026, 11, 19), date(2026, 12, 17)]


def test_until_date_is_inclusive_of_its_day():
    series = expand("FREQ=DAILY;UNTIL=20261205", datetime(2026, 12, 3, 10, 0, tzinfo=MOSCOW))
    assert [o.start.day for o in series.occurrences] == [3, 4, 5]


def test_ics_rule_writes_until_in_utc_for_timed_and_as_date_for_all_day():
    start = datetime(2026, 12, 3, 10, 0, tzinfo=MOSCOW)
    assert agenda.ics_rule("FREQ=DAILY;UNTIL=20261205", start, False)["UNTIL"] == "20261205T205959Z"
    assert agenda.ics_rule("FREQ=DAILY;UNTIL=20261205T235959Z", start, True)["UNTIL"] == "20261206"


@pytest.mark.parametrize("rrule, message", [
    ("FREQ=WEEKLY;BYDAY=WE", "COUNT"),                              # never ends
    ("FREQ=WEEKLY;COUNT=500", "more than"),                          # over the cap
    ("FREQ=WEEKLY;UNTIL=20260101", "no occurrence"),                 # ends before it starts
    ("FREQ=WEEKLY;BYDAY=TU;COUNT=3", "not a date of the rrule"),     # 2026-12-03 is a Thursday
    ("FREQ=HOURLY;COUNT=3", "FREQ"),
    ("FREQ=WEEKLY;COUNT=3;BYHOUR=10", "not supported"),
    ("FREQ=WEEKLY;UNTIL=tomorrow", "UNTIL"),
])
def test_bad_rules_are_errors_at_the_rrule_line(make_site, rrule, message):
    root = make_site({"content/events/x.md": event(f'start: "2026-12-03 10:00"\nrrule: "{rrule}"')})
    err = diagnostics_of(root)
    assert ("event.rrule", "content/events/x.md", 4) in codes(err)
    assert message in str(err)


def test_a_repeating_event_with_a_fixed_offset_is_an_error(make_site):
    root = make_site({"content/events/x.md": event('start: "2026-12-02 02:00+05:00"\nrrule: "FREQ=WEEKLY;COUNT=3"')})
    err = diagnostics_of(root)
    assert ("event.rrule", "content/events/x.md", 4) in codes(err) and "timezone" in str(err)


def test_exdates_that_remove_everything_are_an_error(make_site):
    root = make_site({"content/events/x.md": event(
        'start: "2026-12-03 10:00"\nrrule: "FREQ=DAILY;COUNT=1"\nexdates: ["2026-12-03"]')})
    assert ("event.rrule", "content/events/x.md", 4) in codes(diagnostics_of(root))


@pytest.mark.parametrize("start, rrule", [
    ("2026-10-31 10:00", "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=6"),
    ("2026-10-31 10:00", "FREQ=MONTHLY;COUNT=6"),        # the 31st is implied by start
    ("2028-02-29", "FREQ=YEARLY;COUNT=2"),
])
def test_rules_that_skip_months_warn_at_their_line(make_site, start, rrule):
    root = make_site({"content/events/x.md": event(f'start: "{start}"\nrrule: "{rrule}"')})
    result = build_site(root)
    found = {(d.severity, d.code, d.location.line) for d in result.diagnostics}
    assert ("warning", "event.rrule", 4) in found
    assert len(result.site.event("x").occurrences) >= 2


def test_last_day_of_month_does_not_warn(make_site):
    root = make_site({"content/events/x.md": event('start: "2026-10-31 10:00"\nrrule: "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4"')})
    result = build_site(root)
    assert not result.diagnostics
    assert [o.start.day for o in result.site.event("x").occurrences] == [31, 30, 31, 31]


def test_an_exdate_that_matches_nothing_warns_at_its_item(make_site):
    root = make_site({"content/events/x.md": event(
        'start: "2026-12-03 10:00"\nrrule: "FREQ=WEEKLY;COUNT=3"\nexdates:\n  - "2026-12-10 10:00"\n  - "2026-12-11 10:00"')})
    result = build_site(root)
    assert {(d.code, d.location.line) for d in result.diagnostics} == {("event.exdates", 7)}
    assert len(result.site.event("x").occurrences) == 2


def test_strict_makes_recurrence_warnings_fatal(make_site):
    root = make_site({"content/events/x.md": event('start: "2026-10-31 10:00"\nrrule: "FREQ=MONTHLY;COUNT=3"')})
    assert ("event.rrule", "content/events/x.md", 4) in codes(diagnostics_of(root, strict=True))


# ---- upcoming and past around --now --------------------------------------------------------------

SPLIT = {
    "content/events/later-today.md": event('start: "2026-11-25 18:00"\nend: "2026-11-25 19:00"'),
    "content/events/in-progress.md": event('start: "2026-11-24"\nend: "2026-11-26"'),
    "content/events/running-now.md": event('start: "2026-11-25 11:00"\nend: "2026-11-25 13:00"'),
    "content/events/ended-yesterday.md": event('start: "2026-11-24 10:00"\nend: "2026-11-24 11:00"'),
    "content/events/ended-this-morning.md": event('start: "2026-11-25 09:00"\nend: "2026-11-25 11:59"'),
    "content/events/series.md": event('start: "2026-11-11 17:00"\nrrule: "FREQ=WEEKLY;COUNT=3"'),
}


def test_upcoming_and_past_split_around_now(make_site):
    result = build_site(make_site(SPLIT), now="2026-11-25 12:00")
    upcoming = [e.slug for e in result.site.upcoming]
    past = [e.slug for e in result.site.past]
    assert upcoming == ["in-progress", "running-now", "series", "later-today"]
    assert past == ["ended-this-morning", "ended-yesterday"]


def test_events_pages_follow_the_split(make_site):
    root = make_site(SPLIT)
    build_site(root, now="2026-11-25 12:00")
    upcoming = (root / "public/events/index.html").read_text(encoding="utf-8")
    archive = (root / "public/events/archive/index.html").read_text(encoding="utf-8")
    for slug in ("later-today", "in-progress", "running-now", "series"):
        assert f"/events/{slug}/" in upcoming and f"/events/{slug}/" not in archive
    for slug in ("ended-yesterday", "ended-this-morning"):
        assert f"/events/{slug}/" in archive and f"/events/{slug}/" not in upcoming


def test_a_series_is_listed_under_its_next_occurrence(make_site):
    result = build_site(make_site(SPLIT), now="2026-11-25 12:00")
    series = result.site.event("series")
    assert agenda.next_occurrence(series, result.site.now).start.day == 25
    assert agenda.next_occurrence(series, datetime(2027, 1, 1, tzinfo=MOSCOW)).start.day == 25  # the last one


def test_the_end_instant_itself_is_past():
    occurrence = Occurrence(datetime(2026, 11, 25, 10, tzinfo=MOSCOW), datetime(2026, 11, 25, 12, tzinfo=MOSCOW), False)
    entry = type("E", (), {"occurrences": (occurrence,)})()  # only what is_upcoming reads of an Event
    assert not agenda.is_upcoming(entry, datetime(2026, 11, 25, 12, tzinfo=MOSCOW))
    assert agenda.is_upcoming(entry, datetime(2026, 11, 25, 11, 59, tzinfo=MOSCOW))


# ---- month grid data -----------------------------------------------------------------------------

def test_month_grid_is_monday_first_and_covers_the_month():
    grid = monthgrid.month_grid(date(2026, 11, 1), {})
    days = [d for week in grid.weeks for d in week]
    assert days[0].day == date(2026, 10, 26) and days[0].day.weekday() == 0
    assert [d.day.day for d in days if d.in_month] == list(range(1, 31))
    assert all(len(week) == 7 for week in grid.weeks) and days[-1].day.weekday() == 6


def test_occurrence_days_of_timed_all_day_and_midnight_ending_events():
    timed = Occurrence(datetime(2026, 11, 17, 10, tzinfo=MOSCOW), datetime(2026, 11, 19, 13, tzinfo=MOSCOW), False)
    all_day = Occurrence(datetime(2026, 12, 3, tzinfo=MOSCOW), datetime(2026, 12, 5, tzinfo=MOSCOW), True)
    to_midnight = Occurrence(datetime(2026, 12, 3, 22, tzinfo=MOSCOW), datetime(2026, 12, 4, tzinfo=MOSCOW), False)
    assert [d.day for d in monthgrid.occurrence_days(timed, MOSCOW)] == [17, 18, 19]
    assert [d.day for d in monthgrid.occurrence_days(all_day, MOSCOW)] == [3, 4]
    assert [d.day for d in monthgrid.occurrence_days(to_midnight, MOSCOW)] == [3]
    # Printed in another zone, a 01:00 Moscow start (23:00 in Berlin) falls on the previous day.
    early = Occurrence(datetime(2026, 12, 3, 1, tzinfo=MOSCOW), datetime(2026, 12, 3, 2, tzinfo=MOSCOW), False)
    assert monthgrid.occurrence_days(early, BERLIN) == [date(2026, 12, 2)]


@pytest.mark.parametrize("rule", ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3",
                                  "FREQ=MONTHLY;BYMONTH=4,6;BYMONTHDAY=31;COUNT=2"])
def test_a_rule_that_names_no_real_day_is_an_error_at_once(make_site, rule):
    root = make_site({"content/events/x.md": f"---\ntitle: X\nstart: \"2027-02-28 10:00\"\nrrule: \"{rule}\"\n---\n"})
    assert ("event.rrule", "content/events/x.md", 4) in codes(diagnostics_of(root))
