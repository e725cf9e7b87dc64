"""RSS 2.0 and Atom feeds (feedgen) for the site, each section, institution and taxonomy term.

One table of `Feed`s, built once per build by `feed_set`, drives both the feed files and the
`<link rel="alternate">` autodiscovery in every page's head, so a page never names a feed that
is not written. A feed's files sit beside its HTML page: `/news/rss.xml`, `/news/atom.xml`.

Dates come from the content, never from the wall clock: every item is dated by its publication,
news and practices by `date`, events by their announcement (`agenda.announced`: their `date:`, else
30 days before the first occurrence), never by when they start; an item published after the
build's clock is left out until that day, so nothing is dated in the future and coming events do
not push news out of a feed. A feed's lastBuildDate/updated is its newest item's date; an empty
feed takes the site feed's (the build's clock on a site with no item at all), never 1970. Items
are newest first, equal dates ordered by URL.

feedgen 1.0 faults worked around here, each pinned by a test in tests/test_feeds.py:
- Atom entry links lose rel, type and length (lkiesow/python-feedgen#135), so an enclosure would
  read as a second alternate link: `_Entry.atom_entry` writes them back.
- The RSS channel <link> is the last feed link set: the page's alternate link is set last.
- `add_entry` prepends by default (python-feedgen#55, #70): entries are appended.
- lastBuildDate/updated default to the wall clock: both are always set.
- lxml raises on characters XML 1.0 forbids: every text is passed through `xml_text`.
- Content is never CDATA: lxml refuses ']]>' in CDATA; escaped text has no such limit.
- RSS dates are formatted by switching the process locale to C and back (feedgen.util.
  formatRFC2822): feeds must be serialized in one thread, never beside threaded page rendering.
"""

from __future__ import annotations

import html
import operator
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import cast
from urllib.parse import quote

import jinja2
from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from netsite import __version__
from netsite.content import agenda, pictures
from netsite.content.kinds import Event, Institution, image_of, of_kind
from netsite.content.models import Entry, OutputFile
from netsite.content.site import Site
from netsite.content.urls import KIND_SECTIONS, output_file
from netsite.publish.ical import summary as status_title
from netsite.publish.theme import strings_of

FEED_KINDS = ("news", "events", "practices")
"""The kinds that are published in feeds, in the order of the site's sections."""
# Pages without a feed of their own that still have a fitting one: the calendar is the events'.
ALIASES = {"/calendar/": "/events/"}
# An explicit table, not `mimetypes`: that one reads the Windows registry and /etc/mime.types.
MEDIA_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
               "webp": "image/webp", "avif": "image/avif", "svg": "image/svg+xml"}
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# In sanitized HTML (html5ever's serializer) text never holds a raw '<' and attribute values are
# always double-quoted, so a start tag is exactly this and no text can be mistaken for one.
_START_TAG = re.compile(r'<[a-zA-Z][a-zA-Z0-9]*(?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*\s*/?>')
_URL_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)"')
_SRCSET_ATTRIBUTE = re.compile(r'(\ssrcset=")([^"]*)"')


@dataclass(frozen=True, slots=True)
class Feed:
    """One feed, written as RSS and Atom beside the HTML page it follows."""

    page: str
    """Site path of that page: '/', '/news/', '/institutions/x/', '/tags/y/'."""
    title: str
    description: str
    entries: tuple[Entry, ...]
    """Newest first, at most `feed_length` (all of them with `feed_length: all`)."""
    updated: datetime
    """The newest item's publication; for an empty feed, the site feed's."""

    @property
    def rss(self) -> str:
        return self.page + "rss.xml"

    @property
    def atom(self) -> str:
        return self.page + "atom.xml"


@dataclass(frozen=True, slots=True)
class FeedSet:
    """Every feed of the site; called with a page's path, it names the feeds fitting that page."""

    feeds: tuple[Feed, ...]
    by_page: Mapping[str, Feed]

    def __call__(self, page_path: str) -> tuple[Feed, ...]:
        """The page's own feed (its nearest enclosing feed page) first, then the site feed."""
        for prefix, target in ALIASES.items():
            if page_path.startswith(prefix):
                page_path = target
        path = page_path if page_path.endswith("/") else page_path.rsplit("/", 1)[0] + "/"
        while path != "/" and path not in self.by_page:
            path = path[:-1].rsplit("/", 1)[0] + "/"  # '/news/page/2/' → '/news/page/' → '/news/'
        own = (self.by_page[path],) if path != "/" else ()
        return own + ((self.by_page["/"],) if "/" in self.by_page else ())


def published(entry: Entry) -> datetime | None:
    """When an entry appeared: an event's announcement, another entry's `date` (None for undated kinds)."""
    return agenda.announced(entry) if isinstance(entry, Event) else entry.date


def fed(entry: Entry) -> datetime:
    """published() of an entry in a feed: feeds hold dated kinds only (FEED_KINDS, see newest_first)."""
    moment = published(entry)
    assert moment is not None, "feeds hold dated kinds only"
    return moment


def newest_first(entries: Iterable[Entry], now: datetime) -> tuple[Entry, ...]:
    """Feed order: by publication, newest first; equal dates by URL, so the order never depends on
    input. Entries published after `now` (the build's clock) are not in feeds yet."""
    in_feed = {e.path: e for e in entries if e.kind in FEED_KINDS and e.date and fed(e) <= now}
    by_path = sorted(in_feed.values(), key=lambda e: e.path)
    return tuple(sorted(by_path, key=fed, reverse=True))


def feed_set(site: Site, strings, kept: dict | None = None) -> FeedSet:
    """The site feed, one per section, institution and taxonomy term; `strings` are the theme's.

    `kept` (serve's, between builds) holds each feed with what it was made from: a feed whose
    entries are the very same objects as last time, with the same title and clock, is taken over.
    """
    config = site.config

    def feed(page: str, name: str | None, entries: Iterable[Entry]) -> Feed:
        title = strings("feed_title", name=name, site=config.title) if name else config.title
        description = (config.description or config.title) if name is None else title
        entries = tuple(entries)
        key = (title, description, config.feed_length, _moment(site.now), _moment(fallback))
        hit = kept.get(page) if kept is not None else None
        if hit is not None and hit[0] == key and len(hit[1]) == len(entries) and all(map(operator.is_, hit[1], entries)):
            return hit[2]
        items = newest_first(entries, site.now)[:config.feed_length]
        made = Feed(page, title, description, items, fed(items[0]) if items else fallback)
        if kept is not None:
            kept[page] = (key, entries, made)
        return made

    fallback = site.now
    feeds = [feed("/", None, site.news + site.events + site.practices)]
    fallback = feeds[0].updated  # stays put from one nightly build to the next, unlike the clock
    feeds += [feed(f"/{KIND_SECTIONS[k]}/", strings(k), getattr(site, k)) for k in FEED_KINDS]
    for institution in site.institutions:
        own = site.institution_entries.get(institution.slug, {})
        name = institution.short_name or institution.title
        feeds.append(feed(institution.path, name, [e for k in FEED_KINDS for e in own.get(k, ())]))
    for taxonomy, terms in site.terms.items():
        for term in terms:
            feeds.append(feed(term.path, f"{strings(taxonomy)}: {term.label}", term.entries))
    return FeedSet(tuple(feeds), MappingProxyType({f.page: f for f in feeds}))


def _moment(value: datetime) -> tuple[str, str]:
    """A moment with its zone, as a feed shows it (equal datetimes in two zones are not the same)."""
    return value.isoformat(), str(value.tzinfo)


# ---- items ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Enclosure:
    url: str
    length: int
    type: str


@dataclass(frozen=True, slots=True)
class Item:
    """What every feed says about one entry, computed once however many feeds carry it."""

    url: str
    """The permalink: also the RSS guid and the Atom id."""
    title: str
    date: datetime
    authors: tuple[tuple[str, str], ...]
    """(name, page URL) of the institutions behind the entry: one Atom author each, one RSS
    dc:creator naming them all (RSS readers keep only the last of several)."""
    categories: tuple[str, ...]
    summary: str
    """Plain text."""
    content: str
    """HTML with absolute URLs; empty when the site publishes summaries only."""
    enclosure: Enclosure | None = None


def xml_text(text: str) -> str:
    """Drop what XML 1.0 cannot hold (lxml raises on it); sources refuse it, other values may not."""
    return _XML_INVALID.sub("", text)


def absolute_html(fragment: str, origin: str, permalink: str) -> str:
    """Make site-absolute ('/net/x/') and fragment ('#fn1') URLs in sanitized HTML absolute."""
    def fix_url(match: re.Match) -> str:
        url = match.group(2)
        if url.startswith("#"):
            url = permalink + url
        elif url.startswith("/") and not url.startswith("//"):
            url = origin + url
        return f'{match.group(1)}{url}"'

    def fix_srcset(match: re.Match) -> str:  # <picture> sources from netsite.content.pictures: "url 480w, url 960w"
        items = (origin + item if item.startswith("/") and not item.startswith("//") else item
                 for item in match.group(2).split(", "))
        return f'{match.group(1)}{", ".join(items)}"'

    def fix_tag(tag: re.Match) -> str:
        return _SRCSET_ATTRIBUTE.sub(fix_srcset, _URL_ATTRIBUTE.sub(fix_url, tag.group(0)))

    return _START_TAG.sub(fix_tag, fragment)


def enclosure(entry: Entry, site: Site) -> Enclosure | None:
    """The entry's `image:` as an enclosure; its size is the one file-system read of this module."""
    name = image_of(entry)
    asset = next((a for a in entry.assets if a.name == name), None) if name else None
    if asset is None or name is None:
        return None
    media_type = MEDIA_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
    url = site.links.absolute(entry.path + quote(name))  # a file name may hold spaces or Cyrillic
    return Enclosure(url, asset.source.stat().st_size, media_type)


def event_summary(entry: Event, env: jinja2.Environment) -> str:
    """'17 ноября 2026 г., 10:00–12:30 (Москва) · повторяется: каждую среду в 10:00, 8 встреч · place.
    Summary': date, time, repetition and place come first."""
    strings = strings_of(env)
    facts = [env.filters["when"](agenda.occurrences(entry)[0], True)]  # a reader may live elsewhere
    if len(agenda.occurrences(entry)) > 1:
        facts.append(f"{strings('recurring').lower()}: {env.filters['recurrence'](entry)}")
    facts += [entry.location or (strings("online") if entry.online else "")]
    head = " · ".join(f for f in facts if f)
    if entry.status != "scheduled":
        head = f"{strings('status_' + entry.status)}. {head}"
    return f"{head}. {entry.summary}" if entry.summary else head


def make_item(entry: Entry, site: Site, env: jinja2.Environment) -> Item:
    url = site.links.absolute(entry.path)
    institutions = of_kind(Institution, (site.by_slug["institutions"][s] for s in entry.institutions
                                         if s in site.by_slug.get("institutions", {})))
    authors = tuple((i.short_name or i.title, site.links.absolute(i.path)) for i in institutions)
    summary = event_summary(entry, env) if isinstance(entry, Event) else entry.summary
    content = ""
    if site.config.feed_full_content:
        body = absolute_html(pictures.body_html(entry, site.links.url), site.config.origin, url)
        content = env.get_template("feeds/content.html").render(entry=entry, body=body).strip()
    # «Отменено: » in front as in the calendars: a reader's list shows titles only.
    title = status_title(entry, strings_of(env)) if isinstance(entry, Event) else entry.title
    return Item(url, title, fed(entry), authors or ((site.config.title, site.links.absolute("/")),),
                entry.tags, summary, content, enclosure(entry, site))


# ---- feedgen -------------------------------------------------------------------------------------

class _Entry(FeedEntry):
    def atom_entry(self, extensions: bool = True):
        # feedgen 1.0 writes entry links with href only (lkiesow/python-feedgen#135); the
        # elements come in the order of self.link(), so each gets its attributes back.
        element = super().atom_entry(extensions)
        for link, data in zip(element.findall("link"), self.link() or []):
            for key in ("rel", "type", "hreflang", "title", "length"):
                if data.get(key):
                    link.set(key, str(data[key]))
        return element


def _generator(feed: Feed, site: Site) -> FeedGenerator:
    links = site.links
    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)
    generator.id(links.absolute(feed.atom))
    generator.title(xml_text(feed.title))
    generator.description(xml_text(feed.description))
    generator.language(site.config.language)
    generator.author({"name": xml_text(site.config.title), "uri": links.absolute("/")})
    generator.generator("netsite", version=__version__)
    generator.lastBuildDate(feed.updated)  # also Atom's updated; else feedgen takes the clock
    return generator


def _link(generator: FeedGenerator, feed: Feed, site: Site, atom: bool) -> None:
    """The self link of one format, then the page: the RSS channel <link> is the last link set."""
    own = (feed.atom, "application/atom+xml") if atom else (feed.rss, "application/rss+xml")
    generator.link(href=site.links.absolute(own[0]), rel="self", type=own[1], replace=True)
    generator.link(href=site.links.absolute(feed.page), rel="alternate", type="text/html")


def feed_entry(item: Item) -> _Entry:
    """One feedgen entry, shared by every feed that carries the item."""
    entry = _Entry()
    entry.load_extension("dc", atom=False, rss=True)  # dc:creator: RSS <author> needs an e-mail
    entry.id(item.url)
    entry.guid(item.url, permalink=True)
    entry.title(xml_text(item.title))
    entry.link(href=item.url, rel="alternate", type="text/html")
    entry.published(item.date)
    entry.updated(item.date)
    for name, uri in item.authors:
        entry.author({"name": xml_text(name), "uri": uri})
    entry.dc.dc_creator(xml_text(", ".join(name for name, _ in item.authors)))
    for category in item.categories:
        entry.category(term=xml_text(category))
    # RSS descriptions are HTML to every reader, so the plain summary is escaped as HTML.
    entry.summary(html.escape(xml_text(item.summary or item.title), quote=False), type="html")
    if item.content:
        entry.content(xml_text(item.content), type="html")
    if item.enclosure:
        entry.enclosure(item.enclosure.url, str(item.enclosure.length), item.enclosure.type)
    return entry


def render_feeds(site: Site, env: jinja2.Environment, only: Iterable[Feed] | None = None) -> Iterator[OutputFile]:
    """RSS and Atom files of `only`, by default every feed in `env.globals['feeds']` (see render.py),
    one at a time: with full content, a big site's feeds are a hundred megabytes together.

    An entry sits in several feeds: its feed item is made once and kept only until the last of
    these feeds that carries it is written, so the items of a big site are never held all at once.
    """
    chosen = list(cast(FeedSet, env.globals["feeds"]).feeds if only is None else only)
    left = Counter(entry.path for feed in chosen for entry in feed.entries)
    items: dict[str, _Entry] = {}
    for feed in chosen:
        generator = _generator(feed, site)
        for entry in feed.entries:
            if entry.path not in items:
                items[entry.path] = feed_entry(make_item(entry, site, env))
            # add_entry prepends by default; its ImportError for the already loaded dc is caught there.
            generator.add_entry(items[entry.path], order="append")
        for atom in (False, True):
            _link(generator, feed, site, atom)
            data = generator.atom_str(pretty=True) if atom else generator.rss_str(pretty=True)
            yield OutputFile(output_file(feed.atom if atom else feed.rss), data)
        for entry in feed.entries:
            left[entry.path] -= 1
            if not left[entry.path]:
                del items[entry.path]
