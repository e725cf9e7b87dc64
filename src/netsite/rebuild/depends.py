"""What each output file was made from, so that a later build renders only what changed.

Design note (the "verifying traces" of build systems à la carte): every page is rendered under a
trace that notes what it read beyond its own context: each path into the `Site` reached through
the template's `site` (`("site", "by_slug", "events", "x")`), the clock (`("now",)`, or only
`("year",)` for the footer), the next occurrence of an event (`("next", source)`), which feeds a
page links to (`("feeds", path)`) and what it reads of each (`("feed", page, "title")`). A
record keeps, for one output file, a digest of its fixed inputs (template, context, theme,
configuration, netsite's code) and the digest each traced key had. On the next build a page is
reused when its fixed inputs are the same and every traced key still has the same digest in the
new site; only then. Reads that templates cannot trace (filters
and globals written in Python) note their inputs themselves: `TRACED` lists them, and a test
fails when a filter or global is neither there nor in `PURE`.

Digests are of values, not of identities: `Fingerprints` walks dataclasses, mappings, sequences
and scalars into BLAKE2b, memoising entries and terms by identity for one build, so a page is
reused exactly when everything it could show is equal. An object it cannot digest stably (one
whose repr names a memory address) gets a random digest: never equal, so never reused.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path, PurePath
from typing import Any

from netsite.content.kinds import CLASSES, Event
from netsite.content.models import Entry, Term

MISSING = "\0missing"
"""What a traced path resolves to when the new site does not have it."""
Key = tuple
# The keys read by the page being rendered. A context variable, not an argument: the reads happen
# in Jinja's generated code, inside views, filters and globals that are made once per build and
# shared by every page, so there is no call path to pass a per-page set along. A ContextVar is
# Python's per-context slot: each thread (a serve rebuild beside a request) and each nested
# `tracing()` sees its own set, and none is left behind in the module when rendering ends.
_TRACE: ContextVar[set | None] = ContextVar("netsite_trace", default=None)


def note(key: Key) -> None:
    """Record that the page being rendered read `key` (no-op outside a trace)."""
    trace = _TRACE.get()
    if trace is not None:
        trace.add(key)


@contextmanager
def tracing() -> Iterator[set]:
    """Collect the keys read while rendering one file."""
    keys: set = set()
    token = _TRACE.set(keys)
    try:
        yield keys
    finally:
        _TRACE.reset(token)


# ---- digests -------------------------------------------------------------------------------------

class Fingerprints:
    """Stable digests of values: the same value gives the same bytes in any process, on any day."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, bytes]] = {}

    def of(self, value: Any) -> bytes:
        digest = hashlib.blake2b(digest_size=16)
        self._feed(digest.update, value)
        return digest.digest()

    def keep_only(self, alive: Iterable[object]) -> None:
        """Forget the digests of objects not in `alive` (a long-running serve drops old entries)."""
        ids = {id(value) for value in alive}
        self._memo = {key: pair for key, pair in self._memo.items() if key in ids}

    def _memoised(self, value: object) -> bytes:
        found = self._memo.get(id(value))
        if found is None or found[0] is not value:
            digest = hashlib.blake2b(digest_size=16)
            if type(value) in _ENTRY_TYPES and _plain(value):
                # repr walks an entry in C, 30 times faster than _feed; stable for these types
                digest.update(b"E" + repr(value).encode("utf-8", "surrogatepass"))
            else:
                self._fields(digest.update, value)
            found = self._memo[id(value)] = (value, digest.digest())
        return found[1]

    def _fields(self, put: Callable[[bytes], None], value: Any) -> None:
        put(type(value).__qualname__.encode() + b"<")
        for item in dataclasses.fields(value):
            self._feed(put, getattr(value, item.name))
        put(b">")

    def _feed(self, put: Callable[[bytes], None], value: Any) -> None:
        if isinstance(value, str):
            data = value.encode("utf-8", "surrogatepass")
            put(b"s%d:" % len(data) + data)
        elif value is None or isinstance(value, (bool, int, float)):
            put(b"p" + repr(value).encode() + b";")
        elif isinstance(value, (Entry, Term)):
            put(b"m" + self._memoised(value))
        elif isinstance(value, (tuple, list)):
            put(b"(%d" % len(value))
            if value and all(type(item) in _ENTRY_TYPES for item in value):  # lists of cards: the common case
                put(b"".join(self._memoised(item) for item in value))
            else:
                for item in value:
                    self._feed(put, item)
            put(b")")
        elif isinstance(value, Mapping):
            put(b"{%d" % len(value))
            for key, item in value.items():
                self._feed(put, key)
                self._feed(put, item)
            put(b"}")
        elif isinstance(value, datetime):
            put(b"t" + value.isoformat().encode() + b"@" + str(value.tzinfo).encode() + b";")
        elif isinstance(value, (date, time, timedelta)):
            put(b"d" + repr(value).encode() + b";")
        elif isinstance(value, (set, frozenset)):
            put(b"[" + b"".join(sorted(self.of(item) for item in value)) + b"]")
        elif isinstance(value, bytes):
            put(b"b%d:" % len(value) + value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            self._fields(put, value)
        elif isinstance(value, PurePath):
            put(b"P" + value.as_posix().encode("utf-8", "surrogatepass") + b";")
        elif isinstance(value, (enum.Enum, tzinfo)):
            put(b"e" + f"{type(value).__qualname__}:{value}".encode() + b";")
        else:
            text = f"{type(value).__module__}.{type(value).__qualname__}:{value!r}"
            put(os.urandom(16) if " at 0x" in text else b"r" + text.encode("utf-8", "surrogatepass"))


_STABLE_REPR = (str, int, float, bool, type(None), tuple, date, datetime, timedelta, PurePath)
_ENTRY_TYPES: frozenset[type[Entry]] = frozenset({Entry, *CLASSES.values()})
_FIXED = {item.name for item in dataclasses.fields(Entry)} - {"institutions", "pictures"}
_NAMES = {cls: tuple(item.name for item in dataclasses.fields(cls) if item.name not in _FIXED) for cls in _ENTRY_TYPES}
"""The attributes of each class whose values can vary in type: the kind's own, the institutions
and the pictures. Entry's others hold strings, dates and netsite's own plain values."""


def _plain(entry: Any) -> bool:
    """True when an entry's repr is the same in every process (see _no_sets)."""
    return all(_no_sets(getattr(entry, name)) for name in _NAMES[type(entry)])


def _no_sets(value: Any) -> bool:
    """True when `value`'s repr is the same in every process: it holds no set (a set's order follows
    string hashing, random per process) and no object shown by its memory address."""
    if isinstance(value, (set, frozenset)):
        return False
    if isinstance(value, Mapping):
        return all(_no_sets(v) for v in value.values())
    if isinstance(value, (tuple, list)):
        return all(_no_sets(v) for v in value)
    return " at 0x" not in repr(value) if not isinstance(value, _STABLE_REPR) else True


def code_digest() -> str:
    """netsite's own source: a new version of any module makes every record stale."""
    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# ---- what a template reads through `site` ----------------------------------------------------------

class Tracked:
    """A read-only view of the Site (or a part of it) that notes every path read through it."""

    __slots__ = ("_path", "_value")

    def __init__(self, value: Any, path: Key):
        self._value, self._path = value, path

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self._value, name)
        if callable(value) and not isinstance(value, Mapping):
            return _method(self._value, name, value, self._path)
        return _wrap(value, self._path + (name,))

    def __getitem__(self, key: Any) -> Any:
        return _wrap(self._value[key], self._path + (key,))

    def __contains__(self, key: Any) -> bool:
        note(self._path + (key,))
        return key in self._value

    def get(self, key: Any, default: Any = None) -> Any:
        if key in self._value:
            return self[key]
        note(self._path + (key,))
        return default

    def _whole(self) -> Any:
        note(self._path)
        return self._value

    def __iter__(self):
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def __bool__(self) -> bool:
        return bool(self._whole())

    def keys(self):
        return self._whole().keys()

    def values(self):
        return self._whole().values()

    def items(self):
        return self._whole().items()


class TrackedSequence:
    """A tuple read through a Tracked view: its length alone is a key of its own (a page that shows
    "120 entries" does not depend on what the entries are), anything else reads it whole."""

    __slots__ = ("_path", "_value")

    def __init__(self, value: tuple, path: Key):
        self._value, self._path = value, path

    def _whole(self) -> tuple:
        note(self._path)
        return self._value

    def __len__(self) -> int:
        note(self._path + ("#len",))
        return len(self._value)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self):
        return iter(self._whole())

    def __getitem__(self, index: Any) -> Any:
        return self._whole()[index]

    def __contains__(self, item: Any) -> bool:
        return item in self._whole()

    def __add__(self, other: Any) -> Any:
        return self._whole() + (other._whole() if isinstance(other, TrackedSequence) else other)

    def __radd__(self, other: Any) -> Any:
        return other + self._whole()

    def __eq__(self, other: Any) -> bool:
        return self._whole() == (other._whole() if isinstance(other, TrackedSequence) else other)

    __hash__ = None  # type: ignore[assignment]  # equal to a plain sequence, so unhashable like a list


def _wrap(value: Any, path: Key) -> Any:
    if isinstance(value, Mapping) or type(value).__name__ in ("Site", "Cycle", "Term"):
        return Tracked(value, path)
    if type(value) is tuple:
        return TrackedSequence(value, path)
    note(path)
    return value


def _method(owner: Any, name: str, method: Callable, path: Key) -> Callable:
    """site.institution(slug) and site.event(slug) read one entry; any other method the whole owner."""
    kinds = {"institution": "institutions", "event": "events"}
    if path == ("site",) and name in kinds:
        def lookup(slug: str) -> Any:
            note(("site", "by_slug", kinds[name], slug))
            return method(slug)
        return lookup

    def whole(*args: Any, **kwargs: Any) -> Any:
        note(path)
        return method(*args, **kwargs)
    return whole


class TrackedNow(datetime):
    """The build's clock as templates see it: reading the year notes ("year",), anything else ("now",)."""

    def __getattribute__(self, name: str) -> Any:
        note(("year",) if name == "year" else ("now",))
        return datetime.__getattribute__(self, name)

    @staticmethod
    def of(moment: datetime) -> TrackedNow:
        return TrackedNow(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
                          moment.microsecond, moment.tzinfo, fold=moment.fold)



def unwrap(value: Any) -> Any:
    """The plain datetime behind a TrackedNow (reading it so notes nothing); any other value as it is."""
    if type(value) is not TrackedNow:
        return value
    get = datetime.__getattribute__
    return datetime(*(get(value, name) for name in ("year", "month", "day", "hour", "minute", "second",
                                                     "microsecond", "tzinfo")), fold=get(value, "fold"))


def _touch_now(name: str):
    def method(self, *args: Any) -> Any:
        note(("now",))
        return getattr(datetime, name)(self, *args)
    return method


for _name in ("__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__", "__sub__", "__rsub__", "__add__",
              "__radd__", "__hash__", "__str__", "__repr__", "__format__", "__reduce__", "__reduce_ex__"):
    setattr(TrackedNow, _name, _touch_now(_name))


# ---- what Python filters and globals read -----------------------------------------------------------

PURE = frozenset({
    # filters: their arguments, the configuration and the theme's strings only
    "url", "absolute", "date", "time", "month", "iso", "label", "short_name", "plural", "when", "tag_slug",
    "webcal", "calendar_ics", "event_ics", "zone_city", "recurrence",
    # globals
    "config", "t", "url_for", "absolute_url", "month_path", "entry_path", "catalogue_index", "sveden_url",
    "picture", "body_html", "figure_chart", "chart_has_data",
})
"""Filters and globals that read nothing but their arguments and what every page's record holds."""

TRACED: Mapping[str, Callable[..., list[Key]]] = {
    "institution": lambda slug: [("site", "by_slug", "institutions", slug)],
    "google_url": lambda event: [("next", event.source)],
    "yandex_url": lambda event: [("next", event.source)],
    "json_ld": lambda event: [("next", event.source), *_members(event)],
    "upcoming_dates": lambda event: [("now",)],
    "groupby_month": lambda events, now: [("next", event.source) for event in events],
    "in_date_order": lambda entries: [("next", e.source) for e in entries if e.kind == "events"],
    # a project names its events by slug: their order follows the clock (few pages: the whole clock)
    "entries_of": lambda slugs, kind: [("site", "by_slug", kind, slug) for slug in slugs] + [("now",)] * (
        kind == "events"),
    "catalogue_facets": lambda: [("site", "practices"), ("site", "institutions")],
    "members_map": lambda: [("site", "institutions")],
    "members_graph": lambda: [("site", "cycle"), ("site", "institutions")],
    "menus": lambda: [("site", "sections"), ("site", "menu")],
    "current_links": lambda menus, page_path: [("site", "sections"), ("site", "menu")],
    "schema_org": lambda entry: _members(entry),
    "audience_sections": lambda term: [("site", "upcoming"), ("site", "past")],
}
"""Filters and globals written in Python that read the site or the clock: the keys each call reads."""


def _members(entry: Entry) -> list[Key]:
    """The institutions an entry names (its JSON-LD shows their names and addresses)."""
    return [("site", "by_slug", "institutions", slug) for slug in entry.institutions]


class _Agenda:
    """`agenda` as templates see it: next_occurrence notes which occurrence it found, not the whole clock."""

    def __init__(self, module: Any):
        self._module = module

    def next_occurrence(self, event: Event, now: datetime) -> Any:
        note(("next", event.source))
        return self._module.next_occurrence(event, unwrap(now))

    def __getattr__(self, name: str) -> Any:
        note(("now",))  # any other function may compare with the clock
        return getattr(self._module, name)


class _Feeds:
    """The feed set as templates see it: the links of a page's feeds are what its record reads."""

    def __init__(self, feed_set: Any):
        self.feed_set = feed_set
        self.feeds = feed_set.feeds

    def __call__(self, page_path: str) -> Any:
        note(("feeds", page_path))  # which feeds; what of each is read is noted by its view
        return tuple(Tracked(feed, ("feed", feed.page)) for feed in self.feed_set(page_path))


def _traced(function: Callable, keys: Callable[..., list[Key]]) -> Callable:
    def call(*args: Any, **kwargs: Any) -> Any:
        args = tuple(_given(a) for a in args)
        for key in keys(*args, **kwargs):
            note(key)
        return function(*(unwrap(a) for a in args), **kwargs)
    return call


def _given(value: Any) -> Any:
    """A view of the site handed to Python code: that code may read anything of it, so the whole
    value is noted and the code gets the plain object (`isinstance` and the like work on it)."""
    if isinstance(value, (Tracked, TrackedSequence)):
        path = object.__getattribute__(value, "_path")
        note(path)
        return object.__getattribute__(value, "_value")
    return value


def traced_context(context: Mapping[str, Any]) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """(what a page's record holds of its context, what its template gets): a taxonomy term is
    only named in the record and read through a Tracked view, so that the pages of a term with
    many entries do not each depend on all of them (only on what they show: label, count...)."""
    if not any(type(value) is Term for value in context.values()):
        return context, context  # most pages: nothing to name (a page's context is never changed)
    fixed, given = {}, {}
    for name, value in context.items():
        if type(value) is Term:
            fixed[name] = ("term", value.taxonomy, value.id)
            given[name] = Tracked(value, ("term", value.taxonomy, value.id))
        else:
            fixed[name] = given[name] = value
    return fixed, given


def instrument(env: Any, site: Any) -> None:
    """Make every read of the site and the clock by the templates of `env` traceable."""
    for table in (env.filters, env.globals):
        for name, function in list(table.items()):
            if name in TRACED:
                table[name] = _traced(function, TRACED[name])  # never run at compile time: render.Environment
    env.globals.update(site=Tracked(site, ("site",)), now=TrackedNow.of(site.now),
                       agenda=_Agenda(env.globals["agenda"]), feeds=_Feeds(env.globals["feeds"]))
    env.globals["fragment"].trace = (tracing, note)  # a fragment rendered once notes its reads on every page


def untraced(env: Any) -> list[str]:
    """Filters and globals neither pure nor traced (a test keeps this empty)."""
    known = PURE | set(TRACED) | {"site", "now", "agenda", "feeds", "fragment", "range", "dict", "lipsum", "cycler",
                                  "joiner", "namespace"}
    defaults = set(type(env)().filters)
    return sorted(name for name in set(env.filters) | set(env.globals) if name not in known | defaults)


# ---- records -----------------------------------------------------------------------------------------

class Resolver:
    """The digest of each traced key in one site, each computed once."""

    def __init__(self, site: Any, prints: Fingerprints, feed_set: Any):
        self.site, self.prints, self.feed_set = site, prints, feed_set
        self._done: dict[Key, bytes] = {}
        self._sources: dict[str, Event] | None = None
        self._terms: dict | None = None

    def __call__(self, key: Key) -> bytes:
        found = self._done.get(key)
        if found is None:
            found = self._done[key] = self.prints.of(self._value(key))
        return found

    def _value(self, key: Key) -> Any:
        from netsite.content import agenda

        head = key[0]
        if head == "site":
            return _walk(self.site, key[1:])
        if head == "now":
            return self.site.now
        if head == "year":
            return self.site.now.year
        if head == "next":
            event = self.events_by_source().get(key[1])
            return MISSING if event is None else agenda.next_occurrence(event, self.site.now)
        if head == "feeds":
            return tuple(f.page for f in self.feed_set(key[1]))
        if head == "feed":
            return _walk(self.feed_set.by_page.get(key[1], MISSING), key[2:])
        if head == "term":
            return _walk(self.terms_by_taxonomy(), key[1:])
        return os.urandom(16)  # a key this version does not know: never equal

    def events_by_source(self) -> Mapping[str, Event]:
        if self._sources is None:
            self._sources = {e.source: e for e in self.site.events}
        return self._sources

    def terms_by_taxonomy(self) -> Mapping[str, Mapping[str, Term]]:
        if self._terms is None:
            self._terms = {taxonomy: {t.id: t for t in terms} for taxonomy, terms in self.site.terms.items()}
        return self._terms

    def feed_pages(self) -> tuple[str, ...]:
        """Which feeds there are: what the feeds of any page follow from (FeedSet.__call__)."""
        return tuple(self.feed_set.by_page)


def _walk(value: Any, path: Key) -> Any:
    for part in path:
        if value is MISSING:
            break
        value = step(value, part)
    return value


def step(value: Any, part: Any) -> Any:
    """One part of a traced path: an attribute, a mapping's key or "#len"; MISSING when absent."""
    if part == "#len":
        return len(value)
    try:
        return value.get(part, MISSING) if isinstance(value, Mapping) else getattr(value, part, MISSING)
    except TypeError:  # an unhashable key
        return MISSING


@dataclasses.dataclass(frozen=True, slots=True)
class Record:
    """How one output file was made: its fixed inputs' digest and each traced key's digest."""

    fixed: bytes
    reads: tuple[tuple[Key, bytes], ...] = ()

    def fresh(self, fixed: bytes, resolve: Callable[[Key], bytes]) -> bool:
        return self.fixed == fixed and all(resolve(key) == digest for key, digest in self.reads)

    def to_json(self) -> list:
        return [self.fixed.hex(), [[list(key), digest.hex()] for key, digest in self.reads]]

    @staticmethod
    def from_json(value: list) -> Record:
        return Record(bytes.fromhex(value[0]), tuple((_tuple(key), bytes.fromhex(d)) for key, d in value[1]))


def _tuple(value: Any) -> Any:
    return tuple(_tuple(v) for v in value) if isinstance(value, list) else value


def record(fixed: bytes, keys: set, resolve: Callable[[Key], bytes]) -> Record:
    return Record(fixed, tuple((key, resolve(key)) for key in sorted(keys, key=repr)))


def digest(*parts: bytes | str) -> bytes:
    """One digest of several (lengths included, so no two tuples collide)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.digest()
