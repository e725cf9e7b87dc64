"""Search: Pagefind indexes the built site during `netsite build`; a failure keeps the old site."""

from __future__ import annotations

import json

from conftest import BASE_CONFIG, build_site, cli, diagnostics_of
from netsite import search
from netsite.diagnostics import NetsiteError

PRACTICE = """\
---
title: Сочиняем сказки
date: 2026-10-01
institution: solnyshko
---
Дети сочиняют сказки по картинкам.
"""


def test_build_writes_a_russian_index_with_filters(make_site):
    root = make_site({"content/practices/skazki.md": PRACTICE})
    build_site(root)
    entry = json.loads((root / "public/pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["ru"]
    assert entry["languages"]["ru"]["page_count"] == 2  # the practice and the institution
    assert (root / "public/pagefind/pagefind-ui.js").is_file()
    page = (root / "public/practices/skazki/index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-body' in page
    assert 'data-pagefind-filter="Раздел:Практика"' in page
    assert 'data-pagefind-filter="Учреждение:Детский сад «Солнышко»"' in page
    assert 'action="/search/"' in page
    assert (root / "public/search/index.html").is_file()


def test_lists_are_not_indexed(make_site):
    root = make_site({"content/practices/skazki.md": PRACTICE})
    build_site(root)
    assert "data-pagefind-body" not in (root / "public/practices/index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in (root / "public/index.html").read_text(encoding="utf-8")


def test_search_can_be_turned_off(make_site):
    root = make_site({}, config=BASE_CONFIG + "search: false\n")
    build_site(root)
    assert not (root / "public/pagefind").exists()
    assert not (root / "public/search").exists()
    assert 'role="search"' not in (root / "public/index.html").read_text(encoding="utf-8")


def test_a_search_failure_is_a_clear_error_and_keeps_the_previous_site(make_site, monkeypatch, tmp_path):
    root = make_site({})
    build_site(root)
    before = (root / "public/index.html").read_bytes()
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: out of disk' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(search, "executable", lambda: fake)
    (root / "content/news").mkdir()
    (root / "content/news/new.md").write_text("---\ntitle: Новое\ndate: 2026-11-01\n---\nТекст\n", encoding="utf-8")
    try:
        build_site(root)
    except NetsiteError as exc:
        [problem] = exc.diagnostics
        assert problem.code == "search.index" and "out of disk" in problem.message
    else:
        raise AssertionError("the build must fail")
    assert (root / "public/index.html").read_bytes() == before
    assert not (root / "public/news/new").exists()


def test_a_missing_pagefind_names_the_fix(make_site, monkeypatch):
    root = make_site({})
    monkeypatch.setattr(search, "executable", lambda: None)
    result = cli("build", "--root", root, "--now", "2026-11-25 12:00")
    assert result.exit_code == 1
    assert "pagefind[bin]" in result.stderr and "search: false" in result.stderr


def test_check_neither_indexes_nor_finds_a_missing_bundle(make_site, monkeypatch):
    root = make_site({"content/practices/skazki.md": PRACTICE})
    monkeypatch.setattr(search, "executable", lambda: (_ for _ in ()).throw(AssertionError("indexed")))
    result = cli("check", "--root", root, "--now", "2026-11-25 12:00")
    assert result.exit_code == 0, result.stderr
    assert not (root / "public").exists()


def test_the_dev_server_step_carries_the_search_bundle_in_memory(make_site):
    from netsite.build import Options

    root = make_site({"content/practices/skazki.md": PRACTICE})
    result = search.run_indexed(root, Options(now="2026-11-25 12:00"))
    names = {f.path for f in result.files}
    assert {"pagefind/pagefind-entry.json", "pagefind/pagefind-ui.js", "search/index.html"} <= names
    assert not (root / "public").exists()
    entry = json.loads(next(f.data for f in result.files if f.path == "pagefind/pagefind-entry.json"))
    assert entry["languages"]["ru"]["page_count"] == 2
