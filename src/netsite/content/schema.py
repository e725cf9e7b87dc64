"""`Document` → the typed entry of its kind, with a diagnostic at the line of each bad key.

Which keys each kind takes, and of what type, is said once, by the kind's class (content/kinds.py);
each value is read by its value type (content/values.py), which raises `Invalid` with the message.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from netsite.content import agenda, records
from netsite.content.config import Config
from netsite.content.frontmatter import FrontMatter, FrontMatterError
from netsite.content.frontmatter import parse as parse_front_matter
from netsite.content.kinds import ATTRIBUTES, CLASSES, COMMA_LISTS, COMMON, KINDS, REQUIRED
from netsite.content.models import Document, Entry
from netsite.content.urls import RESERVED_SLUGS, entry_path, make_slug, slug_from_filename, slug_problem
from netsite.content.values import Invalid
from netsite.diagnostics import Diagnostic, did_you_mean, error, error_of, warning


@dataclass(frozen=True, slots=True)
class Parsed:
    """A document whose front matter is typed; its Markdown is rendered later by `markup`."""

    entry: Entry
    markdown: str
    body_line: int


def parse(doc: Document, config: Config) -> tuple[Parsed | None, list[Diagnostic]]:
    """Type one document's front matter; returns every problem found in it."""
    try:
        front = parse_front_matter(doc.text)
    except FrontMatterError as exc:
        return None, [error_of(doc.shown, exc.line, exc.message)]
    problems: list[Diagnostic] = []
    spec = COMMON | KINDS[doc.kind]
    values: dict[str, Any] = {}
    for key, raw in front.data.items():
        line = front.line(key)
        if key not in spec:
            problems.append(error(doc.shown, line, "field.unknown", key=key, kind=doc.kind,
                                  hint=did_you_mean(key, spec)))
            continue
        if raw is None:
            problems.append(error(doc.shown, line, "field.empty", key=key))
            continue
        if key in COMMA_LISTS and isinstance(raw, str) and "," in raw:
            raw = [part.strip() for part in raw.split(",") if part.strip()] or raw
            problems.append(warning(doc.shown, line, "field.list", key=key, n=len(raw), example=f"[{', '.join(raw)}]"))
        try:
            values[key] = spec[key](raw, config, doc)
        except Invalid as exc:
            problems.append(error(doc.shown, exc.line or line, f"{exc.code}:value", problem=exc.message.having(key=key)))
    for key in REQUIRED[doc.kind]:
        if key not in front.data:
            problems.append(error(doc.shown, 2, "field.required", key=key, kind=doc.kind))
    if doc.kind in ("practices", "news") and "institution" in values and "institutions" in values:
        problems.append(error(doc.shown, front.line("institutions"), "field.conflict"))
    problems += records.typed(doc.kind, values, front, doc.shown)
    if doc.kind == "agreements" and "parties" in values:
        problems += _parties(values["parties"], front, doc.shown)
    computed: dict[str, Any] = {"broken_items": values.pop("broken_items")} if "broken_items" in values else {}
    if doc.kind == "events" and "start" in values:
        problems.extend(_event_times(values, front, config, doc, computed))
    if doc.kind == "practices" and "institution" not in values and "institutions" not in values \
            and "institution" not in front.data and "institutions" not in front.data:
        problems.append(error(doc.shown, 2, "field.required:practices"))
    errors = {p.code for p in problems if p.severity == "error"}
    # An error inside one plan item or decision is reported there and that record left out; the
    # entry itself is kept, so references to its other items still resolve (the build fails anyway).
    if errors and not (doc.kind in records.KEYS and all(code.startswith("record.") for code in errors)):
        return None, problems
    return _make(doc, front, values, computed), problems


def _parties(parties: tuple[str, ...], front: FrontMatter, shown: str) -> list[Diagnostic]:
    """Each party once, and at least two different ones."""
    problems = []
    for index, slug in enumerate(parties):
        if slug in parties[:index]:
            line = front.line(("parties", index), front.line("parties"))
            problems.append(error(shown, line, "agreement.parties:twice", slug=slug))
    if len(set(parties)) < 2 and not problems:  # a duplicate's message already says what to fix
        problems.append(error(shown, front.line("parties"), "agreement.parties"))
    return problems


def _make(doc: Document, front: FrontMatter, values: dict[str, Any], computed: dict[str, Any]) -> Parsed:
    """The entry of the document's kind: each typed value under its attribute, then what was computed."""
    slug = values.pop("slug", None) or slug_from_filename(doc.stem)
    common = {name: values.pop(name) for name in ("title", "summary", "tags", "draft") if name in values}
    attributes = {ATTRIBUTES[doc.kind][written][0]: value for written, value in values.items()}
    attributes.update(computed)
    written = values.get("institution") or values.get("institutions") or values.get("organizers") or ()
    attributes["institutions"] = tuple(dict.fromkeys(written))
    dated = [attributes.get(name) for name in ("date", "announced", "start", "joined")]
    attributes["date"] = next((moment for moment in dated if moment), None)
    entry = CLASSES[doc.kind](kind=doc.kind, slug=slug, source=doc.shown, path=entry_path(doc.kind, slug),
                              lines=front.lines, assets=doc.assets, **common, **attributes)
    return Parsed(entry, front.body, front.body_line)


def _event_times(values: dict[str, Any], front: FrontMatter, config: Config, doc: Document,
                 computed: dict[str, Any]) -> list[Diagnostic]:
    """Start, end, zone and recurrence of an event → occurrences, or diagnostics at their lines."""
    def fail(key: str | tuple[str, int], exc: agenda.TimeError) -> list[Diagnostic]:
        return [error_of(doc.shown, front.line(key), exc.message)]

    try:
        zone = agenda.zone_of(values["timezone"]) if "timezone" in values else config.zone
    except agenda.TimeError as exc:
        return fail("timezone", exc)
    moments = {}
    for key in ("start", "end"):
        if key in values:
            try:
                moments[key] = agenda.parse_moment(values[key], zone)
            except agenda.TimeError as exc:
                return fail(key, exc)
    try:
        start, end, all_day = agenda.event_span(moments["start"], moments.get("end"), values.get("all_day"))
    except agenda.TimeError as exc:
        return fail("end" if "end" in values else "start", exc)
    exdates = []
    for index, text in enumerate(values.get("exdates", ())):
        try:
            exdates.append(agenda.parse_moment(text, zone).value)
        except agenda.TimeError as exc:
            return fail(("exdates", index) if ("exdates", index) in front.lines else "exdates", exc)
    problems: list[Diagnostic] = []
    rule = values.get("rrule")
    try:
        series = agenda.expand_series(start, end, all_day, rule, tuple(exdates))
        if rule and agenda.skipped_months(agenda.parse_rrule(rule), start):
            problems.append(warning(doc.shown, front.line("rrule"), "event.rrule:skips"))
    except agenda.TimeError as exc:
        return fail("rrule" if rule else "start", exc)
    for index in series.unmatched:
        problems.append(warning(doc.shown, front.line(("exdates", index), front.line("exdates")),
                                "event.exdates", date=str(values["exdates"][index])))
    computed.update(start=start, end=end, all_day=all_day, zone=_zone_name(start, zone),
                    occurrences=series.occurrences, exdates=series.excluded)
    return problems


def _zone_name(start: datetime, zone: zoneinfo.ZoneInfo) -> str:
    """The IANA name of the event's zone, or '+05:00' when 'start' was written with an offset."""
    if start.tzinfo is zone:
        return zone.key
    offset = start.isoformat()[-6:]
    return "UTC" if offset in ("+00:00", "-00:00") else offset


def check_page_slug(entry: Entry) -> list[Diagnostic]:
    line = entry.lines.get("slug", 1)
    if entry.slug in RESERVED_SLUGS.get(entry.kind, ()):
        return [error(entry.source, line, "entry.reserved", slug=entry.slug)]
    if not entry.slug:
        return [error(entry.source, line, "entry.slug:empty")]
    problem = slug_problem(entry.slug)  # a slug made from a file name such as 'con.md'
    if problem:
        return [error(entry.source, line, "entry.slug", problem=problem)]
    return []


__all__ = ["KINDS", "Parsed", "check_page_slug", "make_slug", "parse"]
