"""The development server: the last good build served from memory, rebuilt on change, live reload.

Design notes:
- A rebuild is one call, `Builder.step(root, options)` (`build.run` by default), which returns a
  `Result`; an incremental rebuild can replace it without touching the server or the watcher.
- Requests are answered from a `Snapshot`, a mapping of output paths to bytes taken whole from
  one successful build. No request ever touches the file system, so traversal, symbolic links,
  source files and directory listings cannot be reached whatever the path says.
- Live reload is Server-Sent Events: each served HTML page carries the snapshot version it shows;
  when the version changes the browser reloads, and a failed build reloads into the last good page
  with the error overlay, rendered here with every line HTML-escaped.
"""

from __future__ import annotations

import html
import json
import mimetypes
import socket
import threading
import time
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Mapping
from urllib.parse import parse_qs, quote, unquote, urlsplit

import jinja2
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from netsite import build
from netsite.build import Options, Result
from netsite.config import CONFIG_NAME
from netsite.config import load as load_config
from netsite.diagnostics import Diagnostic, NetsiteError, error
from netsite.sources import is_junk

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
PREFIX = "/__netsite/"
"""The server's own endpoints; no slug can start with '_', so no page is ever hidden by them."""
QUIET = 0.15
"""Seconds without file events before a rebuild starts: one save is often several events."""
PING = 15.0
_CHANGES = frozenset({"created", "deleted", "modified", "moved", "closed"})
"""Watchdog events that mean a change; 'opened' and 'closed_no_write' come from our own reads."""
_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".xml": "application/xml",
          ".ics": "text/calendar", ".txt": "text/plain", ".svg": "image/svg+xml", ".json": "application/json",
          ".webp": "image/webp", ".woff2": "font/woff2", ".pdf": "application/pdf"}

Step = Callable[[Path, Options], Result]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the server shows: the files of the last good build and the outcome of the latest one."""

    files: Mapping[str, bytes] = field(default_factory=dict)
    base_path: str = "/"
    language: str = "ru"
    version: int = 0
    """Grows whenever what a reader would see changes; pages reload when it does."""
    problems: tuple[Diagnostic, ...] = ()
    """The latest build's diagnostics (warnings after a success, every problem after a failure)."""
    failed: bool = False


def snapshot_of(result: Result, version: int) -> Snapshot:
    """Every output file as bytes; copied files are read now, so serving never reads the disk."""
    files = {f.path: (f.source.read_bytes() if f.source is not None else f.data) for f in result.files}
    return Snapshot(MappingProxyType(files), result.config.base_path, result.config.language, version,
                    result.diagnostics)


def failure(exc: BaseException) -> tuple[Diagnostic, ...]:
    """A failed build's problems as diagnostics; a theme being edited must not stop the server."""
    if isinstance(exc, NetsiteError):
        return exc.diagnostics
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return (error(exc.filename or exc.name or "template", exc.lineno, exc.message or str(exc), "theme.syntax"),)
    if isinstance(exc, OSError):
        return (error(str(exc.filename or "netsite"), None, exc.strerror or str(exc), "io"),)
    return (error("netsite", None, f"{type(exc).__name__}: {exc}", "theme.render"),)


class Builder:
    """Runs the build step and publishes each outcome as a new Snapshot to waiting requests."""

    def __init__(self, root: Path, options: Options, step: Step = build.run,
                 report: Callable[[Snapshot, float], None] = lambda snapshot, seconds: None):
        self.root, self.options, self.step, self.report = root, options, step, report
        self.snapshot = Snapshot()
        self.builds = 0
        """How many builds have run (the status endpoint shows it)."""
        self._changed = threading.Condition()

    def rebuild(self) -> Snapshot:
        started = time.perf_counter()
        old = self.snapshot
        try:
            new = snapshot_of(self.step(self.root, self.options), old.version)
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


# ---- requests ----------------------------------------------------------------------------------

def resolve(target: str, files: Mapping[str, bytes], base_path: str) -> tuple[int, str]:
    """A request target → (200, output path), (301, location) or (404, '').

    The path is percent-decoded exactly once; '.', '..', backslashes and NUL never match, and
    only keys of `files` can be answered, so '%252e%252e' stays the literal text '%2e%2e'.
    """
    parts = urlsplit(target)
    path = unquote(parts.path, errors="replace")
    if not path.startswith("/") or "\\" in path or "\x00" in path or any(s in (".", "..") for s in path.split("/")):
        return 404, ""
    if not path.startswith(base_path):
        return (301, base_path) if path + "/" == base_path or path == "/" else (404, "")
    relative = path[len(base_path):]
    key = relative + "index.html" if relative == "" or relative.endswith("/") else relative
    if key in files:
        return 200, key
    if not relative.endswith("/") and relative + "/index.html" in files:
        return 301, quote(path + "/") + (f"?{parts.query}" if parts.query else "")
    return 404, ""


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """Host header values accepted: anything else may be a DNS-rebinding page reaching us."""
    names = {"localhost", "127.0.0.1", "[::1]", f"[{host}]" if ":" in host else host.lower()}
    return frozenset(names | {f"{name}:{port}" for name in names})


def content_type(path: str) -> str:
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    kind = _TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    textual = kind.startswith("text/") or kind in ("application/xml", "application/json", "image/svg+xml")
    return f"{kind}; charset=utf-8" if textual else kind


_OVERLAY_TEXT = {
    "ru": "Сайт не собрался: показана последняя удачная сборка. Исправьте и сохраните файл — "
          "страница обновится сама.",
    "en": "The site did not build: this is the last good build. Fix the file and save it — "
          "the page reloads by itself.",
}


def overlay(snapshot: Snapshot) -> str:
    """The error box over a page: each diagnostic's `path:line: error: …` line, HTML-escaped."""
    lines = "\n".join(html.escape(d.format()) for d in snapshot.problems)
    intro = html.escape(_OVERLAY_TEXT.get(snapshot.language, _OVERLAY_TEXT["en"]))
    return ('<div id="netsite-overlay" role="alert" style="position:fixed;inset:auto 0 0 0;z-index:2147483647;'
            'max-height:70vh;overflow:auto;margin:0;padding:1rem;background:#fff4f4;color:#600;'
            'border-top:4px solid #c00;font:16px/1.5 system-ui,sans-serif">'
            f'<p style="margin:0 0 .5rem"><strong>netsite</strong>: {intro}</p>'
            f'<pre style="margin:0;white-space:pre-wrap;font:15px/1.5 monospace">{lines}</pre></div>')


def inject(page: bytes, snapshot: Snapshot) -> bytes:
    """The reload script, and the overlay after a failed build, put before `</body>`."""
    snippet = overlay(snapshot) if snapshot.failed else ""
    snippet += f'<script src="{PREFIX}reload.js" data-version="{snapshot.version}"></script>\n'
    index = page.rfind(b"</body>")
    data = snippet.encode("utf-8")
    return page[:index] + data + page[index:] if index >= 0 else page + data


RELOAD_JS = """\
// netsite serve: reload the page when the site is rebuilt (Server-Sent Events).
// Browsers open at most six HTTP/1.1 connections to one host, and each stream holds one, so only
// a visible tab keeps its stream; a tab that becomes visible again reloads if the site changed.
(function () {
  var version = document.currentScript.getAttribute("data-version");
  var source = null;
  function connect() {
    if (source) return;
    source = new EventSource("/__netsite/events?v=" + encodeURIComponent(version));
    source.addEventListener("open", function () { window.__netsiteConnected = true; });
    source.addEventListener("reload", function () { source.close(); location.reload(); });
  }
  function disconnect() {
    if (source) { source.close(); source = null; window.__netsiteConnected = false; }
  }
  document.addEventListener("visibilitychange", function () { document.hidden ? disconnect() : connect(); });
  if (!document.hidden) connect();
})();
"""

NOT_BUILT = ('<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>netsite</title></head>'
             '<body><h1>netsite</h1></body></html>')


def make_handler(builder: Builder, hosts: frozenset[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        pass
    Handler.builder, Handler.hosts = builder, hosts
    return Handler


class _Handler(BaseHTTPRequestHandler):
    builder: Builder
    hosts: frozenset[str]

    def __getattr__(self, name: str):
        # http.server answers a method without a do_X with 501; every such method is refused with 405.
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def version_string(self) -> str:
        return "netsite"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the signature of http.server
        pass  # only cli.py prints; a request log would bury the build messages

    def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def _not_allowed(self) -> None:
        self._send(405, b"405 Method Not Allowed\n", "text/plain; charset=utf-8", True, {"Allow": "GET, HEAD"})

    def _answer(self, send_body: bool) -> None:
        if (self.headers.get("Host") or "").strip().lower() not in self.hosts:
            self._send(403, b"403 Forbidden: unknown Host header\n", "text/plain; charset=utf-8", send_body)
            return
        target = self.path
        if target.startswith(PREFIX):
            self._own(urlsplit(target), send_body)
            return
        snapshot = self.builder.snapshot
        status, key = resolve(target, snapshot.files, snapshot.base_path)
        if status == 301:
            self._send(301, b"", "text/plain; charset=utf-8", send_body, {"Location": key})
        elif status == 200:
            self._page(200, key, snapshot, send_body)
        elif "404.html" in snapshot.files:
            self._page(404, "404.html", snapshot, send_body)
        else:
            page = NOT_BUILT.encode("utf-8") if snapshot.failed else b"404 Not Found\n"
            self._send(503 if snapshot.failed else 404, inject(page, snapshot), "text/html; charset=utf-8",
                       send_body)

    def _page(self, status: int, key: str, snapshot: Snapshot, send_body: bool) -> None:
        data = snapshot.files[key]
        if key.endswith(".html"):
            data = inject(data, snapshot)
        self._send(status, data, content_type(key), send_body)

    def _own(self, parts, send_body: bool) -> None:
        if parts.path == PREFIX + "reload.js":
            self._send(200, RELOAD_JS.encode("utf-8"), "text/javascript; charset=utf-8", send_body)
        elif parts.path == PREFIX + "status":
            snapshot = self.builder.snapshot
            body = json.dumps({"version": snapshot.version, "builds": self.builder.builds, "ok": not snapshot.failed,
                               "problems": [d.format() for d in snapshot.problems]}, ensure_ascii=False)
            self._send(200, body.encode("utf-8"), "application/json; charset=utf-8", send_body)
        elif parts.path == PREFIX + "events" and send_body:
            self._events(parts.query)
        else:
            self._send(404, b"404 Not Found\n", "text/plain; charset=utf-8", send_body)

    def _events(self, query: str) -> None:
        """An SSE stream that sends one `reload` event once the version differs from `?v=`."""
        given = parse_qs(query).get("v", [""])[0]
        version = int(given) if given.isdigit() else -1
        self.send_response(200)
        self._common_headers("text/event-stream; charset=utf-8")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while not getattr(self.server, "closing", False):
                snapshot = self.builder.wait_newer(version, PING)
                if snapshot.version != version:
                    self.wfile.write(f"event: reload\ndata: {snapshot.version}\n\n".encode("ascii"))
                    self.wfile.flush()
                    return
                self.wfile.write(b": ping\n\n")  # finds out whether the browser is still there
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def _common_headers(self, kind: str) -> None:
        self.send_header("Content-Type", kind)
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")

    def _send(self, status: int, data: bytes, kind: str, send_body: bool,
              headers: Mapping[str, str] = MappingProxyType({})) -> None:
        self.send_response(status)
        self._common_headers(kind)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if send_body:
            self.wfile.write(data)


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


def start(root: Path, options: Options, host: str = "127.0.0.1", port: int = 8000, step: Step = build.run,
          report: Callable[[Snapshot, float], None] = lambda snapshot, seconds: None) -> DevServer:
    """Build once, then listen and watch; a failed first build is served as its overlay."""
    if not (root / CONFIG_NAME).is_file():
        load_config(root)  # raises the one clear "no netsite.yaml here" error (exit code 2)
    builder = Builder(root, options, step, report)
    builder.rebuild()
    server_class = _Server6 if ":" in host else _Server
    try:
        httpd = server_class((host, port), _Handler)
    except OSError as exc:
        raise NetsiteError([error(f"{host}:{port}", None, f"cannot listen there ({exc.strerror or exc}): "
                                  "pass another --port, or --port 0 for any free one", "serve.listen")], 2) from None
    httpd.RequestHandlerClass = make_handler(builder, allowed_hosts(host, httpd.server_address[1]))
    debouncer = Debouncer(builder.rebuild)
    observer = watch(root, debouncer.poke)
    return DevServer(httpd, builder, observer, debouncer)
