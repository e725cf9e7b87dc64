"""Plain frozen dataclasses that flow through the pipeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from netsite.content.pictures import Picture


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
    """Every kind's common part; each kind adds its own typed keys (content/kinds.py: Event, News …)."""

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
    institutions: tuple[str, ...] = ()
    """Slugs of the institutions this entry belongs to (organizers for events)."""
    lines: Mapping[Any, int] = field(default_factory=dict)
    """Front-matter line of each key, for messages after parsing."""
    assets: tuple[Asset, ...] = ()
    links: tuple[Link, ...] = ()
    headings: tuple[tuple[int, str, str], ...] = ()
    """(level, id, text) of each heading, for anchors and the table of contents."""
    used_assets: tuple[str, ...] = ()
    """Names of the bundle's files the Markdown body shows or links to."""
    pictures: Mapping[str, Picture] = field(default_factory=dict)
    """The bundle's photos made into responsive sizes, by file name (content/pictures.py)."""

    readable: ClassVar[Mapping[str, str]] = {}
    """What `get` reads: attribute name or front-matter key → attribute (set per class by kinds.py;
    'kind' of an institution → institution_kind)."""

    def get(self, key: str, default: Any = None) -> Any:
        """For templates, which show one partial for several kinds: the typed value of front-matter
        key `key` when this kind has the key and the entry gives it, else `default`. Python code
        reads the attributes of the kind's class instead (content/kinds.py), so mypy sees their types."""
        name = self.readable.get(key)
        value = None if name is None else getattr(self, name)
        return default if value is None else value


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
