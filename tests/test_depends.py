"""The page-dependency records: digests, traces and the declared reads of Python filters."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from netsite import build
from netsite.content.kinds import News
from netsite.content.models import Entry
from netsite.publish import cyclepages, render, theme
from netsite.rebuild import depends

from conftest import NOW

SRC = str(Path(depends.__file__).resolve().parents[2])  # the src/ folder holding this netsite


@pytest.fixture(scope="module")
def site(example_site):
    return build.run(example_site, build.Options(now=NOW, jobs=1)).site


def entry(**changes) -> Entry:
    values = dict(kind="news", slug="a", title="Новость", source="content/news/a.md", path="/news/a/",
                  body="<p>Текст</p>", institutions=("solnyshko",), date=datetime(2025, 1, 1, tzinfo=UTC))
    values.update(changes)
    return News(**values)


def test_equal_values_have_equal_digests_and_any_change_shows():
    prints = depends.Fingerprints()
    assert prints.of(entry()) == depends.Fingerprints().of(entry())
    for change in ({"body": "<p>Текст!</p>"}, {"title": "Другая"}, {"institutions": ("x",)}, {"image": "x.jpg"},
                   {"date": datetime(2026, 1, 1, tzinfo=UTC)}, {"tags": ("театр",)}):
        assert prints.of(entry(**change)) != prints.of(entry())
    assert prints.of((1, "1")) != prints.of(("1", 1)) and prints.of([True]) != prints.of([1])
    moscow = datetime(2026, 1, 1, 12, tzinfo=ZoneInfo("Europe/Moscow"))
    assert prints.of(moscow) != prints.of(moscow.astimezone(UTC))  # the same instant, shown otherwise


def test_an_object_without_a_stable_form_is_never_equal():
    prints = depends.Fingerprints()
    thing = object()
    assert prints.of(thing) != prints.of(thing)


def test_reads_through_the_tracked_site_are_noted(site):
    tracked = depends.Tracked(site, ("site",))
    with depends.tracing() as keys:
        slug = site.institutions[0].slug
        assert tracked.institution(slug) is site.institution(slug)
        assert "nothing-here" not in tracked.by_slug["pages"]
        assert tracked.reports.get("no-event", ()) == ()
        list(tracked.menu)
        assert len(tracked.news) == len(site.news)
    assert keys - {("site", "menu", "#len")} == {("site", "news", "#len"), ("site", "by_slug", "institutions", slug), ("site", "by_slug", "pages", "nothing-here"),
                    ("site", "reports", "no-event"), ("site", "menu")}


def test_the_clock_notes_the_year_alone_or_the_whole_moment():
    now = depends.TrackedNow.of(datetime(2026, 11, 25, 12, tzinfo=UTC))
    with depends.tracing() as keys:
        assert now.year == 2026
    assert keys == {("year",)}
    with depends.tracing() as keys:
        assert datetime(2026, 1, 1, tzinfo=UTC) < now
    assert keys == {("now",)}
    assert type(depends.unwrap(now)) is datetime and depends.unwrap(now) == datetime(2026, 11, 25, 12, tzinfo=UTC)


def test_a_trace_holds_its_own_thread_and_block_only():
    """The trace is per context: a read in another thread (serve answers requests while it
    rebuilds) or in a nested trace is not noted in this one, and nothing is noted after it ends."""
    with depends.tracing() as outer:
        depends.note(("a",))
        other = threading.Thread(target=depends.note, args=(("other thread",),))
        other.start()
        other.join()
        with depends.tracing() as inner:
            depends.note(("b",))
        depends.note(("c",))
    depends.note(("after",))
    assert outer == {("a",), ("c",)} and inner == {("b",)}


def test_every_filter_and_global_is_pure_or_declares_what_it_reads(site):
    dirs = theme.theme_dirs(site.config.root, site.config.theme)
    env = render.make_environment(site, dirs)
    cyclepages.extend_environment(env, site)
    assert depends.untraced(env) == []


def test_records_survive_their_storage_form():
    record = depends.Record(b"\x01" * 16, ((("site", "cycle", "projects_of", ("news", "a")), b"\x02" * 16),))
    assert depends.Record.from_json(record.to_json()) == record


def test_a_parallel_and_a_serial_render_record_the_same_reads(site, monkeypatch):
    monkeypatch.setattr("netsite.rebuild.parallel.MIN_ITEMS", 2)
    serial = build.render_site(site, 1)
    forked = build.render_site(site, 2)
    assert serial.records == forked.records and serial.files == forked.files


@pytest.mark.parametrize("fields", [{"tags": ("а", "б")}, {"audience": frozenset({"а", "б", "в", "г"})}])
def test_digests_are_the_same_in_every_process(fields):
    import subprocess
    import sys

    # a set's order follows string hashing, random per process: the digest must not
    code = ("from netsite.rebuild import depends; from netsite.content.kinds import News; "
            "import datetime; when = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC); "
            f"e = News(kind='news', slug='a', title='Т', source='content/news/a.md', path='/news/a/', date=when, **{fields!r}); "
            "print(depends.Fingerprints().of(e).hex())")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": SRC}).stdout
            for seed in (1, 2, 3)}
    assert len(seen) == 1


def test_python_code_given_a_view_of_the_site_gets_the_plain_value_and_reads_it_whole(site):
    from netsite.content.models import Term

    seen = []
    traced = depends._traced(lambda value: seen.append(value) or isinstance(value, Term), lambda value: [])
    term = site.terms["audience"][0]
    with depends.tracing() as keys:
        assert traced(depends.Tracked(term, ("term", term.taxonomy, term.id))) is True
    assert seen == [term] and keys == {("term", term.taxonomy, term.id)}


def test_a_part_rendered_once_notes_its_reads_on_every_page(site):
    """The footer is rendered for the first page only; the second page's record still reads the
    year and the menu through it (render.Fragments replays the keys)."""
    dirs = theme.theme_dirs(site.config.root, site.config.theme)
    env = render.make_environment(site, dirs)
    cyclepages.extend_environment(env, site)
    depends.instrument(env, site)
    fragment = env.globals["fragment"]
    traces = []
    for path in ("/news/", "/practices/"):
        with depends.tracing() as keys:
            html = env.from_string('{{ fragment("partials/footer.html") }}').render(page_path=path)
        traces.append(keys)
    assert "©" in html and len(fragment._done) == 1  # rendered once
    for keys in traces:
        assert {("year",), ("site", "sections"), ("site", "menu")} <= keys
