"""Children's privacy: every published image is re-encoded from pixels, upright, with no metadata."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from netsite.content import photo as photo_module

import oracle
from bad_inputs import news, photo
from conftest import build_site, codes, diagnostics_of

BUNDLE = "content/news/b/index.md"
SECRETS = (b"SERIAL-123456", b"PhoneMaker", b"Ivanova", b"GPS 55.7")


def _published(root, name):
    return (root / "public" / "news" / "b" / name).read_bytes()


@pytest.mark.parametrize("fmt, name", [("JPEG", "foto.jpg"), ("PNG", "foto.png"), ("WEBP", "foto.webp"),
                                       ("GIF", "foto.gif"), ("JPEG", "IMG_0001.JPEG")])
def test_published_photo_carries_no_metadata(make_site, fmt, name):
    original = photo(fmt)
    assert oracle.image_metadata(original), "the test photo must carry metadata to begin with"
    root = make_site({BUNDLE: news(f"image: {name}", body=f"![Дети рисуют]({name})"),
                      f"content/news/b/{name}": original})
    build_site(root)
    published = _published(root, name)
    assert published != original
    assert oracle.image_metadata(published) == []
    assert not any(secret in published for secret in SECRETS)
    with Image.open(io.BytesIO(published)) as image:
        assert image.format == fmt


def test_orientation_is_applied_to_the_pixels(make_site):
    root = make_site({BUNDLE: news("image: foto.jpg"), "content/news/b/foto.jpg": photo("JPEG", (32, 24), 6)})
    build_site(root)
    with Image.open(io.BytesIO(_published(root, "foto.jpg"))) as image:
        assert image.size == (24, 32)  # orientation 6: the camera was turned; the photo is upright now
        rgb = image.convert("RGB")
        assert min(rgb.getpixel((20, 3))) > 220 and min(rgb.getpixel((3, 3))) < 200, "the white top-left corner of the sensor is now top right"


def test_no_original_bytes_anywhere_in_the_output(make_site):
    root = make_site({BUNDLE: news("image: a.jpg", body="![Фото](b.png)"),
                      "content/news/b/a.jpg": photo("JPEG"), "content/news/b/b.png": photo("PNG")})
    build_site(root)
    for path in (root / "public").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(secret in data for secret in SECRETS), path


def test_logo_of_an_institution_is_cleaned(make_site):
    from conftest import INSTITUTION
    root = make_site({"content/institutions/solnyshko/index.md": INSTITUTION.replace("kind:", "logo: logo.png\nkind:"),
                      "content/institutions/solnyshko/logo.png": photo("PNG")}, institution=False)
    build_site(root)
    assert oracle.image_metadata((root / "public/institutions/solnyshko/logo.png").read_bytes()) == []


@pytest.mark.parametrize("mode", ["CMYK", "P", "LA", "I;16", "1", "RGBA"])
def test_unusual_pixel_modes_are_published(mode):
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    image = Image.new("RGBA" if mode == "LA" else "RGB", (16, 16), (10, 200, 30))
    converted = image.convert(mode) if mode != "I;16" else Image.new("I;16", (16, 16), 300)
    buffer = io.BytesIO()
    converted.save(buffer, fmt, **({"transparency": 0} if mode == "P" else {}))
    cleaned = photo_module.clean(buffer.getvalue(), fmt)
    assert isinstance(cleaned, bytes), cleaned
    assert oracle.image_metadata(cleaned) == []


def test_re_encoding_is_deterministic():
    data = photo("JPEG", (64, 48))
    assert photo_module.clean(data, "JPEG") == photo_module.clean(data, "JPEG")


def test_documents_are_copied_as_they_are(make_site):
    pdf = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
    root = make_site({"content/practices/p/index.md": "---\ntitle: П\ndate: 2026-11-01\ninstitution: solnyshko\n"
                      "attachments: [plan.pdf]\n---\nТекст\n", "content/practices/p/plan.pdf": pdf})
    build_site(root)
    assert (root / "public/practices/p/plan.pdf").read_bytes() == pdf


def test_post_build_scan_catches_a_theme_image_with_metadata(make_site):
    root = make_site({"themes/default/static/img/team.jpg": photo("JPEG")})
    err = diagnostics_of(root)
    [diagnostic] = [d for d in err.diagnostics if d.code == "image.metadata"]
    assert diagnostic.location.path.endswith("themes/default/static/img/team.jpg")
    assert "static/img/team.jpg" in str(diagnostic.message) and "exif" in str(diagnostic.message)


def test_scan_names_every_kind_of_metadata():
    assert "exif" in photo_module.metadata_of(photo("JPEG"))
    assert {"icc_profile", "text:Comment"} <= set(photo_module.metadata_of(photo("PNG")))
    assert photo_module.metadata_of(b"not an image") == ["unreadable"]


def test_a_file_nothing_refers_to_is_not_published(make_site):
    root = make_site({BUNDLE: news(body="[Программа](programma.pdf)"), "content/news/b/extra.jpg": photo("JPEG"),
                      "content/news/b/programma.pdf": b"%PDF-1.4\n"})
    result = build_site(root)
    assert not (root / "public/news/b/extra.jpg").exists()
    assert (root / "public/news/b/programma.pdf").is_file()
    assert ("asset.unused", "content/news/b/extra.jpg") in {(d.code, d.location.path) for d in result.diagnostics}


def test_image_problems_are_collected_with_content_problems(make_site):
    root = make_site({BUNDLE: news(), "content/news/b/x.svg": "<svg/>", "content/news/y.md": news("slug: BAD")})
    # an SVG is refused even when nothing uses it: it must not sit in the repository looking published
    found = codes(diagnostics_of(root))
    assert ("asset.type", "content/news/b/x.svg", None) in found
    assert ("entry.slug", "content/news/y.md", 4) in found


def test_multi_picture_jpeg_from_a_camera_is_a_jpeg():
    first, second = Image.new("RGB", (16, 12), (200, 0, 0)), Image.new("RGB", (8, 6), (0, 0, 200))
    exif = Image.Exif()
    exif[0x010F] = "Camera"
    buffer = io.BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[second], exif=exif.tobytes())
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    cleaned = photo_module.clean(buffer.getvalue(), "JPEG")
    assert isinstance(cleaned, bytes), cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert (image.format, image.size) == ("JPEG", (16, 12))
    assert oracle.image_metadata(cleaned) == []


def _gif(frames: int) -> bytes:
    pictures = [Image.new("RGB", (16, 12), (40 * n, 90, 200 - 40 * n)) for n in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, "GIF", save_all=frames > 1, append_images=pictures[1:], duration=100, loop=0)
    return buffer.getvalue()


def _warnings(result):
    return {(d.code, d.location.path, d.location.line, d.severity) for d in result.diagnostics}


def test_animated_gif_in_the_body_is_a_warning_at_its_line(make_site):
    body = "Первый абзац.\n\nВторой абзац.\n\n![Дети танцуют](tanec.gif)\n"
    root = make_site({BUNDLE: news(body=body), "content/news/b/tanec.gif": _gif(3)})
    result = build_site(root)
    assert ("image.animated", BUNDLE, 9, "warning") in _warnings(result)
    message = next(str(d.message) for d in result.diagnostics if d.code == "image.animated")
    assert "first frame" in message and "video" in message and "tanec.gif" in message
    with Image.open(io.BytesIO(_published(root, "tanec.gif"))) as image:
        assert not getattr(image, "is_animated", False)  # what the warning says: one frame is published
    assert ("image.animated", BUNDLE, 9) in codes(diagnostics_of(root, strict=True))
    from test_messages import assert_russian

    assert_russian(next(d for d in result.diagnostics if d.code == "image.animated"), "animated GIF")


def test_animated_gif_named_in_front_matter_is_a_warning_at_the_key(make_site):
    root = make_site({BUNDLE: news("summary: Праздник", "image: tanec.gif"), "content/news/b/tanec.gif": _gif(2)})
    assert ("image.animated", BUNDLE, 5, "warning") in _warnings(build_site(root))


def test_still_gif_is_no_warning(make_site):
    root = make_site({BUNDLE: news(body="![Рисунок](still.gif)"), "content/news/b/still.gif": _gif(1)})
    assert not any(d.code == "image.animated" for d in build_site(root).diagnostics)
