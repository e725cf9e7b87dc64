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
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable

from netsite import __version__, markup, urls
from netsite.diagnostics import Diagnostic, Location

FOLDER = ".netsite-cache"
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


@dataclass(frozen=True, slots=True)
class Cache:
    """One step's entries under `folder`; `folder=None` is a cache that never hits or stores."""

    folder: Path | None
    secret: bytes = b""

    @staticmethod
    def open(root: Path, step: str, enabled: bool = True) -> "Cache":
        if not enabled:
            return Cache(None)
        folder = root / FOLDER / step
        if (root / FOLDER).is_symlink():
            raise OSError(f"{root / FOLDER} is a symbolic link: netsite does not write through links")
        return Cache(folder, load_secret(secret_path()))

    @staticmethod
    def key(*parts: str) -> str:
        digest = hashlib.sha256()
        for part in parts:
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big") + data)  # lengths: no two tuples collide
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def _mac(self, key: str, payload: bytes) -> str:
        return hmac.new(self.secret, key.encode() + b"\0" + payload, hashlib.sha256).hexdigest()

    def get(self, key: str) -> Any | None:
        if self.folder is None:
            return None
        try:
            mac, _, payload = self._path(key).read_bytes().partition(b"\n")
            if hmac.compare_digest(mac.decode("ascii"), self._mac(key, payload)):
                return json.loads(payload)
        except (OSError, ValueError):
            pass
        return None

    def put(self, key: str, value: Any) -> None:
        """Store atomically (a temporary file, then a rename); a failure only costs a miss later."""
        if self.folder is None:
            return
        payload = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        path = self._path(key)
        tmp = path.with_name(f"{key}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(self._mac(key, payload).encode("ascii") + b"\n" + payload)
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)

    def prune(self, used: set[str]) -> int:
        """Delete the entries this build did not use (a full build knows them all); returns the count."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        removed = 0
        for path in self.folder.glob("*/*"):
            if path.name.split(".", 1)[0] not in used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


# ---- the Markdown step ---------------------------------------------------------------------------

def markup_fingerprint() -> str:
    return fingerprint(("markdown-it-py", "mdit-py-plugins", "pygments", "nh3", "python-slugify",
                        "text-unidecode"), (Path(markup.__file__), Path(urls.__file__)))


def render_markup(text: str, ctx: markup.Context, cache: Cache, stamp: str) -> tuple[markup.Rendered, str]:
    """markup.render through the cache; returns the result and its key.

    The key holds every input of the step but `ctx.resolve` (the other pages' URLs): the answers
    the render got from it are stored with the value and asked again on a hit, so a renamed or
    unpublished link target is a miss.
    """
    key = Cache.key("markup", stamp, text, ctx.source, str(ctx.body_line), ctx.page_url,
                    ctx.site_url("/"), *sorted(ctx.assets))
    hit = cache.get(key)
    if hit is not None and all(ctx.resolve(target) == url for target, url in hit["resolved"]):
        return _rendered(hit), key
    asked: dict[str, str | None] = {}

    def resolve(target: str) -> str | None:
        asked[target] = ctx.resolve(target)
        return asked[target]

    rendered = markup.render(text, replace(ctx, resolve=resolve))
    cache.put(key, _plain(rendered, asked))
    return rendered, key


def _plain(rendered: markup.Rendered, asked: dict[str, str | None]) -> dict:
    return {"html": rendered.html, "summary": rendered.summary, "headings": rendered.headings,
            "images": rendered.images, "resolved": sorted(asked.items()),
            "diagnostics": [(d.severity, d.message, d.location.path, d.location.line, d.location.col, d.code)
                            for d in rendered.diagnostics]}


def _rendered(value: dict) -> markup.Rendered:
    return markup.Rendered(value["html"], value["summary"], tuple(tuple(h) for h in value["headings"]),
                    tuple(Diagnostic(s, m, Location(p, line, col), c)
                          for s, m, p, line, col, c in value["diagnostics"]),
                    tuple(value["images"]))
