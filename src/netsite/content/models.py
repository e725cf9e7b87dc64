"""Plain frozen dataclasses that flow through the pipeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Asset:
    """A file published beside an entry (image, attachment)."""

    name: str
    """Path relative to the entry's folder, POSIX separators."""
    source: Path
    shown: str
    """The source path as shown in messages."""


@dataclass(frozen=True, slots=True)
class Document:
    """One Markdown source file, read and normalized, not yet interpreted."""

    path: Path
    shown: str
    """Site-relative path with '/' separators, as printed in messages: content/news/x.md."""
    kind: str
    stem: str
    """The name the slug comes from: the file stem, or the folder name of a bundle's index.md."""
    text: str
    """UTF-8 text, BOM dropped, line ends normalized to LF."""
    assets: tuple[Asset, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    """A Markdown link to another content file, to be checked once every entry is known."""

    target: str
    """Site-relative source path of the target, such as content/pages/plan.md."""
    line: int


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence of an event: aware datetimes (all-day: local midnight, end exclusive)."""

    start: datetime
    end: datetime
    all_day: bool
    index: int = 0
    """0 for the first occurrence; recurrence-id order after it."""


@dataclass(frozen=True, slots=True)
class Entry:
    """Every kind's common part; the kind-specific fields live in `fields`."""

    kind: str
    slug: str
    title: str
    source: str
    """The source path as shown in messages."""
    path: str
    """Site path such as '/news/x/'."""
    body: str = ""
    """Sanitized HTML of the Markdown body."""
    summary: str = ""
    """Plain text."""
    date: datetime | None = None
    """Publication or sort date, aware; None for kinds without one."""
    tags: tuple[str, ...] = ()
    draft: bool = False
    fields: Mapping[str, Any] = field(default_factory=dict)
    """Kind-specific typed values (institution slugs, vocabulary ids, event times …)."""
    lines: Mapping[Any, int] = field(default_factory=dict)
    """Front-matter line of each key, for messages after parsing."""
    assets: tuple[Asset, ...] = ()
    links: tuple[Link, ...] = ()
    headings: tuple[tuple[int, str, str], ...] = ()
    """(level, id, text) of each heading, for anchors and the table of contents."""
    used_assets: tuple[str, ...] = ()
    """Names of the bundle's files the Markdown body shows or links to."""

    def __getattr__(self, name: str) -> Any:
        # Templates read entry.start, entry.organizers …; unknown names still fail loudly.
        try:
            return object.__getattribute__(self, "fields")[name]
        except KeyError:
            raise AttributeError(name) from None

    def get(self, name: str, default: Any = None) -> Any:
        return self.fields.get(name, default)

    @property
    def institutions(self) -> tuple[str, ...]:
        """Slugs of the institutions this entry belongs to (organizers for events)."""
        return tuple(self.fields.get("institutions", ()))


@dataclass(frozen=True, slots=True)
class Term:
    """A taxonomy term (tag, audience, age group, area) and the entries that carry it."""

    taxonomy: str
    id: str
    label: str
    path: str
    entries: tuple[Entry, ...] = ()


@dataclass(frozen=True, slots=True)
class OutputFile:
    path: str
    """Relative to the output folder, POSIX separators."""
    data: bytes
    source: Path | None = None
    """For copied assets: the file whose bytes these are."""
