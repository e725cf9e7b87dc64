"""Assembling the `Site`: references resolved, collisions found, everything sorted and grouped."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from netsite.content import agenda, pending
from netsite.content import cycle as cycle_module
from netsite.content.config import Config
from netsite.content.kinds import Event, Institution, News, Page, Practice, of_kind
from netsite.content.models import Entry, Term
from netsite.content.pending import Unpublished
from netsite.content.urls import Links, make_slug, output_file, term_path
from netsite.diagnostics import Diagnostic, did_you_mean, error

TAXONOMIES = ("tags", "audience", "age_groups", "areas")


@dataclass(frozen=True, slots=True)
class Site:
    config: Config
    now: datetime
    """The build's clock, aware, in the site's zone."""
    links: Links
    institutions: tuple[Institution, ...] = ()
    """Sorted by title."""
    practices: tuple[Practice, ...] = ()
    """Newest first."""
    events: tuple[Event, ...] = ()
    """By first start."""
    news: tuple[News, ...] = ()
    """Newest first."""
    pages: tuple[Page, ...] = ()
    upcoming: tuple[Event, ...] = ()
    """Events not yet over, soonest first."""
    past: tuple[Event, ...] = ()
    """Events that are over, newest first."""
    terms: Mapping[str, tuple[Term, ...]] = field(default_factory=dict)
    """taxonomy → its terms that have entries, in vocabulary order (tags alphabetically)."""
    institution_entries: Mapping[str, Mapping[str, tuple[Entry, ...]]] = field(default_factory=dict)
    """institution slug → kind → entries of that institution."""
    reports: Mapping[str, tuple[Entry, ...]] = field(default_factory=dict)
    """event slug → news that report on it."""
    menu: tuple[tuple[str, str], ...] = ()
    """(label, site path) of the main menu."""

    by_slug: Mapping[str, Mapping[str, Entry]] = field(default_factory=dict)
    """kind → slug → entry."""
    cycle: cycle_module.Cycle = field(default_factory=cycle_module.Cycle)
    """Agreements, meetings, plans and projects, with plan statuses (see cycle.py)."""

    def institution(self, slug: str) -> Institution:
        found = self.by_slug["institutions"][slug]
        assert isinstance(found, Institution)
        return found

    def event(self, slug: str) -> Event:
        found = self.by_slug["events"][slug]
        assert isinstance(found, Event)
        return found

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.institutions + self.practices + self.events + self.news + self.pages + self.cycle.entries

    @property
    def sections(self) -> tuple[str, ...]:
        """The paths of the sections that have content: menus and footers link only these (issue 14)."""
        events, cycle = self.upcoming or self.past, self.cycle
        found = {"/news/": self.news, "/events/": events, "/calendar/": events, "/practices/": self.practices,
                 "/institutions/": self.institutions, "/network/": cycle.agreements,
                 "/agreements/": cycle.agreements, "/meetings/": cycle.meetings, "/plans/": cycle.plans,
                 "/projects/": cycle.projects, "/monitoring/": cycle.entries}
        return tuple(path for path, content in found.items() if content)


def is_published(entry: Entry, now: datetime, drafts: bool, future: bool) -> bool:
    """Drafts only with --drafts; news and practices dated after now only with --future."""
    if entry.draft and not drafts:
        return False
    dated_ahead = entry.kind in ("news", "practices") and entry.date is not None and entry.date > now
    return future or not dated_ahead


def find_collisions(entries: Iterable[Entry]) -> list[Diagnostic]:
    """Two sources on one output file (after case folding and NFC, as on Windows and macOS)."""
    seen: dict[str, Entry] = {}
    problems = []
    for entry in entries:
        key = unicodedata.normalize("NFC", output_file(entry.path)).casefold()
        if key in seen:
            other = seen[key]
            problems.append(error(entry.source, entry.lines.get("slug", 1), "entry.collision", other=other.source,
                                  path=entry.path))
        else:
            seen[key] = entry
    return problems


def assemble(entries: Iterable[Entry], config: Config, now: datetime,
             unpublished: Unpublished = pending.NOTHING) -> tuple[Site, list[Diagnostic]]:
    """Group published entries into a Site and check every reference between them; a reference
    to an entry that exists but is not published at `now` is a warning (see pending.py)."""
    by_kind: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_kind[entry.kind].append(entry)
    known = {e.slug for e in by_kind["institutions"]}
    event_slugs = {e.slug for e in by_kind["events"]}
    problems = _check_references(entries_of(by_kind), known, event_slugs, unpublished)
    problems += cycle_module.check(by_kind, unpublished)
    for kind, group in by_kind.items():
        by_kind[kind] = [pending.published_only(e, unpublished) for e in group]
    institutions = sorted(of_kind(Institution, by_kind["institutions"]), key=lambda e: (e.short_name or e.title, e.slug))
    practices = sorted(of_kind(Practice, by_kind["practices"]), key=lambda e: (e.date, e.slug), reverse=True)
    news = sorted(of_kind(News, by_kind["news"]), key=lambda e: (e.date, e.slug), reverse=True)
    events = sorted(of_kind(Event, by_kind["events"]), key=lambda e: (e.start, e.slug))
    pages = sorted(of_kind(Page, by_kind["pages"]), key=lambda e: (e.menu is None, e.menu or 0, e.slug))
    upcoming, past = agenda.split_upcoming(events, now)
    cycle, found = cycle_module.assemble(by_kind, now.astimezone(config.zone))  # months of the site's zone
    problems += found
    everything = institutions + practices + events + news + pages + list(cycle.entries)
    site = Site(
        config=config, now=now, links=Links(config.base_url),
        institutions=tuple(institutions), practices=tuple(practices), events=tuple(events),
        news=tuple(news), pages=tuple(pages), upcoming=tuple(upcoming), past=tuple(past),
        terms=_terms(everything, config),
        institution_entries=_by_institution(institutions, practices, events, news),
        reports=_reports(news),
        by_slug=MappingProxyType({kind: MappingProxyType({e.slug: e for e in by_kind[kind]})
                                  for kind in ("institutions", "practices", "events", "news", "pages")}),
        menu=tuple((p.menu_title or p.title, p.path) for p in pages if p.menu is not None) + config.menu,
        cycle=cycle,
    )
    return site, problems


def entries_of(by_kind: Mapping[str, list[Entry]]) -> list[Entry]:
    return [e for kind in sorted(by_kind) for e in by_kind[kind]]


def _check_references(entries: list[Entry], institutions: set[str], events: set[str],
                      unpublished: Unpublished) -> list[Diagnostic]:
    problems = []
    for entry in entries:
        key = "organizers" if entry.kind == "events" else (
            "institution" if "institution" in entry.lines else "institutions")
        for index, slug in enumerate(entry.institutions):
            if slug not in institutions:
                line = entry.lines.get((key, index)) or entry.lines.get(key, 1)
                withheld = unpublished.find("institutions", slug)
                problems.append(pending.reference(entry.source, line, withheld) if withheld else
                                error(entry.source, line, "ref.institution", slug=slug, folder="content/institutions/",
                                      hint=did_you_mean(slug, institutions)))
        for index, slug in enumerate(entry.event if isinstance(entry, News) else ()):
            if slug not in events:
                line = entry.lines.get(("event", index)) or entry.lines.get("event", 1)
                withheld = unpublished.find("events", slug)
                problems.append(pending.reference(entry.source, line, withheld) if withheld else
                                error(entry.source, line, "ref.event", slug=slug, folder="content/events/",
                                      hint=did_you_mean(slug, events)))
    return problems


def _terms(entries: list[Entry], config: Config) -> Mapping[str, tuple[Term, ...]]:
    result = {}
    for taxonomy in TAXONOMIES:
        grouped: dict[str, list[Entry]] = defaultdict(list)
        labels: dict[str, str] = {}
        for entry in entries:
            values = entry.tags if taxonomy == "tags" else getattr(entry, taxonomy, ())  # kinds that have it
            for value in values:
                term_id = make_slug(value) if taxonomy == "tags" else value
                if not term_id:
                    continue
                grouped[term_id].append(entry)
                labels.setdefault(term_id, value)
        if taxonomy == "tags":
            order = sorted(grouped, key=lambda t: (labels[t].casefold(), t))
        else:
            vocabulary = config.vocabularies[taxonomy]
            order = [t for t in vocabulary if t in grouped]
            labels = dict(vocabulary)
        result[taxonomy] = tuple(
            Term(taxonomy, t, labels[t], term_path(taxonomy, t), tuple(_newest_first(grouped[t])))
            for t in order)
    return MappingProxyType(result)


def _newest_first(entries: list[Entry]) -> list[Entry]:
    dated = [e for e in entries if e.date]
    undated = sorted((e for e in entries if not e.date), key=lambda e: (e.title, e.slug))
    return sorted(dated, key=lambda e: (e.date, e.kind, e.slug), reverse=True) + undated


def _by_institution(institutions, practices, events, news) -> Mapping[str, Mapping[str, tuple[Entry, ...]]]:
    grouped: dict[str, dict[str, list[Entry]]] = {
        i.slug: {"practices": [], "events": [], "news": []} for i in institutions}
    for kind, entries in (("practices", practices), ("events", events), ("news", news)):
        for entry in entries:  # already sorted, so each list keeps the order
            for slug in entry.institutions:
                if slug in grouped:
                    grouped[slug][kind].append(entry)
    return MappingProxyType({slug: MappingProxyType({k: tuple(v) for k, v in kinds.items()})
                             for slug, kinds in grouped.items()})


def _reports(news: list[News]) -> Mapping[str, tuple[Entry, ...]]:
    reports: dict[str, list[Entry]] = defaultdict(list)
    for item in news:
        for slug in item.event:
            reports[slug].append(item)
    return MappingProxyType({k: tuple(v) for k, v in sorted(reports.items())})
