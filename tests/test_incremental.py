"""Incremental rebuilds: the output equals a full build's, and fewer pages are rendered."""

from __future__ import annotations

import pytest

from netsite import build
from netsite.server import incremental

from conftest import BASE_CONFIG, NOW


@pytest.fixture(autouse=True)
def cache_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("NETSITE_CACHE_SECRET_FILE", str(tmp_path / "secret"))


def news(slug: str, extra: str = "") -> str:
    return f"---\ntitle: Новость {slug}\ndate: 2026-11-0{len(slug)}\ninstitution: solnyshko\n{extra}---\nТекст {slug}.\n"


def event(slug: str) -> str:
    return f'---\ntitle: Событие {slug}\nstart: "2026-12-0{len(slug)} 10:00"\norganizers: [solnyshko]\n---\nО событии.\n'


FILES = {
    "content/news/a.md": news("a", "event: ev\n"),
    "content/news/bb.md": news("bb"),
    "content/news/ccc.md": news("ccc", "tags: [театр]\n"),
    "content/events/ev.md": event("ev"),
    "content/events/other.md": event("other"),
    "content/practices/2026-10-01-p.md": "---\ntitle: Практика\ndate: 2026-10-01\ninstitution: solnyshko\n---\nОпыт.\n",
    "content/pages/about.md": "---\ntitle: О сети\nmenu: 1\n---\nО нас.\n",
}
OPTIONS = build.Options(now=NOW, jobs=1)


def edit_and_compare(root, path: str, text: str):
    """Start, edit one file, rebuild; the result must equal a full build's.

    Returns the HTML pages rendered again and all HTML pages; checks that every file whose bytes
    changed was rendered again (the reverse is what the tests below pin down case by case).
    """
    state = incremental.start(root, OPTIONS)
    before = {f.path: f.data for f in state.result.files}
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text, encoding="utf-8")
    after = incremental.rebuild(state)
    full = build.run(root, OPTIONS)
    assert {f.path: (f.data, f.source) for f in after.result.files} == \
        {f.path: (f.data, f.source) for f in full.files}
    changed = {f.path for f in full.files if f.source is None and before.get(f.path) != f.data}
    generated = {f.path for f in full.files if f.source is None}
    assert changed - {"sitemap.xml", "robots.txt", "catalogue.json"} <= after.rendered | set(
        p for p in generated if not p.endswith((".html", ".xml", ".ics")))
    return {p for p in after.rendered if p.endswith(".html")}, {f.path for f in full.files if f.path.endswith(".html")}


def test_editing_a_news_item_renders_its_page_and_the_lists_not_the_other_items(make_site):
    root = make_site(FILES)
    rendered, pages = edit_and_compare(root, "content/news/bb.md", news("bb", "tags: [театр]\n") + "Ещё.\n")
    assert "news/bb/index.html" in rendered and "news/index.html" in rendered
    assert "tags/teatr/index.html" in rendered and "index.html" in rendered
    assert not rendered & {"news/a/index.html", "news/ccc/index.html", "events/ev/index.html",
                           "events/other/index.html", "practices/p/index.html"}
    assert len(rendered) < len(pages)


def test_a_news_item_reporting_on_an_event_renders_the_event_page(make_site):
    root = make_site(FILES)
    rendered, _ = edit_and_compare(root, "content/news/a.md", news("a", "event: ev\n").replace("Новость a", "Итоги"))
    assert {"news/a/index.html", "events/ev/index.html"} <= rendered
    assert "events/other/index.html" not in rendered


def test_moving_a_report_to_another_event_renders_both_events(make_site):
    root = make_site(FILES)
    rendered, _ = edit_and_compare(root, "content/news/a.md", news("a", "event: other\n"))
    assert {"events/ev/index.html", "events/other/index.html"} <= rendered


def test_editing_an_event_renders_it_and_the_news_reporting_on_it(make_site):
    root = make_site(FILES)
    rendered, _ = edit_and_compare(root, "content/events/ev.md", event("ev").replace("Событие ev", "Семинар"))
    assert {"events/ev/index.html", "news/a/index.html", "calendar.ics"} - {"calendar.ics"} <= rendered
    assert not rendered & {"news/bb/index.html", "events/other/index.html"}


@pytest.mark.parametrize("path, change", [
    ("netsite.yaml", lambda text: text.replace("Тестовая сеть", "Сеть детских садов")),
    ("content/pages/about.md", lambda text: text.replace("О сети", "О нашей сети")),  # in the menu
])
def test_what_every_page_shows_renders_everything(make_site, path, change):
    root = make_site(FILES)
    rendered, pages = edit_and_compare(root, path, change((root / path).read_text(encoding="utf-8")))
    assert rendered == pages


def own_template(name: str) -> str:
    from netsite.publish.theme import default_theme_dir

    text = (default_theme_dir() / "templates" / name).read_text(encoding="utf-8")
    assert "<article" in text or "<main" in text
    return text.replace("<article", "<article data-own-theme", 1).replace("<main", "<main data-own-theme", 1)


def test_a_template_renders_exactly_the_pages_made_with_it(make_site):
    root = make_site(FILES)
    rendered, _ = edit_and_compare(root, "themes/default/templates/news/item.html", own_template("news/item.html"))
    assert rendered == {"news/a/index.html", "news/bb/index.html", "news/ccc/index.html"}


def test_a_template_every_page_extends_renders_everything(make_site):
    root = make_site(FILES)
    rendered, pages = edit_and_compare(root, "themes/default/templates/base.html", own_template("base.html"))
    assert rendered == pages


@pytest.mark.parametrize("name", ["partials/footer.html", "partials/menu.html", "partials/vi_panel.html"])
def test_a_part_rendered_once_per_build_renders_every_page_when_edited(make_site, name):
    """{{ fragment(...) }} names its template for the pages' records as an include does."""
    from netsite.publish.theme import default_theme_dir

    root = make_site(FILES)
    text = (default_theme_dir() / "templates" / name).read_text(encoding="utf-8")
    rendered, pages = edit_and_compare(root, f"themes/default/templates/{name}", text.replace(
        "<nav", '<nav data-own-theme', 1).replace("<section", '<section data-own-theme', 1))
    assert rendered == pages


def test_an_institution_renders_the_pages_that_show_it(make_site):
    root = make_site({**FILES, "content/institutions/shkola.md": "---\ntitle: Школа № 5\nkind: school\n---\n",
                      "content/news/eeeee.md": news("eeeee").replace("solnyshko", "shkola")})
    rendered, pages = edit_and_compare(root, "content/institutions/shkola.md",
                                       "---\ntitle: Школа № 7\nkind: school\n---\nНовое описание.\n")
    assert {"institutions/shkola/index.html", "institutions/index.html", "news/eeeee/index.html",
            "index.html"} <= rendered
    assert not rendered & {"news/a/index.html", "events/ev/index.html", "practices/p/index.html",
                           "institutions/solnyshko/index.html", "404.html"}


def test_an_event_renders_its_pages_lists_and_calendars_only(make_site):
    root = make_site(FILES)
    state = incremental.start(root, OPTIONS)
    (root / "content/events/other.md").write_text(event("other").replace("10:00", "11:00"), encoding="utf-8")
    after = incremental.rebuild(state)
    assert {f.path: f.data for f in after.result.files} == {f.path: f.data for f in build.run(root, OPTIONS).files}
    assert {"events/other/index.html", "events/other/event.ics", "calendar.ics", "events/index.html"} <= after.rendered
    assert not after.rendered & {"news/a/index.html", "news/bb/index.html", "events/ev/index.html",
                                 "events/ev/event.ics", "news/rss.xml", "practices/p/index.html"}


def test_a_stylesheet_renders_no_page(make_site):
    root = make_site(FILES)
    rendered, _ = edit_and_compare(root, "themes/default/static/css/site.css", "body { color: black }\n")
    assert rendered == set()


def test_nothing_changed_renders_only_the_shared_pages(make_site):
    root = make_site(FILES)
    state = incremental.start(root, OPTIONS)
    again = incremental.rebuild(state)
    assert again.result.files == state.result.files
    assert not any(path.startswith(("news/a/", "news/bb/", "events/ev/", "practices/p/")) for path in again.rendered)


def test_adding_an_entry_renders_the_lists_it_joins(make_site):
    root = make_site(FILES)
    rendered, _ = edit_and_compare(root, "content/news/dddd.md", news("dddd"))
    assert {"news/dddd/index.html", "news/index.html", "index.html"} <= rendered
    assert not rendered & {"news/a/index.html", "events/ev/index.html", "practices/p/index.html"}


def test_removing_an_entry_leaves_no_trace_of_it(make_site):
    root = make_site(FILES)
    state = incremental.start(root, OPTIONS)
    (root / "content/news/bb.md").unlink()
    after = incremental.rebuild(state)
    assert {f.path: f.data for f in after.result.files} == {f.path: f.data for f in build.run(root, OPTIONS).files}
    assert not any(f.path.startswith("news/bb/") for f in after.result.files)


def test_stepper_builds_then_rebuilds_and_survives_a_failed_edit(make_site):
    from netsite.diagnostics import NetsiteError

    root = make_site(FILES)
    step = incremental.Stepper()
    first = step(root, OPTIONS)
    (root / "content/news/bb.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    with pytest.raises(NetsiteError):
        step(root, OPTIONS)
    assert step.state.result is first
    (root / "content/news/bb.md").write_text(news("bb") + "Исправлено.\n", encoding="utf-8")
    again = step(root, OPTIONS)
    assert {f.path: f.data for f in again.files} == {f.path: f.data for f in build.run(root, OPTIONS).files}
    assert "news/a/index.html" not in step.state.rendered


def test_a_replaced_photo_is_processed_again(make_site):
    import io

    from PIL import Image

    def jpeg(width: int) -> bytes:
        buffer = io.BytesIO()
        Image.new("RGB", (width, width // 2), (200, 120, 40)).save(buffer, "JPEG")
        return buffer.getvalue()

    root = make_site({**FILES, "content/news/photo/index.md": news("photo", "image: p.jpg\n") + "![Фото](p.jpg)\n"})
    (root / "content/news/photo/p.jpg").write_bytes(jpeg(1600))
    state = incremental.start(root, OPTIONS)
    (root / "content/news/photo/p.jpg").write_bytes(jpeg(900))
    after = incremental.rebuild(state)
    full = build.run(root, OPTIONS)
    assert {f.path: (f.data, f.source) for f in after.result.files} == {f.path: (f.data, f.source) for f in full.files}
    assert "news/photo/index.html" in after.rendered and "news/a/index.html" not in after.rendered


def test_a_file_written_again_within_its_clock_tick_is_read_again(make_site):
    """Two same-size writes in one tick of the file system's clock leave the same status: a file
    read right after its last write is read again next time; an older one is trusted."""
    from netsite.content import sources

    root = make_site(FILES)
    path = root / "content/news/bb.md"
    known: dict = {}
    sources.read_all(root, known=known)
    path.write_text(news("bb").replace("Новость bb", "Новость BB"), encoding="utf-8")  # same size
    info = path.stat()
    status = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    old = known[path][2]
    known[path] = (status, info.st_mtime_ns + 1_000_000, old)  # read 1 ms after the write: racy
    documents, _ = sources.read_all(root, known=known)
    assert "Новость BB" in next(d for d in documents if d.path == path).text
    known[path] = (status, info.st_mtime_ns + sources.RACY_NS, old)  # read long after: trusted
    documents, _ = sources.read_all(root, known=known)
    assert next(d for d in documents if d.path == path) is old


def test_a_theme_showing_a_feeds_entries_is_rendered_again_when_they_change(make_site):
    from netsite.publish.theme import default_theme_dir

    base = (default_theme_dir() / "templates/base.html").read_text(encoding="utf-8")
    own = base.replace('{% for feed in feeds(page_path) %}',
                       '{% for feed in feeds(page_path) %}<meta name="latest" content="{{ feed.entries[0].title }}">', 1)
    assert own != base
    root = make_site({**FILES, "themes/default/templates/base.html": own})
    rendered, _ = edit_and_compare(root, "content/news/bb.md", news("bb").replace("date: 2026-11-02", "date: 2026-11-20"))
    assert "404.html" in rendered  # every page shows the newest item of the site feed


@pytest.mark.slow
def test_an_event_in_a_new_year_widens_every_calendars_time_zone(make_site):
    root = make_site(FILES)
    later = event("late").replace("2026-12-04", "2029-06-04")
    assert "2029" in later
    rendered, _ = edit_and_compare(root, "content/events/late.md", later)  # equal to a full build
    state = incremental.start(root, OPTIONS)
    assert state.result  # and the calendars of the other events were made again:
    (root / "content/events/late.md").unlink()
    after = incremental.rebuild(state)
    assert "events/ev/event.ics" in after.rendered


SERIES_CONFIG = BASE_CONFIG + "paginate: 2\nsearch: false\n"
SERIES_FILES = {
    **FILES,
    "content/institutions/romashka.md": "---\ntitle: Детский сад «Ромашка»\naddress: ул. Лесная, 2\n---\nО саде.\n",
    "content/news/dddd.md": news("dddd", "tags: [театр, музыка]\naudience: [parents]\n"),
    "content/news/eeeee.md": news("eeeee", "audience: [parents]\n").replace("solnyshko", "romashka"),
    "content/events/third.md": event("third").replace("solnyshko", "romashka"),
}
SERIES = [
    # what the reverse index (rebuild/readers.py) could miss, one save after another
    ("content/news/bb.md", news("bb") + "Дописано.\n"),                           # body only
    ("content/news/bb.md", news("bb", "tags: [театр]\n")),                         # joins a term
    ("content/news/ccc.md", news("ccc")),                                         # leaves it: term pages shrink
    ("content/news/a.md", news("a", "event: ev\n").replace("2026-11-01", "2026-11-09")),  # moves across list pages
    ("content/institutions/romashka.md", "---\ntitle: Сад «Ромашка»\n---\nО саде.\n"),  # a name shown elsewhere
    ("content/events/other.md", event("other").replace("2026-12-05", "2026-10-05")),  # upcoming → past
    ("content/news/ffffff.md", news("ffffff", "tags: [новое]\naudience: [teachers]\n")),  # a new term, audience
    ("content/news/dddd.md", None),                                               # deleted
    ("content/news/eeeee.md", news("eeeee", "draft: true\n")),                    # withdrawn as a draft
    ("content/news/bb.md", "---\ntitle: [\n---\n"),                                # broken: the build fails
    ("content/news/bb.md", news("bb", "audience: [teachers]\n")),                  # mended
    ("content/pages/about.md", "---\ntitle: О нашей сети\nmenu: 2\n---\nО нас.\n"),  # the menu of every page
    ("content/news/ffffff.md", news("ffffff")),                                   # the new term goes away
]


def test_a_series_of_saves_each_equals_a_full_build(make_site):
    """One serve, many saves: after each, the output is a full build's (the index kept between the
    saves never goes stale), and a failed build leaves the next one right."""
    from netsite.diagnostics import NetsiteError

    root = make_site(SERIES_FILES, SERIES_CONFIG)
    step = incremental.Stepper()
    step(root, OPTIONS)
    for path, text in SERIES:
        target = root / path
        if text is None:
            target.unlink()
        else:
            target.write_text(text, encoding="utf-8")
        try:
            result = step(root, OPTIONS)
        except NetsiteError:
            assert "title: [" in (text or ""), path
            continue
        full = build.run(root, OPTIONS)
        assert {f.path: (f.data, f.source) for f in result.files} == \
            {f.path: (f.data, f.source) for f in full.files}, (path, text)
    assert "news/a/index.html" not in step.state.rendered  # the last save renders little


def test_a_rebuild_keeps_the_parts_of_the_site_a_save_did_not_change(make_site):
    """Incremental assembly (readers.keep_same): what a save did not change is the last build's
    very objects, so that the reverse index skips it; what it changed is new."""
    root = make_site(SERIES_FILES, SERIES_CONFIG)
    state = incremental.start(root, OPTIONS)
    before = state.result.site
    (root / "content/news/bb.md").write_text(news("bb") + "Дописано.\n", encoding="utf-8")
    after = incremental.rebuild(state).result.site
    assert after.institutions is before.institutions and after.events is before.events
    assert after.by_slug["institutions"] is before.by_slug["institutions"]
    music = [t for t in after.terms["tags"] if t.id == "muzyka"]
    assert music and music[0] is [t for t in before.terms["tags"] if t.id == "muzyka"][0]
    changed = [e for e in after.news if e.slug == "bb"][0]
    assert changed is not [e for e in before.news if e.slug == "bb"][0] and "Дописано" in changed.body
    assert after.news is not before.news
    assert [e.slug for e in after.news] == [e.slug for e in before.news]


def test_keep_same_compares_entries_by_identity_and_plain_values_exactly():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from netsite.content.models import Term
    from netsite.rebuild.readers import keep_same

    old = (Term("tags", "a", "А", "/tags/a/"), {"x": (1, "s")}, 0.0, datetime(2026, 1, 1, tzinfo=UTC))
    new = (Term("tags", "a", "А", "/tags/a/"), {"x": (1, "s")}, -0.0, datetime(2026, 1, 1, tzinfo=UTC))
    kept = keep_same(old, new)
    assert kept is not old and kept[0] is old[0] and kept[1] is old[1]
    assert kept[2] is new[2] and kept[3] is old[3]  # 0.0 == -0.0 are not the same; the same moment is
    pair = old[:2]
    assert keep_same(pair, new[:2]) is pair
    assert keep_same(old[0], Term("tags", "a", "А", "/tags/a/")) is old[0]
    assert keep_same(old[0], Term("tags", "a", "Б", "/tags/a/")).label == "Б"
    moscow = ZoneInfo("Europe/Moscow")
    moment = datetime(2026, 1, 1, 15, tzinfo=moscow)
    assert keep_same(moment, datetime(2026, 1, 1, 15, tzinfo=moscow)) is moment
    assert keep_same(moment, moment.astimezone(UTC)) is not moment  # the same instant, shown otherwise
