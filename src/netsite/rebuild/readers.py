"""Which outputs read each traced key, so that `serve` finds the stale pages from what changed.

A build checks every record against the new site (depends.Record.fresh): at 10,000 entries that
is 250,000 reads of 35,000 keys, most of the time of a save-to-reload. `Readers` keeps, between
the builds of one `serve`, the keys of every record in a tree of their parts (`("site",
"by_slug", "news", "x", "title")` is the path site → by_slug → news → x → title), each node with
the object it reached in the last build. After an edit the tree is walked again in the new site,
but a branch whose object is the very same one as last time is skipped whole: the site is
immutable, so the same object means the same value below it. Unchanged entries are the same
objects from build to build (build.Memo), so a save walks little more than the lists and maps
the assembly made anew, and the keys under the entries it changed. A key whose digest changed
names its readers: those pages are stale, and only those (with the pages whose fixed inputs
changed, which render_site checks as before).

When the clock differs from the last build's, nothing is assumed: `stale` answers None and the
caller checks every record (depends.Record.fresh), then the tree is made again.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from netsite.content.models import Entry
from netsite.rebuild import depends
from netsite.rebuild.depends import MISSING, Fingerprints, Key, Record, Resolver, step


class _Node:
    __slots__ = ("children", "digest", "value")

    def __init__(self, value: Any) -> None:
        self.value = value
        self.children: dict[Any, _Node] = {}
        self.digest: bytes | None = None
        """Set when a key ends here: its digest in the last build."""


class Readers:
    """The traced keys of one serve's records, with the outputs that read each (see the module)."""

    def __init__(self) -> None:
        self._roots: dict[str, _Node] = {}
        self._readers: dict[Key, set[str]] = {}
        self._now: bytes | None = None
        self._fixed: dict[str, tuple[tuple, Mapping, bytes]] = {}
        self._derived: dict[str, tuple[bytes, tuple, Any]] = {}
        self.feeds: dict = {}
        """Each feed with what it was made from (feeds.feed_set's `kept`)."""

    def stale(self, resolve: Resolver) -> set[str] | None:
        """The outputs that read a key whose digest differs in `resolve`'s site; None: check all."""
        if self._now is None or resolve(("now",)) != self._now:
            return None
        stale: set[str] = set()
        for head, root in self._roots.items():
            value = _root_value(head, resolve)
            if head == "feeds" and value == root.value:
                value = root.value  # the same feed pages: every page's feeds are the same
            for key in self._changed(root, value, (head,), resolve):
                stale |= self._readers.get(key, set())
        return stale

    def fixed(self, path: str, parts: tuple[bytes | str, ...], context: Mapping, prints: Fingerprints) -> bytes:
        """fixed_digest(parts, context), made again only when `parts` (code, theme, configuration,
        path, template) or any part of the context is not the same as last time."""
        found = self._fixed.get(path)
        if found is not None and found[0] == parts and keep_same(found[1], context) is found[1]:
            return found[2]
        made = fixed_digest(parts, context, prints)
        self._fixed[path] = (parts, context, made)
        return made

    def derived(self, name: str, head: bytes, inputs: tuple, make: Callable[[], Any]) -> Any:
        """make(), or its last result when `head` (code, theme, configuration, clock) and every one
        of `inputs` (parts of the Site it reads) are the same as last time."""
        found = self._derived.get(name)
        if found is not None and found[0] == head and keep_same(found[1], inputs) is found[1]:
            return found[2]
        made = make()
        self._derived[name] = (head, inputs, made)
        return made

    def forget(self) -> None:
        """Assume nothing about the next build: it checks every record and the tree is made again."""
        self._roots, self._readers, self._now = {}, {}, None

    def update(self, records: Mapping[str, Record], made: Iterable[str], old: Mapping[str, Record],
               resolve: Resolver, checked: bool) -> None:
        """After a build: note the keys of the records made again (`made`); when the build did not
        use `stale` (`checked` false) the tree is made again from every record."""
        if not checked:
            self.forget()
            made, old, self._now = records, {}, resolve(("now",))
        for path in made:
            previous = old.get(path)
            if previous is not None:
                for key, _ in previous.reads:
                    self._readers.get(key, set()).discard(path)
            record = records.get(path)
            for key, digest in record.reads if record is not None else ():
                self._insert(key, digest, resolve)
                self._readers.setdefault(key, set()).add(path)

    def _insert(self, key: Key, digest: bytes, resolve: Resolver) -> None:
        head = key[0]
        node = self._roots.get(head)
        if node is None:
            node = self._roots[head] = _Node(_root_value(head, resolve))
        for part in key[1:]:
            child = node.children.get(part)
            if child is None:
                child = node.children[part] = _Node(_next(head, node.value, part))
            node = child
        node.digest = digest

    def _changed(self, node: _Node, value: Any, key: Key, resolve: Resolver) -> Iterable[Key]:
        """The keys under `node` whose digest changed, its values brought to this build's on the way."""
        if value is node.value:
            return
        node.value = value
        if node.digest is not None:
            digest = resolve(key)
            if digest != node.digest:
                node.digest = digest
                yield key
        head = key[0]
        for part, child in node.children.items():
            yield from self._changed(child, _next(head, value, part), key + (part,), resolve)


def _root_value(head: str, resolve: Resolver) -> Any:
    """What the keys starting with `head` walk from (as Resolver._value reads them)."""
    if head == "site":
        return resolve.site
    if head == "term":
        return resolve.terms_by_taxonomy()
    if head == "feed":
        return resolve.feed_set.by_page
    if head == "feeds":  # a page's feeds follow from which feed pages exist
        return resolve.feed_pages()
    if head == "next":  # an event's next occurrence follows from the event (the clock is the same)
        return resolve.events_by_source()
    return object()  # the clock (checked apart, in `stale`) or a key this version does not know: read again


def _next(head: str, value: Any, part: Any) -> Any:
    if head == "feeds":
        return value  # every page's key stands on the one tuple of feed pages
    if head not in ("site", "term", "feed", "next"):
        return object()
    return MISSING if value is MISSING else step(value, part)


def fixed_digest(parts: tuple[bytes | str, ...], context: Mapping, prints: Fingerprints) -> bytes:
    """What a page's record holds of its fixed inputs: `parts` and its context."""
    return depends.digest(*parts, prints.of(context))


# ---- incremental assembly -----------------------------------------------------------------------

_EXACT = (str, int, bool, type(None), date)
"""Types whose equality is sameness (a float's is not: 0.0 == -0.0; a datetime's neither: zones)."""


def keep_same(old: Any, new: Any) -> Any:
    """`new` with every part that is the same as in `old` replaced by `old`'s very object.

    The Site is assembled anew after every save (new tuples, maps and terms around the same
    entries); with this the parts that did not change are the last build's objects again, so
    `Readers.stale` skips them by identity and their digests are remembered (Fingerprints). Same
    means: the very same entries (an Entry is never compared by value), equal strings, numbers
    and flags, and containers and frozen dataclasses of such, member by member.
    """
    if old is new:
        return old
    kind = type(new)
    if kind is not type(old) or issubclass(kind, Entry):  # an entry is the same only as itself
        return new
    if kind in _EXACT:
        return old if old == new else new
    if kind is datetime:  # the same wall time, zone and fold: the same everywhere it is shown
        return old if old == new and old.tzinfo is new.tzinfo and old.fold == new.fold else new
    if kind is tuple:
        return _tuple(old, new)
    if kind is list:  # in a page's context (a calendar's weekdays): never changed once made
        return old if len(old) == len(new) and all(keep_same(a, b) is a for a, b in zip(old, new)) else new
    if kind in (dict, MappingProxyType):
        return _mapping(old, new)
    if dataclasses.is_dataclass(kind) and all(f.init for f in dataclasses.fields(kind)):
        return _dataclass(old, new)
    return new


def _tuple(old: tuple, new: tuple) -> tuple:
    if len(old) == len(new) and all(map(operator.is_, old, new)):
        return old  # the common case, in C: a list of the same entries
    if len(old) != len(new) or (new and isinstance(new[0], Entry)):
        return new
    kept = tuple(keep_same(a, b) for a, b in zip(old, new))
    return old if all(map(operator.is_, old, kept)) else kept


def _mapping(old: Mapping, new: Mapping) -> Mapping:
    if len(old) == len(new) and all(a is b and j == k for (j, a), (k, b) in zip(old.items(), new.items())):
        return old  # the common case (a page's context of the same entry); in the same order
    kept = {key: keep_same(old[key], value) if key in old else value for key, value in new.items()}
    if len(old) == len(new) and list(old) == list(kept) and all(map(operator.is_, old.values(), kept.values())):
        return old
    return MappingProxyType(kept) if type(new) is MappingProxyType else kept


def _dataclass(old: Any, new: Any) -> Any:
    changed = {}
    same = True
    for field in dataclasses.fields(new):
        before, after = getattr(old, field.name), getattr(new, field.name)
        kept = keep_same(before, after)
        same = same and kept is before
        if kept is not after:
            changed[field.name] = kept
    if same:
        return old
    return dataclasses.replace(new, **changed) if changed else new
