"""Tag, audience, age-group and area pages are paginated like the news list."""

from __future__ import annotations

import re

import feedparser
import pytest

from netsite.publish import cyclepages

from conftest import build_site

CONFIG = "title: Т\nbase_url: https://x.org/net/\ntimezone: Europe/Moscow\npaginate: 5\n"
NEWS = ("---\ntitle: Новость {n}\ndate: 2026-10-{n:02d}\ninstitution: solnyshko\ntags: [экология]\n"
        "audience: [parents]\n---\nТекст.\n")
PRACTICE = ("---\ntitle: Практика {n}\ndate: 2026-09-{n:02d}\ninstitution: solnyshko\nage_groups: [senior]\n"
            "areas: [speech]\naudience: [parents]\n---\nТекст.\n")
EVENT = ("---\ntitle: Событие {n}\nstart: \"{day} 10:00\"\norganizers: [solnyshko]\naudience: [parents]\n"
         "---\nТекст.\n")


def term_site(make_site, news=12, practices=7, events=()):
    files = {f"content/news/2026-10-{n:02d}-novost-{n}.md": NEWS.format(n=n) for n in range(1, news + 1)}
    files |= {f"content/practices/2026-09-{n:02d}-praktika-{n}.md": PRACTICE.format(n=n)
              for n in range(1, practices + 1)}
    files |= {f"content/events/sobytie-{n}.md": EVENT.format(n=n, day=day) for n, day in enumerate(events, 1)}
    return make_site(files, config=CONFIG)


def read(root, path):
    return (root / "public" / path / "index.html").read_text(encoding="utf-8")


def titles(html, word):
    return re.findall(rf">({word} \d+)<", html)


def test_tag_page_two_holds_the_rest_and_the_first_url_is_unchanged(make_site):
    root = term_site(make_site)
    build_site(root)
    first, second, third = (read(root, f"tags/ekologiya/{p}") for p in ("", "page/2/", "page/3/"))
    assert titles(first, "Новость") == [f"Новость {n}" for n in (12, 11, 10, 9, 8)]  # newest first
    assert titles(second, "Новость") == [f"Новость {n}" for n in (7, 6, 5, 4, 3)]
    assert titles(third, "Новость") == ["Новость 2", "Новость 1"]
    assert not (root / "public/tags/ekologiya/page/4").exists()
    assert not (root / "public/tags/ekologiya/page/1").exists()  # page 1 is the term's own URL
    assert "12 материалов" in first and "12 материалов" in third  # the count is the term's, not the page's
    assert "· Страница 2 —" in second and "· Страница" not in first.split("</title>")[0]


def test_links_between_term_pages_follow_a_sub_path_base_url(make_site):
    root = term_site(make_site)
    build_site(root)
    first, second, third = (read(root, f"tags/ekologiya/{p}") for p in ("", "page/2/", "page/3/"))
    assert 'rel="next" href="/net/tags/ekologiya/page/2/"' in first and 'rel="prev"' not in first
    assert 'rel="prev" href="/net/tags/ekologiya/"' in second
    assert 'rel="next" href="/net/tags/ekologiya/page/3/"' in second
    assert 'rel="prev" href="/net/tags/ekologiya/page/2/"' in third and 'rel="next"' not in third
    for html in (first, second, third):
        for url in re.findall(r'rel="(?:prev|next)" href="/net/([^"]+)"', html):
            assert (root / "public" / url / "index.html").is_file(), url


@pytest.mark.parametrize("path, pages", [("tags/ekologiya/", 3), ("age-groups/senior/", 2),
                                         ("areas/speech/", 2), ("audiences/parents/", 4)])
def test_sitemap_lists_every_page_of_a_term(make_site, path, pages):
    root = term_site(make_site)
    build_site(root)
    locs = set(re.findall(r"<loc>([^<]+)</loc>", (root / "public/sitemap.xml").read_text(encoding="utf-8")))
    expected = {f"https://x.org/net/{path}"} | {f"https://x.org/net/{path}page/{n}/" for n in range(2, pages + 1)}
    listed = {loc for loc in locs if loc.startswith(f"https://x.org/net/{path}")}
    assert listed == expected


def test_a_small_term_has_one_page_and_no_pager(make_site):
    root = term_site(make_site, news=3, practices=2)
    build_site(root)
    html = read(root, "tags/ekologiya/")
    assert titles(html, "Новость") == ["Новость 3", "Новость 2", "Новость 1"]
    assert 'class="pager"' not in html
    assert not (root / "public/tags/ekologiya/page").exists()


def test_audience_pages_start_with_upcoming_events_and_show_every_entry_once(make_site):
    events = ("2026-12-10", "2026-12-01", "2026-11-20", "2026-11-01")  # now is 2026-11-25
    root = term_site(make_site, news=6, practices=3, events=events)
    build_site(root)
    pages = [read(root, "audiences/parents/" + (f"page/{n}/" if n > 1 else "")) for n in (1, 2, 3)]
    assert not (root / "public/audiences/parents/page/4").exists()
    first = pages[0]
    assert titles(first, "Событие") == ["Событие 2", "Событие 1"]  # soonest first
    assert first.index('id="aud-upcoming_events"') < first.index('id="aud-news"')
    assert titles(first, "Новость") == ["Новость 6", "Новость 5", "Новость 4"]
    shown = [t for html in pages for t in re.findall(r">((?:Новость|Практика|Событие) \d+)<", html)]
    assert len(shown) == len(set(shown)) == 13
    last = pages[2]
    assert 'id="aud-past_events"' in last and titles(last, "Событие") == ["Событие 3", "Событие 4"]
    assert 'rel="prev" href="/net/audiences/parents/page/2/"' in last
    for html in pages:  # every page keeps the subscription links
        assert 'href="/net/audiences/parents/rss.xml"' in html


def test_term_feeds_keep_every_entry(make_site):
    root = term_site(make_site)
    build_site(root)
    feed = feedparser.parse((root / "public/tags/ekologiya/rss.xml").read_bytes())
    assert len(feed.entries) == 12


def test_audience_sections_still_takes_a_whole_term(make_site):
    """A site theme written before pagination calls audience_sections(term): it gets every entry."""
    root = term_site(make_site, news=6, practices=3, events=("2026-12-10", "2026-11-01"))
    site = build_site(root).site
    term = next(t for t in site.terms["audience"] if t.id == "parents")
    sections = dict(cyclepages.audience_sections(term, site))
    assert [len(sections[k]) for k in ("upcoming_events", "news", "practices", "past_events")] == [1, 6, 3, 1]


def test_a_rebuild_after_an_edit_adds_the_second_page_like_a_full_build(make_site):
    from test_incremental import edit_and_compare

    root = term_site(make_site, news=5, practices=2)
    path = "content/practices/2026-09-01-praktika-1.md"
    rendered, pages = edit_and_compare(root, path, PRACTICE.format(n=1).replace("areas:", "tags: [экология]\nareas:"))
    assert {"tags/ekologiya/index.html", "tags/ekologiya/page/2/index.html"} <= rendered <= pages


def test_editing_an_entry_renders_only_the_page_of_its_term_that_shows_it(make_site):
    from netsite import build
    from netsite.server import incremental

    from conftest import NOW

    files = {f"content/news/n{i:02}.md": f"---\ntitle: Новость {i}\ndate: 2026-10-{i + 1:02}\ntags: [театр]\n---\nТекст {i}.\n"
             for i in range(25)}
    root = make_site(files)
    options = build.Options(now=NOW, jobs=1)
    state = incremental.start(root, options)
    term_pages = {p for p in state.rendered if p.startswith("tags/teatr/") and p.endswith(".html")}
    assert len(term_pages) >= 2
    (root / "content/news/n24.md").write_text(files["content/news/n24.md"] + "Ещё.\n", encoding="utf-8")
    after = incremental.rebuild(state)
    assert {f.path: f.data for f in after.result.files} == {f.path: f.data for f in build.run(root, options).files}
    assert after.rendered & term_pages == {"tags/teatr/index.html"}  # the newest item is on the first page
