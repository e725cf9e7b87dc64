"""Phone-first reading (issue 14), in Debian's Chromium driven by Playwright at 375 and 1280 px.

An unseen network of its own: a long site title, a page with a long title and a `menu_title`,
no agreements, meetings, plans, projects or practices. Checked: the menu opens from one button
(also without JavaScript), every page's <h1> starts in the first 215 px of a 375×667 screen under
the four-line title (170 px on the example), the header is the title then one row of 44 px controls, no
sideways scroll, no menu or footer link to an empty section, the visually-impaired panel opens only
when asked and grows with the text, chart text is at least 11 px as drawn, axe finds nothing serious
and the Nu checker no error.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_reader_browser import AXE, serving
from test_reader_html import run_vnu

from conftest import INSTITUTION, build_site, new_context, write_site

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}
CONFIG = """\
title: Муниципальная сеть дошкольных образовательных организаций и социальных партнёров Северо-Восточного округа г. Нижнекамска
base_url: https://sever.example.org/
timezone: Asia/Yekaterinburg
"""
FILES = {
    "content/institutions/solnyshko.md": INSTITUTION,
    "content/institutions/rodnichok.md": "---\ntitle: МАДОУ «Детский сад комбинированного вида № 112 «Родничок»»\n"
                                         "short_name: Детский сад № 112\nkind: kindergarten\n---\nТекст.\n",
    "content/pages/plan.md": "---\ntitle: План совместной работы на 2026/2027 учебный год с родителями и партнёрами\n"
                             "menu: 1\nmenu_title: План работы\n---\nПлан совместной работы.\n",
    "content/pages/kontakty.md": "---\ntitle: Контакты\nmenu: 2\n---\nТелефон.\n",
    "content/news/2026-11-02-novost.md": "---\ntitle: \"Трансформируемость развивающей предметно-пространственной "
                                         "среды группы: итоги сетевого семинара-практикума воспитателей\"\n"
                                         "date: 2026-11-02\ninstitutions: [solnyshko]\n---\nТекст новости.\n",
    "content/events/seminar.md": "---\ntitle: Семинар-практикум для воспитателей старших и подготовительных групп\n"
                                 "start: 2026-12-10 10:00\nend: 2026-12-10 12:00\norganizers: [rodnichok]\n"
                                 "audience: [teachers]\n---\nСеминар.\n",
}
PAGES = {"home": "/", "news list": "/news/", "news": "/news/novost/", "events": "/events/",
         "event": "/events/seminar/", "calendar": "/calendar/", "institutions": "/institutions/",
         "institution": "/institutions/rodnichok/", "page": "/plan/", "search": "/search/", "404": "/404.html",
         "monitoring": "/monitoring/", "audience": "/audiences/teachers/"}
EMPTY = "Здесь пока ничего нет"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("phone") / "site", FILES, CONFIG)
    build_site(root)
    return root / "public"


@pytest.fixture(scope="module")
def origin(site):
    with serving(site) as url:
        yield url


@pytest.fixture(scope="module")
def example_origin(example_site):
    with serving(example_site / "public") as url:
        yield url


@pytest.fixture
def tab(chromium):
    contexts = []

    def make(viewport=PHONE, **options):
        contexts.append(new_context(chromium, viewport=viewport, **options))
        return contexts[-1].new_page()
    yield make
    for context in contexts:
        context.close()


def h1_top(page) -> float:
    return page.evaluate("document.querySelector('h1').getBoundingClientRect().top + window.scrollY")


def smallest_text(page) -> float:
    """The smallest text drawn, in CSS px: HTML by its computed size, SVG by its size on the screen."""
    return page.evaluate("""() => {
      let least = Infinity;
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!node.textContent.trim() || !el.getClientRects().length || el.closest('.visually-hidden')) continue;
        let size = parseFloat(getComputedStyle(el).fontSize);
        const svg = el.closest('svg');
        if (svg) size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        least = Math.min(least, size);
      }
      return least;
    }""")


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_first_screen_of_a_phone_shows_the_heading_and_nothing_scrolls_sideways(tab, origin, name):
    page = tab()
    page.goto(origin + PAGES[name])
    assert h1_top(page) <= 215, name  # under a four-line network title: 180-202 px; 320 before the one-row header
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert smallest_text(page) >= 11


EXAMPLE_PAGES = {"home": "/", "news": "/news/itogi-festivalya/", "events": "/events/"}
CONTROLS = (".search-link", ".vi-toggle", ".menu-button")


@pytest.mark.parametrize("name", sorted(EXAMPLE_PAGES))
def test_on_the_example_the_heading_starts_in_the_top_quarter_of_a_phone(tab, example_origin, name):
    # 375×740: the example's two-line title, one row of controls; the heading was at 245-267 px.
    page = tab({"width": 375, "height": 740})
    page.goto(example_origin + EXAMPLE_PAGES[name])
    assert h1_top(page) <= 170, name


def boxes(page, selectors) -> dict[str, dict]:
    return {selector: page.locator(selector).bounding_box() for selector in selectors
            if page.locator(selector).is_visible()}


def overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] - 0.5 and b["x"] < a["x"] + a["width"] - 0.5
            and a["y"] < b["y"] + b["height"] - 0.5 and b["y"] < a["y"] + a["height"] - 0.5)


@pytest.mark.parametrize("width", [360, 375])  # 360 px: the commonest Android phone's width
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_the_phone_header_is_the_title_then_one_row_of_44_px_controls(tab, origin, javascript, width):
    page = tab({**PHONE, "width": width}, java_script_enabled=javascript)
    page.goto(origin + "/news/")
    found = boxes(page, CONTROLS)
    assert list(found) == (list(CONTROLS) if javascript else [".search-link", ".menu-button"])
    assert not page.locator("#site-search").is_visible()  # the search page's own field serves
    title = page.locator(".site-title").bounding_box()
    tops = {round(box["y"]) for box in found.values()}
    assert len(tops) == 1 and min(tops) >= title["y"] + title["height"]  # one row, under the title
    assert all(box["width"] >= 44 and box["height"] >= 44 for box in found.values()), found
    right = max(box["x"] + box["width"] for box in found.values())
    assert right <= width and not any(overlap(a, b) for a in found.values() for b in found.values()
                                                if a is not b)
    if javascript:  # the vi button keeps the full name and shows a part of it
        assert page.get_attribute(".vi-toggle", "aria-label") == "Версия для слабовидящих"
        assert page.locator(".vi-toggle").inner_text().replace("\xad", "").strip() == "Для слабовидящих"
    page.click(".search-link")
    page.wait_for_url("**/search/")
    if javascript:  # the search page's field serves, ready to type in
        expect(page.locator(".pagefind-ui__search-input")).to_be_focused()


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("size", ["1", "4"])
def test_the_header_controls_never_overlap_or_scroll_sideways_even_with_large_text(tab, origin, width, size):
    page = tab({"width": width, "height": 667})
    page.goto(origin + "/")
    page.evaluate("size => localStorage.setItem('netsite-vi', JSON.stringify({size}))", size)
    page.goto(origin + "/events/")
    assert page.evaluate("document.documentElement.classList.contains('vi-size-' + %s)" % size)
    found = list(boxes(page, (".site-title", *CONTROLS)).values())
    assert len(found) == 4
    assert not any(overlap(a, b) for a in found for b in found if a is not b), found
    assert all(box["x"] + box["width"] <= width for box in found)
    assert all(box["height"] >= 44 for box in found[1:])
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.click(".menu-button")
    expect(page.locator('.site-nav a[href="/news/"]')).to_be_visible()
    menu, button = page.locator(".site-nav").bounding_box(), page.locator(".menu-button").bounding_box()
    assert menu["y"] >= button["y"] + button["height"]  # under the row, pushing the page down
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_without_search_the_row_has_no_search_control(tab, make_site):
    root = make_site({"content/news/2026-11-02-a.md": "---\ntitle: Новость\ndate: 2026-11-02\n---\nТекст.\n"},
                     config=CONFIG + "search: false\n")
    build_site(root)
    with serving(root / "public") as url:
        page = tab()
        page.goto(url + "/news/")
        assert page.locator(".search-link, #site-search").count() == 0
        found = boxes(page, CONTROLS)
        assert list(found) == [".vi-toggle", ".menu-button"]
        assert len({round(box["y"]) for box in found.values()}) == 1


def test_the_phone_menu_is_one_button_that_opens_the_whole_menu_without_javascript(tab, origin):
    for javascript in (True, False):
        page = tab(java_script_enabled=javascript)
        page.goto(origin + "/")
        news = page.locator('.site-nav a[href="/news/"]')
        assert not news.is_visible()
        page.click(".menu-button")
        expect(news).to_be_visible()
        expect(page.locator('.site-nav a[href="/plan/"]')).to_be_visible()
        assert page.locator('.site-nav a[href="/plan/"]').inner_text() == "План работы"  # menu_title
        page.click(".menu-button")
        expect(news).to_be_hidden()


def test_a_desktop_shows_the_primary_menu_in_a_row_and_the_rest_in_the_footer(tab, origin):
    page = tab(DESKTOP)
    page.goto(origin + "/news/")
    assert not page.locator(".menu-button").is_visible()
    row = page.locator(".site-nav a:visible")
    assert row.all_inner_texts() == ["Новости", "События", "Календарь", "Участники"]  # no practices: none
    assert page.locator('.site-nav a[href="/news/"]').get_attribute("aria-current") == "page"
    assert page.locator(".footer-nav a").all_inner_texts() == ["План работы", "Контакты", "Поиск"]
    tops = {round(box["y"]) for box in (a.bounding_box() for a in row.all())}
    assert len(tops) == 1 and h1_top(page) <= 200  # one row


def test_no_menu_footer_or_home_link_leads_to_an_empty_section(tab, origin):
    page = tab(DESKTOP)
    page.goto(origin + "/")
    paths = set(page.eval_on_selector_all(".site-nav a, .footer-nav a, main a",
                                          "links => links.map(a => new URL(a.href).pathname)"))
    assert not paths & {"/practices/", "/network/", "/agreements/", "/meetings/", "/plans/", "/projects/",
                        "/monitoring/"}
    for path in sorted(paths):
        page.goto(origin + path)
        assert EMPTY not in page.inner_text("main"), path


def test_the_visually_impaired_panel_opens_when_asked_remembers_and_grows_with_the_text(tab, origin):
    page = tab()
    page.goto(origin + "/news/")
    panel = page.locator("#vi-panel")
    assert not panel.is_visible()
    box = page.locator('#vi-panel input[name="vi-noimg"]')
    page.click(".vi-toggle")
    expect(panel).to_be_visible()
    normal = box.bounding_box()["width"]
    page.check('#vi-panel input[name="vi-size"][value="4"]')
    assert box.bounding_box()["width"] >= 1.7 * normal  # the checkbox grows with the text (×1.75)
    legends = page.locator("#vi-panel legend").all_inner_texts()
    assert len(set(legends)) == len(legends) and page.get_attribute("#vi-panel", "aria-label") not in legends
    page.goto(origin + "/events/")
    assert "vi-size-4" in page.evaluate("document.documentElement.className")  # remembered
    assert not panel.is_visible()  # and not opened again on the next page


@pytest.mark.parametrize("path", ["/monitoring/", "/network/"])
def test_charts_and_the_network_map_are_legible_on_a_phone(tab, example_origin, path):
    page = tab()
    page.goto(example_origin + path)
    assert page.locator("svg.chart").count() >= 1
    assert smallest_text(page) >= 11
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    sizes = {round(s.bounding_box()["width"]) for s in page.locator("svg.chart").all()}
    assert len(sizes) == 1  # every chart drawn at one width: no chart twice the size of the others
    wraps = page.locator(".table-wrap")
    for index in range(wraps.count()):  # a scrollable table a keyboard can reach
        assert wraps.nth(index).get_attribute("tabindex") == "0"


def test_a_figure_of_all_zeros_says_there_is_no_data(site):
    html = (site / "monitoring/index.html").read_text(encoding="utf-8")
    assert 'data-figure="practices_by_area"' not in html and "Данных для этого показателя пока нет" in html


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_axe_finds_nothing_serious_on_the_unseen_network(tab, origin, viewport):
    found = []
    for name, path in sorted(PAGES.items()):
        page = tab(viewport)
        page.goto(origin + path)
        if name == "search":
            page.wait_for_selector(".pagefind-ui__search-input")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found += [f"{name}: {v['id']}" for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert found == []


def test_the_nu_checker_finds_no_error_on_the_unseen_network(site):
    errors = [f"{m.get('url', '').rsplit('/public/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in run_vnu(site) if m.get("type") == "error"]
    assert errors == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_content_keeps_clear_of_the_footer_and_a_short_page_keeps_it_at_the_bottom(tab, origin, viewport):
    page = tab(viewport)
    for path in ("/institutions/", "/news/", "/events/"):
        page.goto(origin + path)
        gap = page.evaluate("""() => {
          const last = [...document.querySelectorAll('main .card')].pop();
          return document.querySelector('.site-footer').getBoundingClientRect().top - last.getBoundingClientRect().bottom;
        }""")
        assert gap >= 24, (path, gap)
    page.goto(origin + "/404.html")
    bottom = page.evaluate("document.querySelector('.site-footer').getBoundingClientRect().bottom")
    assert bottom >= viewport["height"] - 1  # not floating mid-screen
