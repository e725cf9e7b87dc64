"""Responsive photos: sizes, formats, hashed names, the cache, <picture> markup and the gallery."""

from __future__ import annotations

import io

from PIL import Image

from netsite.content import pictures

from conftest import build_site, codes, diagnostics_of


def jpeg(width: int = 1600, height: int = 1000, colour=(200, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG")
    return buffer.getvalue()


NEWS = """\
---
title: Осенняя выставка
date: 2026-11-01
image: foto.jpg
gallery:
  - {file: foto.jpg, alt: Рисунки на стенде}
  - {file: vtoroe.jpg, alt: Дети у выставки}
---
Выставка открыта.

![Поделки из шишек](foto.jpg)
"""


def photo_site(make_site, **extra):
    return make_site({"content/news/vystavka/index.md": NEWS, "content/news/vystavka/foto.jpg": jpeg(),
                      "content/news/vystavka/vtoroe.jpg": jpeg(800, 600, (10, 90, 200)), **extra})


def test_widths_never_upscale():
    assert pictures.widths_for(1600) == (480, 960, 1440)
    assert pictures.widths_for(700) == (480, 700)
    assert pictures.widths_for(300) == (300,)


def test_variants_are_webp_and_jpeg_of_each_width():
    found = pictures.variants(Image.new("RGB", (1000, 500)), "k")
    assert sorted(found) == ["k-1000.jpg", "k-1000.webp", "k-480.jpg", "k-480.webp", "k-960.jpg", "k-960.webp"]
    small = Image.open(io.BytesIO(found["k-480.webp"]))
    assert (small.format, small.size) == ("WEBP", (480, 240))
    assert Image.open(io.BytesIO(found["k-960.jpg"])).format == "JPEG"


def test_the_key_follows_the_bytes():
    assert pictures.key_of(jpeg()) == pictures.key_of(jpeg())
    assert pictures.key_of(jpeg()) != pictures.key_of(jpeg(colour=(0, 0, 0)))


def test_news_photos_become_lazy_pictures_with_hashed_files(make_site):
    root = photo_site(make_site)
    build_site(root)
    page = (root / "public/news/vystavka/index.html").read_text(encoding="utf-8")
    key = pictures.key_of((root / "content/news/vystavka/foto.jpg").read_bytes())
    for width in (480, 960, 1440):
        for ext in ("webp", "jpg"):
            assert (root / f"public/assets/img/{key}-{width}.{ext}").is_file()
            assert f"/assets/img/{key}-{width}.{ext} {width}w" in page
    assert 'alt="Поделки из шишек"' in page
    assert 'width="1440" height="900"' in page
    assert page.count('loading="lazy"') >= 5
    assert '<source type="image/webp"' in page


def test_the_gallery_opens_without_javascript(make_site):
    root = photo_site(make_site)
    build_site(root)
    page = (root / "public/news/vystavka/index.html").read_text(encoding="utf-8")
    assert 'href="#photo-1"' in page and 'id="photo-1"' in page and 'id="photo-2"' in page
    assert 'href="#photo-2">' in page  # "next" from the first photo
    assert 'alt="Дети у выставки"' in page


def test_each_image_is_encoded_once_and_cached_across_builds(make_site, monkeypatch):
    root = photo_site(make_site)
    build_site(root)
    calls = []
    monkeypatch.setattr(pictures, "variants", lambda *a: calls.append(a) or {})
    build_site(root)
    assert calls == []
    assert any((root / "public/assets/img").iterdir())


def test_a_gallery_photo_needs_a_description(make_site):
    root = make_site({"content/news/x/index.md": "---\ntitle: X\ndate: 2026-11-01\ngallery: [foto.jpg]\n---\nТекст\n",
                      "content/news/x/foto.jpg": jpeg()})
    assert ("field.gallery", "content/news/x/index.md", 4) in codes(diagnostics_of(root))


def test_a_broken_image_stops_the_build_and_is_never_published(make_site):
    # Every published image is re-encoded from pixels (images.py): one that cannot be decoded
    # cannot be cleaned of metadata, so it is an error, not a file copied as it is.
    root = make_site({"content/news/x/index.md": "---\ntitle: X\ndate: 2026-11-01\nimage: foto.jpg\n---\nТекст\n",
                      "content/news/x/foto.jpg": b"not a picture"})
    error = diagnostics_of(root)
    assert any(code.startswith("image.") and path.endswith("foto.jpg") for code, path, _ in codes(error))
    assert not (root / "public").exists()


def test_an_image_without_description_fails_a_strict_build(make_site):
    root = make_site({"content/news/x/index.md": "---\ntitle: X\ndate: 2026-11-01\n---\n![](foto.jpg)\n",
                      "content/news/x/foto.jpg": jpeg()})
    assert ("markdown.alt", "content/news/x/index.md", 5) in codes(diagnostics_of(root, strict=True))
    assert any(d.code == "markdown.alt" for d in build_site(root).diagnostics)


def test_feed_items_carry_the_same_picture_with_absolute_addresses(make_site):
    import feedparser

    root = photo_site(make_site)
    build_site(root)
    content = feedparser.parse((root / "public/news/rss.xml").read_bytes()).entries[0].content[0].value
    assert "https://net.example.org/assets/img/" in content
    assert ' /assets/img/' not in content and '"/assets/img/' not in content
