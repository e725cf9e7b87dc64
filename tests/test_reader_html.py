"""Valid HTML: the Nu Html Checker (npm vnu-jar, on the machine's Java) finds no error on any page."""

from __future__ import annotations

import json
import shutil
import subprocess

from conftest import REPO

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


JVM = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
"""A short run of the checker is mostly JVM start-up: the quick compiler alone and the serial collector
check the example site with 2.3 s of CPU instead of 5.9 s, and the messages are the same."""


def run_vnu(*paths) -> list[dict]:
    """The Nu Html Checker's messages on the given folders and files, in one Java process."""
    assert shutil.which("java"), "Java is missing: .ci/run installs default-jre-headless"
    assert VNU.is_file(), "vnu-jar is missing: run `npm ci` in the repository root"
    done = subprocess.run(["java", *JVM, "-jar", str(VNU), "--format", "json", "--errors-only", "--skip-non-html",
                           *map(str, paths)], capture_output=True, text=True, encoding="utf-8", timeout=600)
    return json.loads(done.stderr or done.stdout)["messages"]


def test_every_page_of_the_example_site_is_valid_html(example_site):
    public = example_site / "public"
    pages = sorted(p.relative_to(public).as_posix() for p in public.rglob("*.html"))
    kinds = {p.split("/")[0] for p in pages}
    assert {"index.html", "news", "events", "practices", "institutions", "search", "tags", "404.html"} <= kinds
    errors = [f"{m.get('url', '').rsplit('/public/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in run_vnu(public) if m.get("type") == "error"]
    assert errors == []


def test_the_checker_does_report_an_error(tmp_path):
    # Guards the test above: a broken page must come back as an error, not pass silently.
    (tmp_path / "bad.html").write_text("<!DOCTYPE html><html lang=ru><title>x</title><p><div></span>",
                                       encoding="utf-8")
    assert any(m.get("type") == "error" for m in run_vnu(tmp_path))


def test_photos_gallery_and_map_are_valid_html(make_site):
    from test_directory import TILES
    from test_pictures import photo_site

    from conftest import BASE_CONFIG, build_site

    root = photo_site(make_site, **{"content/institutions/rosinka.md": "---\ntitle: Росинка\nkind: school\n"
                                    "website: https://r.example.ru\ngeo: [55.75, 37.62]\n---\n"})
    (root / "netsite.yaml").write_text(BASE_CONFIG + f"map_tiles: {TILES}\n", encoding="utf-8")
    build_site(root)
    pages = [root / "public/news/vystavka/index.html", root / "public/institutions/index.html"]
    assert "<picture" in pages[0].read_text(encoding="utf-8") and "map-pin" in pages[1].read_text(encoding="utf-8")
    assert [m["message"] for m in run_vnu(*pages) if m.get("type") == "error"] == []
