"""One writer at a time per site folder and per output folder: an operating-system lock on a file.

Design note: the lock is `fcntl.flock` (Linux, macOS) or `msvcrt.locking` (Windows) on a file that
also names its holder (PID, host, start time, as JSON). The system releases such a lock when its
process ends however it ends, kill -9 included, so a stale lock cannot block anyone: a lock file
that names a holder while nobody holds the lock is what a crashed build left, and is simply taken
over. The holder deletes the file before releasing it; a process that locked the file just
deleted checks that it is still the file at that path, else starts again (two processes can
never hold two files of one name).
A build that finds the lock held waits up to `wait` seconds, telling the caller once whom it
waits for, then refuses with one line that names the other process.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from netsite.diagnostics import NetsiteError, error_of
from netsite.messages import Message, message

WAIT = 120.0
"""Seconds a build waits for another one by default (NETSITE_LOCK_WAIT overrides it)."""
POLL = 0.1
_REGION = 1 << 30
"""Windows locks a byte range; one far beyond the holder's text, which stays readable."""


@dataclass(frozen=True, slots=True)
class Holder:
    pid: int
    host: str
    started: str
    """UTC, ISO 8601 to the second."""

    def describe(self) -> str:
        return f"PID {self.pid} on {self.host}, started {self.started}"


def site_lock(root: Path) -> Path:
    """The lock of a site folder (its cache is written by builds and by serve's rebuilds)."""
    return root / ".netsite-cache" / "lock"


def output_lock(out: Path) -> Path:
    """The lock of an output folder, beside it (never inside what is published)."""
    return out.with_name(f".{out.name}.lock")


@contextlib.contextmanager
def writer(root: Path | None, out: Path | None, waiting: Callable[[Path, Holder | None], None] | None = None
           ) -> Iterator[None]:
    """Hold the site's lock (when the cache, which it guards, is used), then the output folder's:
    the one way a build becomes the only writer."""
    with contextlib.ExitStack() as held:
        for path in ([site_lock(root)] if root is not None else []) + ([output_lock(out)] if out is not None else []):
            held.enter_context(Lock(path, waiting=waiting))
        yield


def default_wait() -> float:
    """NETSITE_LOCK_WAIT (seconds; 0 refuses at once) or WAIT."""
    try:
        return max(0.0, float(os.environ.get("NETSITE_LOCK_WAIT", WAIT)))
    except ValueError:
        return WAIT


class Lock:
    """`with Lock(path):` holds the lock file at `path`, or raises NetsiteError [build.locked]."""

    def __init__(self, path: Path, wait: float | None = None,
                 waiting: Callable[[Path, Holder | None], None] | None = None):
        self.path, self.wait = path, default_wait() if wait is None else wait
        self.waiting = waiting
        self._fd: int | None = None

    def __enter__(self) -> Lock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline, told = time.monotonic() + self.wait, False
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                if _try_lock(fd):
                    if _still_there(fd, self.path):
                        with contextlib.suppress(OSError):  # who holds it is told, not needed
                            _write_holder(fd)
                        self._fd = fd
                        return self
                    _unlock(fd)  # the holder released and deleted it meanwhile: lock the new file
                    os.close(fd)
                    continue
                holder = read_holder(self.path)
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)
            if time.monotonic() >= deadline:
                raise NetsiteError([error_of(str(self.path), None, busy_message(holder))], 1)
            if not told and self.waiting is not None:
                self.waiting(self.path, holder)
                told = True
            time.sleep(POLL)

    def __exit__(self, *exc) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        # Deleted while still held, so nothing is left behind; whoever opened it meanwhile finds
        # it gone once locked (`_still_there`) and starts again. Where an open file cannot be
        # deleted (Windows), it is emptied: a file naming nobody.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            self.path.unlink()
        _unlock(fd)
        os.close(fd)


def _still_there(fd: int, path: Path) -> bool:
    """True when `fd` is still the file at `path` (not one its last holder deleted)."""
    try:
        here, mine = path.stat(), os.fstat(fd)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)


def busy_message(holder: Holder | None) -> Message:
    if holder is None:
        return message("build.locked:unknown")
    return message("build.locked", pid=str(holder.pid), host=holder.host, started=str(holder.started))


def read_holder(path: Path) -> Holder | None:
    try:
        data = json.loads(path.read_bytes()[:4096].decode("utf-8"))
        return Holder(int(data["pid"]), str(data["host"]), str(data["started"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_holder(fd: int) -> None:
    started = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    text = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": started})
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, text.encode("utf-8"))


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _REGION, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _REGION, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
