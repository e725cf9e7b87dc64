"""Search: Pagefind indexes the built site during `netsite build`; a failure keeps the old site."""

from __future__ import annotations

import json
import os

import pytest

from netsite.build import Options
from netsite.diagnostics import NetsiteError
from netsite.publish import search

from conftest import BASE_CONFIG, build_site, cli

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


def test_pagefind_reads_only_the_entry_pages(make_site, monkeypatch, tmp_path):
    """Lists, terms, calendars and the home page are never read by Pagefind (they carry no
    data-pagefind-body, so it only dropped them), and the folder of links it read is gone after."""
    root = make_site({"content/practices/skazki.md": PRACTICE})
    seen = tmp_path / "seen.txt"
    fake = tmp_path / "pagefind"
    fake.write_text(f'#!/bin/sh\ncd "$2" && find . -name "*.html" | sort > "{seen}"\nmkdir -p "$4"\n'
                    f"echo '{{\"languages\": {{\"ru\": {{\"hash\": \"ru_1\"}}}}}}' > \"$4/pagefind-entry.json\"\n"
                    f'echo meta | gzip > "$4/pagefind.ru_1.pf_meta"\n',  # a bundle whole enough for search.check
                    encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(search, "executable", lambda: fake)
    build_site(root)
    assert seen.read_text(encoding="utf-8").split() == ["./institutions/solnyshko/index.html",
                                                         "./practices/skazki/index.html"]
    assert (root / "public/pagefind").is_dir() and not (root / "public" / search.PAGES).exists()
    assert (root / "public/practices/index.html").is_file()


def test_search_can_be_turned_off(make_site):
    root = make_site({}, config=BASE_CONFIG + "search: false\n")
    build_site(root)
    assert not (root / "public/pagefind").exists()
    assert not (root / "public/search").exists()
    home = (root / "public/index.html").read_text(encoding="utf-8")
    assert 'role="search"' not in home and 'href="/search/"' not in home  # no box, no phone link, no footer link


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
        assert problem.code == "search.index" and "out of disk" in str(problem.message)
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


def test_the_dev_server_indexer_writes_only_changed_pages_and_removes_gone_ones(make_site):
    from netsite.build import run

    root = make_site({"content/practices/skazki.md": PRACTICE,
                      "content/practices/igry.md": PRACTICE.replace("Сочиняем сказки", "Игры")})
    files = {f.path: f.data for f in run(root, Options(now="2026-11-25 12:00")).files}
    indexer = search.Indexer()
    try:
        bundle = indexer.run(files)
        assert {"pagefind/pagefind-entry.json", "pagefind/pagefind-ui.js"} <= bundle.keys()
        assert json.loads(bundle["pagefind/pagefind-entry.json"])["languages"]["ru"]["page_count"] == 3
        assert not (indexer.folder / "index.html").exists()  # lists are not even shown to Pagefind
        kept = indexer.folder / "practices/igry/index.html"
        os.utime(kept, ns=(1, 1))  # a page that is rewritten gets a new modification time
        changed = dict(files)
        changed["practices/skazki/index.html"] = files["practices/skazki/index.html"].replace(
            "Дети сочиняют".encode(), "Малыши сочиняют".encode())
        del changed["institutions/solnyshko/index.html"]
        bundle = indexer.run(changed)
        assert kept.stat().st_mtime_ns == 1
        assert "Малыши".encode() in (indexer.folder / "practices/skazki/index.html").read_bytes()
        assert not (indexer.folder / "institutions/solnyshko/index.html").exists()
        assert json.loads(bundle["pagefind/pagefind-entry.json"])["languages"]["ru"]["page_count"] == 2
        assert not any(path.startswith("pagefind/") for path in changed)
    finally:
        indexer.close()
    assert not indexer.folder.exists()


def test_a_cancelled_index_run_stops_pagefind(monkeypatch, tmp_path):
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\nexec sleep 600\n", encoding="utf-8")  # never finishes by itself
    fake.chmod(0o755)
    monkeypatch.setattr(search, "executable", lambda: fake)
    looks = []
    indexer = search.Indexer()
    try:
        with pytest.raises(search.Cancelled):
            indexer.run({"index.html": b"<p>x</p>"}, cancelled=lambda: looks.append(1) or len(looks) > 2)
    finally:
        indexer.close()
    assert len(looks) == 3  # asked before Pagefind and while it ran, and stopped at the first yes
