"""A content-addressed cache of the build's pure steps, in `.netsite-cache/` of the site folder.

A key is the SHA-256 of the step's name, its fingerprint (netsite's version, the versions of the
libraries the step calls and the source of the modules that implement it, so a code change is a
miss even without a version bump) and every input the step reads. Values are JSON, never pickle:
the folder sits in the site folder, which contributors control. Each value also carries an HMAC
made with a key kept outside the site folder (in the user's cache folder), because a cached HTML
fragment skips the sanitizer: a cache entry that was committed, copied or edited is a miss, not a
trusted value. Any unreadable entry is a miss too; the cache can always be deleted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import time
from dataclasses import replace
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable

from netsite import __version__
from netsite.content import markup, sources, urls
from netsite.rebuild import parallel
from netsite.rebuild.depends import Record
from netsite.diagnostics import Diagnostic, Location
from netsite.content.models import OutputFile
from netsite.content.sources import file_status

FOLDER = ".netsite-cache"
DATABASE = "cache.sqlite3"
_SECRET_ENV = "NETSITE_CACHE_SECRET_FILE"


def fingerprint(packages: Iterable[str], modules: Iterable[Path]) -> str:
    """netsite's version, the named distributions' versions and the bytes of the given sources."""
    digest = hashlib.sha256(__version__.encode())
    for name in packages:
        try:
            digest.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=?;".encode())
    for path in modules:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def secret_path() -> Path:
    """Where the HMAC key lives: outside every site folder, one per user."""
    if os.environ.get(_SECRET_ENV):
        return Path(os.environ[_SECRET_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "netsite" / "cache-secret"


def load_secret(path: Path) -> bytes:
    """The key, made on first use; a fresh CI runner gets a fresh key (and an empty cache)."""
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    key = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(key)
    os.replace(tmp, path)
    return path.read_bytes()  # another process may have won the race: use what is on disk


class Cache:
    """One step's entries in `.netsite-cache/cache.sqlite3`; `Cache(None)` never hits or stores.

    One SQLite file, read and written in one transaction by the main process: the first version
    kept a file per entry, and creating 10,000 small files cost more than rendering them.
    """

    def __init__(self, path: Path | None, step: str = "", secret: bytes = b"", writable: bool = True):
        self.path, self.step, self.secret, self.writable = path, step, secret, writable
        self._db: sqlite3.Connection | None = None

    @staticmethod
    def open(root: Path, step: str, enabled: bool = True, writable: bool = True) -> "Cache":
        """The step's cache; `writable=False` (for `check`, which writes nothing) only reads."""
        if not enabled or not (writable or (root / FOLDER / DATABASE).is_file()):
            return Cache(None)
        folder = root / FOLDER
        if folder.is_symlink() or (folder / DATABASE).is_symlink():
            raise OSError(f"{folder} is or holds a symbolic link: netsite does not write through links")
        return Cache(folder / DATABASE, step, load_secret(secret_path()), writable)

    @staticmethod
    def key(*parts: str) -> str:
        digest = hashlib.sha256()
        for part in parts:
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big") + data)  # lengths: no two tuples collide
        return digest.hexdigest()

    def _mac(self, key: str, payload: bytes) -> str:
        return hmac.new(self.secret, key.encode() + b"\0" + payload, hashlib.sha256).hexdigest()

    def _connect(self) -> sqlite3.Connection:
        if self._db is None and not self.writable:
            self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._db = _connect(self.path)
            except sqlite3.DatabaseError:  # not a database, or a broken one: start again
                self.path.unlink(missing_ok=True)
                self._db = _connect(self.path)
        return self._db

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        """The valid entries among `keys`; a missing, altered or unreadable entry is simply absent."""
        if self.path is None:
            return {}
        keys, found = list(keys), {}
        try:
            db = self._connect()
            for start in range(0, len(keys), 500):
                batch = keys[start:start + 500]
                rows = db.execute(f"SELECT key, mac, value FROM entries WHERE step = ? AND key IN "
                                  f"({','.join('?' * len(batch))})", [self.step, *batch])
                for key, mac, payload in rows:
                    if isinstance(payload, bytes) and hmac.compare_digest(str(mac), self._mac(key, payload)):
                        found[key] = json.loads(payload)
        except (sqlite3.Error, ValueError):
            return found
        return found

    def get_all(self) -> dict[str, Any]:
        """Every valid entry of this step."""
        if self.path is None or not self.path.is_file():
            return {}
        found = {}
        try:
            for key, mac, payload in self._connect().execute(
                    "SELECT key, mac, value FROM entries WHERE step = ?", (self.step,)):
                if isinstance(payload, bytes) and hmac.compare_digest(str(mac), self._mac(key, payload)):
                    found[key] = json.loads(payload)
        except (sqlite3.Error, ValueError):
            return found
        return found

    def put_many(self, values: dict[str, Any]) -> None:
        """Store in one transaction; a failure only costs misses later."""
        if self.path is None or not self.writable or not values:
            return
        rows = []
        for key, value in values.items():
            payload = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            rows.append((self.step, key, self._mac(key, payload), payload))
        try:
            with self._connect() as db:
                db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error:
            pass

    def prune(self, used: set[str]) -> None:
        """Delete this step's entries a full build did not use, so the cache does not grow forever."""
        if self.path is None or not self.writable:
            return
        try:
            with self._connect() as db:
                db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
                db.execute("DELETE FROM used")
                db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in used))
                db.execute("DELETE FROM entries WHERE step = ? AND key NOT IN (SELECT key FROM used)",
                           (self.step,))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30)
    db.execute("PRAGMA synchronous = OFF")  # a cache: losing the last write after a crash is fine
    db.execute("CREATE TABLE IF NOT EXISTS entries (step TEXT NOT NULL, key TEXT PRIMARY KEY, "
               "mac TEXT NOT NULL, value BLOB NOT NULL)")
    return db


# ---- the Markdown step ---------------------------------------------------------------------------

def markup_fingerprint() -> str:
    return fingerprint(("markdown-it-py", "mdit-py-plugins", "pygments", "nh3", "python-slugify",
                        "text-unidecode"), (Path(markup.__file__), Path(urls.__file__)))


def render_all(jobs: list[tuple[str, markup.Context]], cache: Cache, processes: int,
               prune: bool = True) -> list[markup.Rendered]:
    """markup.render of every (text, ctx), in order: hits from the cache, misses on every core.

    The key holds every input of the step but `ctx.resolve` (the other pages' URLs): the answers
    a render got from it are stored with the value and asked again on a hit, so a renamed or
    unpublished link target is a miss.
    """
    stamp = markup_fingerprint()
    keys = [Cache.key("markup", stamp, text, ctx.source, str(ctx.body_line), ctx.page_url,
                      ctx.site_url("/"), *sorted(ctx.assets)) for text, ctx in jobs]
    hits = cache.get_many(keys)
    results: list[markup.Rendered | None] = []
    for key, (_, ctx) in zip(keys, jobs):
        hit = hits.get(key)
        fresh = hit is not None and all(ctx.resolve(target) == url for target, url in hit["resolved"])
        results.append(_rendered(hit) if fresh else None)
    misses = [index for index, result in enumerate(results) if result is None]
    rendered = parallel.map_ordered(lambda index: _render_recording(*jobs[index]), misses, processes)
    for index, (result, plain) in zip(misses, rendered):
        results[index] = result
    cache.put_many({keys[index]: plain for index, (_, plain) in zip(misses, rendered)})
    if prune:  # only a build that rendered every body knows which entries are still used
        cache.prune(set(keys))
    return results


def _render_recording(text: str, ctx: markup.Context) -> tuple[markup.Rendered, dict]:
    """Render, noting every link target asked about and its answer; → (result, cache value)."""
    asked: dict[str, str | None] = {}

    def resolve(target: str) -> str | None:
        asked[target] = ctx.resolve(target)
        return asked[target]

    result = markup.render(text, replace(ctx, resolve=resolve))
    return result, _plain(result, asked)


def _plain(rendered: markup.Rendered, asked: dict[str, str | None]) -> dict:
    return {"html": rendered.html, "summary": rendered.summary, "headings": rendered.headings,
            "images": rendered.images, "assets": rendered.assets, "resolved": sorted(asked.items()),
            "diagnostics": [plain_diagnostic(d) for d in rendered.diagnostics]}


def plain_diagnostic(d: Diagnostic) -> list:
    return [d.severity, d.message, d.location.path, d.location.line, d.location.col, d.code]


def diagnostic(value: list) -> Diagnostic:
    severity, message, path, line, col, code = value
    return Diagnostic(severity, message, Location(path, line, col), code)


def _rendered(value: dict) -> markup.Rendered:
    return markup.Rendered(value["html"], value["summary"], tuple(tuple(h) for h in value["headings"]),
                    tuple(diagnostic(d) for d in value["diagnostics"]),
                    tuple(value["images"]), tuple(value["assets"]))


# ---- the output folder: how each file in it was made, and what the last build read ---------------

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
    def open(root: Path, out: Path, enabled: bool = True) -> "OutputRecords":
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


# ---- what a build reads -------------------------------------------------------------------------------

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
