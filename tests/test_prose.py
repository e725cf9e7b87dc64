"""The body as the page shows it: wide tables get a focusable, named scroll box; feeds keep the plain table."""

from __future__ import annotations

import pytest

from conftest import build_site

NEWS = """\
---
title: Итоги
date: 2026-11-01
---
| День | Номеров |
|---|---|
| 17 ноября | 27 |
"""


def test_tables_scroll_in_a_focusable_named_box_on_the_page_only(make_site):
    root = make_site({"content/news/itogi.md": NEWS})
    build_site(root)
    page = (root / "public/news/itogi/index.html").read_text(encoding="utf-8")
    assert '<div class="table-scroll" tabindex="0" role="region" aria-label="Таблица"><table>' in page
    assert "table-scroll" not in (root / "public/news/rss.xml").read_text(encoding="utf-8")


SECOND = "---\ntitle: Детский сад «Ромашка»\n---\nТекст.\n"
CYCLE = {  # the least front matter of each kind of the network's cycle; the body is the news' table
    "agreements": "title: Соглашение\nparties: [solnyshko, romashka]\nsigned: 2026-09-01\n",
    "meetings": "title: Заседание совета\ndate: \"2026-11-20 15:00\"\nparticipants: [solnyshko, romashka]\n",
    "plans": "title: План\nitems:\n  - id: seminar\n    month: 2026-12\n    title: Семинар\n",
    "projects": "title: Проект\nparticipants: [solnyshko, romashka]\nstart: 2026-09-01\n",
}


@pytest.mark.parametrize("kind", sorted(CYCLE))
def test_cycle_item_pages_show_the_body_like_a_news_item(make_site, kind):
    """Agreements, meetings, plans and projects once printed the body raw: no scroll box, no pictures."""
    table = NEWS.split("---\n", 2)[2]
    root = make_site({"content/institutions/romashka.md": SECOND, "content/news/itogi.md": NEWS,
                      f"content/{kind}/zapis.md": "---\n" + CYCLE[kind] + "---\n" + table})
    build_site(root)
    page = (root / f"public/{kind}/zapis/index.html").read_text(encoding="utf-8")
    wrapped = '<div class="table-scroll" tabindex="0" role="region" aria-label="Таблица"><table>'
    assert wrapped in page
    assert wrapped in (root / "public/news/itogi/index.html").read_text(encoding="utf-8")
