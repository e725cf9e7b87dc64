"""Answering the browser from a `Snapshot` of the site in memory: pages, the overlay, live reload.

Nothing here reads the disk: a request can only ever get a key of `Snapshot.files`, so traversal,
symbolic links, source files and directory listings are out of reach whatever the path says.
Each served HTML page carries the snapshot version it shows; a Server-Sent Events stream tells the
page when the version changes, and a failed build reloads into the last good page with the error
overlay, every line HTML-escaped.
"""

from __future__ import annotations

import html
import json
import mimetypes
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import MappingProxyType
from typing import Protocol
from urllib.parse import parse_qs, quote, unquote, urlsplit

from netsite import messages
from netsite.diagnostics import Diagnostic
from netsite.server import editor

PREFIX = "/__netsite/"
"""The server's own endpoints; no slug can start with '_', so no page is ever hidden by them."""
PING = 15.0
"""Seconds between keep-alive comments on an idle stream: a closed tab is noticed then."""
READ_TIMEOUT = 10.0
"""Seconds a client may stay silent while the server waits for (the rest of) its request: a
half-sent or idle connection is dropped then, and its thread freed."""
MAX_VERSION_DIGITS = 18
"""A live-reload `v` longer than this is malformed (int() of 5,000 digits raises, and is no version)."""
_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".xml": "application/xml",
          ".ics": "text/calendar", ".txt": "text/plain", ".svg": "image/svg+xml", ".json": "application/json",
          ".webp": "image/webp", ".woff2": "font/woff2", ".pdf": "application/pdf"}


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
    search: str = ""
    """The /pagefind/ bundle: "" (search is off), "indexing" (the bundle served, if any, is an older
    build's), "current" (it indexes exactly the pages served) or "failed"."""


class Source(Protocol):
    """Where the handler takes the current snapshot from (serve.Builder)."""

    snapshot: Snapshot
    builds: int

    root: Path

    def wait_newer(self, version: int, timeout: float) -> Snapshot: ...


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


def origin_form(target: str, hosts: frozenset[str]) -> str | None:
    """The request target as a path ('/…?…'), or None when it names another server or none.

    HTTP/1.1 allows the absolute form ('GET http://host/path'): it is taken only for a host this
    server answers as; '//host/…' and anything else that is not a path are refused.
    """
    if target.startswith("/") and not target.startswith("//"):
        return target
    parts = urlsplit(target)
    if parts.scheme.lower() not in ("http", "https") or parts.netloc.lower() not in hosts:
        return None
    path = parts.path or "/"
    return origin_form(path + (f"?{parts.query}" if parts.query else ""), hosts)


def _version(query: str) -> int | None:
    """The `v` of a live-reload query: one number of at most MAX_VERSION_DIGITS digits, else None."""
    try:
        values = parse_qs(query, strict_parsing=True, max_num_fields=4).get("v", [])
    except ValueError:
        return None
    if len(values) != 1 or not values[0].isascii() or not values[0].isdigit() \
            or len(values[0]) > MAX_VERSION_DIGITS:
        return None
    return int(values[0])


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
    """The error box over a page: each diagnostic's `path:line: error: …` line, HTML-escaped.

    Its style is a stylesheet of the server's own, not a style attribute, so that a theme's
    Content-Security-Policy (`style-src 'self'`) cannot hide it. The messages are in the site's
    language like the command line's (NETSITE_MESSAGES overrides it); /status keeps them English
    for tools.
    """
    language = messages.choose(snapshot.language, os.environ.get(messages.ENVIRONMENT))
    lines = "\n".join(html.escape(d.format()) for d in messages.localize_all(snapshot.problems, language))
    intro = html.escape(_OVERLAY_TEXT.get(language, _OVERLAY_TEXT["en"]))
    return (f'<link rel="stylesheet" href="{PREFIX}overlay.css">'
            f'<div id="netsite-overlay" role="alert"><p><strong>netsite</strong>: {intro}</p>'
            f'<pre>{lines}</pre></div>')


OVERLAY_CSS = """\
#netsite-overlay { position: fixed; inset: auto 0 0 0; z-index: 2147483647; max-height: 70vh;
  overflow: auto; margin: 0; padding: 1rem; background: #fff4f4; color: #600;
  border-top: 4px solid #c00; font: 16px/1.5 system-ui, sans-serif; }
#netsite-overlay p { margin: 0 0 .5rem; }
#netsite-overlay pre { margin: 0; white-space: pre-wrap; font: 15px/1.5 monospace; }
"""


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


def make_handler(builder: Source, hosts: frozenset[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        pass
    Handler.builder, Handler.hosts, Handler.editor = builder, hosts, editor.Editor(builder.root)
    return Handler


class _Handler(BaseHTTPRequestHandler):
    builder: Source
    hosts: frozenset[str]
    editor: editor.Editor
    timeout = READ_TIMEOUT  # socketserver sets it on the connection: every read and write is bounded

    def __getattr__(self, name: str):
        # http.server answers a method without a do_X with 501; every such method is refused with 405.
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def version_string(self) -> str:
        return "netsite"

    def log_message(self, format: str, *args) -> None:
        pass  # only cli.py prints; a request log would bury the build messages

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_POST(self) -> None:
        if urlsplit(self.path).path != editor.API:
            self._not_allowed()
            return
        status, answer = self.editor.respond(self, self.hosts)
        self._send(status, json.dumps(answer, ensure_ascii=False).encode("utf-8"),
                   "application/json; charset=utf-8", True)

    def _not_allowed(self) -> None:
        self._send(405, b"405 Method Not Allowed\n", "text/plain; charset=utf-8", True, {"Allow": "GET, HEAD"})

    def _answer(self, send_body: bool) -> None:
        if (self.headers.get("Host") or "").strip().lower() not in self.hosts:
            self._send(403, b"403 Forbidden: unknown Host header\n", "text/plain; charset=utf-8", send_body)
            return
        target = origin_form(self.path, self.hosts)
        if target is None:
            self._send(400, b"400 Bad Request: the target must be a path on this server\n",
                       "text/plain; charset=utf-8", send_body)
            return
        if target.startswith(PREFIX):
            self._own(urlsplit(target), send_body)
            return
        snapshot = self.builder.snapshot
        page = editor.admin_file(urlsplit(target).path, snapshot.base_path, self.builder.root)
        if page is not None:  # the local editor, whatever the build published at admin/
            self._send(200, page[0], page[1], send_body)
            return
        status, key = resolve(target, snapshot.files, snapshot.base_path)
        if status == 301:
            self._send(301, b"", "text/plain; charset=utf-8", send_body, {"Location": key})
        elif status == 200:
            self._page(200, key, snapshot, send_body)
        elif "404.html" in snapshot.files:
            self._page(404, "404.html", snapshot, send_body)
        else:
            shown = NOT_BUILT.encode("utf-8") if snapshot.failed else b"404 Not Found\n"
            self._send(503 if snapshot.failed else 404, inject(shown, snapshot), "text/html; charset=utf-8",
                       send_body)

    def _page(self, status: int, key: str, snapshot: Snapshot, send_body: bool) -> None:
        data = snapshot.files[key]
        if key.endswith(".html"):
            data = inject(data, snapshot)
        self._send(status, data, content_type(key), send_body)

    def _own(self, parts, send_body: bool) -> None:
        if parts.path == PREFIX + "reload.js":
            self._send(200, RELOAD_JS.encode("utf-8"), "text/javascript; charset=utf-8", send_body)
        elif parts.path == PREFIX + "overlay.css":
            self._send(200, OVERLAY_CSS.encode("utf-8"), "text/css; charset=utf-8", send_body)
        elif parts.path == PREFIX + "status":
            snapshot = self.builder.snapshot
            body = json.dumps({"version": snapshot.version, "builds": self.builder.builds, "ok": not snapshot.failed,
                               "problems": [d.format() for d in snapshot.problems],
                               "search": snapshot.search or "off"}, ensure_ascii=False)
            self._send(200, body.encode("utf-8"), "application/json; charset=utf-8", send_body)
        elif parts.path == PREFIX + "events" and send_body:
            version = _version(parts.query)
            if version is None:
                self._send(400, b"400 Bad Request: events?v= takes the page's version, a number\n",
                           "text/plain; charset=utf-8", send_body)
            else:
                self._events(version)
        else:
            self._send(404, b"404 Not Found\n", "text/plain; charset=utf-8", send_body)

    def _events(self, version: int) -> None:
        """An SSE stream that sends one `reload` event once the version differs from `?v=`."""
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
