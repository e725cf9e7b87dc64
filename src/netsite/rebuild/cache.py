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
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from netsite import __version__
from netsite.diagnostics import Diagnostic, Location, Severity
from netsite.messages import message_from_json, to_json

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
    tmp.replace(path)
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
    def open(root: Path, step: str, enabled: bool = True, writable: bool = True) -> Cache:
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
        assert self.path is not None, "a disabled cache (no path) never connects"
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


def plain_diagnostic(d: Diagnostic) -> list:
    return [str(d.severity), to_json(d.message), d.location.path, d.location.line, d.location.col, d.code]


def diagnostic(value: list) -> Diagnostic:
    severity, message, path, line, col, code = value
    return Diagnostic(Severity(severity), message_from_json(message), Location(path, line, col), code)


# ---- the output folder: how each file in it was made, and what the last build read ---------------


# ---- what a build reads -------------------------------------------------------------------------------


