"""Walking `content/` and reading every source file once, safely (I/O lives here)."""

from __future__ import annotations

import re
from pathlib import Path

from netsite.diagnostics import Diagnostic, error
from netsite.models import Asset, Document

MAX_FILE_BYTES = 2 * 1024 * 1024
KINDS = ("institutions", "practices", "events", "news", "pages", "agreements", "meetings", "plans", "projects")

# Control characters other than tab and newline, and the bidi controls of "Trojan Source"
# (CVE-2021-42574), which can make a text read differently from what it says.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def is_junk(name: str) -> bool:
    """Dotfiles and editor leftovers are never read or published."""
    return (name.startswith((".", "~", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp", ".bak"))
            or name in ("Thumbs.db", "desktop.ini") or name.startswith(".#"))


def shown_path(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_all(root: Path, kinds: tuple[str, ...] = KINDS) -> tuple[list[Document], list[Diagnostic]]:
    """Read every Markdown source under root/content, in sorted order, with its assets."""
    content = root / "content"
    documents: list[Document] = []
    problems: list[Diagnostic] = []
    if not content.is_dir():
        problems.append(error("content", None, "no content/ folder in the site folder", "content.missing"))
        return documents, problems
    for kind_dir in sorted(content.iterdir()):
        shown = shown_path(root, kind_dir)
        if is_junk(kind_dir.name):
            continue
        if kind_dir.is_symlink():
            problems.append(error(shown, None, "symbolic links are not allowed in content/", "path.symlink"))
            continue
        if not kind_dir.is_dir():
            problems.append(error(shown, None, "files directly in content/ are not read: put them in a "
                                  "kind folder such as content/news/", "path.kind"))
            continue
        if kind_dir.name not in kinds:
            problems.append(error(shown, None, f"unknown content kind '{kind_dir.name}' (the kinds are "
                                  f"{', '.join(kinds)})", "path.kind"))
            continue
        _walk_kind(root, kind_dir, documents, problems)
    return documents, problems


def _walk_kind(root: Path, kind_dir: Path, documents: list[Document], problems: list[Diagnostic]) -> None:
    kind = kind_dir.name
    for item in sorted(kind_dir.iterdir()):
        shown = shown_path(root, item)
        if is_junk(item.name):
            continue
        if item.is_symlink():
            problems.append(error(shown, None, "symbolic links are not allowed in content/", "path.symlink"))
        elif item.is_dir():
            index = item / "index.md"
            if index.is_file() and not index.is_symlink():
                _read(root, index, kind, item.name, _assets(root, item, problems), documents, problems)
            else:
                problems.append(error(shown, None, "a folder in a kind folder must hold index.md "
                                      "(the entry) beside its images and attachments", "path.bundle"))
        elif item.suffix.lower() == ".md":
            _read(root, item, kind, item.stem, (), documents, problems)
        else:
            problems.append(error(shown, None, "only .md files belong here; put images and attachments "
                                  "in a folder beside index.md", "path.stray"))


def _assets(root: Path, folder: Path, problems: list[Diagnostic]) -> tuple[Asset, ...]:
    assets = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(is_junk(part) for part in relative.parts) or path.name == "index.md" and path.parent == folder:
            continue
        if path.is_symlink():
            problems.append(error(shown_path(root, path), None, "symbolic links are not allowed in content/",
                                  "path.symlink"))
        elif path.is_file():
            assets.append(Asset(relative.as_posix(), path, shown_path(root, path)))
    return tuple(assets)


def _read(root: Path, path: Path, kind: str, stem: str, assets: tuple[Asset, ...],
          documents: list[Document], problems: list[Diagnostic]) -> None:
    shown = shown_path(root, path)
    data = path.read_bytes()
    text, problem = decode(data)
    if problem:
        problems.append(error(shown, problem[0], problem[1], problem[2], col=problem[3]))
        return
    documents.append(Document(path, shown, kind, stem, text, assets))


def decode(data: bytes) -> tuple[str, tuple | None]:
    """UTF-8 text with LF line ends, or (None, (line, message, code, col))."""
    if len(data) > MAX_FILE_BYTES:
        return "", (None, f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB", "file.size", None)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", (1, "the file is saved as UTF-16: save it as UTF-8 (in Notepad: Save as → Encoding: "
                    "UTF-8)", "file.encoding", None)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return "", (line, "the file is not valid UTF-8: save it as UTF-8", "file.encoding", None)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _FORBIDDEN.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        return "", (line, f"invalid character U+{ord(bad.group()):04X} (a control or text-direction "
                    "character); delete it", "file.character", col)
    return text, None
