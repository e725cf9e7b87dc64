"""Walking `content/` and reading every source file once, safely (I/O lives here)."""

from __future__ import annotations

import os
import re
import stat
import time
from pathlib import Path

from netsite.content.frontmatter import FORBIDDEN_CHARACTERS
from netsite.content.models import Asset, Document
from netsite.content.urls import _WINDOWS_RESERVED
from netsite.diagnostics import Diagnostic, error, error_of
from netsite.messages import Message, message

MAX_FILE_BYTES = 2 * 1024 * 1024
RACY_NS = 3_000_000_000
"""A file whose modification time is this close to the moment it was read may have been written
again in the same tick of the file system's clock with the same size: its status proves nothing,
so it is read again until it is older (git's "racy" rule). 3 s covers whole-second clocks (FAT
keeps 2 s); a clock that shows sub-second times ticks in milliseconds, so `FINE_NS` is enough."""
FINE_NS = 100_000_000


def settled(modified_ns: int, seen_ns: int) -> bool:
    """True when a file last written at `modified_ns` and seen at `seen_ns` cannot be written again
    unseen: its status then tells whether it changed."""
    window = RACY_NS if modified_ns % 1_000_000_000 == 0 else min(FINE_NS, RACY_NS)
    return seen_ns - modified_ns >= window
KINDS = ("institutions", "practices", "events", "news", "pages", "agreements", "meetings", "plans", "projects")

# Characters Windows cannot have in a file name; authors clone the repository on Windows.
_UNPORTABLE = re.compile(r'[<>:"|?*\\\x00-\x1f]')


def name_problem(name: str) -> Message | None:
    """Why a file or folder name cannot be checked out on Windows, or None."""
    if _UNPORTABLE.search(name):
        return message("part:name.character")
    if name.endswith((".", " ")):
        return message("part:name.dot")
    if name.split(".")[0].lower().rstrip(" ") in _WINDOWS_RESERVED:
        return message("part:device", name=name.split(".")[0])
    return None


def _refused(root: Path, path: Path, info: os.stat_result | None = None) -> Diagnostic | None:
    """A symlink, a name Windows cannot hold, or something that is not a plain file or folder.

    `info` is the path's lstat when the caller has it: one system call per file instead of four
    (a 10,000-entry site is walked on every save in `serve`).
    """
    if info is None:
        try:
            info = path.lstat()
        except OSError:
            return None  # gone since the folder was listed: nothing to read, nothing to refuse
    if stat.S_ISLNK(info.st_mode):
        return error(shown_path(root, path), None, "path.symlink")
    problem = name_problem(path.name)
    if problem:
        return error(shown_path(root, path), None, "path.windows", name=path.name, problem=problem)
    if not stat.S_ISDIR(info.st_mode) and not stat.S_ISREG(info.st_mode):
        return error(shown_path(root, path), None, "path.special")
    return None


def is_junk(name: str) -> bool:
    """Dotfiles and editor leftovers are never read or published."""
    return (name.startswith((".", "~", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp", ".bak"))
            or name in ("Thumbs.db", "desktop.ini") or name.startswith(".#"))


def shown_path(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_all(root: Path, kinds: tuple[str, ...] = KINDS,
             known: dict[Path, tuple[tuple, Document]] | None = None) -> tuple[list[Document], list[Diagnostic]]:
    """Read every Markdown source under root/content, in sorted order, with its assets.

    `known` (kept by `serve` between builds) maps each path to the file's status and the Document
    read from it: a file whose size, modification and change times and inode are the same gives
    the same Document object again without being read.
    """
    content = root / "content"
    documents: list[Document] = []
    problems: list[Diagnostic] = []
    if content.is_symlink():
        problems.append(error("content", None, "path.symlink:content"))
        return documents, problems
    if not content.is_dir():
        problems.append(error("content", None, "content.missing"))
        return documents, problems
    for kind_dir in sorted(content.iterdir()):
        shown = shown_path(root, kind_dir)
        if is_junk(kind_dir.name):
            continue
        refused = _refused(root, kind_dir)
        if refused:
            problems.append(refused)
            continue
        if not kind_dir.is_dir():
            problems.append(error(shown, None, "path.kind:file", example="content/news/"))
            continue
        if kind_dir.name not in kinds:
            problems.append(error(shown, None, "path.kind", kind=kind_dir.name, kinds=", ".join(kinds)))
            continue
        _walk_kind(root, kind_dir, documents, problems, known)
    return documents, problems


def _walk_kind(root: Path, kind_dir: Path, documents: list[Document], problems: list[Diagnostic],
               known: dict | None) -> None:
    kind = kind_dir.name
    for item in [kind_dir / name for name in sorted(os.listdir(kind_dir))]:  # noqa: PTH208  # sorting names, not Paths: 5× faster
        if is_junk(item.name):
            continue
        info = item.lstat()
        refused = _refused(root, item, info)
        if refused:
            problems.append(refused)
        elif stat.S_ISDIR(info.st_mode):
            index = item / "index.md"
            if index.is_file() and not index.is_symlink():
                _read(root, index, kind, item.name, _assets(root, item, problems), documents, problems, known)
            else:
                problems.append(error(shown_path(root, item), None, "path.bundle"))
        elif item.suffix.lower() == ".md":
            _read(root, item, kind, item.stem, (), documents, problems, known, info)
        else:
            problems.append(error(shown_path(root, item), None, "path.stray"))


def _assets(root: Path, folder: Path, problems: list[Diagnostic]) -> tuple[Asset, ...]:
    assets = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(is_junk(part) for part in relative.parts) or (path.name == "index.md" and path.parent == folder):
            continue
        refused = _refused(root, path)
        if refused:
            problems.append(refused)
        elif path.is_file():
            assets.append(Asset(relative.as_posix(), path, shown_path(root, path)))
    return tuple(assets)


def _read(root: Path, path: Path, kind: str, stem: str, assets: tuple[Asset, ...],
          documents: list[Document], problems: list[Diagnostic], known: dict | None = None,
          info: os.stat_result | None = None) -> None:
    info = info or path.stat()
    status = file_status(info)
    previous = known.get(path) if known is not None else None
    if previous is not None and previous[0] == status and settled(info.st_mtime_ns, previous[1]) \
            and (previous[2].kind, previous[2].stem, previous[2].assets) == (kind, stem, assets):
        documents.append(previous[2])  # unchanged since it was read, seconds after its last write
        return
    read_at = time.time_ns()
    shown = shown_path(root, path)
    if info.st_size > MAX_FILE_BYTES:  # checked before reading: never load a huge file
        problems.append(error(shown, None, "file.size", n=MAX_FILE_BYTES // (1024 * 1024)))
        return
    data = path.read_bytes()
    text, problem = decode(data)
    if problem:
        problems.append(error_of(shown, problem[0], problem[1], col=problem[2]))
        return
    document = Document(path, shown, kind, stem, text, assets)
    if previous is not None and previous[2] == document:
        document = previous[2]  # the same text again: the same object, so nothing after it is redone
    documents.append(document)
    if known is not None:
        known[path] = (status, read_at, document)


def file_status(info: os.stat_result) -> tuple[int, int, int, int]:
    """What tells that a file changed without reading it: size, modification and change times, inode."""
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def decode(data: bytes) -> tuple[str, tuple | None]:
    """UTF-8 text with LF line ends, or ("", (line, message, col))."""
    if len(data) > MAX_FILE_BYTES:
        return "", (None, message("file.size", n=MAX_FILE_BYTES // (1024 * 1024)), None)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:2]:  # UTF-16, with a BOM or not
        return "", (1, message("file.encoding:utf-16"), None)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return "", (line, message("file.encoding"), None)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = FORBIDDEN_CHARACTERS.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        return "", (line, message("file.character", char=f"U+{ord(bad.group()):04X}"), col)
    return text, None


def theme_problems(root: Path) -> list[Diagnostic]:
    """Symlinks, pipes and unportable names in the site's themes/ (templates and static files)."""
    folder = root / "themes"
    if not folder.exists():
        return []
    problems = [p for p in (_refused(root, folder),) if p and folder.is_symlink()]
    if problems or not folder.is_dir():
        return problems
    for path in sorted(folder.rglob("*")):
        if not is_junk(path.name):
            refused = _refused(root, path)
            if refused:
                problems.append(refused)
    return problems
