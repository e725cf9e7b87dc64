"""`Document` → typed `Entry` per kind, with a diagnostic at the line of each bad key.

One table (`KINDS`) says which keys each kind takes and of what type; one function per type
turns a front-matter value into a typed value or raises `Invalid` with the message.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from netsite.content import agenda, images, records
from netsite.content.config import Config
from netsite.content.frontmatter import FrontMatter, FrontMatterError
from netsite.content.frontmatter import parse as parse_front_matter
from netsite.content.models import Document, Entry
from netsite.content.urls import RESERVED_SLUGS, entry_path, make_slug, slug_from_filename, slug_problem, url_problem
from netsite.diagnostics import Diagnostic, did_you_mean, error, error_of, warning
from netsite.messages import Value, message

MAX_TEXT = 2000
STATUSES = ("scheduled", "cancelled", "postponed")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_RE = re.compile(r"^[0-9+()\-\s.,доб]+$")


class Invalid(ValueError):
    """A value's problem: a sentence about '{key}' (a `part:value.*` message), shown with `code`."""

    def __init__(self, key: str, code: str = "field.type", line: int | None = None, /, **values: Value):
        super().__init__(key)
        self.message = message(key, **values)
        self.code = code
        self.line = line

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True, slots=True)
class Parsed:
    """A document whose front matter is typed; its Markdown is rendered later by `markup`."""

    entry: Entry
    markdown: str
    body_line: int


# ---- value types -------------------------------------------------------------------------------

def _text(value: Any, _cfg: Config, _doc: Document) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Invalid("part:value.text")
    text = " ".join(str(value).split())
    if not text:
        raise Invalid("part:value.empty")
    if len(text) > MAX_TEXT:
        raise Invalid("part:value.long", "field.size", n=MAX_TEXT)
    return text


def _texts(value: Any, cfg: Config, doc: Document) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(_text(item, cfg, doc) for item in items)


def _bool(value: Any, _cfg: Config, _doc: Document) -> bool:
    if not isinstance(value, bool):
        raise Invalid("part:value.bool")
    return value


def _int(value: Any, _cfg: Config, _doc: Document) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid("part:value.int")
    return value


def _url(value: Any, cfg: Config, doc: Document) -> str:
    text = _text(value, cfg, doc) if isinstance(value, str) else ""
    problem = url_problem(text, absolute=True) if text else message("part:url.absolute")
    if problem:
        raise Invalid("part:value.url", "field.url", value=str(text or value), problem=problem)
    return text


def _email(value: Any, cfg: Config, doc: Document) -> str:
    text = _text(value, cfg, doc)
    if not _EMAIL_RE.match(text):
        raise Invalid("part:value.email", "field.email", value=text)
    return text


def _phone(value: Any, cfg: Config, doc: Document) -> str:
    text = _text(value, cfg, doc)
    if not _PHONE_RE.match(text) or sum(ch.isdigit() for ch in text) < 5:
        raise Invalid("part:value.phone", "field.phone", value=text, example="+7 (495) 123-45-67")
    return text


def _moment(value: Any, cfg: Config, _doc: Document) -> datetime:
    try:
        return agenda.parse_moment(value, cfg.zone).value
    except agenda.TimeError as exc:
        raise Invalid("part:value.time", exc.code, problem=exc.message) from None


def _geo(value: Any, _cfg: Config, _doc: Document) -> tuple[float, float]:
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
        raise Invalid("part:value.geo")
    lat, lon = float(value[0]), float(value[1])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise Invalid("part:value.geo-range")
    return (lat, lon)


def _ref(value: Any, cfg: Config, doc: Document) -> tuple[str, ...]:
    """Slugs of other entries; that they exist is checked when the site is assembled."""
    return tuple(_text(item, cfg, doc) for item in (value if isinstance(value, list) else [value]))


def _files(value: Any, cfg: Config, doc: Document) -> tuple[str, ...]:
    names = {asset.name for asset in doc.assets}
    result = []
    for name in _texts(value, cfg, doc):
        if name not in names:
            hint = did_you_mean(name, names)
            where = message("part:where.beside" if doc.path.name == "index.md" else "part:where.folder")
            raise Invalid("part:value.file", "field.file", name=name, hint=hint, where=where)
        result.append(name)
    return tuple(result)


def _file(value: Any, cfg: Config, doc: Document) -> str:
    return _files([value], cfg, doc)[0]


def _gallery(value: Any, cfg: Config, doc: Document) -> tuple[dict, ...]:
    """Photos beside index.md, each with the description a reader who cannot see it hears."""
    items = value if isinstance(value, list) else [value]
    result = []
    for item in items:
        if not isinstance(item, dict) or set(item) != {"file", "alt"}:
            raise Invalid("part:value.gallery", "field.gallery")
        result.append({"file": _image(item["file"], cfg, doc), "alt": _text(item["alt"], cfg, doc)})
    return tuple(result)


def _image(value: Any, cfg: Config, doc: Document) -> str:
    name = _file(value, cfg, doc)
    if not images.is_raster(name):
        raise Invalid("part:value.photo", "field.image", name=name)
    return name


def _list(value: Any, _cfg: Config, _doc: Document) -> list:
    """A YAML list of records; `records.typed` checks each one at its own lines."""
    if not isinstance(value, list) or not value:
        raise Invalid("part:value.list")
    return value


def _vocab(name: str, many: bool) -> Callable[[Any, Config, Document], Any]:
    def convert(value: Any, cfg: Config, doc: Document) -> Any:
        terms = cfg.vocabularies[name]
        items = _texts(value, cfg, doc) if many else (_text(value, cfg, doc),)
        for item in items:
            if item not in terms:
                raise Invalid("part:value.choice", "field.vocabulary", value=item, options=", ".join(terms),
                              hint=did_you_mean(item, terms))
        return tuple(dict.fromkeys(items)) if many else items[0]
    convert.vocabulary, convert.many = name, many  # type: ignore[attr-defined]  # the editor makes a select list of it (publish/admin.py)
    return convert


def _choice(options: tuple[str, ...]) -> Callable[[Any, Config, Document], str]:
    def convert(value: Any, cfg: Config, doc: Document) -> str:
        text = _text(value, cfg, doc)
        if text not in options:
            raise Invalid("part:value.choice", "field.choice", value=text, options=", ".join(options),
                          hint=did_you_mean(text, options))
        return text
    convert.options = options  # type: ignore[attr-defined]  # the editor makes a select list of it (publish/admin.py)
    return convert


def _slug(value: Any, cfg: Config, doc: Document) -> str:
    text = _text(value, cfg, doc)
    problem = slug_problem(text)
    if problem:
        raise Invalid("part:value.slug", "entry.slug", problem=problem)
    return text


# ---- the kinds ---------------------------------------------------------------------------------

COMMON = {"title": _text, "slug": _slug, "draft": _bool, "summary": _text, "tags": _texts}
KINDS: dict[str, dict[str, Callable]] = {
    "institutions": {
        "short_name": _text, "kind": _vocab("institution_kind", False), "address": _text, "geo": _geo,
        "website": _url, "email": _email, "phone": _phone, "logo": _image, "joined": _moment,
    },
    "practices": {
        "date": _moment, "institution": _ref, "institutions": _ref, "authors": _texts,
        "age_groups": _vocab("age_groups", True), "areas": _vocab("areas", True),
        "format": _vocab("format", False), "attachments": _files, "audience": _vocab("audience", True),
        "gallery": _gallery,
    },
    "events": {
        "date": _moment, "start": _text, "end": _text, "timezone": _text, "all_day": _bool, "location": _text,
        "online": _url, "organizers": _ref, "audience": _vocab("audience", True),
        "age_groups": _vocab("age_groups", True), "format": _vocab("format", False),
        "registration": _url, "status": _choice(STATUSES), "rrule": _text, "exdates": _texts,
        "image": _image, "attachments": _files, "gallery": _gallery,
    },
    "news": {
        "date": _moment, "institution": _ref, "institutions": _ref, "image": _image, "event": _ref,
        "audience": _vocab("audience", True), "gallery": _gallery,
    },
    "pages": {"menu": _int, "menu_title": _text},
    "agreements": {"parties": _ref, "signed": _moment, "valid_until": _moment, "subject": _text,
                   "attachment": _file},
    "meetings": {"date": _moment, "participants": _ref, "location": _text, "problems": _texts,
                 "decisions": _list, "event": _ref},
    "plans": {"period_start": _moment, "period_end": _moment, "items": _list},
    "projects": {"participants": _ref, "start": _moment, "end": _moment, "goals": _texts,
                 "events": _ref, "practices": _ref, "news": _ref},
}
# Keys that take a list of slugs, vocabulary ids, tags, names or dates: none of these has a comma
# inside, so 'tags: праздники, музыка' can only mean two tags. It is read as that list, with a
# warning that shows the list form; refusing it would only stop a site whose meaning is clear.
# Free sentences (goals, problems) are not split: a goal may well have a comma in it.
COMMA_LISTS = ("tags", "authors", "exdates", "institution", "institutions", "organizers", "parties",
               "participants", "event", "events", "practices", "news", "audience", "age_groups", "areas")

REQUIRED = {
    "institutions": ("title",),
    "practices": ("title", "date"),
    "events": ("title", "start"),
    "news": ("title", "date"),
    "pages": ("title",),
    "agreements": ("title", "parties", "signed"),
    "meetings": ("title", "date", "participants"),
    "plans": ("title", "items"),
    "projects": ("title", "participants", "start"),
}


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
    fields: dict[str, Any] = {}
    if doc.kind == "events" and "start" in values:
        problems.extend(_event_times(values, front, config, doc, fields))
    if doc.kind == "practices" and "institution" not in values and "institutions" not in values \
            and "institution" not in front.data and "institutions" not in front.data:
        problems.append(error(doc.shown, 2, "field.required:practices"))
    errors = {p.code for p in problems if p.severity == "error"}
    # An error inside one plan item or decision is reported there and that record left out; the
    # entry itself is kept, so references to its other items still resolve (the build fails anyway).
    if errors and not (doc.kind in records.KEYS and all(code.startswith("record.") for code in errors)):
        return None, problems
    return _make(doc, front, values, fields), problems


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


def _make(doc: Document, front: FrontMatter, values: dict, fields: dict) -> Parsed:
    slug = values.pop("slug", None) or slug_from_filename(doc.stem)
    institutions = values.pop("institution", ()) or values.pop("institutions", ()) or values.get("organizers", ())
    values.pop("institutions", None)
    fields.update(values)
    fields["institutions"] = tuple(dict.fromkeys(institutions))
    date = fields.get("date") or fields.get("start") or fields.get("joined")
    entry = Entry(
        kind=doc.kind, slug=slug, title=fields.pop("title"), source=doc.shown,
        path=entry_path(doc.kind, slug), summary=fields.pop("summary", ""), date=date,
        tags=fields.pop("tags", ()), draft=fields.pop("draft", False), fields=fields,
        lines=front.lines, assets=doc.assets)
    return Parsed(entry, front.body, front.body_line)


def _event_times(values: dict, front: FrontMatter, config: Config, doc: Document,
                 fields: dict) -> list[Diagnostic]:
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
    fields.update(start=start, end=end, all_day=all_day, zone=_zone_name(start, zone),
                  occurrences=series.occurrences, status=values.get("status", "scheduled"),
                  exdates=series.excluded)
    for key in ("start", "end", "timezone", "all_day", "exdates"):
        values.pop(key, None)
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
