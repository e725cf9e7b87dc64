"""The development server: the last good build served from memory, rebuilt on change, live reload.

Design notes:
- A rebuild is one call, `Builder.step(root, options)` (by default `search.run_indexed`: `build.run`
  plus the search index), which returns a `Result`; an incremental rebuild can replace it
  without touching the server or the watcher.
- Each outcome becomes a whole new `Snapshot` (preview.py answers requests from it), swapped in
  at once under a condition variable that also wakes the live-reload streams.
- Watchdog events are debounced: one save is often several events (truncate, write, close).
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, replace
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import MappingProxyType
from typing import Callable

import jinja2
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from netsite import search
from netsite.build import Options, Result
from netsite.config import CONFIG_NAME
from netsite.config import load as load_config
from netsite.diagnostics import Diagnostic, NetsiteError, error
from netsite.preview import Snapshot, allowed_hosts, make_handler
from netsite.sources import is_junk

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
QUIET = 0.15
"""Seconds without file events before a rebuild starts: one save is often several events."""
_CHANGES = frozenset({"created", "deleted", "modified", "moved", "closed"})
"""Watchdog events that mean a change; 'opened' and 'closed_no_write' come from our own reads."""
Step = Callable[[Path, Options], Result]


def snapshot_of(result: Result, version: int, read: Callable[[Path], bytes] = Path.read_bytes) -> Snapshot:
    """Every output file as bytes; copied files are read now, so serving never reads the disk."""
    files = {f.path: (read(f.source) if f.source is not None else f.data) for f in result.files}
    return Snapshot(MappingProxyType(files), result.config.base_path, result.config.language, version,
                    result.diagnostics)


def failure(exc: BaseException) -> tuple[Diagnostic, ...]:
    """A failed build's problems as diagnostics; a theme being edited must not stop the server."""
    if isinstance(exc, NetsiteError):
        return exc.diagnostics
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return (error(exc.filename or exc.name or "template", exc.lineno, exc.message or str(exc), "theme.syntax"),)
    if isinstance(exc, jinja2.TemplateError):  # such as an undefined name in a template being edited
        return (error("theme", None, f"{type(exc).__name__}: {exc}", "theme.render"),)
    if isinstance(exc, OSError):
        return (error(str(exc.filename or "netsite"), None, exc.strerror or str(exc), "io"),)
    return (error("netsite", None, f"internal error, please report it: {type(exc).__name__}: {exc}", "internal"),)


class Builder:
    """Runs the build step and publishes each outcome as a new Snapshot to waiting requests."""

    def __init__(self, root: Path, options: Options, step: Step = search.run_indexed,
                 report: Callable[[Snapshot, float], None] = lambda snapshot, seconds: None):
        self.root, self.options, self.step, self.report = root, options, step, report
        self.snapshot = Snapshot()
        self.builds = 0
        """How many builds have run (the status endpoint shows it)."""
        self._changed = threading.Condition()
        self._one_at_a_time = threading.Lock()
        self._copied: dict[Path, tuple[tuple[int, int], bytes]] = {}

    def rebuild(self) -> Snapshot:
        with self._one_at_a_time:  # the first build (main thread) and the watcher's never overlap
            started = time.perf_counter()
            old = self.snapshot
            try:
                new = snapshot_of(self.step(self.root, self.options), old.version, self._read)
            except Exception as exc:  # noqa: BLE001 - shown in the overlay; the last good site stays served
                new = replace(old, problems=failure(exc), failed=True)
            if (new.files, new.problems, new.failed) != (old.files, old.problems, old.failed):
                new = replace(new, version=old.version + 1)
            with self._changed:
                self.snapshot = new
                self.builds += 1
                self._changed.notify_all()
        self.report(new, time.perf_counter() - started)
        return new

    def _read(self, path: Path) -> bytes:
        """A copied file's bytes, read again only when its size or modification time changed."""
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._copied.get(path)
        if cached is None or cached[0] != key:
            cached = self._copied[path] = (key, path.read_bytes())
        return cached[1]

    def wait_newer(self, version: int, timeout: float) -> Snapshot:
        """The snapshot once its version differs from `version`, or the current one at the timeout."""
        with self._changed:
            self._changed.wait_for(lambda: self.snapshot.version != version, timeout)
            return self.snapshot

    def wake(self) -> None:
        with self._changed:
            self._changed.notify_all()


class Debouncer:
    """Calls `action` on its own thread once no `poke` has come for `quiet` seconds."""

    def __init__(self, action: Callable[[], object], quiet: float = QUIET):
        self.action, self.quiet = action, quiet
        self._due: float | None = None
        self._stopped = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._loop, name="netsite-rebuild", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        with self._cond:
            self._due = time.monotonic() + self.quiet
            self._cond.notify()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()

    def _loop(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._stopped or self._due is not None)
                while not self._stopped and self._due is not None and time.monotonic() < self._due:
                    self._cond.wait(self._due - time.monotonic())
                if self._stopped:
                    return
                self._due = None
            self.action()  # pokes during the action set _due again: one more rebuild follows


def is_watched(root: Path, path: str) -> bool:
    """A change under content/ or themes/, or to netsite.yaml, that is not an editor temporary."""
    try:
        parts = Path(path).resolve().relative_to(root.resolve()).parts
    except ValueError:
        return False
    if not parts or any(is_junk(part) for part in parts):
        return False
    return parts[0] in ("content", "themes") or parts == (CONFIG_NAME,)


class _Changes(FileSystemEventHandler):
    def __init__(self, root: Path, poke: Callable[[], None]):
        self.root, self.poke = root, poke

    def on_any_event(self, event: FileSystemEvent) -> None:
        # A folder is 'modified' whenever a file in it changes, and that file's own event is enough.
        if event.event_type not in _CHANGES or (event.is_directory and event.event_type == "modified"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        if any(p and is_watched(self.root, str(p)) for p in paths):
            self.poke()


def watch(root: Path, poke: Callable[[], None]) -> Observer:
    """Watchdog on content/ and themes/ (recursively) and on the site folder for netsite.yaml."""
    observer = Observer()
    handler = _Changes(root, poke)
    observer.schedule(handler, str(root), recursive=False)
    for name in ("content", "themes"):
        if (root / name).is_dir():
            observer.schedule(handler, str(root / name), recursive=True)
    observer.daemon = True
    observer.start()
    return observer


# ---- the server --------------------------------------------------------------------------------

class _Server(ThreadingHTTPServer):
    daemon_threads = True
    closing = False


class _Server6(_Server):
    address_family = socket.AF_INET6


@dataclass(slots=True)
class DevServer:
    """A running `netsite serve`: the HTTP server, the watcher and the rebuild thread."""

    httpd: _Server
    builder: Builder
    observer: Observer
    debouncer: Debouncer

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}{self.builder.snapshot.base_path}"

    def serve_forever(self) -> None:
        self.httpd.serve_forever(poll_interval=0.2)

    def close(self) -> None:
        self.httpd.closing = True
        self.builder.wake()
        self.debouncer.stop()
        self.observer.stop()
        self.httpd.shutdown()
        self.httpd.server_close()


def start(root: Path, options: Options, host: str = "127.0.0.1", port: int = 8000, step: Step = search.run_indexed,
          report: Callable[[Snapshot, float], None] = lambda snapshot, seconds: None) -> DevServer:
    """Build once, then listen and watch; a failed first build is served as its overlay."""
    if not (root / CONFIG_NAME).is_file():
        load_config(root)  # raises the one clear "no netsite.yaml here" error (exit code 2)
    builder = Builder(root, options, step, report)
    server_class = _Server6 if ":" in host else _Server
    try:  # listen first: a port in use is known before a long first build
        httpd = server_class((host, port), make_handler(builder, frozenset()))
    except OSError as exc:
        raise NetsiteError([error(f"{host}:{port}", None, f"cannot listen there ({exc.strerror or exc}): "
                                  "pass another --port, or --port 0 for any free one", "serve.listen")], 2) from None
    httpd.RequestHandlerClass = make_handler(builder, allowed_hosts(host, httpd.server_address[1]))
    debouncer = Debouncer(builder.rebuild)
    observer = watch(root, debouncer.poke)  # before the first build, so no save is missed
    builder.rebuild()
    return DevServer(httpd, builder, observer, debouncer)

