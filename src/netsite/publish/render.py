"""The Jinja2 environment, the theme's strings and the set of HTML pages of the site.

The template context is written down here once. Every page gets `site`, `config`, `url_for`,
`t` (theme strings), `page_path` and `feeds`; item pages get `entry`; list pages get `entries`
and `paginator`. Content is data: it is never rendered as a template.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import markupsafe
from babel import dates as babel_dates

from netsite.content import agenda, pictures
from netsite.content.kinds import Event, of_kind
from netsite.content.models import Entry, OutputFile
from netsite.content.site import Site
from netsite.content.sources import is_junk
from netsite.content.urls import calendar_path, entry_path, event_calendar_path, make_slug, month_path, output_file, paged
from netsite.publish import catalogue, directory, eventpages, feeds, prose, recurrence, typography, when
from netsite.publish.theme import COMPILED, Strings, load_strings


def format_date(value: date, format: str = "medium", locale: str = "ru") -> str:
    return _babel("date", value, _zone_key(value), format, locale)


def format_time(value: datetime, format: str = "medium", locale: str = "ru") -> str:
    return _babel("time", value, _zone_key(value), format, locale)


def _zone_key(value: date) -> tuple | None:
    # Aware datetimes in two zones are equal (and hash alike) at the same instant, yet their
    # local dates and times differ: the zone and offset are part of the cache key.
    return (value.tzinfo, value.utcoffset()) if isinstance(value, datetime) else None


@lru_cache(maxsize=32768)
def _babel(kind: str, value: datetime, _zone: tuple | None, format: str, locale: str) -> str:
    """Babel parses the locale and the pattern on every call (12% of a 10k build); days repeat."""
    function = babel_dates.format_date if kind == "date" else babel_dates.format_time
    return function(value, format, locale=locale)


@dataclass(frozen=True, slots=True)
class Paginator:
    number: int
    count: int
    """How many pages in all."""
    items: tuple
    base: str
    """The site path of the first page."""

    @property
    def prev_path(self) -> str | None:
        return paged(self.base, self.number - 1) if self.number > 1 else None

    @property
    def next_path(self) -> str | None:
        return paged(self.base, self.number + 1) if self.number < self.count else None

    def path(self, number: int) -> str:
        return paged(self.base, number)


def paginate(items: Iterable, per_page: int, base: str) -> list[Paginator]:
    items = tuple(items)
    count = max(1, math.ceil(len(items) / per_page))
    return [Paginator(n, count, items[(n - 1) * per_page:n * per_page], base) for n in range(1, count + 1)]


@dataclass(frozen=True, slots=True)
class Menus:
    """The site's links: `primary` in the header (what a parent looks for first), `more` in the
    footer and, on a phone, under the menu button. A section is linked only when it has content."""

    primary: tuple[tuple[str, str], ...]
    more: tuple[tuple[str, str], ...]


PRIMARY = (("news", "/news/"), ("events", "/events/"), ("calendar", "/calendar/"), ("practices", "/practices/"),
           ("members", "/institutions/"))
NETWORK = (("menu_network", "/network/"), ("agreements", "/agreements/"), ("meetings", "/meetings/"),
           ("plans", "/plans/"), ("projects", "/projects/"), ("menu_monitoring", "/monitoring/"))


def current_links(menus: Menus, page_path: str) -> tuple[str, ...]:
    """The menu links a page is under (marked aria-current): the menu fragment's key, so the
    menu is rendered once per section instead of once per page."""
    links = (*menus.primary, *menus.more)
    return tuple(sorted({path for _, path in links if page_path == path or (path != "/" and page_path.startswith(path))}))


class Fragments:
    """Parts of a page that are the same on many pages (header, menu, footer, the panel for the
    visually impaired), rendered once per build and per key: `{{ fragment(name, **key) }}`.

    A fragment sees the template globals and its key only. One that reads a variable of the page
    beyond its key (a site's own override of the template, say) is rendered for each page, like
    an include. The keys a fragment's first rendering read (rebuild/depends.py traces) are noted
    again on every page that shows it, so each page's record stays exact.
    """

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self.trace: tuple[Callable[[], Any], Callable[[Any], None]] | None = None
        """(tracing, note) of rebuild/depends.py, once `depends.instrument` traces the environment."""
        self._done: dict[tuple, tuple[markupsafe.Markup, tuple]] = {}
        self._free: dict[str, frozenset[str]] = {}

    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context, name: str, **key: Any) -> markupsafe.Markup:
        template = self.env.get_template(name)
        if self._reads_page(name) - key.keys():
            return markupsafe.Markup(template.render({**context.get_all(), **key}))
        found = self._done.get((name, *sorted(key.items())))
        if found is None:
            found = self._done[(name, *sorted(key.items()))] = self._first(template, key)
        if self.trace is not None:
            for read in found[1]:
                self.trace[1](read)
        return found[0]

    def _first(self, template: jinja2.Template, key: Mapping[str, Any]) -> tuple[markupsafe.Markup, tuple]:
        if self.trace is None:
            return markupsafe.Markup(template.render(key)), ()
        with self.trace[0]() as reads:
            html = markupsafe.Markup(template.render(key))
        return html, tuple(sorted(reads, key=repr))

    def _reads_page(self, name: str) -> frozenset[str]:
        """Variables the template reads that are not globals: the page's context."""
        if name not in self._free:
            assert self.env.loader is not None, "make_environment gives every environment a loader"
            source = self.env.loader.get_source(self.env, name)[0]
            self._free[name] = COMPILED.undeclared(self.env, source) - self.env.globals.keys()
        return self._free[name]


def menus(site: Site, strings: Strings) -> Menus:
    """Reads `site.sections` and `site.menu` only (rebuild/depends.py traces these two)."""
    sections = site.sections
    primary = tuple((strings(key), path) for key, path in PRIMARY if path in sections)
    more = (*site.menu, *((strings(key), path) for key, path in NETWORK if path in sections))
    if site.config.search:
        more += ((strings("search"), "/search/"),)
    return Menus(primary, more)


@dataclass(frozen=True, slots=True)
class Page:
    """One HTML page to render: where it goes, with which template and extra context."""

    path: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    in_sitemap: bool = True
    lastmod: datetime | None = None


class Environment(jinja2.Environment):
    """Jinja's environment, except that no filter or test runs while a template compiles.

    Jinja computes a filter of a literal at compile time (`{{ '/calendar.ics'|webcal }}`,
    `{{ '/news/'|url }}` in a site's own theme) and writes the value into the compiled code, which
    COMPILED keeps for every later build of the process: `serve` after an edit of base_url, or the
    next site the test suite builds, would show the first site's value. Every filter here reads the
    site, so the code generator sees stand-ins that take the same arguments and refuse to run: Jinja
    then leaves the call to render time. The generated code is the same otherwise."""

    def _generate(self, source: Any, name: str | None, filename: str | None, defer_init: bool = False) -> str:
        compiling = self.overlay()
        compiling.filters = {name: _refusing(function) for name, function in self.filters.items()}
        compiling.tests = {name: _refusing(function) for name, function in self.tests.items()}
        return jinja2.Environment._generate(compiling, source, name, filename, defer_init=defer_init)


def _refusing(function: Any) -> Callable[..., Any]:
    """A stand-in for `function` at compile time: the same way of being called, no value."""
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise TypeError("computed when the page renders, not when its template compiles")
    passes = getattr(function, "jinja_pass_arg", None)
    if passes is not None:
        refuse.jinja_pass_arg = passes  # type: ignore[attr-defined]  # how Jinja marks pass_context & co
    return refuse


def make_environment(site: Site, dirs: list[Path],
                     feed_set: Callable[[Strings], feeds.FeedSet] | None = None) -> jinja2.Environment:
    """One environment per build; filters and globals are registered here and nowhere else.
    `feed_set(strings)` makes the site's feeds (serve keeps them while what they show is the same)."""
    env = Environment(
        loader=jinja2.FileSystemLoader([str(d / "templates") for d in dirs]),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, bytecode_cache=COMPILED,
        auto_reload=False)  # one environment per build: no stat of each template on every page
    language = site.config.language
    strings = load_strings(dirs, language)
    links = site.links
    env.globals.update(site=site, config=site.config, t=strings, url_for=links.url,
                       absolute_url=links.absolute, now=site.now, month_path=month_path,
                       entry_path=entry_path, agenda=agenda, menus=lru_cache(maxsize=None)(lambda: menus(site, strings)),
                       current_links=current_links)
    env.globals["fragment"] = Fragments(env)
    # feeds(page_path): autodiscovery; the feed files
    env.globals["feeds"] = (feed_set or (lambda strings: feeds.feed_set(site, strings)))(strings)
    env.filters.update(
        url=links.url, absolute=links.absolute,
        date=lambda d, fmt="long": _date(d, fmt, language, site),
        time=lambda d: format_time(_local(d, site), "HH:mm", locale=language),
        month=lambda d: format_date(d, "LLLL y", locale=language).capitalize(),
        iso=lambda d: d.isoformat(),
        label=lambda value, vocabulary: site.config.vocabularies[vocabulary].get(value, value),
        institution=lambda slug: site.institution(slug),
        short_name=lambda inst: inst.short_name or inst.title,
        plural=lambda n, key: strings(key, n),
        when=lambda occurrence, named=False: when.event_when(occurrence, site.config.zone, language, strings, named),
        zone_city=lambda zone: when.zone_city(zone, language),
        recurrence=lambda event: recurrence.describe(event, site.config.zone, language)
        or strings("meetings_count", len(agenda.occurrences(event))),
        tag_slug=make_slug,
        groupby_month=lambda events, now: group_by_month(events, now, site.config.zone),
        in_date_order=lambda entries: date_order(entries, site.now),
        entries_of=lambda slugs, kind: date_order((site.by_slug[kind][s] for s in slugs), site.now),
    )
    env.filters.update(  # calendar and event pages (eventpages.py)
        webcal=lambda path: eventpages.webcal(site, path), google_url=lambda e: eventpages.google_url(site, e),
        yandex_url=lambda e: eventpages.yandex_url(site, e), json_ld=lambda e: eventpages.json_ld(site, e),
        upcoming_dates=lambda e: eventpages.upcoming_dates(site, e), calendar_ics=calendar_path,
        event_ics=event_calendar_path)
    env.globals.update(catalogue_facets=lambda: catalogue.facets(site), catalogue_index=catalogue.INDEX_PATH,
                       members_map=lambda: directory.layout(site.config.map_tiles, site.institutions),
                       sveden_url=directory.sveden_url,
                       picture=lambda pic, alt, sizes="(max-width: 48rem) 100vw, 48rem": markupsafe.Markup(
                           pictures.markup(pic, alt, sizes, base=links.url("/"))),
                       body_html=lambda entry: markupsafe.Markup(prose.body_html(entry, links.url, strings("table"))))
    return env


def date_order(entries: Iterable[Entry], now: datetime) -> tuple[Entry, ...]:
    """Events upcoming soonest first, then past newest first; anything else newest first (issue 14)."""
    entries = tuple(entries)
    upcoming, past = agenda.split_upcoming(of_kind(Event, entries), now)
    others = sorted((e for e in entries if not isinstance(e, Event)), key=lambda e: (e.date is None, e.date, e.slug))
    others.reverse()
    return (*upcoming, *past, *others)


def group_by_month(events: Iterable[Event], now: datetime, zone) -> list[tuple[date, list[Event]]]:
    """Upcoming events under the month of their next occurrence, in the order given."""
    groups: dict[date, list[Event]] = {}
    for event in events:
        start = agenda.next_occurrence(event, now).start.astimezone(zone)
        groups.setdefault(date(start.year, start.month, 1), []).append(event)
    return list(groups.items())


def _local(moment: datetime, site: Site) -> datetime:
    return moment.astimezone(site.config.zone) if isinstance(moment, datetime) else moment


def _date(moment: date | datetime, fmt: str, language: str, site: Site) -> str:
    """A date in the site's zone, in a named format or a CLDR pattern."""
    formats = {"long": "long", "short": "d MMM", "day": "d MMMM", "weekday": "EEEE",
               "full": "EEEE, d MMMM y"}
    shown = _local(moment, site) if isinstance(moment, datetime) else moment  # a day has no zone
    return format_date(shown, formats.get(fmt, fmt), locale=language)


def page_set(site: Site) -> list[Page]:
    """Every HTML page of the core site, in a stable order."""
    config = site.config
    pages = [Page("/", "home.html", {}, lastmod=None), Page("/404.html", "404.html", {}, in_sitemap=False)]
    for p in paginate(site.news, config.paginate, "/news/"):
        pages.append(Page(p.path(p.number), "news/list.html", {"entries": p.items, "paginator": p}))
    pages.append(Page("/events/", "events/list.html", {"entries": site.upcoming}))
    for p in paginate(site.past, config.paginate, "/events/archive/"):
        pages.append(Page(p.path(p.number), "events/archive.html", {"entries": p.items, "paginator": p}))
    pages.extend(Page(path, "calendar/month.html", context) for path, context in eventpages.month_contexts(site))
    pages.append(Page("/practices/", "practices/list.html", {"entries": site.practices}))
    pages.append(Page("/institutions/", "institutions/list.html", {"entries": site.institutions}))
    for entry in site.entries:
        template = "page.html" if entry.kind == "pages" else f"{entry.kind}/item.html"
        pages.append(Page(entry.path, template, {"entry": entry}, lastmod=_lastmod(entry, site.now)))
    for taxonomy, terms in site.terms.items():
        if terms:
            section = terms[0].path.rsplit("/", 2)[0] + "/"
            pages.append(Page(section, "taxonomy/list.html", {"taxonomy": taxonomy, "terms": terms}))
        template = "audiences/term.html" if taxonomy == "audience" else "taxonomy/term.html"
        for term in terms:  # paginated like the news: a tag of a 10,000-entry site holds thousands
            items, extra = term.entries, {}
            if taxonomy == "audience":
                # which kinds the audience has, given to each of its pages: read from term.entries,
                # every page would depend on every entry of the audience (a save re-rendered them all)
                items, extra = audience_order(term, site), {"term_kinds": term_kinds(term)}
            for p in paginate(items, config.paginate, term.path):
                pages.append(Page(p.path(p.number), template,
                                  {"term": term, "entries": p.items, "paginator": p, **extra}))
    return pages


def _lastmod(entry: Entry, now: datetime) -> datetime | None:
    """The sitemap's date of an entry: its publication (an event's announcement, not its start),
    none while that is still ahead of the build's clock, none for an undated kind."""
    published = feeds.published(entry)
    return published if published is not None and published <= now else None


def term_kinds(term) -> tuple[str, ...]:
    """The kinds of entry an audience has, of events, news and practices, in that order."""
    kinds = {e.kind for e in term.entries}
    return tuple(kind for kind in ("events", "news", "practices") if kind in kinds)


def audience_order(term, site: Site) -> tuple[Entry, ...]:
    """An audience page's entries in the order its pages show them: upcoming events (soonest
    first), news, practices, past events (latest first); a page groups its share under these."""
    events = {e.slug for e in term.entries if e.kind == "events"}
    return (tuple(e for e in site.upcoming if e.slug in events)
            + tuple(e for e in term.entries if e.kind == "news")
            + tuple(e for e in term.entries if e.kind == "practices")
            + tuple(e for e in site.past if e.slug in events))


def render_pages(site: Site, env: jinja2.Environment, pages: Iterable[Page]) -> list[OutputFile]:
    files = []
    for page in pages:
        template = env.get_template(page.template)
        html = template.render(page_path=page.path, **page.context)
        if site.config.language == "ru":  # the rules are Russian typesetting
            html = typography.page(html)
        files.append(OutputFile(output_file(page.path), html.encode("utf-8")))
    return files


def sitemap(site: Site, pages: Iterable[Page]) -> OutputFile:
    """sitemap.xml of every HTML page but 404, sorted by URL."""
    from xml.sax.saxutils import escape

    rows = []
    for page in sorted((p for p in pages if p.in_sitemap), key=lambda p: p.path):
        row = f"<url><loc>{escape(site.links.absolute(page.path))}</loc>"
        if page.lastmod:
            row += f"<lastmod>{page.lastmod.date().isoformat()}</lastmod>"
        rows.append(row + "</url>")
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(rows) + "\n</urlset>\n")
    return OutputFile("sitemap.xml", body.encode("utf-8"))


def robots(site: Site) -> OutputFile:
    text = f"User-agent: *\nAllow: /\n\nSitemap: {site.links.absolute('/sitemap.xml')}\n"
    return OutputFile("robots.txt", text.encode("utf-8"))


def static_files(dirs: list[Path]) -> list[OutputFile]:
    """The themes' static/ folders under /static/, the site's own files winning."""
    chosen: dict[str, Path] = {}
    for folder in reversed(dirs):
        static = folder / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                junk = any(is_junk(part) for part in path.relative_to(static).parts)  # .git/, .DS_Store, x~
                if path.is_file() and not path.is_symlink() and not junk:
                    chosen["static/" + path.relative_to(static).as_posix()] = path
    return [OutputFile(name, b"", source=path) for name, path in sorted(chosen.items())]

