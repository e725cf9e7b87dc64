"""Entries that are in content/ but not on the site at the build's clock, and what a reference to one says.

A project may list a practice dated next week, a page may link to a draft: the entry exists, it
is only not published yet. Such a reference is a warning at its line, so that a nightly build
stays green, and the listing or link appears by itself on the build after the entry's date. A
reference to a file whose front matter failed names that file (its own error is reported there)
instead of saying that there is no such entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

from netsite.content.models import Entry
from netsite.diagnostics import Diagnostic, warning

DRAFT, FUTURE, BROKEN = "draft", "future", "broken"


@dataclass(frozen=True, slots=True)
class Withheld:
    """One entry that the site does not show at this build, and why."""

    kind: str
    slug: str
    source: str
    """The shown path of its file, such as content/practices/x.md."""
    reason: str
    """DRAFT, FUTURE (dated after the build's clock) or BROKEN (its front matter has errors)."""
    date: datetime | None = None
    """For FUTURE: when it is published."""

    @property
    def day(self) -> str:
        """The publication date as an author wrote it: 2027-01-15, or 2027-01-15 10:00."""
        if self.date is None:
            return ""
        return f"{self.date:%Y-%m-%d %H:%M}".removesuffix(" 00:00")

    @property
    def mark(self) -> str:
        """The answer a Markdown link resolver gives for it (markup.WITHHELD and the reason)."""
        return f"!{self.reason} {self.day}".rstrip()


@dataclass(frozen=True, slots=True)
class Unpublished:
    """Every withheld entry, by (kind, slug) and by source."""

    by_slug: Mapping[tuple[str, str], Withheld] = field(default_factory=dict)
    by_source: Mapping[str, Withheld] = field(default_factory=dict)

    @classmethod
    def of(cls, items: Iterable[Withheld]) -> Unpublished:
        """`items` must not name a published entry (build.prepare leaves those out)."""
        ordered = sorted(items, key=lambda w: (w.source, w.kind, w.slug))
        return cls(MappingProxyType({(w.kind, w.slug): w for w in ordered}),
                   MappingProxyType({w.source: w for w in ordered}))

    def find(self, kind: str, slug: str) -> Withheld | None:
        return self.by_slug.get((kind, slug))


NOTHING = Unpublished()
"""Every entry published (the default of the functions that take an Unpublished)."""


def reference(source: str, line: int, found: Withheld) -> Diagnostic:
    """The warning at a front-matter reference (a slug) to a withheld entry."""
    if found.reason == DRAFT:
        return warning(source, line, "ref.unpublished:draft", slug=found.slug, source=found.source)
    if found.reason == FUTURE:
        return warning(source, line, "ref.unpublished:future", slug=found.slug, source=found.source, day=str(found.day))
    return warning(source, line, "ref.broken", slug=found.slug, source=found.source)


# attribute → the kind of entry its slugs name (the same name means the same kind in every kind's class)
_REFERENCES = {"institutions": "institutions", "organizers": "institutions", "parties": "institutions",
               "participants": "institutions", "event": "events", "events": "events", "practices": "practices",
               "news": "news"}


def published_only(entry: Entry, unpublished: Unpublished) -> Entry:
    """The entry without its references to withheld entries, which are warned about: pages show
    only what is published, and the reference comes back by itself once its target is."""
    if not unpublished.by_slug:
        return entry
    changed: dict[str, Any] = {}
    for key, kind in _REFERENCES.items():
        value = getattr(entry, key, None)  # the kinds that have it
        if isinstance(value, tuple) and any(unpublished.find(kind, slug) for slug in value):
            changed[key] = tuple(slug for slug in value if not unpublished.find(kind, slug))
    for key in ("items", "decisions"):
        records = getattr(entry, key, ())
        kept = tuple(_record(record, unpublished) for record in records)
        if kept != records:
            changed[key] = kept
    return replace(entry, **changed) if changed else entry


def _record(record: Any, unpublished: Unpublished) -> Any:
    """A plan item or meeting decision without withheld institutions, event or plan."""
    changes: dict[str, Any] = {"responsible": tuple(s for s in record.responsible
                                                    if not unpublished.find("institutions", s))}
    if getattr(record, "event", None) and unpublished.find("events", record.event):
        changes["event"] = None
    if getattr(record, "plan", None) and unpublished.find("plans", record.plan):
        changes.update(plan=None, item=None)
    return replace(record, **changes)
