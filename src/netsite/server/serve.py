"""The development server: the last good build served from memory, rebuilt on change, live reload.

Design notes:
- A rebuild is one call, `Builder.step(root, options)` (by default `incremental.Stepper()`), which
  returns a `Result`; another step can replace it without touching the server or the watcher.
- Each outcome becomes a whole new `Snapshot` (preview.py answers requests from it), swapped in
  at once under a condition variable that also wakes the live-reload streams.
- Search is indexed after the new HTML is served, on a thread of its own (`search.Indexer`): at
  10,000 pages Pagefind takes seconds, which must not stand between a save and the reload. Until
  it is done the previous /pagefind/ bundle stays served and the status says "indexing"; the new
  bundle is added to the snapshot without a new version, so the page does not reload twice. A
  newer build cancels a run that is still going.
- Watchdog events are debounced: one save is often several events (truncate, write, close). An
  event that ends a save ('closed' after writing, 'moved' onto the file by an atomic save) needs
  only SETTLE; other events, and platforms that report no close, wait QUIET.
- `content/` and `themes/` made after the start are watched from their 'created' event on.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import MappingProxyType

import jinja2
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from netsite.build import Options, Result
from netsite.content.config import CONFIG_NAME
from netsite.content.config import load as load_config
from netsite.content.sources import is_junk
from netsite.diagnostics import Diagnostic, NetsiteError, error, io_error
from netsite.messages import third_party
from netsite.publish import lock, search
from netsite.server import incremental
from netsite.server.preview import Snapshot, allowed_hosts, make_handler

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
QUIET = 0.15
"""Seconds without file events before a rebuild starts: one save is often several events."""
SETTLE = 0.02
"""Seconds after an event that ends a save (see `quiet_for`): the rest of a burst still joins in."""
_ENDS_A_SAVE = frozenset({"closed", "moved"})
_CHANGES = frozenset({"created", "deleted", "modified", "moved", "closed"})
"""Watchdog events that mean a change; 'opened' and 'closed_no_write' come from our own reads."""
Step = Callable[[Path, Options], Result]


@dataclass(frozen=True, slots=True)
class Timing:
    """When the last rebuild started, its step returned and its snapshot was published (perf_counter)."""

    started: float = 0.0
    stepped: float = 0.0
    published: float = 0.0


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
        where = exc.filename or exc.name or "template"
        return (error(where, exc.lineno, "theme.syntax", detail=exc.message or str(exc)),)
    if isinstance(exc, jinja2.TemplateError):  # such as an undefined name in a template being edited
        return (error("theme", None, "theme.render", detail=f"{type(exc).__name__}: {exc}"),)
    if isinstance(exc, OSError):
        return (io_error(exc),)
    return (error("netsite", None, "internal", detail=f"{type(exc).__name__}: {exc}"),)


class Builder:
    """Runs the build step and publishes each outcome as a new Snapshot to waiting requests."""

    def __init__(self, root: Path, options: Options, step: Step | None = None,
                 report: Callable[[Snapshot, float], None] = lambda snapshot, seconds: None,
                 report_index: Callable[[Snapshot, tuple[Diagnostic, ...], float], None] =
                 lambda snapshot, problems, seconds: None):
        self.root, self.options, self.report, self.report_index = root, options, report, report_index
        self.step = step if step is not None else incremental.Stepper()
        self.snapshot = Snapshot()
        self.builds = 0
        """How many builds have run (the status endpoint shows it)."""
        self.timing = Timing()
        self._changed = threading.Condition()
        self._one_at_a_time = threading.Lock()
        self._copied: dict[Path, tuple[tuple[int, int], bytes]] = {}
        self._built: Mapping[str, bytes] = MappingProxyType({})
        """The files of the last good build, without the search bundle."""
        self._bundle: dict[str, bytes] = {}
        """The /pagefind/ files last indexed (for `_built` when the snapshot's search is "current")."""
        self._generation = 0
        """Counts good builds whose files differ: an index run publishes only for the one it indexed."""
        self._wanted: tuple[int, Mapping[str, bytes]] | None = None
        self._closed = False
        self._indexing = threading.Condition()
        self._indexer: threading.Thread | None = None

    def rebuild(self) -> Snapshot:
        with self._one_at_a_time:  # the first build (main thread) and the watcher's never overlap
            started = time.perf_counter()
            old = self.snapshot
            index = False
            try:
                with lock.writer(self.root, None) if self.options.cache else contextlib.nullcontext():
                    result = self.step(self.root, self.options)  # the cache has one writer: a build waits
                stepped = time.perf_counter()
                new = snapshot_of(result, old.version, self._read)
            except Exception as exc:
                stepped = time.perf_counter()
                new = replace(old, problems=failure(exc), failed=True)
            else:
                new, index = self._with_search(new, result.config.search, old)
            if (new.files, new.problems, new.failed) != (old.files, old.problems, old.failed):
                new = replace(new, version=old.version + 1)
            with self._changed:
                self.snapshot = new
                self.builds += 1
                self._changed.notify_all()
            self.timing = Timing(started, stepped, time.perf_counter())
            if index:
                self._request_index()  # only now: its result must land on this snapshot, not the one before
        self.report(new, time.perf_counter() - started)
        return new

    def _with_search(self, new: Snapshot, search_on: bool, old: Snapshot) -> tuple[Snapshot, bool]:
        """The new build's snapshot with the /pagefind/ bundle it can have now, and whether to index it.

        Called with the build lock held. When the pages are the same as the last good build's,
        the snapshot (bundle and search state) stays what it was: nothing to index again.
        """
        built = new.files
        if search_on and built == self._built and old.search:
            return replace(new, files=old.files, search=old.search), False
        with self._changed:  # an index run finishing now must see both or neither
            self._built = built
            self._generation += 1
            if not search_on:
                self._bundle = {}
        if not search_on:
            return new, False
        # The previous bundle stays until the new one is ready: a search page that answers from the
        # last index beats one that answers nothing; the status says it is "indexing".
        return replace(new, files=MappingProxyType({**built, **self._bundle}), search="indexing"), True

    def _request_index(self) -> None:
        """Index the last good build's pages on the indexing thread; a run still going is cancelled."""
        with self._indexing:
            self._wanted = (self._generation, self._built)
            self._indexing.notify_all()
            if self._indexer is None:
                self._indexer = threading.Thread(target=self._index_loop, name="netsite-search", daemon=True)
                self._indexer.start()

    def _index_loop(self) -> None:
        indexer = search.Indexer()
        try:
            while True:
                with self._indexing:
                    self._indexing.wait_for(lambda: self._closed or self._wanted is not None)
                    if self._closed:
                        return
                    wanted, self._wanted = self._wanted, None
                    assert wanted is not None, "wait_for returned on a request"
                    generation, files = wanted
                started = time.perf_counter()
                try:
                    bundle = indexer.run(files, cancelled=lambda: self._closed or self._wanted is not None)
                except search.Cancelled:
                    continue  # a newer build is waiting: index that one instead
                except Exception as exc:
                    self._publish_index(generation, None, failure(exc), time.perf_counter() - started)
                else:
                    self._publish_index(generation, bundle, (), time.perf_counter() - started)
        finally:
            indexer.close()

    def _publish_index(self, generation: int, bundle: dict[str, bytes] | None,
                       problems: tuple[Diagnostic, ...], seconds: float) -> None:
        """Add the bundle to the snapshot, if it still serves the build that was indexed.

        The version stays: the pages did not change, so the browser must not reload again.
        """
        with self._changed:
            if generation != self._generation or self._closed:
                return  # a newer build was published meanwhile; its own run follows
            current = self.snapshot
            if bundle is None:
                self.snapshot = replace(current, search="failed")
            else:
                self._bundle = bundle
                self.snapshot = replace(current, files=MappingProxyType({**self._built, **bundle}),
                                        search="current")
            self._changed.notify_all()
            current = self.snapshot
        self.report_index(current, problems, seconds)

    def close(self) -> None:
        """Stop indexing (a running Pagefind is stopped) and remove the indexer's folder."""
        with self._indexing:
            self._closed = True
            self._indexing.notify_all()
            thread = self._indexer
        if thread is not None:
            thread.join(timeout=10)

    def wait_index(self, timeout: float) -> Snapshot:
        """The snapshot once its search state is no longer "indexing", or the current one at the timeout."""
        with self._changed:
            self._changed.wait_for(lambda: self.snapshot.search != "indexing", timeout)
            return self.snapshot

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
    """Calls `action` on its own thread once no `poke` has come for the quiet period the last one asked."""

    def __init__(self, action: Callable[[], object], quiet: float = QUIET,
                 clock: Callable[[], float] = time.monotonic):
        self.action, self.quiet, self.clock = action, quiet, clock
        self.due: float | None = None
        """When the action runs, on `clock`; None when no change is waiting."""
        self._stopped = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._loop, name="netsite-rebuild", daemon=True)
        self._thread.start()

    def poke(self, quiet: float | None = None) -> None:
        """A change: the action runs `quiet` seconds (default `self.quiet`) after the last poke.

        The last poke decides, even when it asks less than an earlier one: an event that ends a
        save means the save is done, whatever came before it.
        """
        with self._cond:
            self.due = self.clock() + (self.quiet if quiet is None else quiet)
            self._cond.notify()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()

    def _loop(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._stopped or self.due is not None)
                while not self._stopped and self.due is not None and self.clock() < self.due:
                    self._cond.wait(self.due - self.clock())
                if self._stopped:
                    return
                self.due = None
            self.action()  # pokes during the action set `due` again: one more rebuild follows


def quiet_for(event_type: str) -> float:
    """How long to wait after an event: SETTLE after one that ends a save, else QUIET.

    On Linux (inotify) watchdog reports 'closed' once a file opened for writing is closed, and an
    atomic save (write a temporary, rename it over the file) ends with 'moved'. Platforms that
    report no close events keep the longer QUIET after the writes themselves. A checkout of many
    files may then make two rebuilds instead of one; the second follows at once.
    """
    return SETTLE if event_type in _ENDS_A_SAVE else QUIET


def is_watched(root: Path, path: str) -> bool:
    """A change under content/ or themes/, or to netsite.yaml, that is not an editor temporary."""
    try:
        parts = Path(path).resolve().relative_to(root.resolve()).parts
    except ValueError:
        return False
    if not parts or any(is_junk(part) for part in parts):
        return False
    return parts[0] in ("content", "themes") or parts == (CONFIG_NAME,)


_FOLDERS = ("content", "themes")
"""The site's folders watched recursively (the site folder itself only for netsite.yaml)."""


class _Changes(FileSystemEventHandler):
    def __init__(self, root: Path, poke: Callable[[float], None], observer: BaseObserver | None = None):
        self.root, self.poke, self.observer = root, poke, observer
        self.watches: dict[str, ObservedWatch] = {}

    def on_any_event(self, event: FileSystemEvent) -> None:
        # A folder is 'modified' whenever a file in it changes, and that file's own event is enough.
        if event.event_type not in _CHANGES or (event.is_directory and event.event_type == "modified"):
            return
        paths = [str(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        if event.is_directory and event.event_type in ("created", "moved"):
            for name in _FOLDERS:
                if Path(paths[-1]) == self.root / name:  # made, or renamed into place, after the start
                    self.follow(name)
        if any(is_watched(self.root, p) for p in paths):
            self.poke(quiet_for(event.event_type))

    def follow(self, name: str) -> None:
        """Watch `root/name` recursively from now on (again, if it was deleted and made anew)."""
        if self.observer is None or not (self.root / name).is_dir():
            return
        old = self.watches.pop(name, None)
        if old is not None:
            with contextlib.suppress(KeyError):  # its watch already ended with the deleted folder
                self.observer.unschedule(old)
        with contextlib.suppress(OSError):  # gone again already; its next 'created' event tries again
            self.watches[name] = self.observer.schedule(self, str(self.root / name), recursive=True)
        # Files written into the folder before its watch began have no event of their own: this
        # poke (after the watch) makes a rebuild that reads them.
        self.poke(QUIET)


def watch(root: Path, poke: Callable[[float], None]) -> BaseObserver:
    """Watchdog on content/ and themes/ (recursively) and on the site folder for netsite.yaml."""
    observer = Observer()
    handler = _Changes(root, poke, observer)
    observer.schedule(handler, str(root), recursive=False)
    for name in _FOLDERS:
        if (root / name).is_dir():
            handler.watches[name] = observer.schedule(handler, str(root / name), recursive=True)
    observer.daemon = True
    observer.start()
    return observer


# ---- the server --------------------------------------------------------------------------------

MAX_CONNECTIONS = 64
"""Connections served at once, each on a thread (a live-reload stream holds one per open tab);
one more is answered 503 at once and closed, so idle or half-sent clients cannot pile up threads."""
BACKLOG = 128
"""Connections the system queues before `accept` (Python's default of 5 overflowed at 8 clients)."""


class _Server(ThreadingHTTPServer):
    """A threading server with a bound on its threads and quiet about clients that hang up."""

    daemon_threads = True
    closing = False
    request_queue_size = BACKLOG

    def __init__(self, *args, **kwargs):
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._held: set[int] = set()
        self._holding = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address) -> None:
        if not self._slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.sendall(_BUSY)
            self.shutdown_request(request)
            return
        with self._holding:
            self._held.add(id(request))
        try:
            super().process_request(request, client_address)
        except BaseException:
            # The thread may not have started (its slot is free again), or may have started and
            # finished before a KeyboardInterrupt (Ctrl+C, SIGTERM) reached this thread: free once.
            self._free(request)
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._free(request)

    def _free(self, request) -> None:
        """Give back the request's slot, exactly once whichever path gets here first."""
        with self._holding:
            if id(request) not in self._held:
                return
            self._held.discard(id(request))
        self._slots.release()

    def handle_error(self, request, client_address) -> None:
        """A client that hung up or timed out is no error of ours; anything else is still printed."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


_BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
         b"Retry-After: 1\r\nContent-Length: 17\r\nConnection: close\r\n\r\n503 server busy\r\n")


class _Server6(_Server):
    address_family = socket.AF_INET6


@dataclass(slots=True)
class DevServer:
    """A running `netsite serve`: the HTTP server, the watcher and the rebuild thread."""

    httpd: _Server
    builder: Builder
    observer: BaseObserver
    debouncer: Debouncer

    @property
    def url(self) -> str:
        address, port = self.httpd.server_address[:2]
        host = address.decode() if isinstance(address, bytes) else address
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
        self.builder.close()


def start(root: Path, options: Options, host: str = "127.0.0.1", port: int = 8000, step: Step | None = None,
          report: Callable[[Snapshot, float], None] = lambda snapshot, seconds: None,
          report_index: Callable[[Snapshot, tuple[Diagnostic, ...], float], None] = lambda snapshot, problems, seconds: None
          ) -> DevServer:
    """Build once, then listen and watch; a failed first build is served as its overlay."""
    if not (root / CONFIG_NAME).is_file():
        load_config(root)  # raises the one clear "no netsite.yaml here" error (exit code 2)
    builder = Builder(root, options, step, report, report_index)
    server_class = _Server6 if ":" in host else _Server
    try:  # listen first: a port in use is known before a long first build
        httpd = server_class((host, port), make_handler(builder, frozenset()))
    except OSError as exc:
        raise NetsiteError([error(f"{host}:{port}", None, "serve.listen",
                                  detail=third_party(exc.strerror) if exc.strerror else str(exc))], 2) from None
    httpd.RequestHandlerClass = make_handler(builder, allowed_hosts(host, httpd.server_address[1]))
    debouncer = Debouncer(builder.rebuild)
    observer = watch(root, debouncer.poke)  # before the first build, so no save is missed
    builder.rebuild()
    return DevServer(httpd, builder, observer, debouncer)

