"""Quality monitoring: figures counted from the published content, and their CSV and JSON forms.

What is counted (docs/spravochnik.md "Мониторинг" says the same for methodologists): cancelled events are left
out of every event figure; events per month count occurrences (a weekly club counts once per
meeting) by the month they start in the site's zone; every other event figure counts events.
Vocabulary figures list every id, zeros included, so reports of different years line up.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from netsite.content import agenda
from netsite.content.cycle import STATUSES
from netsite.content.kinds import Event, Institution
from netsite.content.models import Entry
from netsite.content.site import Site


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    """A month (2026-11), a slug or a vocabulary id."""
    label: str
    values: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Figure:
    id: str
    """Also the theme string of its title: monitoring_<id>."""
    series: tuple[str, ...]
    """What each value counts; theme strings series_<name>."""
    rows: tuple[Row, ...]


def figures(site: Site) -> tuple[Figure, ...]:
    """Every figure of the dashboard, in the order it is shown."""
    events = [e for e in site.events if e.status != "cancelled"]
    vocab = site.config.vocabularies
    return (
        Figure("events_by_month", ("events",), _by_month(events, site)),
        Figure("events_by_institution", ("events",), _by_institution(events, site)),
        Figure("events_by_audience", ("events",), _by_vocabulary(events, "audience", vocab)),
        Figure("events_by_format", ("events",), _by_vocabulary(events, "format", vocab)),
        Figure("practices_by_area", ("practices",), _by_vocabulary(site.practices, "areas", vocab)),
        Figure("practices_by_age_group", ("practices",), _by_vocabulary(site.practices, "age_groups", vocab)),
        Figure("institutions_per_joint_event", ("institutions",), _joint(events)),
        Figure("plan_fulfilment", STATUSES, _fulfilment(site)),
    )


def _by_month(events: list[Event], site: Site) -> tuple[Row, ...]:
    zone = site.config.zone
    counts: Counter[date] = Counter()
    for event in events:
        for occurrence in agenda.occurrences(event):
            start = occurrence.start.astimezone(zone)
            counts[date(start.year, start.month, 1)] += 1
    if not counts:
        return ()
    rows, month, last = [], min(counts), max(counts)
    while month <= last:  # every month in the span, so that a quiet month shows as 0
        label = format_date(month, "LLLL y", locale=site.config.language).capitalize()
        rows.append(Row(f"{month:%Y-%m}", label, (counts[month],)))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return tuple(rows)


def _name(institution: Institution) -> str:
    return institution.short_name or institution.title


def _by_institution(events: list[Event], site: Site) -> tuple[Row, ...]:
    counts = Counter(slug for event in events for slug in set(event.institutions))
    return tuple(Row(i.slug, _name(i), (counts[i.slug],)) for i in site.institutions)


def _by_vocabulary(entries, vocabulary: str, vocabularies) -> tuple[Row, ...]:
    counts = Counter(term for entry in entries for term in set(_terms(entry, vocabulary)))
    return tuple(Row(term, label, (counts[term],)) for term, label in vocabularies[vocabulary].items())


def _terms(entry: Entry, vocabulary: str) -> tuple[str, ...]:
    value = getattr(entry, vocabulary, None) or ()  # the kinds that have it
    return (value,) if isinstance(value, str) else tuple(value)


def _joint(events: list[Event]) -> tuple[Row, ...]:
    joint = [(e, len(set(e.institutions))) for e in events]
    return tuple(Row(e.slug, e.title, (count,)) for e, count in joint if count > 1)


def _fulfilment(site: Site) -> tuple[Row, ...]:
    rows = []
    for institution in site.institutions:
        items = site.cycle.of_institution.get(institution.slug, {}).get("plan_items", ())
        if items:
            counts = Counter(row.status for row in items)
            rows.append(Row(institution.slug, _name(institution), tuple(counts[s] for s in STATUSES)))
    return tuple(rows)


def to_csv(all_figures: tuple[Figure, ...]) -> bytes:
    """Long format, one value a line: figure,key,label,series,value (UTF-8 with BOM for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(("figure", "key", "label", "series", "value"))
    for figure in all_figures:
        for row in figure.rows:
            for series, value in zip(figure.series, row.values):
                writer.writerow((figure.id, row.key, row.label, series, value))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_json(all_figures: tuple[Figure, ...], titles: dict[str, str], now) -> bytes:
    """{"generated": ..., "figures": [{"id", "title", "series", "rows": [{"key", "label", "values"}]}]}."""
    data = {"generated": now.isoformat(), "figures": [
        {"id": f.id, "title": titles[f.id], "series": list(f.series),
         "rows": [{"key": r.key, "label": r.label, "values": dict(zip(f.series, r.values))} for r in f.rows]}
        for f in all_figures]}
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")
