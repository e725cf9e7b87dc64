"""`netsite build --relative`: the built site opened from disk (file://) in Chromium works as served."""

from __future__ import annotations

import re

import pytest

from netsite.publish.relative import relative_url

from conftest import BASE_CONFIG, build_site, cli, new_context

NEWS = ("---\ntitle: Праздник осени в детском саду «Солнышко» и в его филиале на улице Ленина\n"
        "date: 2026-11-20\ninstitution: solnyshko\n---\n![Дети на празднике](foto.jpg)\n\n"
        "[О сети](../../pages/o-seti.md)\n")
PAGE = "---\ntitle: О сети\nmenu: 1\n---\nСеть детских садов.\n"


@pytest.mark.parametrize(("url", "page", "base", "expected"), [
    ("/", "index.html", "/", "index.html"),
    ("/news/x/", "index.html", "/", "news/x/index.html"),
    ("/news/x/#top", "news/y/index.html", "/", "../../news/x/index.html#top"),
    ("/search/?q=ёж", "news/index.html", "/", "../search/index.html?q=ёж"),
    ("/static/css/site.css", "404.html", "/", "static/css/site.css"),
    ("/net/news/", "news/x/index.html", "/net/", "../../news/index.html"),
    ("/other/", "index.html", "/net/", "/other/"),
    ("https://example.org/a/", "index.html", "/", "https://example.org/a/"),
    ("//cdn.example.org/a.js", "index.html", "/", "//cdn.example.org/a.js"),
    ("#content", "news/index.html", "/", "#content"),
    ("mailto:a@b.ru", "index.html", "/", "mailto:a@b.ru"),
])
def test_relative_url(url, page, base, expected):
    assert relative_url(url, page, base) == expected


@pytest.mark.parametrize(("url", "page", "expected"), [
    ("/pagefind/", "search/index.html", "../pagefind/"),
    ("/pagefind/", "index.html", "pagefind/"),
    ("/", "index.html", "./"),
])
def test_a_folder_address_stays_a_folder(url, page, expected):
    """Search.js appends file names to data-bundle: '../pagefind/index.html' + 'pagefind.js' fetched nothing."""
    assert relative_url(url, page, "/", folder=True) == expected


def relative_site(make_site, config=BASE_CONFIG):
    from bad_inputs import photo

    return make_site({"content/news/2026-11-20-prazdnik/index.md": NEWS,
                      "content/news/2026-11-20-prazdnik/foto.jpg": photo(),
                      "content/pages/o-seti.md": PAGE}, config=config)


@pytest.mark.parametrize("base", ["https://x.org/", "https://x.org/net/"])
def test_no_page_links_from_the_root_and_feeds_stay_absolute(make_site, base):
    root = relative_site(make_site, BASE_CONFIG.replace("https://net.example.org/", base))
    assert base in BASE_CONFIG.replace("https://net.example.org/", base)
    build_site(root, relative=True)
    public = root / "public"
    pages = list(public.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        rooted = re.findall(r'\s(?:href|src|srcset|action|data-index|data-bundle)="(/[^/][^"]*)"',
                            path.read_text(encoding="utf-8"))
        assert rooted == [], path
    assert 'href="../../o-seti/index.html"' in (public / "news/prazdnik/index.html").read_text(encoding="utf-8")
    assert f"{base}news/prazdnik/" in (public / "rss.xml").read_text(encoding="utf-8")


def test_a_later_build_without_relative_links_from_the_root_again(make_site):
    root = relative_site(make_site)
    build_site(root, relative=True)
    build_site(root)
    assert 'href="/o-seti/"' in (root / "public/news/prazdnik/index.html").read_text(encoding="utf-8")
    build_site(root, relative=True)
    assert 'href="../../o-seti/index.html"' in (root / "public/news/prazdnik/index.html").read_text(encoding="utf-8")


def test_the_command_line_takes_relative(make_site):
    root = relative_site(make_site)
    result = cli("build", "--root", str(root), "--now", "2026-11-25 12:00", "--relative")
    assert result.exit_code == 0, result.output
    assert 'href="static/css/site.css"' in (root / "public/index.html").read_text(encoding="utf-8")


@pytest.mark.browser
def test_opened_from_disk_the_site_is_styled_and_its_links_and_photos_work(make_site, chromium):
    from playwright.sync_api import expect

    root = relative_site(make_site)
    build_site(root, relative=True)
    home = (root / "public/index.html").as_uri()
    failed: list[str] = []
    context = new_context(chromium, viewport={"width": 375, "height": 740})
    try:
        page = context.new_page()
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.goto(home)
        # the theme's stylesheet applies: the page's font is not the browser's default serif
        assert page.evaluate("getComputedStyle(document.body).fontFamily") != "serif"
        assert page.evaluate("[...document.querySelectorAll('link[rel=stylesheet]')].every(l => l.sheet !== null)")
        page.click(".menu-button")  # a phone: the menu opens from its button (issue 14)
        page.click(".site-nav a[href='news/index.html']")
        page.wait_for_url("**/public/news/index.html")
        page.click("a[href='../news/prazdnik/index.html']")
        page.wait_for_url("**/public/news/prazdnik/index.html")
        # a click waits for the new page to commit, not for its photos: wait until every image has
        # finished (loaded or failed), then require that each one decoded (CI saw a photo mid-load)
        page.wait_for_function("[...document.images].every(i => i.complete)")
        assert page.evaluate("[...document.images].every(i => i.naturalWidth > 0)")
        assert page.evaluate("document.images.length") >= 1
        page.click("main a[href='../../o-seti/index.html']")
        expect(page.locator("h1")).to_have_text("О сети")
    finally:
        context.close()
    assert failed == []


@pytest.mark.browser
def test_search_of_a_relative_build_finds_when_served_and_says_why_not_from_disk(make_site, chromium):
    from playwright.sync_api import expect
    from test_reader_browser import serving

    root = relative_site(make_site)
    build_site(root, relative=True)
    search = root / "public/search/index.html"
    assert 'data-bundle="../pagefind/"' in search.read_text(encoding="utf-8")
    context = new_context(chromium, viewport={"width": 375, "height": 740})
    try:
        page = context.new_page()
        with serving(root / "public") as origin:  # a plain server, as a share or a USB web server would be
            page.goto(origin + "/search/index.html?q=праздник")
            expect(page.locator(".pagefind-ui__result-link").first).to_contain_text("Праздник осени")
        page.goto(search.as_uri() + "?q=праздник")  # from disk: no fetch of the index is possible
        expect(page.locator("#search-from-disk")).to_be_visible()
        expect(page.locator("#search-from-disk")).to_contain_text("открыт из интернета или с сервера")
        page.click("#search-from-disk a[href='../news/index.html']")
        page.wait_for_url("**/public/news/index.html")
    finally:
        context.close()
