"""The output folder: swapped in atomically, stale temporaries cleaned, nothing deleted through a link."""

from __future__ import annotations

import os

import pytest

from netsite.content.models import OutputFile
from netsite.publish import output

from bad_inputs import news
from conftest import BASE_CONFIG, build_site, codes, diagnostics_of

NEWS = "content/news/x.md"


def test_nothing_is_deleted_through_a_symlink_in_the_old_output(make_site, tmp_path):
    outside = tmp_path / "precious"
    outside.mkdir()
    (outside / "keep.txt").write_text("важно", encoding="utf-8")
    root = make_site({NEWS: news()})
    build_site(root)
    os.symlink(outside, root / "public" / "link")
    build_site(root)
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "важно"
    assert not (root / "public" / "link").exists()


def test_stale_temporaries_are_removed_and_stale_links_only_unlinked(make_site, tmp_path):
    outside = tmp_path / "precious"
    outside.mkdir()
    (outside / "keep.txt").write_text("x", encoding="utf-8")
    root = make_site({NEWS: news()})
    (root / ".public.tmp-999").mkdir()
    (root / ".public.tmp-999" / "half.html").write_text("x", encoding="utf-8")
    (root / ".public.old-998").mkdir()
    os.symlink(outside, root / ".public.tmp-997")
    build_site(root)
    leftovers = sorted(p.name for p in root.iterdir() if p.name.startswith(".public"))
    assert leftovers == [".public.spare"]  # the old site (.old-998 put back) kept for the next build
    assert (outside / "keep.txt").exists()


def test_output_folder_that_is_a_symlink_is_refused(make_site, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = make_site({NEWS: news()})
    os.symlink(elsewhere, root / "public")
    assert ("config.output_dir", "netsite.yaml", None) in codes(diagnostics_of(root))
    assert list(elsewhere.iterdir()) == []


def test_output_folder_inside_a_symlinked_folder_is_refused(make_site, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = make_site({NEWS: news()}, config=BASE_CONFIG + "output_dir: out/site\n")
    os.symlink(elsewhere, root / "out")
    assert ("config.output_dir", "netsite.yaml", 4) in codes(diagnostics_of(root))


def test_failed_build_leaves_the_previous_output_untouched(make_site):
    root = make_site({NEWS: news()})
    build_site(root)
    before = {p: p.read_bytes() for p in (root / "public").rglob("*") if p.is_file()}
    (root / NEWS).write_text(news("a: &x 1"), encoding="utf-8")
    diagnostics_of(root)
    after = {p: p.read_bytes() for p in (root / "public").rglob("*") if p.is_file()}
    assert after == before


def test_previous_site_folder_may_be_replaced_but_a_foreign_one_may_not(make_site):
    root = make_site({NEWS: news()}, config=BASE_CONFIG + "output_dir: docs\n")
    (root / "docs").mkdir()
    (root / "docs" / "manual.txt").write_text("not a site", encoding="utf-8")
    assert ("config.output_dir", "netsite.yaml", 4) in codes(diagnostics_of(root))
    (root / "docs" / "manual.txt").unlink()
    build_site(root)  # empty: fine; and a site built before is fine too
    build_site(root)
    assert (root / "docs" / "index.html").is_file()


def test_output_paths_equal_after_case_folding_and_nfc_collide():
    files = [OutputFile("news/Ёж/index.html", b""), OutputFile("news/е\u0308ж/INDEX.html", b"")]
    [problem] = output.duplicates(files)
    assert problem.code == "output.collision"


@pytest.mark.parametrize("name", ["rss.xml", "sitemap.xml", "404.html", "robots.txt", "calendar.ics"])
def test_generated_names_are_reserved_for_pages(make_site, name):
    # A page cannot be named after a generated file: the slug rules refuse the dot, the table the stem.
    stem = name.split(".")[0]
    root = make_site({f"content/pages/{name.replace('.', '-')}.md": "---\ntitle: x\nslug: " + name + "\n---\n"})
    found = {code for code, _, _ in codes(diagnostics_of(root))}
    assert "entry.slug" in found or "entry.reserved" in found, (stem, found)


def test_theme_dotfolders_and_editor_junk_are_never_published(make_site):
    root = make_site({NEWS: news(), "themes/default/static/.git/config": "[remote] token=secret",
                      "themes/default/static/css/site.css~": "old", "themes/default/static/.env": "KEY=1",
                      "themes/default/static/css/own.css": "p{}"})
    build_site(root)  # the oracle also refuses any dotfile in the output
    published = {p.relative_to(root / "public").as_posix() for p in (root / "public").rglob("*") if p.is_file()}
    assert "static/css/own.css" in published
    assert not {"static/.git/config", "static/css/site.css~", "static/.env"} & published
