"""The fast paths change nothing: cache, parallel and plain builds are byte-identical; the cache invalidates."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections import Counter
from pathlib import Path

import pytest

from netsite.content import markup
from netsite.rebuild import cache as cache_module
from netsite.rebuild import parallel
from netsite.rebuild.cache import DATABASE, FOLDER, Cache

from conftest import NOW, build_site, check_site, codes, diagnostics_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from datetime import UTC

from generate import generate


@pytest.fixture(autouse=True)
def cache_secret(tmp_path, monkeypatch):
    """The HMAC key outside the site folder: here, a test's own file."""
    monkeypatch.setenv("NETSITE_CACHE_SECRET_FILE", str(tmp_path / "secret"))


@pytest.fixture
def renders(monkeypatch):
    """Counts markup.render calls by source (the cache's misses)."""
    seen: list[str] = []
    real = markup.render

    def counting(text, ctx):
        seen.append(ctx.source)
        return real(text, ctx)

    monkeypatch.setattr(markup, "render", counting)
    return seen


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_cached_parallel_and_plain_builds_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)  # a small corpus still takes the forked path
    site = generate(60, tmp_path / "bench")
    build_site(site, cache=False, jobs=1)
    plain = tree(site / "public")
    build_site(site, jobs=2)  # cold cache, forked workers
    cold = tree(site / "public")
    assert (site / FOLDER / DATABASE).is_file()
    build_site(site, jobs=2)  # every body from the cache
    warm = tree(site / "public")
    build_site(site, jobs=1)  # cache, one process
    assert plain == cold == warm == tree(site / "public")
    assert len(plain) > 100


def test_map_ordered_uses_forked_workers_and_keeps_order(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    results = parallel.map_ordered(lambda n: (n * n, os.getpid()), list(range(50)), 2)
    assert [square for square, _ in results] == [n * n for n in range(50)]
    assert os.getpid() not in {pid for _, pid in results}


def test_workers_are_replaced_after_their_lifetime_so_their_memory_does_not_grow(monkeypatch):
    # A worker dirties its copy of the site with every chunk (issue 15): none lives through the map.
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    items = list(range(2 * parallel.CHUNKS * 4))  # chunks of 4
    pids = Counter(pid for _, pid in parallel.map_ordered(lambda n: (n, os.getpid()), items, 2))
    assert max(pids.values()) <= parallel.LIFETIME * 4
    assert len(pids) >= len(items) // (parallel.LIFETIME * 4)
    assert parallel.workers(2, len(items)) == 2 and parallel.workers(1, len(items)) == 1


def test_a_stray_or_broken_unused_template_does_not_stop_a_parallel_build(make_site, monkeypatch):
    # Templates are compiled before forking (build._compile_all); one that no page uses must
    # not turn into an error the serial build would not give.
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    root = make_site({"content/news/2026-11-20-a.md": "---\ntitle: a\ndate: 2026-11-20\n---\nТекст.\n",
                      "themes/default/templates/draft.html": "{% if %}",
                      "themes/default/templates/.DS_Store": b"\x00\x87\xff"})
    build_site(root, jobs=2)
    parallel_tree = tree(root / "public")
    build_site(root, jobs=1, cache=False)
    assert tree(root / "public") == parallel_tree and "news/a/index.html" in parallel_tree


def test_map_ordered_is_a_loop_for_one_process():
    assert parallel.map_ordered(lambda n: (n, os.getpid()), [1, 2], 2) == [(1, os.getpid()), (2, os.getpid())]


def test_jobs_from_environment(monkeypatch):
    monkeypatch.setenv("NETSITE_JOBS", "1")
    assert parallel.jobs() == 1
    assert parallel.jobs(3) == 3


NEWS = """\
---
title: Новость
date: 2026-11-01
---
Текст [плана](../pages/plan.md).
"""
PLAN = """\
---
title: План
---
План работы.
"""


def site_with_link(make_site):
    return make_site({"content/news/n.md": NEWS, "content/pages/plan.md": PLAN})


def test_warm_build_renders_nothing(make_site, renders):
    root = site_with_link(make_site)
    build_site(root)
    assert sorted(renders) == ["content/institutions/solnyshko.md", "content/news/n.md", "content/pages/plan.md"]
    renders.clear()
    build_site(root)
    assert renders == []


def test_editing_a_source_renders_only_it(make_site, renders):
    root = site_with_link(make_site)
    build_site(root)
    renders.clear()
    (root / "content/news/n.md").write_text(NEWS + "\nЕщё абзац.\n", encoding="utf-8")
    build_site(root)
    assert renders == ["content/news/n.md"]
    assert "Ещё абзац." in (root / "public/news/n/index.html").read_text(encoding="utf-8")


def test_unpublished_link_target_is_a_miss(make_site, renders):
    """The page URLs a body linked to are part of its cache entry."""
    root = site_with_link(make_site)
    build_site(root)
    assert 'href="/plan/"' in (root / "public/news/n/index.html").read_text(encoding="utf-8")
    renders.clear()
    (root / "content/pages/plan.md").write_text(PLAN.replace("title: План", "title: План\ndraft: true"),
                                                encoding="utf-8")
    result = build_site(root)  # a draft target is a warning; the body is rendered again, without the link
    assert ("ref.unpublished", "content/news/n.md", 5) in {(d.code, d.location.path, d.location.line)
                                                           for d in result.diagnostics}
    assert renders == ["content/news/n.md"]
    assert 'href="/plan/"' not in (root / "public/news/n/index.html").read_text(encoding="utf-8")


def test_renamed_link_target_gives_the_new_url(make_site):
    root = site_with_link(make_site)
    build_site(root)
    (root / "content/pages/plan.md").write_text(PLAN.replace("title: План", "title: План\nslug: plan-2027"),
                                                encoding="utf-8")
    build_site(root)
    assert 'href="/plan-2027/"' in (root / "public/news/n/index.html").read_text(encoding="utf-8")


def test_options_that_change_output_are_a_miss(make_site, renders):
    root = site_with_link(make_site)
    build_site(root)
    renders.clear()
    config = (root / "netsite.yaml").read_text(encoding="utf-8")
    (root / "netsite.yaml").write_text(config.replace("https://net.example.org/", "https://net.example.org/sub/"),
                                       encoding="utf-8")
    build_site(root)
    assert len(renders) == 3
    assert 'href="/sub/plan/"' in (root / "public/news/n/index.html").read_text(encoding="utf-8")


def test_another_version_is_a_miss(make_site, renders, monkeypatch):
    root = site_with_link(make_site)
    build_site(root)
    renders.clear()
    monkeypatch.setattr(cache_module, "__version__", "999.0")
    build_site(root)
    assert len(renders) == 3


def test_changed_code_is_a_miss(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("A = 1\n", encoding="utf-8")
    before = cache_module.fingerprint(["jinja2"], [module])
    module.write_text("A = 2\n", encoding="utf-8")
    assert cache_module.fingerprint(["jinja2"], [module]) != before


def test_tampered_cache_entry_is_ignored(make_site, renders):
    """A cached fragment skips the sanitizer: an edited or committed entry must never be used."""
    root = site_with_link(make_site)
    build_site(root)
    with sqlite3.connect(root / FOLDER / DATABASE) as db:
        db.execute("UPDATE entries SET value = CAST(replace(CAST(value AS TEXT), 'План работы.', "
                   "'<script>alert(1)</script>') AS BLOB)")
    renders.clear()
    build_site(root)
    assert renders == ["content/pages/plan.md"]
    assert "<script>" not in (root / "public/plan/index.html").read_text(encoding="utf-8")


def test_entry_made_with_another_secret_is_ignored(make_site, renders, tmp_path, monkeypatch):
    root = site_with_link(make_site)
    build_site(root)
    monkeypatch.setenv("NETSITE_CACHE_SECRET_FILE", str(tmp_path / "other-secret"))
    renders.clear()
    build_site(root)
    assert len(renders) == 3


def test_uncached_build_writes_no_cache(make_site):
    root = site_with_link(make_site)
    build_site(root, cache=False)
    assert not (root / FOLDER).exists()


def test_cache_keeps_warnings(make_site):
    root = make_site({"content/news/n.md": "---\ntitle: Н\ndate: 2026-11-01\n---\n![](../x.png)\n"})
    first = diagnostics_of(root)
    assert codes(first) == codes(diagnostics_of(root))


def test_stale_entries_are_pruned(make_site):
    root = site_with_link(make_site)
    build_site(root)
    (root / "content/news/n.md").write_text(NEWS + "\nДругой текст.\n", encoding="utf-8")
    build_site(root)
    with sqlite3.connect(root / FOLDER / DATABASE) as db:
        assert db.execute("SELECT count(*) FROM entries WHERE step = 'markup'").fetchone() == (3,)


def test_unchanged_output_keeps_its_mtime(make_site):
    root = site_with_link(make_site)
    build_site(root)
    page, other = root / "public/plan/index.html", root / "public/news/n/index.html"
    os.utime(page, ns=(1_000_000_000, 1_000_000_000))
    os.utime(other, ns=(1_000_000_000, 1_000_000_000))
    (root / "content/news/n.md").write_text(NEWS + "\nНовое.\n", encoding="utf-8")
    build_site(root)
    assert page.stat().st_mtime_ns == 1_000_000_000
    assert other.stat().st_mtime_ns != 1_000_000_000


def test_a_broken_cache_file_is_replaced(make_site):
    root = site_with_link(make_site)
    (root / FOLDER).mkdir()
    (root / FOLDER / DATABASE).write_bytes(b"not a database" * 100)
    build_site(root)
    build_site(root)
    assert (root / "public/plan/index.html").is_file()
    with sqlite3.connect(root / FOLDER / DATABASE) as db:
        assert db.execute("SELECT count(*) FROM entries WHERE step = 'markup'").fetchone() == (3,)


def test_key_parts_do_not_run_together():
    assert Cache.key("ab", "c") != Cache.key("a", "bc")


def test_check_uses_the_same_pipeline(make_site):
    root = site_with_link(make_site)
    assert check_site(root).files == check_site(root, cache=False, jobs=1).files
    assert NOW


# ---- output written in place: unchanged files untouched, failures leave the old site -------------

def files_of(**pages: bytes) -> list:
    from netsite.content.models import OutputFile

    return [OutputFile(name.replace("__", "/"), data) for name, data in pages.items()]


def test_update_in_place_replaces_changes_and_removes_stale(tmp_path):
    from netsite.publish import output

    out = tmp_path / "public"
    output.write(files_of(a__index_html=b"A", b__index_html=b"B", c_txt=b"C"), out)
    os.utime(out / "a/index_html", ns=(1_000_000_000, 1_000_000_000))
    output.write(files_of(a__index_html=b"A", b__index_html=b"B2", d__e__f=b"F"), out)
    assert tree(out) == {"a/index_html": b"A", "b/index_html": b"B2", "d/e/f": b"F"}
    assert (out / "a/index_html").stat().st_mtime_ns == 1_000_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public.spare", "public"]  # the replaced tree, reused


def test_failed_write_leaves_the_old_site_as_it_was(tmp_path):
    from netsite.content.models import OutputFile
    from netsite.publish import output

    out = tmp_path / "public"
    output.write(files_of(a__index_html=b"A", b__index_html=b"B"), out)
    before = tree(out)
    broken = files_of(a__index_html=b"A2", n__new__index_html=b"N") + [
        OutputFile("z/x.jpg", b"", source=tmp_path / "missing.jpg")]
    with pytest.raises(OSError):
        output.write(broken, out)
    assert tree(out) == before
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == ["a", "a/index_html", "b",
                                                                             "b/index_html"]


def test_links_in_the_output_are_replaced_not_written_through(tmp_path):
    from netsite.publish import output

    out, outside = tmp_path / "public", tmp_path / "outside"
    outside.mkdir()
    output.write(files_of(a__index_html=b"A"), out)
    (out / "b").symlink_to(outside, target_is_directory=True)
    (out / "c").symlink_to(outside / "victim")
    output.write(files_of(a__index_html=b"A", b__index_html=b"B", c=b"C"), out)
    assert list(outside.iterdir()) == []
    assert not (out / "b").is_symlink() and not (out / "c").is_symlink()
    assert tree(out) == {"a/index_html": b"A", "b/index_html": b"B", "c": b"C"}


def test_spooled_files_are_moved_into_place_once(tmp_path):
    """Spooled in forked workers (names carry the pid), renamed into place: the spool ends empty."""
    from netsite.publish import output

    out = tmp_path / "public"
    with output.Spool(out) as spool:
        pages = files_of(**{f"p{n}__index_html": f"page {n}".encode() for n in range(parallel.MIN_ITEMS + 1)})
        spooled = parallel.map_ordered(spool.add, pages, 2)
        assert len({f.source for f in spooled}) == len(pages)
        output.write(spooled, out, spool=spool.folder)
        assert list(spool.folder.iterdir()) == []
    assert tree(out) == {f.path: f.data for f in pages}


def test_spooled_files_survive_a_fallback_to_the_swap(tmp_path):
    """A clash found half-way through the in-place update puts the moved files back for the swap."""
    from netsite.publish import output

    out = tmp_path / "public"
    output.write(files_of(a=b"A", z__index_html=b"Z"), out)
    with output.Spool(out) as spool:
        spooled = [spool.add(f) for f in files_of(a2=b"new", b=b"B", z=b"file where a folder was")]
        output.write(spooled, out, spool=spool.folder)
    assert tree(out) == {"a2": b"new", "b": b"B", "z": b"file where a folder was"}


def test_a_spooled_file_equal_to_the_old_one_keeps_its_time(tmp_path):
    from netsite.publish import output

    out = tmp_path / "public"
    output.write(files_of(a=b"A", b=b"B"), out)
    os.utime(out / "a", ns=(1_000_000_000, 1_000_000_000))
    with output.Spool(out) as spool:
        output.write([spool.add(f) for f in files_of(a=b"A", b=b"B2")], out, spool=spool.folder)
    assert tree(out) == {"a": b"A", "b": b"B2"}
    assert (out / "a").stat().st_mtime_ns == 1_000_000_000


def test_a_file_where_a_folder_was_falls_back_to_the_swap(tmp_path):
    from netsite.publish import output

    out = tmp_path / "public"
    output.write(files_of(a__index_html=b"A"), out)
    output.write(files_of(a=b"file now"), out)
    assert tree(out) == {"a": b"file now"}


def test_memoised_dates_keep_the_zone():
    """Equal instants in two zones hash alike; the memo must still give each its local date."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from netsite.publish.render import format_date, format_time

    moscow = datetime(2026, 1, 1, 1, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    utc = moscow.astimezone(UTC)
    assert (format_date(moscow, "d MMMM y"), format_time(moscow, "HH:mm")) == ("1 января 2026", "01:00")
    assert (format_date(utc, "d MMMM y"), format_time(utc, "HH:mm")) == ("31 декабря 2025", "22:00")


def test_yaml_anchors_still_refused_with_the_fast_path(make_site):
    root = make_site({"content/news/n.md": "---\ntitle: &t Н\nsummary: *t\ndate: 2026-11-01\n---\nТекст.\n"})
    assert ("frontmatter.alias", "content/news/n.md", 2) in codes(diagnostics_of(root))


def test_check_writes_no_cache_but_reads_it(make_site, renders):
    from conftest import cli

    root = site_with_link(make_site)
    assert cli("check", "--root", root, "--now", NOW).exit_code == 0
    assert not (root / FOLDER).exists()
    build_site(root)
    renders.clear()
    assert cli("check", "--root", root, "--now", NOW, "--jobs", "1").exit_code == 0
    assert renders == []


def test_cli_options_reach_the_build(make_site):
    from conftest import cli

    root = site_with_link(make_site)
    assert cli("build", "--root", root, "--now", NOW, "--no-cache", "--jobs", "2").exit_code == 0
    assert (root / "public/plan/index.html").is_file() and not (root / FOLDER).exists()


# ---- ICS folding: the fast fold gives icalendar's bytes --------------------------------------------

from hypothesis import given, settings
from hypothesis import strategies as st


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \\^;,:") + ["я", "ё", "€", "😀", "\u0301"]), max_size=400),
       st.integers(min_value=8, max_value=90))
def test_fast_fold_equals_icalendar(text, limit):
    from icalendar.parser.string import _foldline

    from netsite.publish.icsfold import fold

    assert fold(text, limit) == _foldline(text, limit)


def test_fast_fold_is_installed():
    import icalendar
    from icalendar.parser import content_line

    from netsite.publish import ical  # noqa: F401 - importing it installs the fold
    from netsite.publish.icsfold import fold

    assert content_line._foldline is fold
    event = icalendar.Event()
    event.add("description", "Дети рисуют осень. " * 20)
    lines = event.to_ical().split(b"\r\n")
    assert max(len(line) for line in lines) <= 75 and len(lines) > 5
    assert icalendar.Event.from_ical(event.to_ical())["description"] == "Дети рисуют осень. " * 20


def test_finish_sees_the_whole_new_site_in_its_own_folder(tmp_path):
    """With a finishing step (the search indexer) the site is swapped in whole, not updated in place."""
    from netsite.publish import output

    out, seen = tmp_path / "public", []
    output.write(files_of(a__index_html=b"A", b__index_html=b"B"), out)
    output.write(files_of(a__index_html=b"A2"), out, finish=lambda folder: seen.append((folder, tree(folder))))
    assert seen[0][0] != out and seen[0][1] == {"a/index_html": b"A2"}
    assert tree(out) == {"a/index_html": b"A2"}


# ---- warm builds: files whose inputs are unchanged are neither rendered nor written -------------

@pytest.mark.slow
def test_a_warm_build_renders_and_writes_nothing_and_an_edit_only_what_shows_it(tmp_path):
    site = generate(60, tmp_path / "bench")
    first = build_site(site)
    assert len(first.rendered) > 100
    before = {p: p.stat().st_mtime_ns for p in (site / "public").rglob("*") if p.is_file()}
    again = build_site(site)
    assert again.rendered == frozenset()
    assert before == {p: p.stat().st_mtime_ns for p in (site / "public").rglob("*") if p.is_file()}
    news = sorted((site / "content/news").glob("*.md"))[3]
    news.write_text(news.read_text(encoding="utf-8") + "\nНовый абзац.\n", encoding="utf-8")
    edited = build_site(site)
    assert 0 < len(edited.rendered) < 30 and any(p.startswith("news/") for p in edited.rendered)
    warm = tree(site / "public")
    build_site(site, cache=False)  # everything rendered again
    assert warm == tree(site / "public")


def test_a_changed_output_file_is_rendered_again(make_site):
    root = make_site({"content/news/n.md": "---\ntitle: Новость\ndate: 2026-11-01\n---\nТекст.\n"})
    build_site(root)
    page = root / "public/news/n/index.html"
    original = page.read_bytes()
    page.write_bytes(b"<p>changed by hand</p>")
    assert "news/n/index.html" in build_site(root).rendered
    assert page.read_bytes() == original


def test_records_of_one_output_folder_are_not_used_for_another(make_site):
    root = make_site({"content/news/n.md": "---\ntitle: Новость\ndate: 2026-11-01\n---\nТекст.\n"})
    build_site(root)
    config = (root / "netsite.yaml").read_text(encoding="utf-8")
    (root / "netsite.yaml").write_text(config + "output_dir: site-out\n", encoding="utf-8")
    result = build_site(root)
    assert "news/n/index.html" in result.rendered
    assert tree(root / "site-out") == tree(root / "public")


def test_forged_output_records_are_ignored(make_site, tmp_path, monkeypatch):
    root = make_site({"content/news/n.md": "---\ntitle: Новость\ndate: 2026-11-01\n---\nТекст.\n"})
    build_site(root)
    monkeypatch.setenv("NETSITE_CACHE_SECRET_FILE", str(tmp_path / "another-secret"))
    assert "news/n/index.html" in build_site(root).rendered


# ---- nothing changed: nothing to do ------------------------------------------------------------------

@pytest.fixture
def settled(monkeypatch):
    """Sources written by a test are a few ms old: take them as settled (see sources.settled)."""
    monkeypatch.setattr("netsite.content.sources.RACY_NS", 0)


def test_a_file_written_a_moment_ago_never_lets_a_build_be_skipped(make_site, monkeypatch):
    root = make_site({"content/news/n.md": "---\ntitle: Новость\ndate: 2026-11-01\n---\nТекст.\n"})
    monkeypatch.setattr("netsite.content.sources.FINE_NS", 10 ** 15)  # every file is "a moment ago"
    build_site(root)
    assert not build_site(root).skipped  # n.md's status proves nothing yet


def test_a_build_with_the_same_inputs_does_nothing_and_tells_the_same_warnings(make_site, settled):
    from conftest import cli

    root = make_site({"content/news/n.md": "---\ntitle: Новость\ndate: 2026-11-01\n---\nТекст.\n",
                      "content/news/w/index.md": "---\ntitle: С файлом\ndate: 2026-11-02\n---\nТекст.\n",
                      "content/news/w/unused.pdf": "%PDF-1.4\n"})
    first = build_site(root)
    assert not first.skipped and any(d.code == "asset.unused" for d in first.diagnostics)
    before = tree(root / "public")
    again = build_site(root)
    assert again.skipped and again.diagnostics == first.diagnostics
    assert tree(root / "public") == before
    done = cli("build", "--root", str(root), "--now", NOW)
    assert "nothing changed since the last build" in done.stderr and "asset.unused" in done.stderr



def test_a_build_with_nothing_to_do_counts_the_files_a_build_makes(make_site, settled):
    """With search on, the output also holds the search index; 'nothing changed' reported 493 files
    where the build before it had reported 416 for the example network, as if something had changed."""
    from conftest import BASE_CONFIG, cli

    root = make_site({"content/news/n.md": "---\ntitle: Новость\ndate: 2026-11-01\n---\nТекст.\n"},
                     config=BASE_CONFIG + "search: true\n")
    first = build_site(root)
    assert (root / "public/pagefind").is_dir()
    again = build_site(root)
    assert again.skipped and sorted(f.path for f in again.files) == sorted(f.path for f in first.files)
    done = cli("build", "--root", str(root), "--now", NOW, messages="ru")
    assert f"{len(first.files)} файл" in done.stderr and "ничего не изменилось" in done.stderr

@pytest.mark.parametrize("change", [
    lambda root: (root / "content/news/n.md").write_text("---\ntitle: Другая\ndate: 2026-11-01\n---\nТекст.\n",
                                                         encoding="utf-8"),
    lambda root: (root / "content/news/extra.md").write_text("---\ntitle: Ещё\ndate: 2026-11-03\n---\n",
                                                             encoding="utf-8"),
    lambda root: (root / "themes/default/templates").mkdir(parents=True) or
    (root / "themes/default/templates/404.html").write_text("{% extends 'base.html' %}", encoding="utf-8"),
    lambda root: (root / "public/news/n/index.html").write_text("changed", encoding="utf-8"),
    lambda root: (root / "public/stray.html").write_text("left here", encoding="utf-8"),
    lambda root: (root / "public/robots.txt").unlink(),
])
def test_any_change_of_input_or_output_builds_again(make_site, settled, change):
    root = make_site({"content/news/n.md": "---\ntitle: Новость\ndate: 2026-11-01\n---\nТекст.\n"})
    build_site(root)
    change(root)
    again = build_site(root)
    assert not again.skipped
    fresh = tree(root / "public")
    build_site(root, cache=False)
    assert tree(root / "public") == fresh


def test_another_clock_or_option_builds_again(make_site, settled):
    root = make_site({"content/news/n.md": "---\ntitle: Новость\ndate: 2026-11-01\n---\nТекст.\n"})
    build_site(root)
    assert not build_site(root, now="2026-11-26 12:00").skipped
    assert not build_site(root, now="2026-11-26 12:00", drafts=True).skipped
    assert build_site(root, now="2026-11-26 12:00", drafts=True).skipped


def test_a_cache_restored_into_a_fresh_checkout_builds_the_whole_new_site(make_site, tmp_path):
    """CI (examples/ci) restores .netsite-cache from an earlier commit into a checkout without public/:
    the build is the whole site of the new sources, byte for byte a build from nothing."""
    import shutil

    from bad_inputs import photo
    from conftest import write_site

    old = make_site({"content/news/a/index.md": "---\ntitle: Итоги\ndate: 2026-11-01\n---\n![Зал](zal.jpg)\n",
                     "content/news/a/zal.jpg": photo(),
                     "content/news/b.md": "---\ntitle: Другая\ndate: 2026-11-02\n---\nТекст.\n"})
    build_site(old)
    sources = {path.relative_to(old).as_posix(): path.read_bytes() for path in (old / "content").rglob("*")
               if path.is_file() and path.name != "b.md"}  # the next commit removes b.md, edits a, adds c
    sources["content/news/a/index.md"] = sources["content/news/a/index.md"].replace("Итоги".encode(), "Итоги года".encode())
    sources["content/news/c.md"] = "---\ntitle: Новая\ndate: 2026-11-03\n---\nТекст.\n".encode()
    checkout = write_site(tmp_path / "checkout", sources, (old / "netsite.yaml").read_text(encoding="utf-8"))
    shutil.copytree(old / FOLDER, checkout / FOLDER)
    assert not (checkout / "public").exists()
    warm = build_site(checkout)
    assert not warm.skipped
    fresh = write_site(tmp_path / "fresh", sources, (old / "netsite.yaml").read_text(encoding="utf-8"))
    build_site(fresh, cache=False)
    assert tree(checkout / "public") == tree(fresh / "public")
    assert not (checkout / "public/news/b").exists() and (checkout / "public/news/c/index.html").is_file()


EDITS = {
    "template": ("themes/default/templates/news/item.html", None),
    "netsite.yaml": ("netsite.yaml", lambda text: text.replace("Тестовая сеть", "Сеть детских садов")),
    "institution": ("content/institutions/solnyshko.md", lambda text: text.replace("«Солнышко»", "«Солнышко-2»")),
    "event": ("content/events/ev.md", lambda text: text.replace("10:00", "11:30")),
    "news": ("content/news/a.md", lambda text: text + "\nЕщё абзац.\n"),
}


@pytest.mark.parametrize("what", sorted(EDITS))
def test_a_warm_build_after_an_edit_equals_a_build_from_nothing(make_site, tmp_path, what):
    from netsite.publish.theme import default_theme_dir

    root = make_site({
        "content/news/a.md": "---\ntitle: Итоги\ndate: 2026-11-01\ninstitution: solnyshko\nevent: ev\n---\nТекст.\n",
        "content/news/b.md": "---\ntitle: Другая\ndate: 2026-11-02\ntags: [театр]\n---\nТекст.\n",
        "content/events/ev.md": "---\ntitle: Семинар\nstart: \"2026-12-03 10:00\"\norganizers: [solnyshko]\n---\n",
        "content/practices/p.md": "---\ntitle: Практика\ndate: 2026-10-01\ninstitution: solnyshko\n---\nОпыт.\n"})
    build_site(root)
    path, change = EDITS[what]
    target = root / path
    if change is None:
        target.parent.mkdir(parents=True, exist_ok=True)
        text = (default_theme_dir() / "templates/news/item.html").read_text(encoding="utf-8")
        target.write_text(text.replace("<article", "<article data-own", 1), encoding="utf-8")
    else:
        target.write_text(change(target.read_text(encoding="utf-8")), encoding="utf-8")
    warm = build_site(root)
    assert not warm.skipped and warm.rendered
    kept = tree(root / "public")
    build_site(root, cache=False)
    assert kept == tree(root / "public")
    if what in ("template", "news"):  # only what shows it
        assert "practices/p/index.html" not in warm.rendered
