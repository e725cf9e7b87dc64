"""The body as the page shows it: wide tables get a focusable, named scroll box; feeds keep the plain table."""

from __future__ import annotations

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
