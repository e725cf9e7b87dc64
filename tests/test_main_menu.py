"""The main menu links the network's pages (/network/, /monitoring/) when the site has cycle content."""

from __future__ import annotations

import re

from conftest import build_site

SECOND = "---\ntitle: Детский сад «Ромашка»\n---\nТекст.\n"
AGREEMENT = "---\ntitle: Соглашение\nparties: [solnyshko, romashka]\nsigned: 2026-09-01\n---\nТекст.\n"
NEWS = "---\ntitle: Новость\ndate: 2026-11-01\n---\nТекст.\n"


def main_menu(html: str) -> list[tuple[str, str]]:
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)


def test_main_menu_links_network_and_monitoring_when_the_site_has_cycle_content(make_site):
    root = make_site({"content/institutions/romashka.md": SECOND, "content/agreements/soglashenie.md": AGREEMENT})
    build_site(root)
    menu = main_menu((root / "public/index.html").read_text(encoding="utf-8"))
    assert ("/network/", "Сеть") in menu and ("/monitoring/", "Мониторинг") in menu
    assert [path for path, _ in menu][-2:] == ["/network/", "/monitoring/"]  # after the core sections
    monitoring = (root / "public/monitoring/index.html").read_text(encoding="utf-8")
    assert '<a href="/monitoring/" aria-current="page">Мониторинг</a>' in monitoring


def test_main_menu_has_no_network_links_without_cycle_content(make_site):
    root = make_site({"content/news/novost.md": NEWS})
    build_site(root)
    html = (root / "public/index.html").read_text(encoding="utf-8")
    assert all(path not in ("/network/", "/monitoring/") for path, _ in main_menu(html))
    assert 'href="/network/"' in html  # the footer keeps its links


def test_main_menu_labels_in_english(make_site):
    config = "title: Network\nbase_url: https://x.org/net/\ntimezone: Europe/Moscow\nlanguage: en\n"
    root = make_site({"content/institutions/romashka.md": SECOND, "content/agreements/soglashenie.md": AGREEMENT},
                     config=config)
    build_site(root)
    menu = main_menu((root / "public/index.html").read_text(encoding="utf-8"))
    assert ("/net/network/", "Network") in menu and ("/net/monitoring/", "Monitoring") in menu


def test_example_site_main_menu_reaches_monitoring(example_site):
    menu = main_menu((example_site / "public/index.html").read_text(encoding="utf-8"))
    assert ("/monitoring/", "Мониторинг") in menu


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
    assert all(path != "/network/" for path, _ in main_menu(page.data.decode("utf-8")))
