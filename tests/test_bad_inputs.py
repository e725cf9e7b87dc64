"""The bad-input corpus: each hostile or broken input gives its exit code and diagnostic (code, path,
line), or builds into sanitized output. One table; one test function per kind of expectation."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bad_inputs import EVENT, NEWS, event, news, page, photo, png_bomb, truncated_jpeg
from conftest import BASE_CONFIG, INSTITUTION, build_site, cli, codes, diagnostics_of, write_site

BILLION_LAUGHS = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
                  "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]", "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]"]


@dataclass(frozen=True)
class Bad:
    """An input that must fail with the diagnostic `expect` = (code, path, line) and `exit`."""

    files: dict
    expect: tuple
    exit: int = 1
    config: str = BASE_CONFIG
    setup: Callable[[Path], None] | None = None


def _symlink(target: str, link: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(root / target if not target.startswith("/") else target, root / link)
    return make


def _fifo(name: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / name)
    return make


def _sparse(name: str, size: int) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        with open(root / name, "wb") as handle:
            handle.truncate(size)
    return make


BUNDLE = "content/news/b/index.md"
INST = "content/institutions/solnyshko.md"

BAD: dict[str, Bad] = {
    # ---- front matter: strict YAML -----------------------------------------------------------------
    "yaml-alias": Bad({NEWS: news("a: &x 1", "b: *x")}, ("frontmatter.alias", NEWS, 4)),
    "yaml-billion-laughs": Bad({NEWS: news(*BILLION_LAUGHS)}, ("frontmatter.alias", NEWS, 4)),
    "yaml-python-tag": Bad({NEWS: news('x: !!python/object/apply:os.system ["echo pwned"]')},
                           ("frontmatter.tag", NEWS, 4)),
    "yaml-python-name": Bad({NEWS: news("x: !!python/name:os.system ''")}, ("frontmatter.tag", NEWS, 4)),
    "yaml-custom-tag": Bad({NEWS: news("x: !include /etc/passwd")}, ("frontmatter.tag", NEWS, 4)),
    "yaml-binary": Bad({NEWS: news("x: !!binary aGVsbG8=")}, ("frontmatter.tag", NEWS, 4)),
    "yaml-tag-on-map": Bad({NEWS: news("x: !!omap [a: 1]")}, ("frontmatter.tag", NEWS, 4)),
    "yaml-duplicate-key": Bad({NEWS: news("title: Ещё раз")}, ("frontmatter.duplicate", NEWS, 4)),
    "yaml-number-key": Bad({NEWS: news("1: один")}, ("frontmatter.key", NEWS, 4)),
    "yaml-null-key": Bad({NEWS: news("null: ничего")}, ("frontmatter.key", NEWS, 4)),
    "yaml-complex-key": Bad({NEWS: news("? [a, b]", ": c")}, ("frontmatter.key", NEWS, 4)),
    "yaml-deep-flow": Bad({NEWS: news("x: " + "[" * 30000)}, ("frontmatter.depth", NEWS, 4)),
    "yaml-deep-block": Bad({NEWS: news(*[" " * i + "k:" for i in range(30)])}, ("frontmatter.depth", NEWS, 24)),
    "yaml-huge-int": Bad({NEWS: news("x: " + "9" * 5000)}, ("frontmatter.number", NEWS, 4)),
    "yaml-too-big": Bad({NEWS: news(*[f"k{i}: {'я' * 60}" for i in range(600)])}, ("frontmatter.size", NEWS, 2)),
    "yaml-directive": Bad({NEWS: news("%TAG ! tag:evil.example,2026:")}, ("frontmatter.syntax", NEWS, 5)),
    "yaml-tab-indent": Bad({NEWS: news("tags:", "\t- a")}, ("frontmatter.syntax", NEWS, 5)),
    "yaml-list-root": Bad({NEWS: "---\n- a\n- b\n---\nТекст\n"}, ("frontmatter.syntax", NEWS, 2)),
    "yaml-empty": Bad({NEWS: "---\n---\nТекст\n"}, ("frontmatter.empty", NEWS, 2)),
    "yaml-unclosed": Bad({NEWS: "---\ntitle: x\nТекст\n"}, ("frontmatter.unclosed", NEWS, 1)),
    "yaml-missing": Bad({NEWS: "title: x\n"}, ("frontmatter.missing", NEWS, 1)),
    "field-unknown": Bad({NEWS: news("layout: ../../etc/passwd")}, ("field.unknown", NEWS, 4)),
    "field-template-name": Bad({NEWS: news("template: base.html")}, ("field.unknown", NEWS, 4)),
    "field-title-list": Bad({NEWS: news(title="[a, b]")}, ("field.type", NEWS, 2)),
    "field-title-huge": Bad({NEWS: news(title="я" * 2100)}, ("field.size", NEWS, 2)),
    # ---- encoding and characters -------------------------------------------------------------------
    "utf16-bom": Bad({NEWS: news().encode("utf-16")}, ("file.encoding", NEWS, 1)),
    "utf16-no-bom": Bad({NEWS: news().encode("utf-16-le")}, ("file.encoding", NEWS, 1)),
    "cp1251": Bad({NEWS: news(body="Привет").encode("cp1251")}, ("file.encoding", NEWS, 2)),
    "bad-utf8-line-6": Bad({NEWS: news(body="Текст\n\xff").encode("utf-8").replace(b"\xc3\xbf", b"\xff")},
                           ("file.encoding", NEWS, 6)),
    "nul-byte": Bad({NEWS: news(body="Текст\x00")}, ("file.character", NEWS, 5)),
    "bidi-override": Bad({NEWS: news("summary: abc\u202eevil")}, ("file.character", NEWS, 4)),
    "bidi-isolate": Bad({NEWS: news(body="x \u2066y\u2069")}, ("file.character", NEWS, 5)),
    "c1-control": Bad({NEWS: news(body="x\x85y")}, ("file.character", NEWS, 5)),
    "escape-sequence": Bad({NEWS: news(body="\x1b[31mred")}, ("file.character", NEWS, 5)),
    "yaml-escaped-nul": Bad({NEWS: news(title='"Новость\\x00"')}, ("frontmatter.character", NEWS, 2)),
    "yaml-escaped-bidi": Bad({NEWS: news('summary: "abc\\u202Eevil"')}, ("frontmatter.character", NEWS, 4)),
    "yaml-escaped-nonchar": Bad({EVENT: event('location: "\\uFFFE"')}, ("frontmatter.character", EVENT, 4)),
    "nonchar-in-body": Bad({NEWS: news(body="x\ufffe")}, ("file.character", NEWS, 5)),
    "file-too-big": Bad({}, ("file.size", NEWS, None), setup=_sparse(NEWS, 3 * 1024 * 1024)),
    # ---- Markdown: caps, links and images ----------------------------------------------------------
    "md-deep-quotes": Bad({NEWS: news(body=">" * 40 + " глубоко")}, ("markdown.nesting", NEWS, 5)),
    "md-deep-list": Bad({NEWS: news(body="".join("  " * i + "- x\n" for i in range(15)))},
                        ("markdown.nesting", NEWS, 13)),  # the 9th level, where text would be lost
    "md-huge-body": Bad({NEWS: news(body="слово\n\n" * 30_000)}, ("markdown.size", NEWS, 5)),
    "md-huge-paragraph": Bad({NEWS: news(body="абзац\n\n" + "![" * 20_000)}, ("markdown.size", NEWS, 7)),
    "md-huge-table": Bad({NEWS: news(body="|a|b|\n|-|-|\n" + "|ячейка|ячейка|\n" * 3000)},
                         ("markdown.size", NEWS, 5)),
    "md-protocol-relative": Bad({NEWS: news(body="[x](//evil.example/)")}, ("markdown.link", NEWS, 5)),
    "md-missing-link": Bad({NEWS: news(body="строка\n\n[план](../pages/nope.md)")},
                           ("markdown.missing-link", NEWS, 7)),
    "md-traversal-link": Bad({NEWS: news(body="[x](../../../netsite.yaml)")}, ("markdown.missing-file", NEWS, 5)),
    "md-missing-image": Bad({NEWS: news(body="![Фото](foto.jpg)")}, ("markdown.missing-file", NEWS, 5)),
    "md-image-other-bundle": Bad({BUNDLE: news(body="![Чужое](../c/foto.jpg)"), "content/news/c/index.md": news(),
                                  "content/news/c/foto.jpg": photo()}, ("markdown.missing-file", BUNDLE, 5)),
    "md-document-as-image": Bad({BUNDLE: news(body="![План](plan.pdf)"),
                                 "content/news/b/plan.pdf": b"%PDF-1.4\n"}, ("markdown.image-type", BUNDLE, 5)),
    # ---- paths and names ---------------------------------------------------------------------------
    "symlink-file": Bad({}, ("path.symlink", "content/news/link.md", None),
                        setup=_symlink("/etc/passwd", "content/news/link.md")),
    "symlink-folder": Bad({}, ("path.symlink", "content/news/linked", None),
                          setup=_symlink("/etc", "content/news/linked")),
    "symlink-asset": Bad({BUNDLE: news()}, ("path.symlink", "content/news/b/key.jpg", None),
                         setup=_symlink("/etc/ssl", "content/news/b/key.jpg")),
    "symlink-content": Bad({}, ("path.symlink", "content", None), setup=lambda root: (
        (root / "content" / "institutions" / "solnyshko.md").unlink(), (root / "content" / "institutions").rmdir(),
        (root / "content").rmdir(), (root / "real").mkdir(), os.symlink(root / "real", root / "content"))),
    "symlink-theme": Bad({"themes/default/templates/page.html": "{{ x }}"},
                         ("path.symlink", "themes/default/templates/base.html", None),
                         setup=_symlink("/etc/hostname", "themes/default/templates/base.html")),
    "fifo-source": Bad({}, ("path.special", "content/news/pipe.md", None), setup=_fifo("content/news/pipe.md")),
    "windows-device": Bad({"content/news/con.md": news()}, ("path.windows", "content/news/con.md", None)),
    "windows-device-asset": Bad({BUNDLE: news(), "content/news/b/aux.jpg": photo()},
                                ("path.windows", "content/news/b/aux.jpg", None)),
    "windows-colon": Bad({"content/news/a:b.md": news()}, ("path.windows", "content/news/a:b.md", None)),
    "windows-question": Bad({"content/news/why?.md": news()}, ("path.windows", "content/news/why?.md", None)),
    "windows-trailing-space": Bad({BUNDLE: news(), "content/news/b/photo.jpg ": photo()},
                                  ("path.windows", "content/news/b/photo.jpg ", None)),
    "windows-trailing-dot": Bad({"content/news/folder./index.md": news()},
                                ("path.windows", "content/news/folder.", None)),
    "windows-generated-slug": Bad({"content/news/2026-11-01-con.md": news()},
                                  ("entry.slug", "content/news/2026-11-01-con.md", 1)),
    "slug-traversal": Bad({NEWS: news("slug: ../../etc")}, ("entry.slug", NEWS, 4)),
    "slug-device": Bad({NEWS: news("slug: nul")}, ("entry.slug", NEWS, 4)),
    "slug-cyrillic": Bad({NEWS: news("slug: новость")}, ("entry.slug", NEWS, 4)),
    "reserved-page": Bad({"content/pages/news.md": page()}, ("entry.reserved", "content/pages/news.md", 1)),
    "reserved-page-slug": Bad({"content/pages/x.md": page("slug: calendar")},
                              ("entry.reserved", "content/pages/x.md", 3)),
    "reserved-event-archive": Bad({"content/events/archive.md": event()},
                                  ("entry.reserved", "content/events/archive.md", 1)),
    "case-collision": Bad({"content/news/Foo.md": news(), "content/news/foo.md": news()},
                          ("entry.collision", "content/news/foo.md", 1)),
    "slug-collision": Bad({"content/news/a.md": news("slug: same"), "content/news/b.md": news("slug: same")},
                          ("entry.collision", "content/news/b.md", 4)),
    "asset-html": Bad({BUNDLE: news(), "content/news/b/index.html": "<script>alert(1)</script>"},
                      ("asset.type", "content/news/b/index.html", None)),
    "asset-js": Bad({BUNDLE: news(), "content/news/b/app.js": "alert(1)"}, ("asset.type", "content/news/b/app.js", None)),
    "asset-svg": Bad({BUNDLE: news(), "content/news/b/logo.svg": "<svg onload='alert(1)'/>"},
                     ("asset.type", "content/news/b/logo.svg", None)),
    "asset-heic": Bad({BUNDLE: news(), "content/news/b/IMG_0001.HEIC": b"\x00\x00\x00\x18ftypheic"},
                      ("asset.type", "content/news/b/IMG_0001.HEIC", None)),
    "asset-pdf-not-pdf": Bad({BUNDLE: news(body="[План](plan.pdf)"), "content/news/b/plan.pdf": photo()},
                             ("asset.content", "content/news/b/plan.pdf", None)),
    "unknown-kind": Bad({"content/blog/x.md": news()}, ("path.kind", "content/blog", None)),
    "stray-file": Bad({"content/news/photo.jpg": photo()}, ("path.stray", "content/news/photo.jpg", None)),
    # ---- images ------------------------------------------------------------------------------------
    "image-bomb": Bad({BUNDLE: news(body="![Фото](bomb.png)"), "content/news/b/bomb.png": png_bomb()},
                      ("image.pixels", "content/news/b/bomb.png", None)),
    "image-too-many-pixels": Bad({BUNDLE: news(body="![Фото](big.png)"), "content/news/b/big.png": png_bomb(10000, 6000)},
                                 ("image.pixels", "content/news/b/big.png", None)),
    "image-truncated": Bad({BUNDLE: news(body="![Фото](cut.jpg)"), "content/news/b/cut.jpg": truncated_jpeg()},
                           ("image.damaged", "content/news/b/cut.jpg", None)),
    "image-wrong-extension": Bad({BUNDLE: news(body="![Фото](p.jpg)"), "content/news/b/p.jpg": photo("PNG")},
                                 ("image.format", "content/news/b/p.jpg", None)),
    "image-garbage": Bad({BUNDLE: news(body="![Фото](p.jpg)"), "content/news/b/p.jpg": b"<?php system($_GET['c']); ?>"},
                         ("image.format", "content/news/b/p.jpg", None)),
    "image-too-many-bytes": Bad({BUNDLE: news(body="![Фото](huge.jpg)")}, ("image.size", "content/news/b/huge.jpg", None),
                                setup=_sparse("content/news/b/huge.jpg", 30 * 1024 * 1024)),
    "image-field-document": Bad({BUNDLE: news("image: plan.pdf"), "content/news/b/plan.pdf": b"%PDF-1.7\n"},
                                ("field.image", BUNDLE, 4)),
    "image-field-missing": Bad({BUNDLE: news("image: nope.jpg")}, ("field.file", BUNDLE, 4)),
    "logo-svg": Bad({"content/institutions/solnyshko/index.md": INSTITUTION.replace("kind:", "logo: logo.svg\nkind:"),
                     "content/institutions/solnyshko/logo.svg": "<svg/>"},
                    ("field.image", "content/institutions/solnyshko/index.md", 4)),
    # ---- URL-typed front matter --------------------------------------------------------------------
    "url-javascript": Bad({EVENT: event("registration: javascript:alert(1)")}, ("field.url", EVENT, 4)),
    "url-data": Bad({EVENT: event("online: 'data:text/html,<script>alert(1)</script>'")}, ("field.url", EVENT, 4)),
    "url-vbscript": Bad({EVENT: event("online: vbscript:msgbox")}, ("field.url", EVENT, 4)),
    "url-protocol-relative": Bad({EVENT: event("online: //evil.example/")}, ("field.url", EVENT, 4)),
    "url-spaces": Bad({EVENT: event("registration: https://x.example/a b")}, ("field.url", EVENT, 4)),
    "url-not-text": Bad({EVENT: event("online: [https://a.example/]")}, ("field.url", EVENT, 4)),
    "url-website": Bad({INST: INSTITUTION.replace("kind:", "website: file:///etc/passwd\nkind:")},
                       ("field.url", INST, 4)),
    # ---- dates and recurrence ----------------------------------------------------------------------
    "date-impossible": Bad({NEWS: news().replace("2026-11-01", "2026-02-30")}, ("date.format", NEWS, 3)),
    "date-words": Bad({NEWS: news().replace("2026-11-01", "вчера")}, ("date.format", NEWS, 3)),
    "event-end-before-start": Bad({EVENT: event("end: 2026-12-03 09:00")}, ("event.dates", EVENT, 4)),
    "event-bad-zone": Bad({EVENT: event("timezone: Mars/Olympus")}, ("event.timezone", EVENT, 4)),
    "rrule-endless": Bad({EVENT: event("rrule: FREQ=WEEKLY")}, ("event.rrule", EVENT, 4)),
    "rrule-secondly": Bad({EVENT: event("rrule: FREQ=SECONDLY;COUNT=5")}, ("event.rrule", EVENT, 4)),
    "rrule-huge-count": Bad({EVENT: event("rrule: FREQ=DAILY;COUNT=100000000")}, ("event.rrule", EVENT, 4)),
    "rrule-injection": Bad({EVENT: event('rrule: "FREQ=DAILY;COUNT=2\\nBEGIN:VEVENT"')}, ("event.rrule", EVENT, 4)),
    "exdate-garbage": Bad({EVENT: event("rrule: FREQ=DAILY;COUNT=3", "exdates: [завтра]")},
                          ("date.format", EVENT, 5)),
    # ---- configuration (exit code 2) ---------------------------------------------------------------
    "config-output-dot": Bad({}, ("config.output_dir", "netsite.yaml", 4), 2, BASE_CONFIG + "output_dir: .\n"),
    "config-output-parent": Bad({}, ("config.output_dir", "netsite.yaml", 4), 2, BASE_CONFIG + "output_dir: ..\n"),
    "config-output-root": Bad({}, ("config.output_dir", "netsite.yaml", 4), 2, BASE_CONFIG + "output_dir: /\n"),
    "config-output-content": Bad({}, ("config.output_dir", "netsite.yaml", 4), 2,
                                 BASE_CONFIG + "output_dir: content\n"),
    "config-output-git": Bad({}, ("config.output_dir", "netsite.yaml", 4), 2, BASE_CONFIG + "output_dir: .git/x\n"),
    "config-output-home": Bad({}, ("config.output_dir", "netsite.yaml", 4), 2,
                              BASE_CONFIG + f"output_dir: {Path.home()}\n"),
    "config-output-foreign": Bad({"src/code.py": "print(1)"}, ("config.output_dir", "netsite.yaml", 4), 2,
                                 BASE_CONFIG + "output_dir: src\n"),
    "config-output-file": Bad({}, ("config.output_dir", "netsite.yaml", 4), 2,
                              BASE_CONFIG + "output_dir: netsite.yaml\n"),
    "config-base-url-js": Bad({}, ("config.value", "netsite.yaml", 2), 2,
                              BASE_CONFIG.replace("https://net.example.org/", "javascript:alert(1)")),
    "config-menu-js": Bad({}, ("config.value", "netsite.yaml", 4), 2,
                          BASE_CONFIG + "menu:\n  - {label: x, url: 'javascript:alert(1)'}\n"),
    "config-alias": Bad({}, ("config.alias", "netsite.yaml", 4), 2, BASE_CONFIG + "description: &d x\n"),
    "config-python-tag": Bad({}, ("config.tag", "netsite.yaml", 4), 2,
                             BASE_CONFIG + "description: !!python/object/apply:os.system [id]\n"),
    "config-theme-traversal": Bad({}, ("config.value", "netsite.yaml", 4), 2, BASE_CONFIG + "theme: ../../etc\n"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_refused_with_its_place(make_site, name):
    case = BAD[name]
    root = make_site(case.files, config=case.config)
    if case.setup:
        case.setup(root)
    err = diagnostics_of(root)
    assert case.expect in codes(err), f"{name}: got {sorted(codes(err), key=str)}"
    assert err.exit_code == case.exit


@pytest.mark.parametrize("name", ["yaml-billion-laughs", "yaml-deep-flow", "utf16-bom", "image-bomb",
                                  "config-output-dot", "symlink-file"])
def test_command_line_reports_without_traceback(make_site, name):
    case = BAD[name]
    root = make_site(case.files, config=case.config)
    if case.setup:
        case.setup(root)
    result = cli("build", "--root", root, "--now", "2026-11-25 12:00")
    assert result.exit_code == case.exit
    assert "Traceback" not in result.stderr
    code, path, line = case.expect
    assert f"{path}{'' if line is None else f':{line}'}" in result.stderr and f"[{code}]" in result.stderr
    assert not (root / "public").exists()


def test_column_of_a_forbidden_character_is_reported(make_site):
    root = make_site({NEWS: news(body="ab\u202ecd")})
    [diagnostic] = [d for d in diagnostics_of(root).diagnostics if d.code == "file.character"]
    assert (diagnostic.location.line, diagnostic.location.col) == (5, 3)
    assert "content/news/x.md:5:3: error" in diagnostic.format()


# ---- inputs that build, into sanitized output -----------------------------------------------------

@dataclass(frozen=True)
class Clean:
    """An input that builds; `page` (under public/) must hold none of `absent` and all of `present`."""

    files: dict
    page: str
    absent: tuple = ()
    present: tuple = ()


ITEM = "public/news/x/index.html"
CLEAN: dict[str, Clean] = {
    "raw-script": Clean({NEWS: news(body="<script>alert(1)</script>")}, ITEM, ("<script>alert",),
                        ("&lt;script&gt;alert(1)&lt;/script&gt;",)),
    "raw-img-onerror": Clean({NEWS: news(body='<img src=x onerror="alert(1)">')}, ITEM, ("<img src=x",),
                             ("&lt;img",)),
    "raw-iframe": Clean({NEWS: news(body='<iframe src="https://evil.example/"></iframe>')}, ITEM, ("<iframe",)),
    "raw-style": Clean({NEWS: news(body="<style>body{display:none}</style>")}, ITEM, ("<style>",)),
    "raw-anchor-js": Clean({NEWS: news(body='<a href="javascript:alert(1)">x</a>')}, ITEM, ('<a href="javascript',),
                          ('&lt;a href="javascript:alert(1)"&gt;',)),
    "md-link-js": Clean({NEWS: news(body="[нажми](javascript:alert(1))")}, ITEM, ('href="javascript',)),
    "md-link-js-case": Clean({NEWS: news(body="[x](JaVaScRiPt:alert(1))")}, ITEM, ("href=\"JaVa",)),
    "md-link-js-entity": Clean({NEWS: news(body="[x](&#106;avascript:alert(1))")}, ITEM, ('href="javascript',)),
    "md-link-js-angle": Clean({NEWS: news(body="[x](<javascript:alert(1)>)")}, ITEM, ('href="javascript',)),
    "md-link-vbscript": Clean({NEWS: news(body="[x](vbscript:msgbox)")}, ITEM, ('href="vbscript',)),
    "md-image-data": Clean({NEWS: news(body="![x](data:image/svg+xml;base64,PHN2Zz4=)")}, ITEM, ('src="data',)),
    "md-reference-js": Clean({NEWS: news(body="[a][r]\n\n[r]: javascript:alert(1)")}, ITEM, ('href="javascript',)),
    "md-autolink-js": Clean({NEWS: news(body="<javascript:alert(1)>")}, ITEM, ('href="javascript',)),
    "md-link-title": Clean({NEWS: news(body='[a](https://a.example/ "t\\" onmouseover=\\"alert(1)")')}, ITEM,
                           ('onmouseover="',), ('title="t&quot; onmouseover=&quot;alert(1)"',)),
    "md-image-title": Clean({NEWS: news(body="![a](https://a.example/x.png 'x\" onerror=\"alert(1)')")}, ITEM,
                            ('onerror="',), ('title="x&quot; onerror=&quot;alert(1)"',)),
    "md-fence-language": Clean({NEWS: news(body='```python" onclick="alert(1)\nprint(1)\n```')}, ITEM,
                               ("onclick",), ("print",)),
    "md-fence-language-ok": Clean({NEWS: news(body="```python\nprint(1)\n```")}, ITEM, (),
                                  ('class="language-python"',)),
    "heading-clobber": Clean({NEWS: news(body="# location\n\n## cookie\n\n## forms")}, ITEM,
                             ('id="location"', 'id="cookie"', 'id="forms"'), ('id="h-location"', 'id="h-cookie"')),
    "title-markup": Clean({NEWS: news(title="'<script>alert(1)</script> & ]]>'")}, ITEM, ("<script>alert",),
                          ("&lt;script&gt;",)),
    "title-markup-list": Clean({NEWS: news(title="'a & b <c> ]]>'")}, "public/news/index.html", ("<c>",),
                               ("a &amp; b &lt;c&gt; ]]&gt;",)),
    "feed-title-markup": Clean({NEWS: news(title="'<script>alert(1)</script> ]]> & «ёлка»'")}, "public/rss.xml",
                               ("<script>alert",), ("&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; «ёлка»",)),
    "feed-body-cdata-end": Clean({NEWS: news(body="Текст ]]> <![CDATA[ x ]]> и <b>жирный</b>")}, "public/news/atom.xml",
                                 ("<b>жирный",)),
    "ics-line-injection": Clean({EVENT: event('location: "Зал\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT\\r\\nSUMMARY:Взлом"')},
                                "public/events/e/event.ics", ("\r\nSUMMARY:Взлом", "\nBEGIN:VEVENT\r\nSUMMARY:Взлом")),
    "ics-special-characters": Clean({EVENT: event("location: 'Зал; 2 этаж, каб. 5 \\ корпус'")},
                                    "public/events/e/event.ics", (), ("LOCATION:Зал\\; 2 этаж\\, каб. 5",)),
    "ics-long-title": Clean({EVENT: event(body="x").replace("title: Семинар", "title: " + "Очень " * 300)},
                            "public/events/e/event.ics", (), ("SUMMARY:Очень",)),
    "jinja-in-body": Clean({NEWS: news(body="{{ 7*7 }} {% include 'base.html' %} {{ config.title }}")}, ITEM,
                           ("<p>49", "} Тестовая сеть</p>"),
                           ("{{ 7*7 }} {% include &#39;base.html&#39; %} {{ config.title }}",)),
    "jinja-in-title": Clean({NEWS: news(title="'{{ site.config }}{% raw %}'")}, ITEM, ("Config(",),
                            ("{{ site.config }}{% raw %}",)),
    "summary-markup": Clean({NEWS: news("summary: '<img src=x onerror=alert(1)>'")}, "public/news/index.html",
                            ("<img src=x",), ("&lt;img src=x onerror=alert(1)&gt;",)),
    "junk-files": Clean({NEWS: news(), "content/news/.secret.md": news(), "content/news/x.md~": "junk",
                         "content/news/.DS_Store": b"\x00\x01", "content/news/Thumbs.db": b"\x00"},
                        "public/news/index.html", ("secret",), ("/news/x/",)),
    "pdf-attachment": Clean({"content/practices/p/index.md": "---\ntitle: П\ndate: 2026-11-01\ninstitution: "
                             "solnyshko\nattachments: [plan.pdf]\n---\nТекст\n",
                             "content/practices/p/plan.pdf": b"%PDF-1.4\n%%EOF\n"},
                            "public/practices/p/index.html", (), ("plan.pdf",)),
}


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_hostile_input_builds_into_sanitized_output(make_site, name):
    case = CLEAN[name]
    root = make_site(case.files)
    build_site(root)  # the oracle runs here too
    html = (root / case.page).read_text(encoding="utf-8")
    for text in case.absent:
        assert text not in html, f"{name}: {text!r} is in {case.page}"
    for text in case.present:
        assert text in html, f"{name}: {text!r} is missing from {case.page}"


def test_crlf_and_bom_give_the_same_output_as_lf(make_site, tmp_path):
    text = news(body="Абзац.\n\n- один\n- два")
    lf = write_site(tmp_path / "lf", {"content/institutions/solnyshko.md": INSTITUTION, NEWS: text})
    crlf = write_site(tmp_path / "crlf", {"content/institutions/solnyshko.md": INSTITUTION,
                                          NEWS: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")})
    build_site(lf)
    build_site(crlf)
    for name in ("news/x/index.html", "sitemap.xml", "index.html"):
        assert (lf / "public" / name).read_bytes() == (crlf / "public" / name).read_bytes()


def test_corpus_is_large_enough():
    assert len(BAD) + len(CLEAN) >= 60


def test_ics_and_feed_readers_see_hostile_text_as_text(make_site):
    import feedparser
    import icalendar
    import recurring_ical_events

    hostile = '"Зал\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT\\r\\nSUMMARY:Взлом"'
    root = make_site({EVENT: event(f"location: {hostile}"),
                      NEWS: news(title="'<script>alert(1)</script> ]]> &amp;'")})
    build_site(root)
    calendar = icalendar.Calendar.from_ical((root / "public/events/e/event.ics").read_bytes())
    [occurrence] = recurring_ical_events.of(calendar).between((2026, 1, 1), (2027, 1, 1))
    assert str(occurrence["SUMMARY"]) == "Семинар"
    assert "Взлом" in str(occurrence["LOCATION"])
    feed = feedparser.parse((root / "public/rss.xml").read_bytes())
    titles = [entry.title for entry in feed.entries]
    assert "<script>alert(1)</script> ]]> &amp;" in titles


# ---- dev server: request targets and hostile file names shown in the error overlay ----------------

SERVED = {"index.html": b"<p>home</p>", "news/x/index.html": b"<p>x</p>"}


@pytest.mark.parametrize("target", [
    "/../netsite.yaml", "/%2e%2e/netsite.yaml", "/news/..%2f..%2fnetsite.yaml", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/..\\netsite.yaml", "/news/x/index.html%00.jpg", "/%252e%252e/netsite.yaml", "/./index.html",
    "/content/news/x.md", "/netsite.yaml", "/news/x/..",
])
def test_dev_server_answers_only_files_of_the_build(target):
    from netsite.server import preview

    assert preview.resolve(target, SERVED, "/") == (404, "")
    # a target with a host part is answered from the build too, never redirected off the machine
    assert preview.resolve("//evil.example/", SERVED, "/") == (200, "index.html")


def test_dev_server_overlay_shows_a_hostile_file_name_as_text(make_site):
    from netsite.server import preview

    name = "content/news/<img src=x onerror=alert(1)>.md"
    root = make_site({name: news()})
    err = diagnostics_of(root)
    assert ("path.windows", name, None) in codes(err)
    page = preview.inject(b"<html><body></body></html>",
                          preview.Snapshot(problems=err.diagnostics, failed=True, version=2)).decode("utf-8")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert oracle_html_problems(page) == []


def oracle_html_problems(page: str) -> list[str]:
    import oracle
    return oracle.html_problems(page, lambda src, text: (src or "").startswith("/__netsite/"))
