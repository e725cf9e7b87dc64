"""Full-text search: Pagefind indexes the finished HTML into /pagefind/ before the output is swapped in.

Design note: the index is built in the temporary output folder (`output.write(..., finish=...)`),
after every page is written and before the swap, so a search failure leaves the previous site
untouched, exactly like any other failed build. Pagefind picks the stemmer from `<html lang>`,
so Russian word forms (сказки, сказок, сказкам) meet. Only entry pages carry
`data-pagefind-body`, so lists and the home page do not crowd the results. Pagefind writes its
filter index in a random order; `pagefind_order` sorts it, so the output stays reproducible.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from netsite import pagefind_order
from netsite.diagnostics import NetsiteError, error
from netsite.models import OutputFile

TIMEOUT = 600
"""Seconds; a network of a few thousand pages indexes in a few seconds."""


def executable() -> Path | None:
    """The Pagefind binary that `pip install pagefind[bin]` ships, or None."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    return get_executable()


def index(folder: Path) -> None:
    """Index the HTML in `folder` into `folder/pagefind/`; raises NetsiteError with the reason."""
    binary = executable()
    if binary is None:
        _fail("Pagefind is not installed: run pip install 'pagefind[bin]', "
              "or set 'search: false' in netsite.yaml")
    try:
        done = subprocess.run([str(binary), "--site", str(folder), "--silent"], capture_output=True,
                              text=True, encoding="utf-8", errors="replace", timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        _fail(f"Pagefind could not run: {exc}")
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        _fail("Pagefind failed to index the site: " + (reason[-1] if reason else f"exit {done.returncode}"))
    pagefind_order.stabilize(folder / "pagefind")


def _fail(message: str) -> None:
    raise NetsiteError([error("netsite.yaml", None, message, "search.index")], 1)


def pages(site) -> list:
    """The /search/ page, when search is on (not in the sitemap: it has no content of its own)."""
    from netsite.render import Page

    return [Page("/search/", "search.html", {}, in_sitemap=False)] if site.config.search else []


def run_indexed(root: Path, options):
    """`build.run` plus the /pagefind/ bundle in memory: the dev server's step, so its search works too."""
    from netsite import build  # build imports this module for `index`

    result = build.run(root, options)
    if not result.config.search:
        return result
    with tempfile.TemporaryDirectory(prefix="netsite-search-") as tmp:
        folder = Path(tmp)
        for file in result.files:
            if file.path.endswith(".html"):
                target = folder.joinpath(*file.path.split("/"))
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(file.data)
        index(folder)
        bundle = sorted(p for p in (folder / "pagefind").rglob("*") if p.is_file())
        extra = tuple(OutputFile(p.relative_to(folder).as_posix(), p.read_bytes()) for p in bundle)
    return replace(result, files=tuple(sorted(result.files + extra, key=lambda f: f.path)))
