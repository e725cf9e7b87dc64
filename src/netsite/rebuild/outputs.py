"""What the last build wrote into an output folder: each file's record and the inputs digest, for warm builds."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable
from pathlib import Path

from netsite.content import sources
from netsite.content.models import OutputFile
from netsite.content.sources import file_status
from netsite.rebuild.cache import Cache
from netsite.rebuild.depends import Record


class OutputRecords:
    """How each file in the output folder was made (depends.Record), with its size and mtime then,
    and the digest of everything the last build read.

    A warm build takes over a file whose record is still fresh and which is still in the output
    folder exactly as written (same size and modification time, like rsync's quick check),
    without rendering or writing it; when nothing the build reads changed and the folder is as
    the last build left it, there is nothing to do (`unchanged`). The rows are keyed by the output
    folder, so two output folders never share them, and signed like every cache entry.
    """

    LAST = "last-build"

    def __init__(self, cache: Cache, out: Path):
        self.cache, self.out = cache, out
        self._last_key = Cache.key(cache.step, self.LAST)
        self.last = cache.get_many([self._last_key]).get(self._last_key)
        self._rows: dict[str, dict] | None = None

    @property
    def rows(self) -> dict[str, dict]:
        """Each file's row, read only when a build runs (a build with nothing to do needs `last`)."""
        if self._rows is None:
            rows = self.cache.get_all() if self.cache.path is not None else {}
            self._rows = {value["path"]: value for key, value in rows.items() if key != self._last_key
                          and isinstance(value, dict) and isinstance(value.get("path"), str)}
        return self._rows

    @staticmethod
    def open(root: Path, out: Path, enabled: bool = True) -> OutputRecords:
        step = "output:" + hashlib.sha256(str(out.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return OutputRecords(Cache.open(root, step, enabled), out)

    def records(self) -> dict:
        found = {}
        for path, row in self.rows.items():
            try:
                found[path] = Record.from_json(row["record"])
            except (KeyError, TypeError, ValueError):
                continue
        return found

    def take(self, path: str) -> OutputFile | None:
        """The output file at `path` as a file kept in place, if it is still as it was written."""
        row = self.rows.get(path)
        target = self.out.joinpath(*path.split("/"))
        try:
            info = target.lstat()
        except OSError:
            return None
        if row is None or [info.st_size, info.st_mtime_ns] != [row.get("size"), row.get("mtime")]:
            return None
        return OutputFile(path, b"", source=target)

    def unchanged(self, inputs: str) -> list | None:
        """The last build's warnings when it read the same `inputs` and its output is as it left it."""
        last = self.last
        if not isinstance(last, dict) or last.get("inputs") != inputs:
            return None
        if output_listing(self.out) != last.get("files"):
            return None
        return last.get("diagnostics")

    def save(self, records: dict, inputs: str, diagnostics: list) -> None:
        """Note the written files' records, sizes and times and what this build read; forget files
        the site no longer has. One walk of the output folder gives every size and time."""
        listing = output_listing(self.out)
        changed = {}
        for path, record in records.items():
            if path in listing:
                size, mtime = listing[path]
                row = {"path": path, "record": record.to_json(), "size": size, "mtime": mtime}
                if self.rows.get(path) != row:
                    changed[Cache.key(self.cache.step, path)] = row
        last = self._last_key
        changed[last] = {"inputs": inputs, "files": listing, "diagnostics": diagnostics}
        self.cache.put_many(changed)
        if set(self.rows) - set(records):
            self.cache.prune({Cache.key(self.cache.step, path) for path in records} | {last})
        self.cache.close()


LIBRARIES = ("jinja2", "markdown-it-py", "mdit-py-plugins", "pyyaml", "pygments", "feedgen", "icalendar",
             "python-dateutil", "babel", "python-slugify", "text-unidecode", "nh3", "Pillow", "tzdata", "lxml",
             "pagefind", "pagefind-bin")
"""Every library whose version can change the output."""


def inputs_digest(root: Path, folders: Iterable[Path], settings: str) -> str | None:
    """One digest of the status of everything a build reads under content/, the theme folders and
    netsite.yaml (each file's name, size, times and inode, as git's index does: any write changes
    the change time, or on Windows the modification time), with `settings` (netsite's code, the
    libraries, the options and the clock). Statuses, not bytes: the build reads every source
    right after, and reading them twice cost as much as the rest of a warm build.

    None when a file was written so recently that a second write in the same tick of the file
    system's clock would leave the same status (sources.settled): such a build is never skipped.
    """
    digest = hashlib.blake2b(digest_size=32)
    digest.update(settings.encode("utf-8", "surrogatepass"))
    now, recent = time.time_ns(), False
    for folder in [root / "content", root / "netsite.yaml", *folders]:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else [folder]:
            try:
                info = path.lstat()
            except OSError:
                continue
            recent = recent or not sources.settled(max(info.st_mtime_ns, info.st_ctime_ns), now)
            digest.update(f"{path.as_posix()}\0{file_status(info)}\0".encode("utf-8", "surrogatepass"))
    return None if recent else digest.hexdigest()


def output_listing(out: Path) -> dict[str, list[int]]:
    """Every file of the output folder → [size, mtime_ns] (links and other oddities as [-1, -1])."""
    listing: dict[str, list[int]] = {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, prefix + entry.name + "/")
                else:
                    info = entry.stat(follow_symlinks=False)
                    regular = entry.is_file(follow_symlinks=False)
                    listing[prefix + entry.name] = [info.st_size, info.st_mtime_ns] if regular else [-1, -1]
    if out.is_dir() and not out.is_symlink():
        walk(str(out), "")
    return listing
