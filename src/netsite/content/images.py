"""Published images and attachments: photos re-encoded from pixels, with nothing but the pixels.

The photos are of children, so no byte of an original image is ever published: every raster image
is decoded with Pillow, turned upright (EXIF orientation), converted to sRGB when it carries a
colour profile, and encoded anew from its pixels alone, so EXIF (GPS, camera serials, dates), XMP,
IPTC, ICC profiles, comments and PNG text chunks cannot survive. `scan` checks the output again
after the build, as a second, independent layer. Documents (PDF, office files, UTF-8 text) are
attachments only, copied as they are after a check that their bytes match their extension. Everything else
(HEIC, SVG, TIFF, scripts, archives) is refused with a hint.

Encoding is deterministic (no timestamps, fixed settings), so a rebuild is byte-identical; results
are kept by content hash in a `Memo` that `serve` keeps between builds (in `build.Memo`), so it does
not re-encode an unchanged photo; a plain build starts with an empty one.

An animated GIF is published as its first frame (the pixels of one picture), and a warning says so
at the line that shows it: the front-matter key, or the Markdown line found by reading the entry's
source again. That second read happens only for an animated GIF, which is rare, so the rendered
Markdown need not carry a line for every image it shows.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from PIL import Image

from netsite.content.models import Asset, OutputFile
from netsite.content.photo import clean, metadata_of
from netsite.content.sources import file_status
from netsite.diagnostics import Diagnostic, error, error_of, warning
from netsite.messages import Message, message

MAX_IMAGE_BYTES = 25 * 1024 * 1024
"""A phone photo is 2–12 MB; anything larger is refused before it is read."""
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024

# extension → (Pillow format that must be found inside, format to encode with)
RASTER = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".gif": "GIF"}
# extension → the bytes such a file starts with (office files are zip or OLE containers)
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOCUMENTS = {".pdf": (b"%PDF-",), ".docx": (_ZIP,), ".xlsx": (_ZIP,), ".pptx": (_ZIP,), ".odt": (_ZIP,),
             ".ods": (_ZIP,), ".odp": (_ZIP,), ".doc": (_OLE,), ".xls": (_OLE,), ".ppt": (_OLE,),
             ".rtf": (b"{\\rtf",), ".txt": (), ".csv": ()}
"""Plain text (.txt, .csv) has no signature: it must be UTF-8 without NUL bytes instead."""
_HINTS = {".heic": "part:kind.heic", ".heif": "part:kind.heif", ".svg": "part:kind.svg", ".tif": "part:kind.tiff",
          ".tiff": "part:kind.tiff", ".bmp": "part:kind.bmp"}
FILE_FIELDS = ("image", "logo", "attachments", "attachment")
"""Front-matter keys whose values are names of the bundle's files."""


@dataclass(frozen=True, slots=True)
class Memo:
    """What the checks of one build, or of every build of one `serve`, found out about files."""

    cleaned: dict[bytes, bytes | Message] = field(default_factory=dict)
    """sha256 of a photo's bytes + its name → its pixels encoded anew, or why they cannot be."""
    animated: dict[bytes, bool] = field(default_factory=dict)
    """sha256 of a GIF's bytes → whether it has more than one frame."""
    scanned: dict[tuple, list[str]] = field(default_factory=dict)
    """(path, file status) of a published photo → the metadata `scan` found in it."""


def is_raster(name: str) -> bool:
    # PurePosixPath(name).suffix, without making a path: `serve` asks for every output file after every save
    base = name.rpartition("/")[2]
    dot = base.rfind(".")
    return 0 < dot < len(base) - 1 and base[dot:].lower() in RASTER


def kind_problem(name: str) -> Message | None:
    """Why a file beside index.md cannot be published at all, or None."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in RASTER or suffix in DOCUMENTS:
        return None
    if suffix in _HINTS:
        return message(_HINTS[suffix])
    return message("part:kind.other", photos="JPEG, PNG, WebP, GIF",
                   documents="PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, DOC, XLS, PPT, RTF, TXT, CSV")


def referenced(entry) -> set[str]:
    """The bundle files an entry uses: in its Markdown, or named by a file field of its front matter."""
    names = set(entry.used_assets)
    for key in FILE_FIELDS:
        value = entry.get(key)
        names.update([value] if isinstance(value, str) else value or ())
    return names


def publish(entries: Iterable, memo: Memo | None = None) -> tuple[list[OutputFile], list[Diagnostic]]:
    """The output files of the assets each entry uses, or diagnostics naming the file and the fix.

    A file beside index.md that nothing refers to is not published (a warning says so): a photo
    put there "just in case" must not reach the public without its author choosing to show it.
    """
    from netsite.content.urls import output_file

    memo = memo or Memo()
    files: list[OutputFile] = []
    problems: list[Diagnostic] = []
    for entry in entries:
        folder = output_file(entry.path).rsplit("/", 1)[0] + "/"
        used = referenced(entry)
        for asset in entry.assets:
            made = publish_asset(asset, folder + asset.name, memo) if asset.name in used else _unused(asset, entry)
            if isinstance(made, OutputFile):
                files.append(made)
                problems.extend(_first_frame_only(asset, entry, memo))
            else:
                problems.extend(made)
    return files, problems


def _unused(asset: Asset, entry) -> list[Diagnostic]:
    """A file nothing uses: a warning, unless its type may never be published (then an error)."""
    problem = kind_problem(asset.name)
    if problem:
        return [error(asset.shown, None, "asset.type", name=asset.name, problem=problem)]
    return [warning(asset.shown, None, "asset.unused", name=asset.name, source=entry.source)]


def _first_frame_only(asset: Asset, entry, memo: Memo) -> list[Diagnostic]:
    """A warning for an animated GIF: the site shows its first frame only."""
    if PurePosixPath(asset.name).suffix.lower() != ".gif" or not is_animated(asset.source, memo):
        return []
    return [warning(entry.source, showing_line(entry, asset), "image.animated", name=asset.name)]


def is_animated(path: Path, memo: Memo) -> bool:
    """More than one frame (Pillow reads the frame headers, not the pixels)."""
    data = path.read_bytes()
    key = hashlib.sha256(data).digest()
    if key not in memo.animated:
        try:
            with Image.open(io.BytesIO(data)) as image:
                memo.animated[key] = bool(getattr(image, "is_animated", False))
        except (OSError, ValueError, SyntaxError, EOFError):
            memo.animated[key] = False  # damaged: publish_asset has said so already
    return memo.animated[key]


def showing_line(entry, asset: Asset) -> int | None:
    """The line of the front-matter key naming the file, else the first Markdown line showing or
    linking to it (the entry's source is read again), else None."""
    for key in FILE_FIELDS:
        value = entry.get(key)
        if value == asset.name:
            return entry.lines.get(key)
        if isinstance(value, (list, tuple)) and asset.name in value:
            return entry.lines.get((key, list(value).index(asset.name))) or entry.lines.get(key)
    # asset.shown is site-relative (content/news/x/foto.gif): strip as many parts off asset.source
    root = asset.source.parents[len(PurePosixPath(asset.shown).parts) - 1]
    try:
        text = (root / entry.source).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    target = re.compile(r"\]\(\s*<?(?:\./)?" + re.escape(asset.name) + r"[\s>)#?\"']")
    for number, line in enumerate(text.splitlines(), 1):
        if target.search(line):
            return number
    return None


def publish_asset(asset: Asset, target: str, memo: Memo) -> OutputFile | list[Diagnostic]:
    problem = kind_problem(asset.name)
    if problem:
        return [error(asset.shown, None, "asset.type", name=PurePosixPath(asset.name).name, problem=problem)]
    if not is_raster(asset.name):
        return _document(asset, target)
    size = asset.source.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return [error(asset.shown, None, "image.size", n=MAX_IMAGE_BYTES // 2**20)]
    data = asset.source.read_bytes()
    key = hashlib.sha256(data).digest() + asset.name.lower().encode()
    if key not in memo.cleaned:
        memo.cleaned[key] = clean(data, RASTER[PurePosixPath(asset.name).suffix.lower()])
    result = memo.cleaned[key]
    if isinstance(result, Message):
        return [error_of(asset.shown, None, result)]
    return OutputFile(target, result)


def _document(asset: Asset, target: str) -> OutputFile | list[Diagnostic]:
    suffix = PurePosixPath(asset.name).suffix.lower()
    if asset.source.stat().st_size > MAX_DOCUMENT_BYTES:
        return [error(asset.shown, None, "asset.size", n=MAX_DOCUMENT_BYTES // 2**20)]
    if not _looks_like(asset.source, DOCUMENTS[suffix]):
        return [error(asset.shown, None, "asset.content", type=suffix[1:].upper())]
    return OutputFile(target, b"", source=asset.source)


def _looks_like(path, signatures: tuple[bytes, ...]) -> bool:
    if signatures:
        with path.open("rb") as handle:
            return handle.read(16).startswith(signatures)
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data


def scan(files: Iterable[OutputFile], memo: Memo | None = None) -> list[Diagnostic]:
    """The post-build check: every published raster image must carry pixels and nothing else."""
    memo = memo or Memo()
    problems = []
    for file in files:
        if is_raster(file.path):
            found = _metadata_of_file(file.source, memo) if file.source is not None else metadata_of(file.data)
            if found:
                where = str(file.source) if file.source else file.path
                problems.append(error(where, None, "image.metadata", path=file.path, keys=", ".join(found)))
    return problems


def _metadata_of_file(path: Path, memo: Memo) -> list[str]:
    """metadata_of a file, scanned again only when its size, times or inode changed (`serve`
    checks every photo after every save)."""
    key = (str(path), *file_status(path.stat()))
    if key not in memo.scanned:
        memo.scanned[key] = metadata_of(path.read_bytes())
    return memo.scanned[key]


