"""Responsive photos: each image an entry uses, resized by Pillow to several widths, WebP and JPEG.

Design notes: resizing takes already-decoded pixels (`variants(image, key)`), so any decoding
step (such as metadata stripping) composes in front of it. Output names carry a hash of the
source bytes and of the settings (`/assets/img/<hash>-<width>.webp`), so they can be cached
forever; the encoded files are kept in `<site>/.netsite-cache/pictures/` and an image is
encoded once, not once per build. Body images become <picture> at render time (`body_html`,
used by pages and feed items alike), while `entry.body` stays the sanitized Markdown HTML, so
the sanitizer never has to allow <picture>. `netsite check` fills the
cache too (it must decode each image to find broken ones); the cache is never part of the output.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from netsite.content import photo
from netsite.content.kinds import gallery_of, image_of
from netsite.content.models import Asset, Entry, OutputFile
from netsite.diagnostics import Diagnostic, warning
from netsite.messages import message, third_party

WIDTHS = (480, 960, 1440)
QUALITY = {"webp": 78, "jpeg": 82}
VERSION = "2"  # 2: pixels through photo.pixels, so no comment or profile is carried over
"""Bump to re-encode every cached image (a change of widths or quality does it by itself)."""
SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
CACHE = Path(".netsite-cache") / "pictures"
OUT = "assets/img"
_IMG = re.compile(r"<img\s([^>]*)>")
_ATTR = re.compile(r'([a-z-]+)="([^"]*)"')


@dataclass(frozen=True, slots=True)
class Picture:
    """One image in every size: (url, width) per format, widest last."""

    width: int
    height: int
    webp: tuple[tuple[str, int], ...]
    jpeg: tuple[tuple[str, int], ...]

    @property
    def fallback(self) -> str:
        """The JPEG for browsers without srcset: the middle size, good enough on any screen."""
        return self.jpeg[min(1, len(self.jpeg) - 1)][0]


def key_of(data: bytes) -> str:
    settings = f"{VERSION}|{WIDTHS}|{sorted(QUALITY.items())}".encode()
    return hashlib.sha256(settings + data).hexdigest()[:20]


def widths_for(width: int) -> tuple[int, ...]:
    """The standard widths narrower than the original, and the original if it is narrower still."""
    return tuple(w for w in WIDTHS[:-1] if w < width) + (min(width, WIDTHS[-1]),)


def decode(data: bytes) -> Image.Image:
    """Pixels upright and in RGB; nothing else of the file is carried over."""
    with Image.open(io.BytesIO(data)) as image:
        return photo.pixels(image).convert("RGB")


def variants(image: Image.Image, key: str) -> dict[str, bytes]:
    """file name → encoded bytes for every width and format of one decoded image."""
    result = {}
    for width in widths_for(image.width):
        height = max(1, round(image.height * width / image.width))
        scaled = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
        for fmt, quality in QUALITY.items():
            buffer = io.BytesIO()
            scaled.save(buffer, "WEBP" if fmt == "webp" else "JPEG", quality=quality, optimize=True,
                        **({"method": 4} if fmt == "webp" else {"progressive": True}))
            result[f"{key}-{width}.{'webp' if fmt == 'webp' else 'jpg'}"] = buffer.getvalue()
    return result


def process(source: Path, cache: Path) -> tuple[Picture, list[Path]]:
    """The picture of one image file, encoding it only if the cache lacks it."""
    data = source.read_bytes()
    key = key_of(data)
    folder = cache / key
    done = folder / "size.txt"
    if not done.is_file():
        image = decode(data)
        folder.mkdir(parents=True, exist_ok=True)
        for name, encoded in variants(image, key).items():
            (folder / name).write_bytes(encoded)
        done.write_text(f"{image.width} {image.height}\n", encoding="utf-8")  # written last: marks it complete
    width, height = (int(n) for n in done.read_text(encoding="utf-8").split())
    files = sorted(p for p in folder.iterdir() if p.suffix in (".webp", ".jpg"))
    return _picture(key, width, height), files


def _picture(key: str, width: int, height: int) -> Picture:
    """width and height of the widest variant: the aspect ratio the browser reserves before loading."""
    widths = widths_for(width)
    def sizes(ext: str) -> tuple[tuple[str, int], ...]:
        return tuple((f"/{OUT}/{key}-{w}{ext}", w) for w in widths)
    return Picture(widths[-1], max(1, round(height * widths[-1] / width)), sizes(".webp"), sizes(".jpg"))


def used_images(entry: Entry, page_url: str) -> list[Asset]:
    """The entry's image files that it shows: `image:`, its gallery, and images in its body."""
    wanted = {image_of(entry)} | {item["file"] for item in gallery_of(entry)}
    wanted |= {html.unescape(src)[len(page_url):] for src in re.findall(r'<img\s[^>]*src="([^"]*)"', entry.body)
               if html.unescape(src).startswith(page_url)}
    return [a for a in entry.assets if a.name in wanted and a.name.lower().endswith(SUFFIXES)]


def apply(entries: list[Entry], root: Path, url) -> tuple[list[Entry], list[OutputFile], list[Diagnostic]]:
    """Process every image the entries show; entries get `pictures`: file name → Picture."""
    cache = root / CACHE
    done: dict[Path, tuple[Picture, list[Path]]] = {}
    files: dict[str, Path] = {}
    problems: list[Diagnostic] = []
    result = []
    for entry in entries:
        page_url = url(entry.path)
        pictures = {}
        for asset in used_images(entry, page_url):
            try:
                done.setdefault(asset.source, process(asset.source, cache))
            except (UnidentifiedImageError, Image.DecompressionBombError, ValueError, SyntaxError):
                # Published as it is, in a plain <img>; `netsite check` reports the broken file.
                continue
            except OSError as exc:
                detail = third_party(exc.strerror) if exc.strerror else message("part:detail.damaged")
                problems.append(warning(asset.shown, None, "image.decode", detail=detail))
                continue
            picture, paths = done[asset.source]
            pictures[asset.name] = picture
            files.update({f"{OUT}/{p.name}": p for p in paths})
        if pictures:
            entry = replace(entry, pictures=pictures)
        result.append(entry)
    return result, [OutputFile(name, b"", source=path) for name, path in sorted(files.items())], problems


def body_html(entry: Entry, url) -> str:
    """The entry's body for its page, images as <picture>; feeds keep the plain <img> of `entry.body`."""
    found = entry.pictures
    if not found:
        return entry.body
    page_url = url(entry.path)
    return rewrite(entry.body, {page_url + name: p for name, p in found.items()}, url("/"))


def rewrite(body: str, pictures: dict[str, Picture], base: str = "/",
            sizes: str = "(max-width: 48rem) 100vw, 48rem") -> str:
    """Each <img> of a processed image becomes a lazy <picture> with WebP and JPEG sources."""
    def one(match: re.Match) -> str:
        attrs = dict(_ATTR.findall(match.group(1)))
        picture = pictures.get(html.unescape(attrs.get("src", "")))
        if picture is None:
            return match.group(0)
        return markup(picture, html.unescape(attrs.get("alt", "")), sizes, html.unescape(attrs.get("title", "")), base)
    return _IMG.sub(one, body)


def srcset(items: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{url} {width}w" for url, width in items)


def markup(picture: Picture, alt: str, sizes: str, title: str = "", base: str = "/") -> str:
    """The <picture> element; templates use the same through the `picture` global."""
    prefix = base.rstrip("/")
    webp = tuple((prefix + u, w) for u, w in picture.webp)
    jpeg = tuple((prefix + u, w) for u, w in picture.jpeg)
    extra = f' title="{html.escape(title)}"' if title else ""
    return (f'<picture class="picture"><source type="image/webp" srcset="{srcset(webp)}" sizes="{sizes}">'
            f'<img src="{prefix}{picture.fallback}" srcset="{srcset(jpeg)}" sizes="{sizes}" '
            f'width="{picture.width}" height="{picture.height}" alt="{html.escape(alt)}"{extra} '
            f'loading="lazy" decoding="async"></picture>')
