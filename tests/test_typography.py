"""Russian typesetting of rendered pages (publish/typography.py): no-break spaces and soft hyphens
in the text a reader sees, never in markup, URLs, code or the <head>."""

from __future__ import annotations

import re

from netsite.publish import typography

from conftest import build_site

NBSP, SHY = "\u00a0", "\u00ad"


def test_no_break_spaces_where_russian_typesetting_wants_them():
    cases = {
        "Детский сад № 5": f"Детский сад №{NBSP}5",
        "в 2026 г. и в 2026–2027 гг.": f"в 2026{NBSP}г. и в 2026–2027{NBSP}гг.",
        "в г. Энске на ул. Ленина": f"в г.{NBSP}Энске на ул.{NBSP}Ленина",
        "библиотека им. А. П. Гайдара": f"библиотека им.{NBSP}А.{NBSP}П.{NBSP}Гайдара",
        "пишет Иванова А. П.": f"пишет Иванова{NBSP}А.{NBSP}П.",
        "сеть — это люди": f"сеть{NBSP}— это люди",
        "§ 3": f"§{NBSP}3",
    }
    for source, wanted in cases.items():
        assert typography.text(source).replace(SHY, "") == wanted, source


def test_a_year_ending_a_sentence_does_not_glue_to_the_next():
    assert typography.text("Основана в 2023 г. Сеть растёт.") == f"Основана в 2023{NBSP}г. Сеть растёт."


def test_long_words_get_soft_hyphens_at_dictionary_breaks_and_short_ones_none():
    word = typography.text("трансформируемость")
    assert SHY in word and word.replace(SHY, "") == "трансформируемость"
    parts = word.split(SHY)
    assert len(parts[0]) >= 3 and len(parts[-1]) >= 3  # no one- or two-letter stub left at a line end
    assert typography.text("детский сад") == "детский сад"


def test_markup_urls_code_and_head_are_left_alone():
    html = ('<html><head><title>Сад № 5 — трансформируемость</title></head><body>'
            '<a href="/г. Энск/№ 5/" title="№ 5">№ 5</a><code>№ 5 — x</code><pre>г. Энск</pre>'
            '<svg><text>трансформируемость</text></svg></body></html>')
    out = typography.page(html)
    assert out.startswith("<html><head><title>Сад № 5 — трансформируемость</title></head>")
    assert 'href="/г. Энск/№ 5/" title="№ 5">' in out and f">№{NBSP}5</a>" in out
    assert "<code>№ 5 — x</code><pre>г. Энск</pre>" in out and "<svg><text>трансформируемость</text></svg>" in out


def test_built_pages_carry_the_rules_and_english_sites_do_not(make_site):
    news = "---\ntitle: Встреча в г. Энске\ndate: 2026-11-01\n---\nДетский сад № 1 — взаимодействие.\n"
    root = make_site({"content/news/vstrecha.md": news})
    build_site(root)
    html = (root / "public/news/vstrecha/index.html").read_text(encoding="utf-8")
    main = re.search(r"<main.*</main>", html, re.S).group(0)
    assert f"г.{NBSP}Энске" in main and f"№{NBSP}1{NBSP}— " in main and f"вза{SHY}" in main
    assert "<title>Встреча в г. Энске" in html  # the head as written
    english = make_site({"content/news/vstrecha.md": news},
                        config="title: N\nbase_url: https://x.org/\ntimezone: Europe/Moscow\nlanguage: en\n")
    build_site(english)
    assert NBSP not in (english / "public/news/vstrecha/index.html").read_text(encoding="utf-8")
