"""Writing the built site atomically: a temporary folder beside the output, then a swap.

A failed build never touches the previous output. Files whose bytes did not change keep their
old modification time, so rsync and CDNs see only what really changed.
"""

from __future__ import annotations

import os
import shutil
import unicodedata
from pathlib import Path
from typing import Callable, Iterable

from netsite.diagnostics import Diagnostic, error
from netsite.models import OutputFile

TMP_MARK = ".tmp-"
OLD_MARK = ".old-"


def write(files: Iterable[OutputFile], out: Path, finish: Callable[[Path], None] | None = None) -> int:
    """Write every file under a fresh folder and swap it in for `out`; returns the count.

    `finish(folder)` runs on the complete new folder before the swap (the search indexer);
    if it raises, the previous output stays as it was.
    """
    if out.is_symlink():
        raise OSError(f"{out} is a symbolic link: netsite does not write through links")
    if out.exists() and not out.is_dir():
        raise OSError(f"{out} is a file, not a folder: netsite does not replace it")
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    tmp = out.with_name(f".{out.name}{TMP_MARK}{os.getpid()}")
    count = 0
    try:
        tmp.mkdir()
        for file in files:
            _write_one(file, tmp, out)
            count += 1
        if finish is not None:
            finish(tmp)
        _swap(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return count


def clean_stale(out: Path) -> None:
    """Remove temporary folders an interrupted build left beside the output.

    A symbolic link with such a name is only unlinked: nothing is ever deleted through a link
    (shutil.rmtree itself never follows the links inside the tree it removes).
    """
    for stale in out.parent.glob(f".{out.name}.*-*"):
        if TMP_MARK not in stale.name and OLD_MARK not in stale.name:
            continue
        if stale.is_symlink() or stale.is_file():
            stale.unlink()
        elif stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


def duplicates(files: Iterable[OutputFile]) -> list[Diagnostic]:
    """Two output files at one path once case is folded and Unicode is NFC (as on Windows and macOS).

    The last line of defence for generated names: a content file or an asset that lands on a path
    the site writes itself (such as an event slug 'archive' and /events/archive/) is caught here
    even when no table of reserved names knows about it.
    """
    seen: dict[str, OutputFile] = {}
    problems = []
    for file in files:
        key = unicodedata.normalize("NFC", file.path).casefold()
        if key in seen:
            first = seen[key]
            where = str(file.source or first.source or file.path)
            problems.append(error(where, None, f"two files would be written to {file.path} (also "
                                  f"{first.path}): rename the entry or the file", "output.collision"))
        else:
            seen[key] = file
    return problems


def _write_one(file: OutputFile, tmp: Path, out: Path) -> None:
    target = tmp.joinpath(*file.path.split("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    data = file.data if file.source is None else file.source.read_bytes()
    target.write_bytes(data)
    previous = out.joinpath(*file.path.split("/"))
    try:
        if previous.is_file() and not previous.is_symlink() and previous.stat().st_size == len(data) \
                and previous.read_bytes() == data:
            stat = previous.stat()
            os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    except OSError:
        pass  # keeping an old mtime is an optimisation; the new file is already right


def _swap(tmp: Path, out: Path) -> None:
    if not out.exists():
        tmp.rename(out)
        return
    old = out.with_name(f".{out.name}{OLD_MARK}{os.getpid()}")
    out.rename(old)
    try:
        tmp.rename(out)
    except OSError:
        old.rename(out)  # put the previous site back before failing
        raise
    shutil.rmtree(old, ignore_errors=True)
