"""What `netsite check` adds to a build: links, anchors, images and files, unreferenced institutions.

It reads the rendered site (`Result.files`), not the templates or the Markdown, so a broken link
is found wherever it came from. A problem in an entry's body is reported at the entry's source
file (with the line where its text appears); one in the theme is reported once per target, at the
first page (in path order) that has it, with the number of pages.
"""

from __future__ import annotations

import io
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree
import lxml.html
from PIL import Image, UnidentifiedImageError

from netsite.build import Result
from netsite.content.models import Entry
from netsite.content.urls import output_file
from netsite.diagnostics import Diagnostic, error, sort_key, warning

# (tag, attribute) pairs whose URL the browser fetches by itself: these must stay on our host.
_RESOURCES = {("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"), ("script", "src"),
              ("video", "src"), ("video", "poster"), ("audio", "src"), ("iframe", "src"), ("embed", "src"),
              ("object", "data"), ("track", "src"), ("input", "src")}
_FETCHED_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon", "prefetch"}
_LINKS = {("a", "href"), ("area", "href"), ("link", "href"), ("form", "action")}
_RASTER = (".png", ".jpg", ".jpeg", ".gif", ".webp")
_PARSER = lxml.html.HTMLParser(encoding="utf-8")
LARGE = 10 * 1024 * 1024
"""A published file above this size is a warning: parents read the site on phones."""


@dataclass(frozen=True, slots=True)
class Ref:
    tag: str
    attribute: str
    url: str
    fetched: bool = False
    """The browser loads it by itself (an image, a script, a stylesheet), not when a reader clicks."""


@dataclass(frozen=True, slots=True)
class Parsed:
    """The ids (anchors) of one HTML page and every URL in it, in document order."""

    ids: frozenset[str]
    refs: tuple[Ref, ...]


def collect(html: bytes | str) -> Parsed:
    """Parse with libxml2 (lxml): a real HTML parser, and four times faster than html.parser here."""
    data = html.encode("utf-8") if isinstance(html, str) else html
    if not data.strip():
        return Parsed(frozenset(), ())
    root = lxml.html.document_fromstring(data, parser=_PARSER)
    ids: set[str] = set()
    refs: list = []
    for element in root.iter(lxml.etree.Element):
        tag = element.tag
        for name, value in element.items():
            if name == "id" or (tag == "a" and name == "name"):
                ids.add(value)
            elif (tag, name) in _LINKS or (tag, name) in _RESOURCES:
                urls = [part.split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value]
                fetched = (tag, name) in _RESOURCES or (
                    tag == "link" and bool(_FETCHED_RELS & set((element.get("rel") or "").lower().split())))
                refs.extend(Ref(tag, name, url.strip(), fetched) for url in urls)
    return Parsed(frozenset(ids), tuple(refs))


@dataclass(frozen=True, slots=True)
class Broken:
    """One problem with one URL on one page."""

    page: str
    ref: Ref
    message: str
    code: str


def audit(result: Result) -> list[Diagnostic]:
    """Every problem `check` finds beyond the build's own."""
    files = {f.path: f for f in result.files}
    pages = {path: collect(f.data) for path, f in files.items() if path.endswith(".html")}
    seen: dict = {}
    broken = [b for path in sorted(pages) for b in _page_problems(path, pages[path], pages, files, result, seen)]
    problems = _locate(broken, result)
    problems += _file_problems(result)
    problems += unreferenced(result)
    return sorted(problems, key=sort_key)


def _page_problems(path: str, page: Parsed, pages: dict, files: dict, result: Result,
                   seen: dict) -> list[Broken]:
    """The broken URLs of one page; `seen` remembers each verdict, as most URLs recur on every page."""
    base = result.config.base_url
    found = []
    for ref in page.refs:
        absolute_path = ref.url.startswith("/") and not ref.url.startswith("//")
        key = (ref.tag, ref.attribute, ref.url if absolute_path else f"{path}|{ref.url}")
        if key not in seen:
            seen[key] = _verdict(ref, urljoin(base + path, ref.url), base, pages, files)
        if seen[key]:
            found.append(Broken(path, ref, *seen[key]))
    return found


def _verdict(ref: Ref, absolute: str, base: str, pages: dict, files: dict) -> tuple[str, str] | None:
    if urlsplit(ref.url).scheme not in ("", "http", "https") or not ref.url:
        return None  # mailto:, tel:; unsafe schemes are removed when the body is sanitized
    if absolute.startswith(base):
        problem = target_problem(absolute[len(base):], pages, files)
        return (problem[0].format(url=ref.url), problem[1]) if problem else None
    if ref.fetched and urlsplit(absolute).netloc != urlsplit(base).netloc:
        return (f"'{ref.url}' is loaded from another site: readers' browsers would contact it; put the "
                "file in the entry's folder", "check.external")
    return None  # a link to another site is not fetched: check makes no network request


def target_problem(rest: str, pages: dict, files: dict) -> tuple[str, str] | None:
    """Why a site-relative URL (after base_url) leads nowhere, or None."""
    parts = urlsplit(rest)
    path = unquote(parts.path)
    key = output_file("/" + path)
    if key not in files:
        if not path.endswith("/") and output_file(f"/{path}/") in files:
            return None  # hosts redirect /x to /x/
        return "the link '{url}' leads to no page or file of the site", "check.link"
    if parts.fragment and key in pages and unquote(parts.fragment) not in pages[key].ids:
        return "the link '{url}' points to an anchor that is not on that page", "check.anchor"
    return None


def _locate(broken: list[Broken], result: Result) -> list[Diagnostic]:
    """Body problems at their source and line; theme problems once per URL, with the page count."""
    entries = {output_file(e.path): e for e in result.site.entries}
    bodies: dict[str, set[Ref]] = {}
    theme: dict[tuple[str, str], list[Broken]] = defaultdict(list)
    problems = []
    for item in broken:
        entry = entries.get(item.page)
        if entry is not None:
            if entry.source not in bodies:
                bodies[entry.source] = set(collect(entry.body).refs)
            if item.ref in bodies[entry.source]:
                line = find_line(_source_text(result, entry), item.ref.url, result.config.base_path)
                problems.append(error(entry.source, line, item.message, item.code))
                continue
        theme[(item.ref.url, item.code)].append(item)
    out = result.config.output_dir.strip("/")
    for (url, code), items in theme.items():
        pages = {item.page for item in items}
        first = next(item for item in items if item.page == min(pages, key=_page_order))
        count = len(pages)
        where = f"on {count} pages" if count > 1 else "on this page"
        problems.append(error(f"{out}/{first.page}", None, f"{first.message} (in the theme's HTML, {where})", code))
    return problems


def _page_order(page: str) -> tuple:
    """The page named for a theme problem: the home page if it has it, else the shallowest."""
    return (page != "index.html", page.count("/"), page)


def find_line(text: str, url: str, base_path: str) -> int | None:
    """The line of a source's body where the link is written, or None.

    The rendered URL differs from what the author wrote (`../pages/plan.md#x` became `/plan/#x`),
    so the fragment, the path and its last segment are tried in turn, first as a link target
    (`](…`, `]: …`, `<…`), then anywhere in the body.
    """
    parts = urlsplit(url)
    path = parts.path[len(base_path) - 1:] if parts.path.startswith(base_path) else parts.path
    candidates = [f"#{parts.fragment}"] if parts.fragment else []
    candidates += [c for c in (url, path, posixpath.basename(path.rstrip("/"))) if c and c != "/"]
    lines = text.splitlines()
    start = _body_start(lines)
    for pattern in (r"(?:\]\(|\]:\s*|<)[^)\s>]*{}", "{}"):
        for candidate in candidates:
            regex = re.compile(pattern.format(re.escape(candidate)))
            for number in range(start, len(lines)):
                if regex.search(lines[number]) or regex.search(unquote(lines[number])):
                    return number + 1
    return None


def _body_start(lines: list[str]) -> int:
    """The index of the first body line: after the closing '---' of the front matter."""
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                return index + 1
    return 0


def _file_problems(result: Result) -> list[Diagnostic]:
    """Published images that do not decode, and files too large for a phone."""
    shown = {a.source: a.shown for e in result.site.entries for a in e.assets}
    problems = []
    for file in result.files:
        if file.source is None or file.source not in shown:
            continue
        data = file.source.read_bytes()
        where = shown[file.source]
        if file.path.lower().endswith(_RASTER) and not _decodes(data):
            problems.append(error(where, None, "the image cannot be read: it may be damaged, or another kind "
                                  "of file with an image's name; save it again as JPEG or PNG", "check.image"))
        if len(data) > LARGE:
            problems.append(warning(where, None, f"the file is {len(data) / 1048576:.1f} MiB: parents read the "
                                    "site on phones; make it smaller than 10 MiB", "check.size"))
    return problems


def _decodes(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        return True
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False


def unreferenced(result: Result) -> list[Diagnostic]:
    """Institutions that no published entry names (a warning)."""
    problems = []
    for institution in result.site.institutions:
        kinds = result.site.institution_entries.get(institution.slug, {})
        cycle = result.site.cycle.of_institution.get(institution.slug, {})  # agreements, meetings, projects, plans
        if not any(kinds.values()) and not any(cycle.values()):
            problems.append(warning(institution.source, institution.lines.get("title"),
                                    f"no entry of the site names '{institution.slug}' yet: its page lists "
                                    "nothing", "check.unreferenced"))
    return problems


def _source_text(result: Result, entry: Entry) -> str:
    """The text of an entry's source, read only when one of its links is broken."""
    path = result.config.root.joinpath(*entry.source.split("/"))
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""  # then the problem is reported without a line
