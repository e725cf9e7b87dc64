"""Writing the built site atomically: the new tree is made beside the output, then swapped in whole.

Guarantees (docs/output.md): a crash at any moment leaves the output folder
exactly the previous build or exactly the new one, never missing and never a mix; temporaries
live beside it, never inside; the next build recovers from whatever an interrupted one left.

How: the new tree is made in `.<out>.tmp-PID` beside the output, starting from the tree the
last build replaced (`.<out>.spare`), so that unchanged folders are not made again. A file
whose bytes are those of the previous build's (kept from its record, or rendered again to the
same bytes) is a hard link to the old file, so it costs no copy and keeps its modification time
(rsync and CDNs see only what really changed); the rest is written. Then the two folders are exchanged with one
`renameat2(RENAME_EXCHANGE)` (Linux) or `renamex_np(RENAME_SWAP)` (macOS). Elsewhere (Windows,
file systems without it) the output is renamed to `.<out>.old-PID` and the new tree into its
place: a crash between the two renames leaves no output folder, only the complete old one
under its `.old-` name, and `recover` renames it back before anything else.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import glob
import os
import shutil
import stat
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from netsite.content.models import OutputFile
from netsite.diagnostics import Diagnostic, error

TMP_MARK = ".tmp-"
OLD_MARK = ".old-"
SPOOL_MARK = ".spool-"
SPARE_MARK = ".spare"
"""The previous build's tree, kept beside the output after a swap: the next build updates it
into its new tree, so that unchanged folders are neither made nor removed again."""


class Spool:
    """A folder beside the output where rendered files wait for `write`, so that memory holds none.

    `add(file)` writes the file's bytes there and returns it as a copy of that spooled file; the
    folder is removed on leaving the `with` block, whatever happened. `add` may be called in forked
    workers (the page's bytes then never travel back to the parent): names carry the process id.
    `write(..., spool=folder)` renames spooled files into the new tree instead of copying them, so
    each file's bytes are written once.
    """

    def __init__(self, out: Path):
        self.out = out
        self.folder = out.with_name(f".{out.name}{SPOOL_MARK}{os.getpid()}")
        self._count = 0

    def __enter__(self) -> Spool:
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        recover(self.out)
        try:
            self.folder.mkdir()
        except OSError as exc:
            raise named(exc, self.folder) from None
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def add(self, file: OutputFile) -> OutputFile:
        if file.source is not None:
            return file
        self._count += 1
        spooled = self.folder / f"{os.getpid()}-{self._count}"  # flat and short: no folder per page
        try:
            spooled.write_bytes(file.data)
        except OSError as exc:  # such as a full disk: named by the file it was meant for
            raise named(exc, self.out.joinpath(*file.path.split("/"))) from None
        if self._count == 1:
            fault_point("spooling")
        return OutputFile(file.path, b"", source=spooled)


def write(files: Iterable[OutputFile], out: Path, finish: Callable[[Path], None] | None = None,
          spool: Path | None = None) -> int:
    """Make the new tree beside `out` and swap it in whole; returns the count of files.

    `finish(folder)` runs on the complete new tree before the swap (the search indexer); if it
    raises, or anything else fails or the process dies, the previous output stays as it was.
    Files spooled in `spool` (Spool.folder) are renamed into the tree, not read and written again.
    """
    refuse_odd_output(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    files = list(files)
    tmp = out.with_name(f".{out.name}{TMP_MARK}{os.getpid()}")
    spare = out.with_name(f".{out.name}{SPARE_MARK}")
    try:
        if spare.is_dir() and not spare.is_symlink() and out.is_dir():
            spare.rename(tmp)  # claimed: a crash from here on leaves a `.tmp-`, which recovery removes
        else:
            _remove(spare)
            tmp.mkdir()
        _fill(files, tmp, out, spool)
        fault_point("staged")
        if finish is not None:
            finish(tmp)
            _keep_times(tmp, out, {file.path for file in files})
        fault_point("indexed")
        _swap(tmp, out)
        if tmp.is_dir():
            tmp.rename(spare)  # the old tree: most of the next build's tree is already there
    finally:
        if tmp.exists() or tmp.is_symlink():
            _remove(tmp)
    return len(files)


def refuse_odd_output(out: Path) -> None:
    """netsite writes a real folder only: never through a link, never over a file."""
    if out.is_symlink():
        raise OSError(f"{out} is a symbolic link: netsite does not write through links")
    if out.exists() and not out.is_dir():
        raise OSError(f"{out} is a file, not a folder: netsite does not replace it")


def recover(out: Path) -> None:
    """Undo what an interrupted build left beside the output: the old site back, temporaries gone.

    With no output folder, an `.old-` folder is the complete previous site (a crash came between
    the two renames of the fallback swap): it is renamed back, never deleted. Everything else is
    a temporary (a tree being filled, a spool, an old tree being deleted) and is removed. A
    symbolic link with such a name is only unlinked: nothing is ever deleted through a link.
    """
    leftovers = _leftovers(out)
    if not os.path.lexists(out):
        olds = sorted((p for p in leftovers if OLD_MARK in p.name and p.is_dir() and not p.is_symlink()),
                      key=lambda p: p.stat().st_mtime_ns)
        if olds:
            olds[-1].rename(out)
            leftovers.remove(olds[-1])
    keep_old = not out.is_dir() or out.is_symlink()  # the output is odd: write refuses, and deletes nothing
    for stale in leftovers:
        if stale.name.endswith(f"{SPOOL_MARK}{os.getpid()}") or (keep_old and OLD_MARK in stale.name):
            continue  # this build's own spool; or the only copy of a site
        _remove(stale)


def _leftovers(out: Path) -> list[Path]:
    marks = (TMP_MARK, OLD_MARK, SPOOL_MARK)
    return sorted(p for p in out.parent.glob(f".{glob.escape(out.name)}.*-*")
                  if any(mark in p.name for mark in marks))


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, onerror=_writable_and_again)


def _writable_and_again(function, name: str, info) -> None:
    """Our own temporary may hold read-only folders or files (an output someone made read-only):
    make the entry and its folder writable and try once more; else leave it for the next build."""
    if function not in (os.unlink, os.rmdir, os.remove):
        return
    entry = Path(name)
    with contextlib.suppress(OSError):
        entry.parent.chmod(stat.S_IRWXU)
        if not entry.is_symlink():
            entry.chmod(stat.S_IRWXU if entry.is_dir() else stat.S_IRUSR | stat.S_IWUSR)
        function(name)


FAULT = "NETSITE_FAULT"
"""Test hook: `NETSITE_FAULT=<point>` stops a build at that point (it says so on stderr and sleeps,
for a test to kill it); `<point>:exit` ends the process there at once, as kill -9 would."""


def fault_point(point: str) -> None:
    wanted = os.environ.get(FAULT)
    if not wanted or wanted.partition(":")[0] != point:
        return
    if wanted.endswith(":exit"):
        os._exit(137)  # no cleanup, no finally: what a kill leaves
    sys.stderr.write(f"netsite: fault point {point}\n")
    sys.stderr.flush()
    time.sleep(60)

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
            problems.append(error(where, None, "output.collision", path=file.path, other=first.path))
        else:
            seen[key] = file
    return problems


def _fill(files: list[OutputFile], tmp: Path, out: Path, spool: Path | None = None) -> None:
    """Make `tmp` (empty, or the tree of the build before last) hold exactly `files`.

    A file whose bytes are the previous build's is a hard link to the previous file (no copy, and
    its old time); one already linked so is left alone. Any other file is written anew after
    the name is unlinked, never written into: the tree's files may share their data with the
    output's. What the new site does not have is removed first.
    """
    wanted = {file.path: file for file in files}
    folders = {path.rsplit("/", 1)[0] for path in wanted if "/" in path}
    folders |= {folder.rsplit("/", i)[0] for folder in folders for i in range(1, folder.count("/") + 1)}
    made = _prune(tmp, "", wanted, folders) | {""}
    for number, file in enumerate(files):
        if number == len(files) // 2:
            fault_point("filling")
        _place(file, os.fspath(tmp), os.fspath(out), made, spool)


def _prune(folder: str | Path, prefix: str, wanted: dict, folders: set[str]) -> set[str]:
    """Remove from the tree whatever is neither a wanted file nor a wanted folder; returns the
    wanted folders that are there (relative, '/'-separated)."""
    kept: set[str] = set()
    with os.scandir(folder) as listing:
        entries = list(listing)
    for entry in entries:
        relative = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            if relative in folders:
                kept.add(relative)
                kept |= _prune(entry.path, relative + "/", wanted, folders)
            else:
                _remove(Path(entry.path))
        elif relative not in wanted or not entry.is_file(follow_symlinks=False):
            Path(entry.path).unlink()
    return kept


def _place(file: OutputFile, tmp: str, out: str, made: set[str], spool: Path | None = None) -> None:
    """One file into the new tree; an I/O error names the output file.

    Paths are strings here: at 10,000 files pathlib's parsing cost more than the system calls.
    """
    parts = file.path.split("/")
    target, previous = os.path.join(tmp, *parts), os.path.join(out, *parts)  # noqa: PTH118 (speed, see above)
    try:
        _folder(tmp, file.path.rpartition("/")[0], made)
        if file.source is not None and os.fspath(file.source) == previous:  # kept: still as written
            _link_or_copy(previous, target)
            return
        if spool is not None and file.source is not None and file.source.parent == spool:
            _move(file.source, previous, target)  # the spool is on the same file system: a rename
            return
        data = file.data if file.source is None else file.source.read_bytes()
        if _same(previous, data):
            _link_or_copy(previous, target)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)  # noqa: PTH108 - never written into: it may share data with the output's
            with open(target, "wb") as stream:  # noqa: PTH123
                stream.write(data)
    except OSError as exc:
        raise named(exc, Path(previous), Path(tmp), Path(out)) from None


def _move(spooled: Path, previous: str, target: str) -> None:
    """A spooled file into the new tree: the previous file linked if its bytes are the same (it
    keeps its time), else the spooled file renamed there (its bytes are written once)."""
    try:
        same_size = os.lstat(previous).st_size == spooled.stat().st_size
    except OSError:
        same_size = False
    if same_size and _same(previous, spooled.read_bytes()):
        _link_or_copy(previous, target)
        return
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)  # noqa: PTH108 - never written into: it may share data with the output's
    os.replace(spooled, target)  # noqa: PTH105 (speed: see _place)


def named(exc: OSError, shown: Path, tmp: Path | None = None, out: Path | None = None) -> OSError:
    """The error naming a file: `shown` when it named none, the output's path for one in `tmp`."""
    name = exc.filename
    if name is not None and tmp is not None and out is not None:
        with contextlib.suppress(ValueError):
            name = out / Path(name).relative_to(tmp)
    return OSError(exc.errno, exc.strerror or str(exc), str(name if name is not None else shown))


def _folder(tmp: str, relative: str, made: set[str]) -> None:
    if relative not in made:
        _folder(tmp, relative.rpartition("/")[0], made)
        with contextlib.suppress(FileExistsError):
            os.mkdir(os.path.join(tmp, *relative.split("/")))  # noqa: PTH102, PTH118 (speed: see _place)
        made.add(relative)


def _same(previous: str, data: bytes) -> bool:
    """True when `previous` is a regular file (not a link) holding exactly `data`."""
    try:
        info = os.lstat(previous)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
        return False
    with open(previous, "rb") as stream:  # noqa: PTH123
        return stream.read() == data


def _link_or_copy(previous: str, target: str) -> None:
    info = os.lstat(previous)
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "not a regular file any more", previous)
    try:
        there = os.lstat(target)
    except FileNotFoundError:
        pass
    else:
        if (there.st_dev, there.st_ino) == (info.st_dev, info.st_ino):
            return  # the spare tree has it linked already
        os.unlink(target)  # noqa: PTH108
    try:
        os.link(previous, target)  # a regular file, checked above (Windows has no follow_symlinks=False)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO):
            raise
        shutil.copy2(previous, target, follow_symlinks=False)  # a file system without hard links (FAT)


def _keep_times(tmp: Path, out: Path, written: set[str]) -> None:
    """Files `finish` made (the search index) that equal the previous ones keep their old times too."""
    for path in tmp.rglob("*"):
        relative = path.relative_to(tmp).as_posix()
        if relative in written or not path.is_file():
            continue
        previous = out / relative
        try:
            if previous.is_file() and not previous.is_symlink() and previous.read_bytes() == path.read_bytes():
                info = previous.stat()
                os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        except OSError:
            pass  # an optimisation only


def _swap(tmp: Path, out: Path) -> None:
    """Put the complete tree `tmp` in place of `out`; afterwards `tmp` holds the old tree, if any."""
    if not os.path.lexists(out):
        tmp.rename(out)
        return
    if exchange(tmp, out):
        fault_point("swapped")
        return
    old = out.with_name(f".{out.name}{OLD_MARK}{os.getpid()}")
    out.rename(old)
    fault_point("between-renames")
    try:
        tmp.rename(out)
    except OSError:
        old.rename(out)  # put the previous site back before failing
        raise
    fault_point("swapped")
    old.rename(tmp)  # no longer the only copy: a `.tmp-` name, which recovery may delete


EXCHANGE = "NETSITE_RENAME_EXCHANGE"
"""`NETSITE_RENAME_EXCHANGE=0` uses the two-rename fallback even where the system can exchange
(the tests use it to check the fallback's recovery on Linux)."""


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one system call; False where the system or its file system cannot."""
    if os.environ.get(EXCHANGE) == "0":
        return False
    call = _exchange_call()
    if call is None:
        return False
    if call(os.fsencode(a), os.fsencode(b)) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # an old kernel, or a file system (some network ones) without it
    raise OSError(code, os.strerror(code), str(b))


@functools.cache
def _exchange_call() -> Callable[[bytes, bytes], int] | None:
    """renameat2(RENAME_EXCHANGE) from glibc ≥ 2.28, or renamex_np(RENAME_SWAP) on macOS, or None."""
    if not (sys.platform.startswith("linux") or sys.platform == "darwin"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except (OSError, TypeError):
        return None
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        renameat2 = libc.renameat2
        renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        return lambda a, b: renameat2(_AT_FDCWD, a, _AT_FDCWD, b, _RENAME_EXCHANGE)
    if sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        renamex = libc.renamex_np
        renamex.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        return lambda a, b: renamex(a, b, _RENAME_SWAP)
    return None


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_RENAME_SWAP = 2
