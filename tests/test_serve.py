"""`netsite serve`: a real server in a subprocess, driven over HTTP; and its pure parts in-process."""

from __future__ import annotations

import http.client
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from netsite.diagnostics import error
from netsite.server import preview, serve

from conftest import INSTITUTION, NOW, build_site, new_context, write_site

REPO_ROOT = Path(__file__).resolve().parents[1]
SRC = REPO_ROOT / "src"
WAIT = 60.0
"""Seconds a condition may take before the test gives up: a bound, not a timing assertion: a passing
test never waits it out, and on a shared 2-core machine under a load average of 15 the suite's
builds ran ten times slower than on a quiet one (the margin of the old 20 s)."""

NEWS = """\
---
title: Осенний праздник
date: 2026-11-20
institution: solnyshko
---
Прошёл праздник урожая.
"""
NEWS_PATH = "content/news/2026-11-20-osennij-prazdnik.md"


class Running:
    """A `netsite serve --port 0` subprocess and the address it printed."""

    def __init__(self, root: Path, *args: str, before: str = ""):
        """`before`: Python run in the server's process before the command line (a test's setting)."""
        env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONUNBUFFERED="1")
        launch = ["-m", "netsite"] if not before else ["-c", f"{before}\nfrom netsite.cli import main\nmain()"]
        self.process = subprocess.Popen(
            [sys.executable, *launch, "serve", "--root", str(root), "--port", "0", "--now", NOW, *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env)
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in self.process.stdout], daemon=True).start()
        self.errors: list[str] = []  # drained all along: a full pipe would block the server
        self._drain = threading.Thread(target=lambda: self.errors.extend(self.process.stderr), daemon=True)
        self._drain.start()
        line = lines.get(timeout=WAIT)
        assert line.startswith(("netsite: serving http://", "netsite: сайт открыт на http://")), line
        self.url = "http://" + line.split("http://", 1)[1].split(" ", 1)[0]
        self.host, port = line.split("http://", 1)[1].split("/", 1)[0].rsplit(":", 1)
        self.port = int(port)

    def request(self, path: str, method: str = "GET", host: str | None = "default",
                headers: dict | None = None) -> tuple[int, dict, bytes]:
        """One raw request: the path is sent exactly as given, redirects are not followed."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=WAIT)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            if host == "default":
                host = f"{self.host}:{self.port}"
            if host is not None:
                conn.putheader("Host", host)
            for name, value in (headers or {}).items():
                conn.putheader(name, value)
            conn.endheaders()
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()

    def text(self, path: str) -> str:
        status, _headers, body = self.request(path)
        assert status == 200, (path, status)
        return body.decode("utf-8")

    def status(self) -> dict:
        return json.loads(self.text("/__netsite/status"))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._drain.join(timeout=WAIT)


def until(condition, what: str):
    """Poll `condition` until it returns something true, within WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"not within {WAIT} s: {what}")


def listen(server: Running, version: int) -> queue.Queue:
    """Open the live-reload stream in a thread; its lines arrive in the returned queue."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
        conn.request("GET", f"/__netsite/events?v={version}")
        response = conn.getresponse()
        lines.put(f"status {response.status} {response.getheader('Content-Type')}")
        for raw in response:
            lines.put(raw.decode("utf-8").rstrip("\n"))
    threading.Thread(target=read, daemon=True).start()
    return lines


def lines_until(lines: queue.Queue, wanted: str) -> list[str]:
    seen = []
    deadline = time.monotonic() + WAIT
    while wanted not in seen:
        seen.append(lines.get(timeout=max(0.01, deadline - time.monotonic())))
    return seen


@pytest.fixture
def site(tmp_path) -> Path:
    return write_site(tmp_path / "site", {"content/institutions/solnyshko.md": INSTITUTION, NEWS_PATH: NEWS})


@pytest.fixture
def server(site):
    running = Running(site)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One server for the request-policy tests. (A symbolic link in the theme is refused by the build
    itself, [path.symlink]: tests/test_bad_inputs.py, case symlink-theme.)"""
    root = write_site(tmp_path_factory.mktemp("shared") / "site",
                      {"content/institutions/solnyshko.md": INSTITUTION, NEWS_PATH: NEWS,
                       "themes/default/static/own.txt": "своё"})
    running = Running(root)
    yield running
    running.stop()


# ---- live reload and the overlay ---------------------------------------------------------------

def test_an_edit_is_served_with_a_reload_signal(server, site):
    assert "Осенний праздник" in server.text("/news/osennij-prazdnik/")
    version = server.status()["version"]
    stream = listen(server, version)
    assert lines_until(stream, "retry: 1000")[0] == "status 200 text/event-stream; charset=utf-8"
    (site / NEWS_PATH).write_text(NEWS.replace("Осенний праздник", "Праздник урожая"), encoding="utf-8")
    until(lambda: "Праздник урожая" in server.text("/news/osennij-prazdnik/"), "the edited page")
    assert lines_until(stream, "event: reload")[-1] == "event: reload"
    assert server.status()["version"] > version


def test_a_new_file_becomes_a_page(server, site):
    (site / "content/news/2026-11-21-vystavka.md").write_text(
        NEWS.replace("Осенний праздник", "Выставка рисунков"), encoding="utf-8")
    page = until(lambda: server.request("/news/vystavka/")[0] == 200 and server.text("/news/vystavka/"),
                 "the new page")
    assert "Выставка рисунков" in page


def test_a_broken_file_shows_the_overlay_and_the_last_good_page(server, site):
    broken = NEWS.replace("date: 2026-11-20", 'date: 2026-11-20\n"<b>x</b>": 1')
    (site / NEWS_PATH).write_text(broken.replace("Осенний праздник", "Сломанный"), encoding="utf-8")
    until(lambda: not server.status()["ok"], "the failed build")
    status = server.status()
    assert status["problems"] == [f"{NEWS_PATH}:4: error: unknown key '<b>x</b>' for news [field.unknown]"]
    page = server.text("/news/osennij-prazdnik/")
    assert "Осенний праздник" in page and "Сломанный" not in page  # the last good build
    assert 'id="netsite-overlay"' in page
    # the overlay speaks the site's language (Russian); /status stays English for tools
    assert f"{NEWS_PATH}:4: error: неизвестный ключ &#x27;&lt;b&gt;x&lt;/b&gt;&#x27; в записи вида news" in page
    assert "<b>x</b>" not in page
    (site / NEWS_PATH).write_text(NEWS.replace("Осенний праздник", "Исправленный"), encoding="utf-8")
    until(lambda: server.status()["ok"], "recovery after the fix")
    page = server.text("/news/osennij-prazdnik/")
    assert "Исправленный" in page and "netsite-overlay" not in page


def test_a_broken_config_is_an_overlay_too(server, site):
    config = site / "netsite.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    until(lambda: not server.status()["ok"], "the failed build")
    assert server.status()["problems"] == ["netsite.yaml:4: error: unknown key 'colour' [config.key]"]
    assert "netsite-overlay" in server.text("/")


def test_editor_temporaries_do_not_rebuild(server, site):
    before = server.status()
    for name in (".#2026-11-20-osennij-prazdnik.md", "2026-11-20-osennij-prazdnik.md~",
                 ".2026-11-20-osennij-prazdnik.md.swp", "4913.tmp"):
        (site / "content/news" / name).write_text("junk", encoding="utf-8")
    time.sleep(1.0)  # longer than the debounce: a build for the junk would have started by now
    (site / NEWS_PATH).write_text(NEWS.replace("Осенний праздник", "Метка"), encoding="utf-8")
    until(lambda: "Метка" in server.text("/news/osennij-prazdnik/"), "the real edit")
    after = server.status()
    assert (after["builds"], after["version"], after["ok"]) == (before["builds"] + 1, before["version"] + 1, True)


# ---- what may be requested ---------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/../netsite.yaml", "/news/../../netsite.yaml", "/%2e%2e/netsite.yaml", "/%2E%2E/%2e%2e/netsite.yaml",
    "/%252e%252e/netsite.yaml", "/news/%2e%2e%2fnetsite.yaml", "/..%5cnetsite.yaml", "/netsite.yaml",
    "/content/news/2026-11-20-osennij-prazdnik.md", "/content/", "/themes/default/static/own.txt",
    "/static/secret.txt", "/static/", "/static/css/", "//etc/passwd", "/news/osennij-prazdnik/index.html%00",
    "/__netsite/../netsite.yaml", "/__netsite/nothing",
])
def test_only_build_output_is_served(shared, path):
    status, headers, body = shared.request(path)
    assert status == 404
    assert b"netsite.yaml" not in body and b"base_url" not in body
    if not path.startswith("/__netsite/"):
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert "<h1>Страница не найдена</h1>" in body.decode("utf-8")  # the theme's 404 page


def test_served_files(shared):
    assert shared.text("/static/own.txt") == "своё"
    status, headers, _body = shared.request("/news")
    assert (status, headers["location"]) == (301, "/news/")
    status, headers, body = shared.request("/news/", method="HEAD")
    assert (status, body) == (200, b"") and int(headers["content-length"]) > 0
    assert headers["cache-control"] == "no-store" and headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}",
                                  "localhost:1", None])
def test_a_foreign_host_is_forbidden(shared, host):
    status, _headers, _body = shared.request("/", host=host.format(port=shared.port) if host else None)
    assert status == 403


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}",
                                  "localhost"])
def test_local_hosts_are_allowed(shared, host):
    assert shared.request("/", host=host.format(port=shared.port))[0] == 200


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"])
def test_other_methods_are_not_allowed(shared, method):
    status, headers, _body = shared.request("/", method=method)
    assert status == 405 and headers["allow"] == "GET, HEAD"


def test_the_reload_script_is_only_in_served_html(shared, make_site):
    served = shared.text("/")
    assert '<script src="/__netsite/reload.js" data-version="' in served
    assert served.index("/__netsite/reload.js") < served.rindex("</body>")
    assert "__netsite" not in shared.text("/static/own.txt")
    assert "EventSource" in shared.text("/__netsite/reload.js")
    root = make_site({NEWS_PATH: NEWS})
    build_site(root)
    built = [p for p in (root / "public").rglob("*") if p.is_file()]
    assert built and not any(b"__netsite" in p.read_bytes() for p in built)


def test_another_address_only_when_asked_and_with_a_warning(site):
    running = Running(site, "--host", "127.0.0.2")
    try:
        assert running.host == "127.0.0.2"
        assert running.request("/")[0] == 200
        assert running.request("/", host=f"127.0.0.1:{running.port}")[0] == 200
        assert running.request("/", host=f"127.0.0.3:{running.port}")[0] == 403
    finally:
        running.stop()
    warning = "".join(running.errors)
    assert ("netsite: предупреждение: сайт открыт на 127.0.0.2: его может прочитать каждый, кому доступен этот адрес"
            in warning)  # the test site is Russian, so is the line (English with NETSITE_MESSAGES=en)


def test_a_site_that_never_built_shows_the_overlay_until_fixed(tmp_path):
    root = write_site(tmp_path / "site", {"content/institutions/solnyshko.md": INSTITUTION,
                                          NEWS_PATH: NEWS.replace("date: 2026-11-20", "date: вчера")})
    running = Running(root)
    try:
        status, headers, body = running.request("/news/osennij-prazdnik/")
        assert (status, headers["content-type"]) == (503, "text/html; charset=utf-8")
        assert f"{NEWS_PATH}:3: error: &#x27;date&#x27;: &#x27;вчера&#x27; — не дата" in body.decode("utf-8")
        (root / NEWS_PATH).write_text(NEWS, encoding="utf-8")
        until(lambda: running.request("/news/osennij-prazdnik/")[0] == 200, "the first good build")
        assert "netsite-overlay" not in running.text("/news/osennij-prazdnik/")
    finally:
        running.stop()


def test_a_port_in_use_is_one_clear_line(shared):
    result = subprocess.run([sys.executable, "-m", "netsite", "serve", "--root", str(REPO_ROOT), "--port",
                             str(shared.port)], capture_output=True, text=True, encoding="utf-8", timeout=WAIT,
                            env=dict(os.environ, PYTHONPATH=str(SRC)))
    assert result.returncode == 2
    # the repository's site is Russian, so is its message (tests/test_messages.py checks the English)
    assert result.stderr.startswith(f"127.0.0.1:{shared.port}: error: не удаётся открыть этот адрес (")
    assert result.stderr.splitlines()[0].endswith("--port 0 — тогда netsite выберет свободный [serve.listen]")


def test_copied_files_are_read_again_only_when_changed(tmp_path):
    builder = serve.Builder(tmp_path, serve.Options())
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"one")
    assert builder._read(photo) == b"one"
    os.utime(photo, ns=(1, 1))
    first = builder._read(photo)
    photo.write_bytes(b"two")
    os.utime(photo, ns=(2, 2))
    assert (first, builder._read(photo)) == (b"one", b"two")


def test_a_base_path_is_served_under_it(tmp_path):
    config = "title: Сеть\nbase_url: https://example.org/net/\ntimezone: Europe/Moscow\n"
    root = write_site(tmp_path / "site", {"content/institutions/solnyshko.md": INSTITUTION, NEWS_PATH: NEWS}, config)
    running = Running(root)
    try:
        assert running.url == f"http://127.0.0.1:{running.port}/net/"
        status, headers, _body = running.request("/")
        assert (status, headers["location"]) == (301, "/net/")
        assert 'href="/net/news/osennij-prazdnik/"' in running.text("/net/news/")
        assert "Осенний праздник" in running.text("/net/news/osennij-prazdnik/")
        assert running.request("/news/osennij-prazdnik/")[0] == 404
    finally:
        running.stop()


def test_a_missing_config_is_refused(tmp_path):
    result = subprocess.run([sys.executable, "-m", "netsite", "serve", "--root", str(tmp_path), "--port", "0"],
                            capture_output=True, text=True, encoding="utf-8", timeout=WAIT,
                            env=dict(os.environ, PYTHONPATH=str(SRC)))
    assert result.returncode == 2 and "[config.missing]" in result.stderr


# ---- the pure parts ----------------------------------------------------------------------------

FILES = {"index.html": b"", "news/index.html": b"", "news/x/index.html": b"", "rss.xml": b""}


@pytest.mark.parametrize("target, base, expected", [
    ("/", "/", (200, "index.html")),
    ("/news/?page=2", "/", (200, "news/index.html")),
    ("/news/x", "/", (301, "/news/x/")),
    ("/news/x?a=1", "/", (301, "/news/x/?a=1")),
    ("/rss.xml", "/", (200, "rss.xml")),
    ("/rss.xml/", "/", (404, "")),
    ("/net/news/", "/net/", (200, "news/index.html")),
    ("/", "/net/", (301, "/net/")),
    ("/net", "/net/", (301, "/net/")),
    ("/news/", "/net/", (404, "")),
    ("/news/x/%2e%2e/", "/", (404, "")),
    ("/news%2Fx/", "/", (200, "news/x/index.html")),
    ("news/", "/", (404, "")),
])
def test_resolve(target, base, expected):
    assert preview.resolve(target, FILES, base) == expected


@pytest.mark.parametrize("relative, watched", [
    ("content/news/x.md", True), ("content/news/x/photo.jpg", True), ("themes/own/templates/base.html", True),
    ("netsite.yaml", True), ("content/news/.x.md.swp", False), ("content/news/x.md~", False),
    ("content/news/#x.md#", False), ("content/.git/index", False), ("public/index.html", False),
    ("README.md", False), ("netsite.yaml.tmp", False),
])
def test_is_watched(tmp_path, relative, watched):
    assert serve.is_watched(tmp_path, str(tmp_path / relative)) is watched


def test_inject_escapes_the_overlay():
    problem = error("content/news/<x>.md", 3, "field.unknown", key="<script>alert(1)</script>", kind="news", hint="& more")
    snapshot = preview.Snapshot(version=7, problems=(problem,), failed=True)
    page = preview.inject(b"<html><body><p>old</p></body></html>", snapshot).decode("utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "content/news/&lt;x&gt;.md:3: error:" in page
    assert page.endswith('data-version="7"></script>\n</body></html>')
    assert "netsite-overlay" not in preview.inject(b"<p>x</p>", preview.Snapshot(version=1)).decode("utf-8")


def test_a_failed_build_keeps_the_last_good_files(make_site):
    from netsite.build import run

    root = make_site({NEWS_PATH: NEWS})
    builder = serve.Builder(root, serve.Options(now=NOW), step=run)
    good = builder.rebuild()
    assert not good.failed and "news/osennij-prazdnik/index.html" in good.files
    (root / NEWS_PATH).write_text("---\ntitle: [\n---\n", encoding="utf-8")
    bad = builder.rebuild()
    assert bad.failed and bad.files is good.files and bad.version == good.version + 1
    assert [d.location.path for d in bad.problems] == [NEWS_PATH]
    assert builder.rebuild().version == bad.version  # nothing changed: no reload


@pytest.mark.parametrize("exc, expected", [
    (serve.jinja2.TemplateSyntaxError("unexpected '}'", 7, "base.html", "themes/own/templates/base.html"),
     "themes/own/templates/base.html:7: error: unexpected '}' [theme.syntax]"),
    (serve.jinja2.UndefinedError("'entry' is undefined"),
     "theme: error: UndefinedError: 'entry' is undefined [theme.render]"),
    (FileNotFoundError(2, "No such file or directory", "content/news/x/photo.jpg"),
     "content/news/x/photo.jpg: error: No such file or directory [io]"),
    (ZeroDivisionError("division by zero"),
     "netsite: error: internal error, please report it: ZeroDivisionError: division by zero [internal]"),
])
def test_any_failure_becomes_diagnostics(exc, expected):
    assert [d.format() for d in serve.failure(exc)] == [expected]


def test_content_types():
    assert preview.content_type("calendar.ics") == "text/calendar; charset=utf-8"
    assert preview.content_type("static/img/logo.svg") == "image/svg+xml; charset=utf-8"
    assert preview.content_type("news/x/photo.jpg") == "image/jpeg"
    assert preview.content_type("static/fonts/x.woff2") == "font/woff2"


# ---- trigger latency and folders made later ------------------------------------------------------

def test_an_event_that_ends_a_save_asks_the_short_wait(tmp_path):
    from watchdog.events import (
        FileClosedEvent,
        FileClosedNoWriteEvent,
        FileCreatedEvent,
        FileDeletedEvent,
        FileModifiedEvent,
        FileMovedEvent,
        FileOpenedEvent,
    )

    news = str(tmp_path / "content/news/a.md")
    asked: list[float] = []
    handler = serve._Changes(tmp_path, asked.append)
    for event in (FileOpenedEvent(news), FileModifiedEvent(news), FileClosedEvent(news),
                  FileClosedNoWriteEvent(news), FileCreatedEvent(news), FileDeletedEvent(news),
                  FileMovedEvent(str(tmp_path / "content/news/.a.md.swp"), news)):
        handler.on_any_event(event)
    assert asked == [serve.QUIET, serve.SETTLE, serve.QUIET, serve.QUIET, serve.SETTLE]
    assert serve.SETTLE < serve.QUIET


def test_the_last_poke_sets_the_wait_and_one_burst_is_one_rebuild():
    now = [100.0]
    calls: queue.Queue[float] = queue.Queue()
    debouncer = serve.Debouncer(lambda: calls.put(now[0]), clock=lambda: now[0])
    try:
        debouncer.poke()  # a write: the long wait
        assert debouncer.due == 100.0 + serve.QUIET
        debouncer.poke(serve.SETTLE)  # its close: the save is over
        assert debouncer.due == 100.0 + serve.SETTLE
        now[0] = 100.0 + serve.SETTLE / 2
        debouncer.poke(serve.QUIET)  # another file of the same burst starts: wait for it too
        assert debouncer.due == now[0] + serve.QUIET
        now[0] = 101.0
        assert calls.get(timeout=WAIT) == 101.0
        assert debouncer.due is None and calls.empty()
    finally:
        debouncer.stop()


def test_a_themes_folder_made_after_the_start_is_watched(server, site):
    assert not (site / "themes").exists()
    base = (REPO_ROOT / "themes/default/templates/base.html").read_text(encoding="utf-8")
    theme = site / "themes/default/templates/base.html"
    theme.parent.mkdir(parents=True)
    theme.write_text(base.replace("</body>", "<p>Своя тема</p></body>", 1), encoding="utf-8")
    until(lambda: "Своя тема" in server.text("/"), "the new theme folder's override")
    theme.write_text(base.replace("</body>", "<p>Тема правлена</p></body>", 1), encoding="utf-8")
    until(lambda: "Тема правлена" in server.text("/"), "an edit inside the new folder")


# ---- search in serve ------------------------------------------------------------------------------

@pytest.mark.browser
def test_search_is_indexed_after_the_page_is_served_without_a_second_reload(server, site, chromium):
    until(lambda: server.status()["search"] == "current", "the first index")
    version = server.status()["version"]
    stream = listen(server, version)
    lines_until(stream, "retry: 1000")
    (site / NEWS_PATH).write_text(NEWS.replace("праздник урожая", "праздник барабанщиков"), encoding="utf-8")
    until(lambda: "барабанщиков" in server.text("/news/osennij-prazdnik/"), "the edited page")
    until(lambda: server.status()["search"] == "current", "the index of the edited site")
    assert lines_until(stream, "event: reload")[-1] == "event: reload"
    assert stream.get(timeout=WAIT) == f"data: {version + 1}"
    assert server.status()["version"] == version + 1  # the index arrived without a version of its own
    until(lambda: any(line.startswith(("netsite: search index updated in", "netsite: поиск обновлён за"))
                      for line in server.errors), "the terminal line")
    context = new_context(chromium)
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.port}/search/?q=барабанщиков")
        page.wait_for_selector(".pagefind-ui__result-link[href='/news/osennij-prazdnik/']", timeout=WAIT * 1000)
    finally:
        context.close()
    assert server.status()["version"] == version + 1


def test_a_newer_build_supersedes_a_stale_index(make_site):
    """The index of an older build is never published over a newer one, and a later run catches up."""
    root = make_site({NEWS_PATH: NEWS})
    builder = serve.Builder(root, serve.Options(now=NOW))
    try:
        builder.rebuild()
        (root / NEWS_PATH).write_text(NEWS.replace("урожая", "осени"), encoding="utf-8")
        second = builder.rebuild()
        assert second.search in ("indexing", "current")
        done = builder.wait_index(WAIT)
        assert done.search == "current" and done.version == second.version
        assert builder._generation == 2 and {p for p in done.files if p.startswith("pagefind/")}
        builder._publish_index(1, {"pagefind/stale.js": b"old"}, (), 0.0)  # the first build's run, late
        assert builder.snapshot is done
        builder.rebuild()  # nothing changed: the index stays current, nothing is indexed again
        assert builder.snapshot.search == "current" and builder.snapshot.version == second.version
    finally:
        builder.close()


def test_search_off_serves_no_bundle(make_site):
    from conftest import BASE_CONFIG

    root = make_site({NEWS_PATH: NEWS}, config=BASE_CONFIG + "search: false\n")
    builder = serve.Builder(root, serve.Options(now=NOW))
    snapshot = builder.rebuild()
    assert snapshot.search == "" and not any(p.startswith("pagefind/") for p in snapshot.files)
    assert builder._indexer is None


# ---- in a real browser ---------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("csp", [False, True])
def test_a_browser_reloads_and_shows_the_overlay(site, csp, chromium):
    if csp:  # a theme that allows nothing from elsewhere, nor inline scripts or styles
        base = (REPO_ROOT / "themes/default/templates/base.html").read_text(encoding="utf-8")
        meta = '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'">'
        theme = site / "themes/default/templates/base.html"
        theme.parent.mkdir(parents=True)
        theme.write_text(base.replace('<meta charset="utf-8">', '<meta charset="utf-8">' + meta, 1), encoding="utf-8")
    server = Running(site)
    try:
        assert ("Content-Security-Policy" in server.text("/")) is csp
        _drive_a_browser(chromium, server, site)
    finally:
        server.stop()


def _drive_a_browser(chromium, server: Running, site: Path) -> None:
    from playwright.sync_api import expect

    context = new_context(chromium)
    try:
        page = context.new_page()
        failures: list[str] = []
        # A request the page's own reload cuts short (net::ERR_ABORTED) is not a failure of the server.
        page.on("requestfailed", lambda request: failures.append(request.url)
                if request.failure != "net::ERR_ABORTED" else None)
        page.goto(f"http://127.0.0.1:{server.port}/news/osennij-prazdnik/")
        expect(page.locator("h1")).to_have_text("Осенний праздник")
        page.wait_for_function("() => window.__netsiteConnected === true", timeout=WAIT * 1000)
        (site / NEWS_PATH).write_text(NEWS.replace("Осенний праздник", "Праздник урожая"), encoding="utf-8")
        expect(page.locator("h1")).to_have_text("Праздник урожая", timeout=WAIT * 1000)
        (site / NEWS_PATH).write_text(NEWS.replace("date: 2026-11-20", "date: 20.11.2026"), encoding="utf-8")
        overlay = page.locator("#netsite-overlay")
        expect(overlay).to_be_visible(timeout=WAIT * 1000)
        expect(overlay).to_contain_text(f"{NEWS_PATH}:3: error: 'date': '20.11.2026' — не дата")
        expect(page.locator("h1")).to_have_text("Праздник урожая")  # the last good page underneath
        expect(overlay).to_have_css("position", "fixed")  # its stylesheet loaded (waits for it: a link loads later)
        (site / NEWS_PATH).write_text(NEWS.replace("Осенний праздник", "Исправлено"), encoding="utf-8")
        expect(page.locator("h1")).to_have_text("Исправлено", timeout=WAIT * 1000)
        expect(overlay).to_have_count(0)
        assert [url for url in failures if "/__netsite/events" not in url] == []
    finally:
        context.close()
