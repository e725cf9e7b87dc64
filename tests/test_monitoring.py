"""Monitoring: every figure on /monitoring/, in data.csv and in data.json equals a count computed here
from the content files themselves (yaml.safe_load and dateutil, not netsite's own code)."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import yaml
from dateutil.rrule import rrulestr

from conftest import REPO, build_site

ZONE = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=ZONE)
SVG = "{http://www.w3.org/2000/svg}"
AUDIENCES = ("teachers", "parents", "children")
FORMATS = ("seminar", "master-class", "round-table", "conference", "festival", "contest", "excursion",
           "holiday", "club", "webinar", "consultation", "project", "other")
AREAS = ("social", "cognitive", "speech", "artistic", "physical")
AGE_GROUPS = ("early", "junior", "middle", "senior", "preparatory")


def entries(kind: str) -> dict[str, dict]:
    """Published entries of a kind: slug → front matter (drafts and future-dated practices left out)."""
    result = {}
    for path in sorted((REPO / "content" / kind).rglob("*.md")):
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        stem = path.parent.name if path.name == "index.md" else path.stem
        if data.get("draft"):
            continue
        if kind == "practices" and date.fromisoformat(str(data["date"])[:10]) > NOW.date():
            continue
        result[data.get("slug") or re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem)] = data
    return result


def moment(text: str, zone: ZoneInfo) -> datetime:
    text = str(text)
    return datetime.fromisoformat(text if len(text) > 10 else text + " 00:00").replace(tzinfo=zone)


def occurrences(event: dict) -> list[tuple[datetime, datetime]]:
    """(start, end) of every occurrence, aware; all-day events last to the next midnight."""
    zone = ZoneInfo(event.get("timezone", "Europe/Moscow"))
    start = moment(event["start"], zone)
    all_day = len(str(event["start"])) <= 10
    end = moment(event["end"], zone) if "end" in event else None
    if all_day:
        end = (end or start) + timedelta(days=1)
    end = end or start + timedelta(hours=1)
    starts = [start]
    if event.get("rrule"):
        excluded = {moment(x, zone) for x in event.get("exdates", [])}
        starts = [s for s in rrulestr(event["rrule"], dtstart=start) if s not in excluded]
    return [(s, s + (end - start)) for s in starts]


def first_of_month(moment_: datetime) -> date:
    local = moment_.astimezone(ZONE)
    return date(local.year, local.month, 1)


def status(item: dict, events: dict) -> str:
    month = date.fromisoformat(str(item["month"]) + "-01")
    event = events.get(item.get("event"))
    if event and event.get("status") == "cancelled":
        return "cancelled"
    if event:
        spans = occurrences(event)
        in_month = [s for s in spans if first_of_month(s[0]) == month]
        if any(end <= NOW for _, end in in_month or spans):
            return "done"
    next_month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return "overdue" if NOW.date() >= next_month else "upcoming"


def expected_figures() -> dict[tuple[str, str, str], int]:
    """(figure, key, series) → value, computed from the content files."""
    events = entries("events")
    held = {slug: e for slug, e in events.items() if e.get("status") != "cancelled"}
    practices = entries("practices")
    institutions = entries("institutions")
    result: dict[tuple[str, str, str], int] = {}
    months = Counter(first_of_month(s) for e in held.values() for s, _ in occurrences(e))
    month = min(months)
    while month <= max(months):
        result[("events_by_month", f"{month:%Y-%m}", "events")] = months[month]
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    for slug in institutions:
        result[("events_by_institution", slug, "events")] = sum(
            slug in e.get("organizers", []) for e in held.values())
    for figure, source, key, ids in (("events_by_audience", held, "audience", AUDIENCES),
                                     ("events_by_format", held, "format", FORMATS),
                                     ("practices_by_area", practices, "areas", AREAS),
                                     ("practices_by_age_group", practices, "age_groups", AGE_GROUPS)):
        series = "events" if figure.startswith("events") else "practices"
        for term in ids:
            result[(figure, term, series)] = sum(
                term in ([e[key]] if isinstance(e.get(key), str) else e.get(key, [])) for e in source.values())
    for slug, event in held.items():
        if len(set(event.get("organizers", []))) > 1:
            result[("institutions_per_joint_event", slug, "institutions")] = len(set(event["organizers"]))
    for plan in entries("plans").values():
        per = Counter()
        for item in plan["items"]:
            for slug in item.get("responsible", []):
                per[(slug, status(item, events))] += 1
        for slug in {s for s, _ in per}:
            for state in ("done", "overdue", "upcoming", "cancelled"):
                result[("plan_fulfilment", slug, state)] = per[(slug, state)]
    return result


@pytest.fixture(scope="module")
def expected():
    return expected_figures()


def test_example_figures_cover_every_kind_of_count(expected):
    figures = {figure for figure, _, _ in expected}
    assert len(figures) == 8
    assert expected[("plan_fulfilment", "mbdou-teremok", "overdue")] == 1
    assert expected[("events_by_month", "2026-11", "events")] >= 5  # a weekly club meets several times


def test_csv_equals_independent_counts(example_site, expected):
    text = (example_site / "public/monitoring/data.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    found = {(r["figure"], r["key"], r["series"]): int(r["value"]) for r in rows}
    assert len(found) == len(rows)
    assert found == expected


def test_json_equals_independent_counts(example_site, expected):
    data = json.loads((example_site / "public/monitoring/data.json").read_text(encoding="utf-8"))
    found = {(f["id"], r["key"], s): v for f in data["figures"] for r in f["rows"] for s, v in r["values"].items()}
    assert found == expected
    assert data["generated"] == NOW.isoformat()
    assert all(f["title"] for f in data["figures"])


def dashboard(example_site) -> str:
    return (example_site / "public/monitoring/index.html").read_text(encoding="utf-8")


def test_dashboard_tables_equal_independent_counts(example_site, expected):
    found = {}
    for figure, table in re.findall(r'<table class="figure-table" data-figure="([^"]+)">(.*?)</table>',
                                    dashboard(example_site), re.S):
        for key, series, value in re.findall(r'<td data-key="([^"]+)" data-series="([^"]+)">(\d+)</td>', table):
            found[(figure, key, series)] = int(value)
    assert found == expected


def sections(html: str):
    return re.findall(r'<section class="figure" id="([^"]+)".*?<h2[^>]*>(.*?)</h2>(.*?)</section>', html, re.S)


def as_read(text: str) -> str:
    """Page text as a reader sees it: without soft hyphens, no-break spaces as spaces (typography.py)."""
    return text.replace("\u00ad", "").replace("\u00a0", " ")


def test_each_chart_parses_and_has_a_title_labels_and_the_tables_values(example_site, expected):
    found = sections(dashboard(example_site))
    assert len(found) == 8
    for figure, heading, body in found:
        svg = ET.fromstring(re.search(r"<svg.*?</svg>", body, re.S).group(0))
        assert svg.get("role") == "img" and svg.get("aria-labelledby")
        assert svg.find(f"{SVG}title").text == as_read(heading)
        assert svg.find(f"{SVG}desc").text
        # A long label wraps onto lines (tspans) of its own rather than being cut.
        labels = [" ".join(t.itertext()) for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label"]
        row_labels = [as_read(label) for label in re.findall(r'<th scope="row">(.*?)</th>', body)]
        assert len(labels) == len(row_labels) > 0
        for label, row in zip(labels, row_labels):
            assert row.startswith(label.rstrip("…")), (label, row)
        values = sorted(int(t.text) for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-value")
        assert values == sorted(v for (f, _, _), v in expected.items() if f == figure)


def test_monitoring_output_is_deterministic(make_site):
    root = make_site({"content/events/a.md": """\
        ---
        title: Событие
        start: "2026-11-10 10:00"
        organizers: [solnyshko]
        audience: [parents]
        format: seminar
        ---
        """})
    names = ("index.html", "data.csv", "data.json")
    build_site(root)
    first = {name: (root / "public/monitoring" / name).read_bytes() for name in names}
    build_site(root)
    assert first == {name: (root / "public/monitoring" / name).read_bytes() for name in first}
    csv_rows = list(csv.reader(io.StringIO(first["data.csv"].decode("utf-8-sig"))))
    assert ["events_by_month", "2026-11", "Ноябрь 2026", "events", "1"] in csv_rows
    assert ["events_by_format", "seminar", "Семинар", "events", "1"] in csv_rows
