"""Markdown: CommonMark plus extensions, no raw HTML, safe links, content links rewritten."""

import pytest

from netsite.content.markup import Context, render

PAGES = {"content/pages/plan.md": "/net/plan/", "content/news/x.md": "/net/news/x/"}


def ctx(**kw):
    base = dict(source="content/news/x.md", body_line=5, page_url="/net/news/x/", resolve=PAGES.get,
                site_url=lambda p: "/net" + p, assets=frozenset({"foto.jpg"}))
    return Context(**(base | kw))


def test_extensions_render():
    html = render("| a | b |\n|---|--:|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n- [ ] todo\n\n"
                  "Note[^1]\n\n[^1]: Сноска.\n", ctx()).html
    assert "<table>" in html and '<td style="text-align:right">2</td>' in html
    assert "<s>old</s>" in html
    assert 'type="checkbox"' in html and "checked" in html
    assert 'class="footnote-ref"' in html and "Сноска." in html


def test_raw_html_is_text_never_markup():
    result = render('<script>alert(1)</script>\n\nТекст <img src=x onerror=alert(1)> и <b>жирный</b>\n', ctx())
    assert "<script" not in result.html and "<img src=x" not in result.html and "<b>" not in result.html
    assert "&lt;script&gt;" in result.html


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
                                 "vbscript:x", "java\tscript:alert(1)"])
def test_unsafe_link_schemes_are_not_links(url):
    html = render(f"[клик]({url}) ![img]({url})\n", ctx()).html
    assert "href=" not in html and "src=" not in html


def test_safe_links_pass_and_site_paths_get_the_base_path():
    html = render("[a](https://x.ru/) [b](mailto:a@b.ru) [c](tel:+74951234567) [d](/events/) [e](#part)\n",
                  ctx()).html
    for href in ('href="https://x.ru/"', 'href="mailto:a@b.ru"', 'href="tel:+74951234567"',
                 'href="/net/events/"', 'href="#part"'):
        assert href in html


def test_content_links_are_rewritten_and_missing_ones_are_errors_at_their_line():
    result = render("Первая строка.\nСм. [план](../pages/plan.md#oktyabr)\nи [нет](../pages/net.md).\n", ctx())
    assert 'href="/net/plan/#oktyabr"' in result.html
    [problem] = [d for d in result.diagnostics if d.severity == "error"]
    assert (problem.code, problem.location.path, problem.location.line) == \
        ("markdown.missing-link", "content/news/x.md", 7)


def test_bundle_files_become_urls_and_unknown_files_are_errors():
    result = render("![Дети рисуют](foto.jpg)\n\n![Нет](nope.png)\n", ctx())
    assert 'src="/net/news/x/foto.jpg"' in result.html and 'loading="lazy"' in result.html
    assert [(d.code, d.location.line) for d in result.diagnostics] == [("markdown.missing-file", 7)]


def test_image_without_description_is_a_warning():
    result = render("![](foto.jpg)\n", ctx())
    assert [(d.severity, d.code) for d in result.diagnostics] == [("warning", "markdown.alt")]


def test_cyrillic_headings_get_stable_unique_ascii_ids():
    result = render("## Цели проекта\n\n## Цели проекта\n\n## Location\n\n## 2026 год\n", ctx())
    ids = [anchor for _, anchor, _ in result.headings]
    assert ids == ["tseli-proekta", "tseli-proekta-1", "h-location", "h-2026-god"]
    assert '<h2 id="tseli-proekta">' in result.html


def test_code_is_highlighted_and_fence_info_cannot_inject():
    html = render('```python\nprint("привет")\n```\n\n```x" onclick="alert(1)\ncode\n```\n', ctx()).html
    assert '<span class="nb">print</span>' in html
    assert 'onclick="alert' not in html


def test_summary_is_the_first_paragraph_as_plain_text():
    result = render("## Заголовок\n\nПервый **абзац** с [ссылкой](https://x.ru).\n\nВторой.\n", ctx())
    assert result.summary == "Первый абзац с ссылкой."
