"""The menus (issue 14): the core sections in the header, the rest in the footer and under the phone's
menu button, each section linked only when it has content."""

from __future__ import annotations

import re

from conftest import build_site

SECOND = "---\ntitle: Детский сад «Ромашка»\n---\nТекст.\n"
AGREEMENT = "---\ntitle: Соглашение\nparties: [solnyshko, romashka]\nsigned: 2026-09-01\n---\nТекст.\n"
NEWS = "---\ntitle: Новость\ndate: 2026-11-01\n---\nТекст.\n"


def links(html: str, css: str) -> list[tuple[str, str]]:
    block = re.search(rf'<(?:ul|nav) class="{css}".*?</(?:ul|nav)>', html, re.S)
    return re.findall(r'<a [^>]*?href="([^"]+)"[^>]*>([^<]+)</a>', block.group(0)) if block else []


def main_menu(html: str) -> list[tuple[str, str]]:
    """Every link under the menu button: the primary row and the rest."""
    return links(html, "menu-primary") + links(html, "menu-more")


def test_main_menu_links_network_and_monitoring_when_the_site_has_cycle_content(make_site):
    root = make_site({"content/institutions/romashka.md": SECOND, "content/agreements/soglashenie.md": AGREEMENT})
    build_site(root)
    html = (root / "public/index.html").read_text(encoding="utf-8")
    menu = main_menu(html)
    assert ("/network/", "Сеть") in menu and ("/monitoring/", "Мониторинг") in menu
    assert [path for path, _ in links(html, "menu-primary")] == ["/institutions/"]  # no news, events, practices
    assert {"/network/", "/agreements/", "/monitoring/"} <= {path for path, _ in links(html, "footer-nav")}
    assert "/meetings/" not in html and "/plans/" not in html and "/projects/" not in html  # empty sections
    monitoring = (root / "public/monitoring/index.html").read_text(encoding="utf-8")
    assert '<a href="/monitoring/" aria-current="page">Мониторинг</a>' in monitoring
    cycle_nav = links(monitoring, "cycle-nav")
    assert [path for path, _ in cycle_nav] == ["/network/", "/agreements/", "/monitoring/"]


def test_main_menu_has_no_network_links_without_cycle_content(make_site):
    root = make_site({"content/news/novost.md": NEWS})
    build_site(root)
    html = (root / "public/index.html").read_text(encoding="utf-8")
    assert [path for path, _ in links(html, "menu-primary")] == ["/news/", "/institutions/"]
    for section in ("/network/", "/monitoring/", "/agreements/", "/events/", "/calendar/", "/practices/"):
        assert f'href="{section}"' not in html, section  # neither in the menu nor in the footer


def test_main_menu_labels_in_english(make_site):
    config = "title: Network\nbase_url: https://x.org/net/\ntimezone: Europe/Moscow\nlanguage: en\n"
    root = make_site({"content/institutions/romashka.md": SECOND, "content/agreements/soglashenie.md": AGREEMENT},
                     config=config)
    build_site(root)
    menu = main_menu((root / "public/index.html").read_text(encoding="utf-8"))
    assert ("/net/network/", "Network") in menu and ("/net/monitoring/", "Monitoring") in menu


def test_example_site_main_menu_reaches_monitoring(example_site):
    html = (example_site / "public/index.html").read_text(encoding="utf-8")
    assert ("/monitoring/", "Мониторинг") in main_menu(html)
    assert [label for _, label in links(html, "menu-primary")] == ["Новости", "События", "Календарь", "Практики",
                                                                 "Участники"]
    # a long page title gives way to its menu_title; the author's pages follow the core sections
    assert ("/plan/", "План работы") in links(html, "menu-more") and ("/plan/", "План работы") in links(
        html, "footer-nav")


def test_a_rebuild_after_the_last_cycle_entry_is_drafted_drops_the_links_everywhere(make_site, monkeypatch, tmp_path):
    from test_incremental import OPTIONS, edit_and_compare

    from netsite import build

    monkeypatch.setenv("NETSITE_CACHE_SECRET_FILE", str(tmp_path / "secret"))
    root = make_site({"content/institutions/romashka.md": SECOND, "content/agreements/soglashenie.md": AGREEMENT,
                      "content/news/novost.md": NEWS})
    drafted = AGREEMENT.replace("signed:", "draft: true\nsigned:")
    rendered, _ = edit_and_compare(root, "content/agreements/soglashenie.md", drafted)  # equal to a full build
    assert {"index.html", "news/novost/index.html"} <= rendered
    page = next(f for f in build.run(root, OPTIONS).files if f.path == "news/novost/index.html")
    assert 'href="/network/"' not in page.data.decode("utf-8")


class PageReader:
    def __init__(self, root):
        self.root = root

    def __call__(self, path: str) -> str:
        return (self.root / "public" / path / "index.html").read_text(encoding="utf-8")


def current(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page">', html)


def test_the_menu_rendered_once_per_section_marks_each_pages_own_section(make_site):
    root = make_site({"content/news/novost.md": NEWS, "content/news/vtoraya.md": NEWS.replace("Новость", "Вторая"),
                      "content/institutions/romashka.md": SECOND})
    build_site(root)
    page = PageReader(root)
    assert current(page("news")) == current(page("news/novost")) == current(page("news/vtoraya")) == ["/news/"]
    assert current(page("institutions/romashka")) == ["/institutions/"]
    assert current(page("")) == []


def test_a_sites_own_menu_reading_the_page_path_is_rendered_for_each_page(make_site):
    """An override written before the menu had a key (it reads `page_path`) still works: it is
    rendered with the page's context, like an include."""
    own = ('<nav class="own-menu">{% for label, path in menus().primary %}<a href="{{ url_for(path) }}"'
           '{% if page_path.startswith(path) %} aria-current="page"{% endif %}>{{ label }}</a>{% endfor %}'
           '<span class="here">{{ page_path }}</span></nav>\n')
    root = make_site({"content/news/novost.md": NEWS, "themes/default/templates/partials/menu.html": own})
    build_site(root)
    page = PageReader(root)
    assert '<span class="here">/news/novost/</span>' in page("news/novost")
    assert '<span class="here">/institutions/</span>' in page("institutions")
    assert current(page("news/novost")) == ["/news/"] and current(page("institutions")) == ["/institutions/"]


def test_the_footer_says_what_each_subscription_is_for_and_links_the_how_to_page_when_there_is_one(make_site):
    """A parent does not know what RSS or ICS is (issue 14): the calendar link opens as a subscription in
    the phone's calendar app, the feeds are named as being for feed readers, and the site's own how-to page
    is linked only when the site has one."""
    root = make_site({"content/news/novost.md": NEWS})
    build_site(root)
    footer = re.search(r'<p class="footer-subscribe">(.*?)</p>', (root / "public/index.html").read_text(encoding="utf-8"))
    assert footer is not None
    assert re.search(r'<a href="webcal://[^"]+/calendar\.ics">календарь событий в телефон</a>', footer.group(1))
    assert "программ-читалок" in footer.group(1) and 'href="/rss.xml"' in footer.group(1)
    assert "Как подписаться" not in footer.group(1)
    (root / "content/pages").mkdir(parents=True, exist_ok=True)
    (root / "content/pages/subscribe.md").write_text("---\ntitle: Как подписаться\n---\nТак.\n", encoding="utf-8")
    build_site(root)
    footer = re.search(r'<p class="footer-subscribe">(.*?)</p>', (root / "public/news/novost/index.html").read_text(encoding="utf-8"))
    assert footer is not None and '<a href="/subscribe/">Как подписаться</a>' in footer.group(1)
