"""`netsite build --relative`: every link in a page made relative, so the site opens from a disk or a share.

Pages link from the site root (`/news/x/`), which a browser resolves against the folder's drive
root when the page is opened as a file. Here each link the theme or the content writes into an
attribute is rewritten from the page's own folder (`../../news/x/index.html`), adding the
`index.html` a web server would have added. Only HTML changes: feeds and calendars keep
absolute addresses, which readers' apps need.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from netsite.content.models import OutputFile

_ATTRIBUTE = re.compile(r'(\s(href|src|action|poster|data-index|data-bundle)=")([^"]*)(")')
_FOLDERS = {"data-bundle"}
"""Attributes whose address is a folder that a script appends file names to (search.js: Pagefind's bundle)."""
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)(")')


def relative_url(url: str, page: str, base_path: str, folder: bool = False) -> str:
    """'/net/news/x/#top' seen from 'news/y/index.html' (base '/net/') → '../x/index.html#top'.

    A `folder` address (a script's base for the files it fetches) stays a folder: '../pagefind/'."""
    if not url.startswith(base_path) or url.startswith("//"):
        return url  # another host, mailto:, an anchor on the page, or already relative
    rest = url[len(base_path):]
    cut = min((i for i in (rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
    path, tail = rest[:cut], rest[cut:]
    if (path == "" or path.endswith("/")) and not folder:
        path += "index.html"
    return ("../" * page.count("/") + path + tail) or "./"


def _srcset(value: str, page: str, base_path: str) -> str:
    candidates = (candidate.strip().split(" ", 1) for candidate in value.split(","))
    return ", ".join(" ".join([relative_url(parts[0], page, base_path), *parts[1:]]) for parts in candidates)


@dataclass(frozen=True, slots=True)
class Linker:
    """A sink for build.render_site: each page made relative, then handed to the next sink (if any)."""

    base_path: str
    then: Callable[[OutputFile], OutputFile] | None = None

    def page(self, file: OutputFile) -> OutputFile:
        """The HTML page `file` with its links relative to its own folder; any other file unchanged."""
        if not file.path.endswith(".html") or file.source is not None:
            return file
        text = file.data.decode("utf-8")
        text = _ATTRIBUTE.sub(lambda m: m[1] + relative_url(m[3], file.path, self.base_path, m[2] in _FOLDERS) + m[4], text)
        text = _SRCSET.sub(lambda m: m[1] + _srcset(m[2], file.path, self.base_path) + m[3], text)
        return replace(file, data=text.encode("utf-8"))

    def __call__(self, file: OutputFile) -> OutputFile:
        made = self.page(file)
        return self.then(made) if self.then is not None else made
