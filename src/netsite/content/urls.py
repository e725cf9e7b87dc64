"""Slugs, URLs and output paths: the only module that knows how the site is laid out.

URLs inside the program are site-root paths such as '/news/x/'; `Links.url()` puts the
base_url's path in front ('/net/news/x/') and `Links.absolute()` the origin as well.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from slugify import slugify

_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Paths the generator itself writes: a content slug may not take them.
RESERVED_PAGE_SLUGS = frozenset({
    "news", "events", "calendar", "practices", "institutions", "tags", "audiences", "age-groups",
    "areas", "pages", "search", "static", "assets", "page", "rss.xml", "atom.xml", "calendar.ics",
    "sitemap.xml", "robots.txt", "404.html", "index.html", "archive", "pagefind", "monitoring",
    "agreements", "meetings", "plans", "projects", "network", "admin", "api",
})
# Slugs of other kinds that the site's own pages take (/events/archive/, /news/page/2/).
RESERVED_SLUGS = {"pages": RESERVED_PAGE_SLUGS, "events": frozenset({"archive", "page"}),
                  "news": frozenset({"page"}), "practices": frozenset({"page"}),
                  "institutions": frozenset({"page"})}
# Windows device names are not portable file names.
_WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)}
                              | {f"lpt{i}" for i in range(1, 10)})


SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel", "webcal"})
"""webcal: is how a link asks a calendar app to subscribe to an ICS address (the subscribe page)."""


def url_problem(url: str, absolute: bool = False) -> str | None:
    """The one URL policy for Markdown links and images, URL-typed front matter and menus.

    Allowed: http, https, mailto, tel, webcal, relative paths and '#fragment'; `absolute` asks for a full
    http(s) address. Everything else (javascript:, data:, vbscript:, file:, '//host') is refused,
    after the whitespace and control characters that browsers ignore inside a scheme.
    """
    if any(ch.isspace() or ord(ch) < 32 or 0x7f <= ord(ch) <= 0x9f for ch in url):
        return "must not contain spaces or control characters (write %20 for a space)"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "is not a valid address"
    scheme = parts.scheme.lower()
    if absolute and (scheme not in ("http", "https") or not parts.netloc):
        return "must be a full web address starting with https://"
    if scheme and scheme not in SAFE_SCHEMES:
        return f"uses '{scheme}:', which is not allowed (only https, http, mailto, tel, webcal and relative links)"
    if url.startswith("//") or (not scheme and ":" in parts.path.split("/", 1)[0]):
        return "has no scheme: write https://"
    return None


def slug_from_filename(stem: str) -> str:
    """`2026-12-03-Мастер-класс «Весёлые ёжики»` → `master-klass-veselye-ezhiki`."""
    return make_slug(_DATE_PREFIX.sub("", stem))


# text-unidecode writes я/ю as 'ia'/'iu'; Russian readers (and Yandex, passports since 2014) expect
# 'ya'/'yu' at least: 'экология' → 'ekologiya', not 'ekologiia'.
_RUSSIAN = [("я", "ya"), ("Я", "Ya"), ("ю", "yu"), ("Ю", "Yu")]


@lru_cache(maxsize=65536)
def make_slug(text: str) -> str:
    """Transliterate and slugify: 'Мастер-класс «Весёлые ёжики»' → 'master-klass-veselye-ezhiki'."""
    # The backend is named: slugify's 'auto' tries to import Unidecode first, a failing import on
    # every call (most of a 10k build's slug time), and would change slugs once it is installed.
    return slugify(unicodedata.normalize("NFC", text), lowercase=True, max_length=80, word_boundary=True,
                   replacements=_RUSSIAN, backend="text-unidecode")


def slug_problem(slug: str) -> str | None:
    """Why `slug` cannot be one safe URL segment, or None."""
    if not _SLUG_RE.match(slug):
        return "must be lowercase latin letters, digits and '-' (such as 'vesennii-festival')"
    if slug in _WINDOWS_RESERVED:
        return f"'{slug}' is a reserved device name on Windows"
    return None


KIND_SECTIONS = {
    "institutions": "institutions",
    "practices": "practices",
    "events": "events",
    "news": "news",
    "agreements": "agreements",
    "meetings": "meetings",
    "plans": "plans",
    "projects": "projects",
}


def entry_path(kind: str, slug: str) -> str:
    """The site path of an entry: '/news/x/', or '/x/' for pages."""
    if kind == "pages":
        return f"/{slug}/"
    return f"/{KIND_SECTIONS.get(kind, kind)}/{slug}/"


def paged(path: str, number: int) -> str:
    """Page `number` of a paginated list at `path` ('/news/' → '/news/page/2/')."""
    return path if number == 1 else f"{path}page/{number}/"


def term_path(taxonomy: str, term: str) -> str:
    section = {"tags": "tags", "audience": "audiences", "age_groups": "age-groups", "areas": "areas"}[taxonomy]
    return f"/{section}/{term}/"


def month_path(year: int, month: int) -> str:
    return f"/calendar/{year:04d}/{month:02d}/"


def calendar_path(owner: str = "/") -> str:
    """The ICS subscription beside a page: '/' → '/calendar.ics', '/audiences/parents/' → '…/calendar.ics'."""
    return owner + "calendar.ics"


def event_calendar_path(event: str) -> str:
    """The one-event ICS beside an event page: '/events/x/' → '/events/x/event.ics'."""
    return event + "event.ics"


def output_file(path: str) -> str:
    """The file a site path is written to, relative to the output folder (POSIX separators)."""
    relative = path.lstrip("/")
    if relative == "" or relative.endswith("/"):
        return relative + "index.html"
    return relative


@dataclass(frozen=True, slots=True)
class Links:
    """Turns site paths into the URLs written into pages and feeds."""

    base_url: str
    """Absolute, ending in '/'."""

    @property
    def base_path(self) -> str:
        rest = self.base_url.split("://", 1)[1]
        return "/" + rest.split("/", 1)[1] if "/" in rest else "/"

    def url(self, path: str) -> str:
        """'/news/x/' → '/net/news/x/' for a base_url with the path '/net/'."""
        if "://" in path or path.startswith(("mailto:", "tel:", "#")):
            return path
        return self.base_path + path.lstrip("/")

    def absolute(self, path: str) -> str:
        if "://" in path:
            return path
        return self.base_url + path.lstrip("/")
