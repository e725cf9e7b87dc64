"""The network's own cycle: agreements, meetings, work plans and joint projects, assembled and checked.

`assemble` runs beside `site.assemble`, on the same published entries: it checks every reference
the new kinds make (institutions, events, practices, news, plan items), computes each plan item's
status against the build's clock, and groups everything by institution for the profile pages.
Projects list their events, practices and news by slug (rather than a `project:` key on those
kinds), so one file shows a project whole and the other kinds' schemas stay as they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from types import MappingProxyType

from netsite.content import agenda
from netsite.content.models import Entry
from netsite.content.records import Decision, PlanItem
from netsite.diagnostics import Diagnostic, did_you_mean, error

KINDS = ("agreements", "meetings", "plans", "projects")
DONE, CANCELLED, UPCOMING, OVERDUE = "done", "cancelled", "upcoming", "overdue"
STATUSES = (DONE, OVERDUE, UPCOMING, CANCELLED)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Planned:
    """A plan item with its status at the build's clock."""

    plan: Entry
    item: PlanItem
    status: str
    event: Entry | None = None

    @property
    def anchor(self) -> str:
        return f"item-{self.item.id}"


@dataclass(frozen=True, slots=True)
class Cycle:
    agreements: tuple[Entry, ...] = ()
    """Newest signed first."""
    meetings: tuple[Entry, ...] = ()
    """Newest first."""
    plans: tuple[Entry, ...] = ()
    """Newest period first."""
    projects: tuple[Entry, ...] = ()
    """Newest start first."""
    planned: Mapping[str, tuple[Planned, ...]] = field(default_factory=dict)
    """plan slug → its items with statuses, in month order."""
    decisions: Mapping[tuple[str, str], tuple[tuple[Entry, Decision], ...]] = field(default_factory=dict)
    """(plan slug, item id) → (meeting, decision) that link to the item."""
    partners: tuple[tuple[str, str], ...] = ()
    """Sorted pairs of institution slugs bound by at least one agreement."""
    of_institution: Mapping[str, Mapping[str, tuple]] = field(default_factory=dict)
    """institution slug → agreements, meetings, projects (entries) and plan_items (Planned)."""
    projects_of: Mapping[tuple[str, str], tuple[Entry, ...]] = field(default_factory=dict)
    """(kind, slug) of an event, practice or news item → the projects that list it."""

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.agreements + self.meetings + self.plans + self.projects

    @property
    def parties(self) -> tuple[str, ...]:
        """Institutions that are party to an agreement, sorted by slug."""
        return tuple(sorted({slug for pair in self.partners for slug in pair}))

    def agreements_between(self, first: str, second: str) -> tuple[Entry, ...]:
        return tuple(a for a in self.agreements if first in a.parties and second in a.parties)


def item_status(item: PlanItem, event: Entry | None, now: datetime) -> str:
    """done if the event took place (in the item's month when it has occurrences then), cancelled
    if the event is, else overdue once the month is over, else upcoming."""
    if event is not None and event.get("status") == "cancelled":
        return CANCELLED
    if event is not None:
        zone = now.tzinfo
        occurrences = agenda.occurrences(event)
        in_month = [o for o in occurrences if _month_of(o.start.astimezone(zone)) == item.month]
        if any(o.end <= now for o in in_month or occurrences):
            return DONE
    month_end = datetime.combine(_next_month(item.month), time(), now.tzinfo)
    return OVERDUE if now >= month_end else UPCOMING


def _month_of(moment: datetime) -> date:
    return date(moment.year, moment.month, 1)


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def assemble(by_kind: Mapping[str, list[Entry]], now: datetime) -> tuple[Cycle, list[Diagnostic]]:
    """Check the new kinds' references against the published entries; group and sort them."""
    known = {kind: {e.slug: e for e in by_kind.get(kind, ())} for kind in
             ("institutions", "events", "practices", "news", "plans")}
    problems: list[Diagnostic] = []
    for kind in KINDS:
        for entry in by_kind.get(kind, ()):
            problems += _check(entry, known)
    plans = sorted(by_kind.get("plans", ()), key=lambda e: (e.get("period_start") or _EPOCH, e.slug),
                   reverse=True)
    planned = {p.slug: _planned(p, known["events"], now) for p in plans}
    agreements = sorted(by_kind.get("agreements", ()), key=lambda e: (e.signed, e.slug), reverse=True)
    meetings = sorted(by_kind.get("meetings", ()), key=lambda e: (e.date, e.slug), reverse=True)
    projects = sorted(by_kind.get("projects", ()), key=lambda e: (e.start, e.slug), reverse=True)
    cycle = Cycle(
        agreements=tuple(agreements), meetings=tuple(meetings), plans=tuple(plans), projects=tuple(projects),
        planned=MappingProxyType(planned), decisions=_decisions(meetings, planned),
        partners=_partners(agreements),
        of_institution=_of_institution(known["institutions"], agreements, meetings, projects, planned),
        projects_of=_projects_of(projects))
    return cycle, problems


def _planned(plan: Entry, events: Mapping[str, Entry], now: datetime) -> tuple[Planned, ...]:
    rows = []
    for item in sorted(plan.items, key=lambda i: i.month):  # stable: same month keeps file order
        event = events.get(item.event) if item.event else None
        rows.append(Planned(plan, item, item_status(item, event, now), event))
    return tuple(rows)


def _decisions(meetings: list[Entry], planned: Mapping[str, tuple[Planned, ...]]) -> Mapping:
    grouped: dict[tuple[str, str], list] = defaultdict(list)
    for meeting in sorted(meetings, key=lambda e: (e.date, e.slug)):
        for decision in meeting.get("decisions", ()):
            if decision.plan:
                grouped[(decision.plan, decision.item)].append((meeting, decision))
    return MappingProxyType({k: tuple(v) for k, v in sorted(grouped.items())})


def _partners(agreements: Iterable[Entry]) -> tuple[tuple[str, str], ...]:
    pairs = set()
    for agreement in agreements:
        parties = sorted(set(agreement.parties))
        pairs.update((a, b) for i, a in enumerate(parties) for b in parties[i + 1:])
    return tuple(sorted(pairs))


def _of_institution(institutions, agreements, meetings, projects, planned) -> Mapping:
    grouped = {slug: {"agreements": [], "meetings": [], "projects": [], "plan_items": []}
               for slug in sorted(institutions)}
    for kind, key, entries in (("agreements", "parties", agreements), ("meetings", "participants", meetings),
                               ("projects", "participants", projects)):
        for entry in entries:
            for slug in entry.get(key, ()):
                if slug in grouped:
                    grouped[slug][kind].append(entry)
    for rows in planned.values():
        for row in rows:
            for slug in row.item.responsible:
                if slug in grouped:
                    grouped[slug]["plan_items"].append(row)
    return MappingProxyType({s: MappingProxyType({k: tuple(v) for k, v in kinds.items()})
                             for s, kinds in grouped.items()})


def _projects_of(projects: Iterable[Entry]) -> Mapping[tuple[str, str], tuple[Entry, ...]]:
    grouped: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for project in projects:
        for kind in ("events", "practices", "news"):
            for slug in project.get(kind, ()):
                grouped[(kind, slug)].append(project)
    return MappingProxyType({k: tuple(v) for k, v in sorted(grouped.items())})


# ---- references ------------------------------------------------------------------------------

_REFS = {  # kind → (key, the kind it names)
    "agreements": (("parties", "institutions"),),
    "meetings": (("participants", "institutions"), ("event", "events")),
    "plans": (),
    "projects": (("participants", "institutions"), ("events", "events"), ("practices", "practices"),
                 ("news", "news")),
}
_CODES = {"institutions": "ref.institution", "events": "ref.event", "practices": "ref.practice",
          "news": "ref.news", "plans": "ref.plan"}


def _check(entry: Entry, known: Mapping[str, Mapping[str, Entry]]) -> list[Diagnostic]:
    problems = []
    for key, kind in _REFS[entry.kind]:
        for index, slug in enumerate(entry.get(key, ())):
            line = entry.lines.get((key, index)) or entry.lines.get(key, 1)
            problems += _missing(entry.source, line, slug, kind, known)
    if entry.kind == "agreements" and len(set(entry.parties)) < 2:
        problems.append(error(entry.source, entry.lines.get("parties", 1), "agreement.parties"))
    problems += _check_dates(entry)
    for index, item in enumerate(entry.get("items", ())):
        problems += _check_record(entry, "items", index, item, known)
    for index, decision in enumerate(entry.get("decisions", ())):
        problems += _check_record(entry, "decisions", index, decision, known)
    return problems


def _check_record(entry: Entry, key: str, index: int, record, known) -> list[Diagnostic]:
    def line(sub: str) -> int:
        return entry.lines.get((key, index, sub)) or record.line

    problems = []
    for slug in record.responsible:
        problems += _missing(entry.source, line("responsible"), slug, "institutions", known)
    if key == "items" and record.event:
        problems += _missing(entry.source, line("event"), record.event, "events", known)
    if key == "decisions" and record.plan:
        problems += _missing(entry.source, line("plan"), record.plan, "plans", known)
        plan = known["plans"].get(record.plan)
        ids = [i.id for i in plan.items] if plan else []
        if plan and record.item not in ids:
            problems.append(error(entry.source, line("item"), "ref.plan_item", plan=record.plan, item=str(record.item),
                                  hint=did_you_mean(record.item, ids)))
    return problems


def _missing(source: str, line: int, slug: str, kind: str, known) -> list[Diagnostic]:
    if slug in known[kind]:
        return []
    return [error(source, line, _CODES[kind], slug=slug, folder=f"content/{kind}/",
                  hint=did_you_mean(slug, known[kind]))]


def _check_dates(entry: Entry) -> list[Diagnostic]:
    pairs = {"agreements": ("signed", "valid_until", "agreement.dates"),
             "plans": ("period_start", "period_end", "plan.dates"),
             "projects": ("start", "end", "project.dates")}.get(entry.kind)
    if not pairs or pairs[0] not in entry.fields or pairs[1] not in entry.fields:
        return []
    first, last, key = pairs
    if entry.fields[last] < entry.fields[first]:
        return [error(entry.source, entry.lines.get(last, 1), key, later=last, earlier=first)]
    return []
