"""Each kind is one typed class: the tables the parser and the editor use follow from it, every
parsed entry holds values of the declared types, and entries survive pickling (serve, workers)."""

from __future__ import annotations

import dataclasses
import pickle
import types
import typing
from collections.abc import Mapping
from datetime import datetime

import pytest

from netsite import build
from netsite.content import kinds, models, pictures, sources
from netsite.content.kinds import Event, Institution, News, Page
from netsite.content.models import Entry

from conftest import build_site

LATE = "2027-06-30 12:00"  # every dated entry of the example is published by then
NAMES = vars(models) | vars(kinds) | {"Picture": pictures.Picture}
"""What the annotations of models.py and kinds.py name (Picture only for type checkers there)."""


@pytest.fixture(scope="module")
def every_entry(example_site):
    site = build.run(example_site, build.Options(now=LATE, future=True, drafts=True, jobs=1, cache=False)).site
    return site.entries


def test_the_tables_follow_from_the_classes():
    assert tuple(kinds.CLASSES) == sources.KINDS  # a folder that is read has a class, and back
    for kind, cls in kinds.CLASSES.items():
        keyed = {f.name: f.metadata["key"] for f in dataclasses.fields(cls) if "key" in f.metadata}
        written = {found.name or name for name, found in keyed.items()}
        written |= {alias for found in keyed.values() for alias in found.also}
        assert set(kinds.KINDS[kind]) == written, kind
        assert set(kinds.REQUIRED[kind]) == {"title"} | {found.name or name for name, found in keyed.items()
                                                          if found.required}, kind
        assert not set(kinds.KINDS[kind]) & set(kinds.COMMON), kind  # the common keys are Entry's own
    assert set(kinds.COMMON) <= {f.name for f in dataclasses.fields(Entry)}
    assert kinds.REQUIRED["events"] == ("title", "start") and "date" in kinds.KINDS["events"]
    assert {"organizers", "institution", "tags"} <= kinds.COMMA_LISTS and "goals" not in kinds.COMMA_LISTS


def _holds(value: object, hint: object) -> bool:
    """A small runtime check of the annotations kinds.py uses."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is typing.Any:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_holds(value, arg) for arg in args)
    if hint is type(None):
        return value is None
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_holds(item, args[0]) for item in value)
        return len(value) == len(args) and all(_holds(v, a) for v, a in zip(value, args))
    if origin in (Mapping, dict) or hint is Mapping:
        return isinstance(value, Mapping) and all(_holds(k, args[0]) and _holds(v, args[1])
                                                   for k, v in value.items()) if args else isinstance(value, Mapping)
    if hint is datetime:
        return isinstance(value, datetime) and value.tzinfo is not None  # aware, always
    return isinstance(value, typing.cast(type, origin or hint))


def test_every_parsed_entry_holds_the_types_its_class_declares(every_entry):
    seen = set()
    for entry in every_entry:
        cls = kinds.CLASSES[entry.kind]
        assert type(entry) is cls, entry.source
        hints = typing.get_type_hints(cls, NAMES)
        for item in dataclasses.fields(cls):
            if item.name in ("lines",):  # front-matter lines: keys are names or (name, index) paths
                continue
            value = getattr(entry, item.name)
            assert _holds(value, hints[item.name]), (entry.source, item.name, value, hints[item.name])
        seen.add(entry.kind)
    assert seen == set(kinds.CLASSES)  # the example has every kind


def test_entries_pickle_to_equal_values(every_entry):
    copies = pickle.loads(pickle.dumps(every_entry, protocol=pickle.HIGHEST_PROTOCOL))
    assert copies == every_entry and [type(e) for e in copies] == [type(e) for e in every_entry]


def test_get_reads_front_matter_keys_for_templates(make_site):
    root = make_site({
        "content/events/seminar.md": "---\ntitle: Семинар\ndate: 2026-10-01\nstart: \"2026-12-03 10:00\"\n"
                                     "organizers: [solnyshko]\n---\n",
        "content/pages/about.md": "---\ntitle: О сети\n---\nТекст.\n",
    })
    site = build_site(root).site
    institution, [event], [page] = site.institution("solnyshko"), site.events, site.pages
    assert isinstance(institution, Institution) and isinstance(event, Event) and isinstance(page, Page)
    assert institution.kind == "institutions" and institution.get("kind") == institution.institution_kind
    assert event.get("date") == event.announced != event.start and event.date == event.announced
    assert event.get("status") == event.status == "scheduled" and event.institutions == ("solnyshko",)
    assert event.get("location") is None and event.get("location", "—") == "—"  # a key left out
    assert page.get("image", "none") == "none" and page.get("gallery", ()) == ()  # a key the kind has not
    assert page.get("readable", 1) == page.get("get", 1) == 1  # a class table or a method is not a key
    with pytest.raises(AttributeError):
        page.start  # noqa: B018 - a page has no start: a template's unguarded read fails loudly


def test_a_news_item_without_an_event_reads_an_empty_tuple():
    news = News(kind="news", slug="a", title="Т", source="content/news/a.md", path="/news/a/",
                date=datetime.fromisoformat("2026-01-01T00:00:00+03:00"))
    assert news.event == () and news.image is None and news.get("event", None) == ()


def test_a_kinds_own_attributes_are_traced_and_digested(every_entry):
    from netsite.rebuild import depends

    event = next(e for e in every_entry if isinstance(e, Event))
    site = type("Site", (), {"by_slug": {"events": {event.slug: event}}})()  # a view needs only the path
    with depends.tracing() as keys:
        start = depends.Tracked(site, ("site",)).by_slug["events"][event.slug].start
    assert start == event.start and keys == {("site", "by_slug", "events", event.slug)}
    prints = depends.Fingerprints()
    moved = dataclasses.replace(event, start=event.start.replace(year=event.start.year + 1))
    assert prints.of(moved) != prints.of(event) == depends.Fingerprints().of(event)
    page = Page(kind="pages", slug="a", title="Т", source="a.md", path="/a/")
    news = News(kind="pages", slug="a", title="Т", source="a.md", path="/a/", date=None)  # type: ignore[arg-type]
    assert prints.of(page) != prints.of(news)  # the same common part, another kind
