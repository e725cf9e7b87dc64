"""bench/: the generated corpus is deterministic, has every kind (the network's cycle too) and builds clean."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import build_site

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate import CYCLE, generate
from run import pagefind_command

KINDS = ("institutions", "pages", "practices", "events", "news") + CYCLE


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_n_gives_the_same_bytes(tmp_path):
    first = files(generate(200, tmp_path / "a"))
    second = files(generate(200, tmp_path / "b"))
    assert first == second
    assert len([name for name in first if name.endswith(".md")]) == 200
    assert files(generate(201, tmp_path / "c")) != first


def test_every_kind_in_proportion(tmp_path):
    content = generate(1000, tmp_path / "site") / "content"
    counts = {kind: sum(1 for _ in (content / kind).rglob("index.md")) + len(list((content / kind).glob("*.md")))
              for kind in KINDS}
    assert all(counts[kind] > 0 for kind in KINDS), counts
    cycle = sum(counts[kind] for kind in CYCLE)
    assert 10 <= cycle <= 50, counts  # a few percent of N, not a tenth
    assert sum(counts.values()) == 1000


@pytest.mark.slow
def test_a_hundred_generated_entries_build_without_problems(tmp_path):
    site = generate(100, tmp_path / "site")  # the smallest corpus with every kind of the cycle
    assert "search: false" in (site / "netsite.yaml").read_text(encoding="utf-8")
    result = build_site(site)
    assert result.diagnostics == ()
    by_kind = {kind: len(getattr(result.site.cycle, kind)) for kind in CYCLE}
    assert all(by_kind.values()), by_kind
    public = site / "public"
    assert not (public / "pagefind").exists()  # the build column does no indexing
    plan = next((public / "plans").glob("*/index.html")).read_text(encoding="utf-8")
    assert "/events/sobytie-" in plan  # plan items link the events that carry them out
    assert (public / "monitoring" / "index.html").is_file()


def test_pagefind_column_indexes_the_built_output(tmp_path):
    site = tmp_path / "site"
    command = pagefind_command(site)
    assert command is not None  # pagefind[bin] is a test dependency
    assert Path(command[0]).is_file()
    assert command[1:] == ["--site", str(site / "public"), "--silent"]


def test_the_entry_pagefind_column_sees_only_entry_pages(tmp_path):
    """bench/run.py times Pagefind over what netsite shows it: hard links to the marked pages."""
    from run import entry_mirror, output_bytes

    out = tmp_path / "public"
    (out / "news/a").mkdir(parents=True)
    (out / "news/a/index.html").write_bytes(b'<main data-pagefind-body>A</main>')
    (out / "news/index.html").write_bytes(b"<main>list</main>")
    (out / "rss.xml").write_bytes(b"<rss/>")
    mirror = entry_mirror(out, tmp_path / "mirror")
    assert sorted(p.relative_to(mirror).as_posix() for p in mirror.rglob("*.html")) == ["news/a/index.html"]
    assert (mirror / "news/a/index.html").stat().st_ino == (out / "news/a/index.html").stat().st_ino
    assert output_bytes(out) == 33 + 17 + 6
