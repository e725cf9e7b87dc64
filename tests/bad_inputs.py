"""Builders for the bad-input corpus: source texts with known line numbers, and hostile images."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, PngImagePlugin

NEWS = "content/news/x.md"
EVENT = "content/events/e.md"


def news(*extra: str, body: str = "Текст новости.", title: str = "Новость") -> str:
    """A news file; `extra` front-matter lines start at line 4, the body at line 5 + len(extra)."""
    lines = ["---", f"title: {title}", "date: 2026-11-01", *extra, "---", body]
    return "\n".join(lines) + "\n"


def event(*extra: str, body: str = "Описание события.") -> str:
    """An event file; `extra` lines start at line 4."""
    lines = ["---", "title: Семинар", "start: 2026-12-03 10:00", *extra, "---", body]
    return "\n".join(lines) + "\n"


def page(*extra: str, body: str = "Текст.") -> str:
    return "\n".join(["---", "title: Страница", *extra, "---", body]) + "\n"


def photo(fmt: str = "JPEG", size: tuple[int, int] = (32, 24), orientation: int | None = 6) -> bytes:
    """A small photo carrying everything a phone puts in: EXIF with GPS and serial, ICC, comments."""
    from PIL import ImageCms

    image = Image.new("RGB", size, (180, 90, 40))
    image.paste((255, 255, 255), (0, 0, 8, 8))  # a white top-left corner, to see the rotation
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0xA431] = "SERIAL-123456"  # BodySerialNumber
    if orientation:
        exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (55.0, 45.0, 21.0), 3: "E", 4: (37.0, 37.0, 4.0)}  # GPS: Moscow
    options: dict = {"exif": exif.tobytes()}
    if fmt in ("JPEG", "PNG", "WEBP"):
        options["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    if fmt == "JPEG":
        options["comment"] = b"Ivanova Masha, group 3"
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "Ivanova Masha, group 3")
        info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS 55.7</x:xmpmeta>")
        options["pnginfo"] = info
    if fmt == "GIF":
        options = {"comment": b"Ivanova Masha"}
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def png_bomb(width: int = 30000, height: int = 30000) -> bytes:
    """A valid PNG header claiming 900 megapixels, with a tiny compressed body: a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * 16)  # only a few rows: the header is the lie
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def truncated_jpeg() -> bytes:
    data = photo("JPEG", (400, 300), None)
    return data[: len(data) // 2]
