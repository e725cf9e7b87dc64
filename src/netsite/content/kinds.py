"""One frozen dataclass per kind of entry: its attributes, their types, and the front-matter key each is read from.

This is the one place that says which keys a kind takes: `KINDS` (key → value type, for the parser
and the editor), `REQUIRED` and `COMMA_LISTS` are derived from the `key(...)` of each attribute.
Attributes without `key(...)` are computed while parsing (an event's occurrences, a plan's broken
items). To add a kind: a class here and in `CLASSES`, its folder in sources.KINDS (a test compares
the two), its section in urls.py, templates (docs/developers.md, "Adding a kind").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from netsite.content import values as v
from netsite.content.config import Config
from netsite.content.models import Document, Entry, Occurrence
from netsite.content.records import Decision, PlanItem

Convert = Callable[[Any, Config, Document], Any]
E = TypeVar("E", bound=Entry)


@dataclass(frozen=True, slots=True)
class Key:
    """How one attribute is written in front matter."""

    convert: Convert
    name: str = ""
    """The key as written, when the attribute's name differs from it ('kind' → institution_kind)."""
    required: bool = False
    comma: bool = False
    """'a, b' in a single line means the list [a, b], with a warning that shows the list form.
    Set on lists of slugs, vocabulary ids, names or dates, none of which has a comma inside; free
    sentences (goals, problems) may well have one, so they are never split."""
    also: tuple[str, ...] = ()
    """Other keys read into the same attribute ('institution' for 'institutions'); one per entry."""


def key(convert: Convert, default: Any = dataclasses.MISSING, *, name: str = "", required: bool = False,
        comma: bool = False, also: tuple[str, ...] = ()) -> Any:
    """An attribute read from a front-matter key (a dataclass field carrying its `Key`)."""
    return dataclasses.field(default=default, metadata={"key": Key(convert, name, required, comma, also)})


_AUDIENCE, _AGES = v.vocab("audience", True), v.vocab("age_groups", True)
_AREAS, _FORMAT = v.vocab("areas", True), v.vocab("format", False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Institution(Entry):
    short_name: str | None = key(v.text, None)
    institution_kind: str | None = key(v.vocab("institution_kind", False), None, name="kind")
    address: str | None = key(v.text, None)
    geo: tuple[float, float] | None = key(v.geo, None)
    website: str | None = key(v.url, None)
    email: str | None = key(v.email, None)
    phone: str | None = key(v.phone, None)
    logo: str | None = key(v.image, None)
    joined: datetime | None = key(v.moment, None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Practice(Entry):
    date: datetime = key(v.moment, required=True)
    institutions: tuple[str, ...] = key(v.ref, (), comma=True, also=("institution",))
    authors: tuple[str, ...] = key(v.texts, (), comma=True)
    age_groups: tuple[str, ...] = key(_AGES, (), comma=True)
    areas: tuple[str, ...] = key(_AREAS, (), comma=True)
    format: str | None = key(_FORMAT, None)
    attachments: tuple[str, ...] = key(v.files, ())
    audience: tuple[str, ...] = key(_AUDIENCE, (), comma=True)
    gallery: tuple[Mapping[str, str], ...] = key(v.gallery, ())


@dataclass(frozen=True, slots=True, kw_only=True)
class Event(Entry):
    """`date` is when it was announced when given, else its start (the order of lists)."""

    announced: datetime | None = key(v.moment, None, name="date")
    start: datetime = key(v.text, required=True)
    """First occurrence's start, aware (all-day: local midnight)."""
    end: datetime = key(v.text)
    timezone: str | None = key(v.text, None)
    """The zone as written; `zone` is the one the times are in."""
    all_day: bool = key(v.boolean)
    location: str | None = key(v.text, None)
    online: str | None = key(v.url, None)
    organizers: tuple[str, ...] = key(v.ref, (), comma=True)
    audience: tuple[str, ...] = key(_AUDIENCE, (), comma=True)
    age_groups: tuple[str, ...] = key(_AGES, (), comma=True)
    format: str | None = key(_FORMAT, None)
    registration: str | None = key(v.url, None)
    status: str = key(v.choice(v.STATUSES), "scheduled")
    rrule: str | None = key(v.text, None)
    exdates: tuple[datetime, ...] = key(v.texts, (), comma=True)
    """The excluded dates that match an occurrence."""
    image: str | None = key(v.image, None)
    attachments: tuple[str, ...] = key(v.files, ())
    gallery: tuple[Mapping[str, str], ...] = key(v.gallery, ())
    zone: str
    """IANA name, or '+05:00' when 'start' was written with an offset."""
    occurrences: tuple[Occurrence, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class News(Entry):
    date: datetime = key(v.moment, required=True)
    institutions: tuple[str, ...] = key(v.ref, (), comma=True, also=("institution",))
    image: str | None = key(v.image, None)
    event: tuple[str, ...] = key(v.ref, (), comma=True)
    audience: tuple[str, ...] = key(_AUDIENCE, (), comma=True)
    gallery: tuple[Mapping[str, str], ...] = key(v.gallery, ())


@dataclass(frozen=True, slots=True, kw_only=True)
class Page(Entry):
    menu: int | None = key(v.integer, None)
    menu_title: str | None = key(v.text, None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Agreement(Entry):
    parties: tuple[str, ...] = key(v.ref, required=True, comma=True)
    signed: datetime = key(v.moment, required=True)
    valid_until: datetime | None = key(v.moment, None)
    subject: str | None = key(v.text, None)
    attachment: str | None = key(v.file, None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Meeting(Entry):
    date: datetime = key(v.moment, required=True)
    participants: tuple[str, ...] = key(v.ref, required=True, comma=True)
    location: str | None = key(v.text, None)
    problems: tuple[str, ...] = key(v.texts, ())
    decisions: tuple[Decision, ...] = key(v.records, ())
    event: tuple[str, ...] = key(v.ref, (), comma=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan(Entry):
    period_start: datetime | None = key(v.moment, None)
    period_end: datetime | None = key(v.moment, None)
    items: tuple[PlanItem, ...] = key(v.records, required=True)
    broken_items: tuple[str, ...] = ()
    """Ids of items left out for an error of their own, so a decision naming one is not reported again."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Project(Entry):
    participants: tuple[str, ...] = key(v.ref, required=True, comma=True)
    start: datetime = key(v.moment, required=True)
    end: datetime | None = key(v.moment, None)
    goals: tuple[str, ...] = key(v.texts, ())
    events: tuple[str, ...] = key(v.ref, (), comma=True)
    practices: tuple[str, ...] = key(v.ref, (), comma=True)
    news: tuple[str, ...] = key(v.ref, (), comma=True)


CLASSES: dict[str, type[Entry]] = {
    "institutions": Institution, "practices": Practice, "events": Event, "news": News, "pages": Page,
    "agreements": Agreement, "meetings": Meeting, "plans": Plan, "projects": Project,
}
"""Content folder → the class of its entries."""

COMMON: dict[str, Convert] = {"title": v.text, "slug": v.slug, "draft": v.boolean, "summary": v.text, "tags": v.texts}
"""Keys every kind takes: attributes of `Entry` itself (slug: the name its path is made of)."""


def _keys(cls: type[Entry]) -> dict[str, tuple[str, Key]]:
    """Front-matter key → (attribute, how it is read), in the order of the class's attributes."""
    result: dict[str, tuple[str, Key]] = {}
    for attribute in dataclasses.fields(cls):
        found = attribute.metadata.get("key")
        if found is not None:
            for written in (*found.also, found.name or attribute.name):
                result[written] = (attribute.name, found)
    return result


def _register(cls: type[Entry]) -> dict[str, tuple[str, Key]]:
    """The class's keys; also tells its entries' `get` what to read, so that a template's
    entry.get('kind') reads what 'kind:' gave."""
    keys = _keys(cls)
    cls.readable = {item.name: item.name for item in dataclasses.fields(cls)} | {
        written: name for written, (name, _found) in keys.items()}
    return keys


ATTRIBUTES: dict[str, dict[str, tuple[str, Key]]] = {kind: _register(cls) for kind, cls in CLASSES.items()}
"""Kind → front-matter key → (attribute, how it is read)."""
KINDS: dict[str, dict[str, Convert]] = {
    kind: {written: found.convert for written, (_a, found) in keys.items()} for kind, keys in ATTRIBUTES.items()}
"""Kind → its own front-matter keys → the value type that reads each (values.py)."""
REQUIRED: dict[str, tuple[str, ...]] = {
    kind: ("title", *(written for written, (_a, found) in keys.items() if found.required))
    for kind, keys in ATTRIBUTES.items()}
COMMA_LISTS: frozenset[str] = frozenset({"tags"} | {
    written for keys in ATTRIBUTES.values() for written, (_a, found) in keys.items() if found.comma})


def of_kind(cls: type[E], entries: Iterable[Entry]) -> list[E]:
    """The entries of one class, typed as such (a Site's lists, a template filter's result)."""
    return [entry for entry in entries if isinstance(entry, cls)]


def image_of(entry: Entry) -> str | None:
    """The photo an entry is shown with (`image:` of news and events), for cards, feeds and JSON-LD."""
    return entry.image if isinstance(entry, (News, Event)) else None


def gallery_of(entry: Entry) -> tuple[Mapping[str, str], ...]:
    """The `gallery:` photos of the kinds that have one."""
    return entry.gallery if isinstance(entry, (News, Event, Practice)) else ()
