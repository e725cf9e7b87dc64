"""Full-text search: Pagefind indexes the finished HTML into /pagefind/ before the output is swapped in.

Design note: the index is built in the temporary output folder (`output.write(..., finish=...)`),
after every page is written and before the swap, so a search failure leaves the previous site
untouched, exactly like any other failed build. Pagefind picks the stemmer from `<html lang>`,
so Russian word forms (сказки, сказок, сказкам) meet. Only entry pages carry
`data-pagefind-body`, so lists and the home page do not crowd the results; and only entry pages
are shown to Pagefind at all (`entry_pages`, hard links in a folder of their own): it parsed and
held every list, term and calendar page only to drop them. Pagefind writes its filter index in a
random order; `pagefind_order` sorts it, so the output stays reproducible.

For `serve`, `Indexer` indexes in the background (serve.Builder runs it on its own thread after
the new HTML is already served): it keeps its own folder between runs and writes only the pages
that changed, and a newer build cancels a run that has become stale (`index(..., cancelled=)`).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from netsite.content.urls import output_file
from netsite.diagnostics import NetsiteError, error, error_of
from netsite.messages import Value, message, third_party
from netsite.publish import pagefind_order

TIMEOUT = 600
"""Seconds; a network of a few thousand pages indexes in a few seconds."""
POLL = 0.05
"""Seconds between looks at `cancelled` while Pagefind runs."""
BODY = b"data-pagefind-body"
"""The mark of a page Pagefind indexes (base.html puts it on entry pages): the others it drops."""
PAGES = ".pagefind-pages"
"""The folder, inside the one indexed, of links to the pages Pagefind is shown; removed after."""


class Cancelled(Exception):
    """A newer build made this index run stale; nothing was published."""


def executable() -> Path | None:
    """The Pagefind binary that `pip install pagefind[bin]` ships, or None."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    return get_executable()


def index(folder: Path, cancelled: Callable[[], bool] = lambda: False, background: bool = False,
          pages: Iterable[str] | None = None, shown: Path | None = None) -> None:
    """Index the HTML in `folder` into `folder/pagefind/`; raises NetsiteError with the reason.

    With `pages` (output paths, see `entry_pages`) Pagefind reads only those. Pagefind is
    stopped, and `Cancelled` raised, as soon as `cancelled()` turns true. A `background` run
    yields the processor to the next rebuild (`nice`, where there is one). A bundle Pagefind left
    incomplete (a full disk can end it with exit 0 and an empty `pagefind-entry.json`) is refused
    naming the file, as `shown/pagefind/…` when given.
    """
    if pages is None:
        _run(folder, folder / "pagefind", cancelled, background)
    else:
        read = folder / PAGES
        try:
            for path in pages:
                _link(folder.joinpath(*path.split("/")), read.joinpath(*path.split("/")))
            _run(read, folder / "pagefind", cancelled, background)
        finally:
            shutil.rmtree(read, ignore_errors=True)
    _finish(folder, shown)


def entry_pages(site) -> list[str]:
    """The output paths of the pages search finds: the entries' own (lists only repeat them)."""
    return sorted(output_file(entry.path) for entry in site.entries)


def _link(source: Path, target: Path) -> None:
    """A hard link (no bytes copied) where the file system has them, else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _run(site: Path, bundle: Path, cancelled: Callable[[], bool], background: bool) -> None:
    binary = executable()
    if binary is None:
        _fail("search.index:missing", package="pagefind[bin]")
    nice = shutil.which("nice") if background else None
    command = ([nice, "-n", "10"] if nice else []) + [str(binary), "--site", str(site), "--output-path",
                                                      str(bundle), "--silent"]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")
    except OSError as exc:
        _fail("search.index:run", detail=third_party(exc.strerror) if exc.strerror else str(exc))
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            stdout, stderr = process.communicate(timeout=POLL)  # reads both pipes: a full one never blocks it
            break
        except subprocess.TimeoutExpired:
            stop = cancelled()
            if stop or time.monotonic() > deadline:
                process.kill()
                process.communicate()
                if stop:
                    raise Cancelled() from None
                _fail("search.index:timeout", n=TIMEOUT)
    if process.returncode != 0:
        reason = (stderr or stdout).strip().splitlines()
        _fail("search.index", detail=reason[-1] if reason else f"exit {process.returncode}")


def _finish(folder: Path, shown: Path | None) -> None:
    """The bundle checked whole, put in a stable order, and checked again."""
    bundle = folder / "pagefind"
    try:
        check(bundle)
        pagefind_order.stabilize(bundle)
        check(bundle)  # the reordered files were written too, and a disk can fill meanwhile
    except _BROKEN as exc:
        broken = Path(getattr(exc, "filename", None) or getattr(exc, "path", None) or bundle / ENTRY)
        where = (shown or folder) / broken.relative_to(folder) if broken.is_relative_to(folder) else broken
        raise NetsiteError([error(str(where), None, "search.index:incomplete", detail=_reason(exc))], 1) from None


ENTRY = "pagefind-entry.json"


class Incomplete(ValueError):
    """A file of the bundle is missing, empty, truncated or not what Pagefind writes."""

    def __init__(self, path: Path, reason: str):
        super().__init__(reason)
        self.path = path


_BROKEN = (Incomplete, OSError, ValueError, EOFError, KeyError, TypeError)


def _reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) or type(exc).__name__


def check(bundle: Path) -> None:
    """Raise Incomplete unless the bundle's entry file names its languages, each language's meta
    file is there, and every compressed file of the bundle decompresses to its end."""
    entry_path = bundle / ENTRY
    try:
        entry = json.loads(entry_path.read_bytes().decode("utf-8"))
        languages = entry["languages"]
        metas = [bundle / f"pagefind.{info['hash']}.pf_meta" for info in languages.values()]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise Incomplete(entry_path, f"{ENTRY} is empty or not what Pagefind writes: {_reason(exc)}") from None
    if not metas:
        raise Incomplete(entry_path, f"{ENTRY} names no language")
    for meta in metas:
        if not meta.is_file():
            raise Incomplete(meta, f"{meta.name} is missing")
    for path in sorted(bundle.rglob("*")):
        if path.suffix.startswith(".pf_") or path.suffix == ".pagefind":
            try:
                gzip.decompress(path.read_bytes())
            except (OSError, EOFError, ValueError) as exc:
                raise Incomplete(path, f"{path.name} is truncated: {_reason(exc)}") from None


class Indexer:
    """The dev server's search index: a folder of its own that mirrors the served HTML between runs.

    Design note: Pagefind reads every page on each run anyway, but writing 10,000 pages to disk
    again after each save would double the work, so only pages whose bytes changed are written
    and pages that are gone are removed. The bytes written are remembered by reference: the
    incremental step hands back the same `bytes` objects for pages it kept, so this costs no
    second copy of the site. Pagefind runs niced: at 10,000 pages it works for most of a minute,
    and the next save's rebuild, which the author waits for, must not share the processor evenly.
    """

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="netsite-search-")
        self.folder = Path(self._folder.name)
        self._written: dict[str, bytes] = {}

    def run(self, files: Mapping[str, bytes], cancelled: Callable[[], bool] = lambda: False) -> dict[str, bytes]:
        """The /pagefind/ bundle for the HTML pages of `files`: output path → bytes."""
        pages = {path: data for path, data in files.items()
                 if path.endswith(".html") and not path.startswith("pagefind/")}
        pages = {path: data for path, data in pages.items() if BODY in data} or pages  # what Pagefind indexes
        for path in sorted(self._written.keys() - pages.keys()):
            self.folder.joinpath(*path.split("/")).unlink(missing_ok=True)
            del self._written[path]
        for number, (path, data) in enumerate(pages.items()):
            if number % 1000 == 999 and cancelled():  # the first run writes every page: stop soon too
                raise Cancelled()
            old = self._written.get(path)
            if old is data or old == data:
                continue
            target = self.folder.joinpath(*path.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            self._written.pop(path, None)  # a write cut short must be written again next time
            target.write_bytes(data)
            self._written[path] = data
        if cancelled():
            raise Cancelled()
        bundle = self.folder / "pagefind"
        shutil.rmtree(bundle, ignore_errors=True)  # fragments of pages since removed must not stay
        index(self.folder, cancelled, background=True)
        return {p.relative_to(self.folder).as_posix(): p.read_bytes()
                for p in sorted(bundle.rglob("*")) if p.is_file()}

    def close(self) -> None:
        self._folder.cleanup()


def _fail(key: str, **values: Value) -> None:
    raise NetsiteError([error_of("netsite.yaml", None, message(key, **values))], 1)


def pages(site) -> list:
    """The /search/ page, when search is on (not in the sitemap: it has no content of its own)."""
    from netsite.publish.render import Page

    return [Page("/search/", "search.html", {}, in_sitemap=False)] if site.config.search else []
