"""Property tests: any source builds or gives diagnostics (never a traceback), and no rendered page
carries a foreign script, an on* attribute or a javascript:/data:/vbscript: URL."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from netsite.build import Options, run
from netsite.content import config as config_module
from netsite.content import frontmatter, markup, schema, sources
from netsite.content.models import Document
from netsite.diagnostics import NetsiteError
from netsite.publish.theme import theme_dirs

import oracle
from conftest import INSTITUTION, NOW, write_site
from strategies import front_matter, kind_and_source, markdown

THEME = oracle.theme_scripts(theme_dirs(Path(), "default"))
CONFIG = config_module.from_mapping(Path(tempfile.gettempdir()) / "netsite-properties", {
    "title": "x", "base_url": "https://x.org/", "timezone": "Europe/Moscow"}, {})


def build_or_diagnose(kind: str, text: str) -> tuple[list, NetsiteError | None]:
    """Run the whole pipeline on one source file; returns (files, None) or ([], the error)."""
    with tempfile.TemporaryDirectory() as folder:
        root = write_site(Path(folder), {"content/institutions/solnyshko.md": INSTITUTION})
        (root / "content" / kind).mkdir(exist_ok=True)
        (root / "content" / kind / "x.md").write_text(text, encoding="utf-8")
        try:
            result = run(root, Options(now=NOW))
        except NetsiteError as exc:
            return [], exc
        return [(f.path, f.data) for f in result.files if f.source is None], None


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(item=kind_and_source())
def test_any_source_builds_or_gives_diagnostics(item):
    kind, text = item
    files, err = build_or_diagnose(kind, text)
    if err is not None:
        assert err.diagnostics, "a failed build must say why"
        assert all(d.location.path and d.code for d in err.diagnostics)
        return
    for path, data in files:
        assert oracle.file_problems(path, data, THEME) == [], path


@settings(max_examples=400, deadline=None)
@given(body=markdown())
def test_rendered_markdown_is_always_safe(body):
    ctx = markup.Context(source="content/news/x/index.md", body_line=5, page_url="/news/x/",
                         assets=frozenset({"foto.jpg"}))
    rendered = markup.render(body, ctx)
    assert oracle.html_problems(rendered.html, lambda src, text: False) == []
    assert all(d.location.line and d.location.line >= 5 for d in rendered.diagnostics)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(item=kind_and_source())
def test_accepted_entries_carry_no_invisible_characters(item):
    kind, text = item
    decoded, problem = sources.decode(text.encode("utf-8"))
    if problem:
        return
    parsed, _ = schema.parse(Document(Path("x.md"), f"content/{kind}/x.md", kind, "x", decoded), CONFIG)
    if parsed is not None:
        assert not [t for t in oracle.strings_of(parsed.entry) if oracle.UNSAFE_TEXT.search(t)]


@settings(max_examples=400, deadline=None)
@given(text=front_matter())
def test_front_matter_parses_or_raises_front_matter_error(text):
    try:
        parsed = frontmatter.parse(f"---\n{text}\n---\nbody\n")
    except frontmatter.FrontMatterError as exc:
        assert exc.code.startswith("frontmatter.")
        return
    assert all(isinstance(k, str) for k in parsed.data)
    allowed = (str, int, float, bool, type(None), list, dict)
    stack = list(parsed.data.values())
    while stack:
        value = stack.pop()
        assert isinstance(value, allowed), type(value)
        stack.extend(value.values() if isinstance(value, dict) else value if isinstance(value, list) else [])
