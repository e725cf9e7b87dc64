"""The oracle itself: it must catch what it is there to catch, or it proves nothing."""

from __future__ import annotations

import io

import pytest
from PIL import Image

import oracle

THEME_SCRIPT = lambda src, text: src is not None and src.startswith("/static/")  # noqa: E731


@pytest.mark.parametrize("html", [
    "<p><script>alert(1)</script></p>",
    '<img src="x.jpg" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" JaVa\tScript:alert(1)">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<a href="vbscript:msgbox">x</a>',
    '<script src="https://evil.example/x.js"></script>',
    '<img srcset="a.jpg 1x, javascript:alert(1) 2x">',
    '<div style="background:url(javascript:alert(1))">x</div>',
])
def test_oracle_catches_unsafe_html(html):
    assert oracle.html_problems(html, THEME_SCRIPT)


def test_oracle_accepts_json_ld_but_not_a_script_that_broke_out_of_it():
    good = '<script type="application/ld+json">{"name": "\\u003c/script\\u003e"}</script>'
    assert oracle.html_problems(good, THEME_SCRIPT) == []
    broken = '<script type="application/ld+json">{"name": "</script><script>alert(1)</script>"}'
    assert oracle.html_problems(broken, THEME_SCRIPT)


def test_oracle_passes_theme_scripts_and_plain_text():
    html = '<script src="/static/js/site.js"></script><p>&lt;script&gt; javascript: text</p>'
    assert oracle.html_problems(html, THEME_SCRIPT) == []


def test_oracle_sees_image_metadata():
    exif = Image.Exif()
    exif[0x010F] = "Camera"
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "JPEG", exif=exif.tobytes())
    assert "exif" in oracle.image_metadata(buffer.getvalue())
    clean = io.BytesIO()
    Image.new("RGB", (8, 8)).save(clean, "JPEG")
    assert oracle.image_metadata(clean.getvalue()) == []


@pytest.mark.parametrize("name, data", [("sitemap.xml", b"<urlset><url></urlset>"),
                                        ("calendar.ics", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n")])
def test_oracle_catches_broken_xml_and_ics(name, data):
    assert oracle.file_problems(name, data, THEME_SCRIPT)


def test_oracle_catches_a_build_that_is_not_reproducible(tmp_path):
    (tmp_path / "index.html").write_bytes(b"<p>1</p>")

    class File:
        path, data, source = "index.html", b"<p>2</p>", None
    with pytest.raises(AssertionError, match="byte-identical"):
        oracle.check(tmp_path, [], rebuild=lambda: [File()])


def test_example_site_passes_the_oracle(example_site):
    assert (example_site / "public" / "index.html").is_file()
