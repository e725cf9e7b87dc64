"""The network's own cycle: agreements, meetings, work plans and joint projects, assembled and checked.

`check` looks at every reference the new kinds make (institutions, events, practices, news, plan
items); `assemble` then runs on the published entries, computes each plan item's and agreement's
status against the build's clock, and groups everything by institution for the profile pages.
Projects list their events, practices and news by slug (rather than a `project:` key on those
kinds), so one file shows a project whole and the other kinds' schemas stay as they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType

from netsite.content import agenda, pending
from netsite.content.kinds import Agreement, Event, Meeting, Plan, Project, of_kind
from netsite.content.models import Entry
from netsite.content.pending import Unpublished
from netsite.content.records import Decision, PlanItem
from netsite.diagnostics import Diagnostic, did_you_mean, error, warning

KINDS = ("agreements", "meetings", "plans", "projects")
DONE, CANCELLED, UPCOMING, OVERDUE = "done", "cancelled", "upcoming", "overdue"
STATUSES = (DONE, OVERDUE, UPCOMING, CANCELLED)
IN_FORCE, NOT_YET, EXPIRED = "in_force", "not_yet", "expired"
"""An agreement's status at the build's clock; only IN_FORCE ones bind their parties on /network/."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Planned:
    """A plan item with its status at the build's clock."""

    plan: Plan
    item: PlanItem
    status: str
    event: Event | None = None

    @property
    def anchor(self) -> str:
        return f"item-{self.item.id}"


@dataclass(frozen=True, slots=True)
class Cycle:
    agreements: tuple[Agreement, ...] = ()
    """Newest signed first."""
    meetings: tuple[Meeting, ...] = ()
    """Newest first."""
    plans: tuple[Plan, ...] = ()
    """Newest period first."""
    projects: tuple[Project, ...] = ()
    """Newest start first."""
    planned: Mapping[str, tuple[Planned, ...]] = field(default_factory=dict)
    """plan slug → its items with statuses, in month order."""
    decisions: Mapping[tuple[str, str], tuple[tuple[Meeting, Decision], ...]] = field(default_factory=dict)
    """(plan slug, item id) → (meeting, decision) that link to the item."""
    agreement_statuses: Mapping[str, str] = field(default_factory=dict)
    """agreement slug → IN_FORCE, NOT_YET (signed after the build's clock) or EXPIRED."""
    partners: tuple[tuple[str, str], ...] = ()
    """Sorted pairs of institution slugs bound by at least one agreement in force."""
    of_institution: Mapping[str, Mapping[str, tuple]] = field(default_factory=dict)
    """institution slug → agreements (every one), current_agreements (in force), meetings, projects
    (entries) and plan_items (Planned)."""
    projects_of: Mapping[tuple[str, str], tuple[Project, ...]] = field(default_factory=dict)
    """(kind, slug) of an event, practice or news item → the projects that list it."""

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.agreements + self.meetings + self.plans + self.projects

    @property
    def parties(self) -> tuple[str, ...]:
        """Institutions that are party to an agreement in force, sorted by slug."""
        return tuple(sorted({slug for pair in self.partners for slug in pair}))

    @property
    def current(self) -> tuple[Agreement, ...]:
        """The agreements in force at the build's clock, newest signed first."""
        return tuple(a for a in self.agreements if self.agreement_statuses.get(a.slug) == IN_FORCE)

    def agreement_status(self, agreement: Agreement) -> str:
        return self.agreement_statuses[agreement.slug]

    def agreements_between(self, first: str, second: str, current: bool = True) -> tuple[Agreement, ...]:
        """Agreements both institutions signed: those in force, or with current=False every one."""
        return tuple(a for a in (self.current if current else self.agreements)
                     if first in a.parties and second in a.parties)


def item_status(item: PlanItem, event: Event | None, now: datetime) -> str:
    """cancelled if the event is; done only once a meeting of the event in the item's own month
    has ended (a series' meetings of other months and dates removed by `exdates` do not count,
    nor does a postponed event); else overdue once the month is over, else upcoming."""
    if event is not None and event.status == "cancelled":
        return CANCELLED
    if event is not None and event.status != "postponed" and \
            any(o.end <= now for o in in_month(event, item.month, now.tzinfo)):
        return DONE
    month_end = datetime.combine(_next_month(item.month), time(), now.tzinfo)
    return OVERDUE if now >= month_end else UPCOMING


def in_month(event: Event, month: date, zone) -> tuple:
    """The event's occurrences that start in `month` (its first day) in `zone`."""
    return tuple(o for o in agenda.occurrences(event) if _month_of(o.start.astimezone(zone)) == month)


def agreement_status(agreement: Agreement, now: datetime) -> str:
    """NOT_YET before the day it is signed, EXPIRED after its `valid_until` day (that day itself
    still counts), else IN_FORCE."""
    if agreement.signed > now:
        return NOT_YET
    until = agreement.valid_until
    if until is not None:
        if until.time() == time():  # a day: in force until its end
            until = datetime.combine(until.date() + timedelta(days=1), time(), until.tzinfo)
        if now >= until:
            return EXPIRED
    return IN_FORCE


def _month_of(moment: datetime) -> date:
    return date(moment.year, moment.month, 1)


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _known(by_kind: Mapping[str, list[Entry]]) -> dict[str, dict[str, Entry]]:
    return {kind: {e.slug: e for e in by_kind.get(kind, ())} for kind in
            ("institutions", "events", "practices", "news", "plans")}


def check(by_kind: Mapping[str, list[Entry]], unpublished: Unpublished = pending.NOTHING) -> list[Diagnostic]:
    """The new kinds' references against the published entries: a slug of an entry that exists
    but is withheld at this build is a warning, any other unknown slug an error."""
    known = _known(by_kind)
    problems: list[Diagnostic] = []
    for kind in KINDS:
        for entry in by_kind.get(kind, ()):
            problems += _check(entry, known, unpublished)
    return problems


def assemble(by_kind: Mapping[str, list[Entry]], now: datetime) -> tuple[Cycle, list[Diagnostic]]:
    """Group and sort the new kinds (references already checked and withheld ones left out);
    the problems are warnings about plan items whose event has no meeting in their month."""
    events = {e.slug: e for e in of_kind(Event, by_kind.get("events", ()))}
    plans = sorted(of_kind(Plan, by_kind.get("plans", ())), key=lambda e: (e.period_start or _EPOCH, e.slug), reverse=True)
    planned = {p.slug: _planned(p, events, now) for p in plans}
    problems = [p for plan in plans for p in _outside_month(plan, planned[plan.slug], now)]
    agreements = sorted(of_kind(Agreement, by_kind.get("agreements", ())), key=lambda e: (e.signed, e.slug), reverse=True)
    statuses = {a.slug: agreement_status(a, now) for a in agreements}
    meetings = sorted(of_kind(Meeting, by_kind.get("meetings", ())), key=lambda e: (e.date, e.slug), reverse=True)
    projects = sorted(of_kind(Project, by_kind.get("projects", ())), key=lambda e: (e.start, e.slug), reverse=True)
    cycle = Cycle(
        agreements=tuple(agreements), meetings=tuple(meetings), plans=tuple(plans), projects=tuple(projects),
        planned=MappingProxyType(planned), decisions=_decisions(meetings, planned),
        agreement_statuses=MappingProxyType(statuses),
        partners=_partners(a for a in agreements if statuses[a.slug] == IN_FORCE),
        of_institution=_of_institution([e.slug for e in by_kind.get("institutions", ())], agreements, meetings,
                                       projects, planned, statuses),
        projects_of=_projects_of(projects))
    return cycle, problems


def _planned(plan: Plan, events: Mapping[str, Event], now: datetime) -> tuple[Planned, ...]:
    rows = []
    for item in sorted(plan.items, key=lambda i: i.month):  # stable: same month keeps file order
        event = events.get(item.event) if item.event else None
        rows.append(Planned(plan, item, item_status(item, event, now), event))
    return tuple(rows)


def _outside_month(plan: Plan, rows: tuple[Planned, ...], now: datetime) -> list[Diagnostic]:
    """A warning at each item whose event has no meeting in the item's month: such an item can
    never be done, which is most often a wrong month, a wrong event or a meeting in `exdates`."""
    return [warning(plan.source, row.item.line, "plan.month", slug=row.event.slug, month=f"{row.item.month:%Y-%m}")
            for row in rows if row.event is not None and not in_month(row.event, row.item.month, now.tzinfo)]


def _decisions(meetings: list[Meeting], planned: Mapping[str, tuple[Planned, ...]]) -> Mapping:
    grouped: dict[tuple[str, str], list] = defaultdict(list)
    for meeting in sorted(meetings, key=lambda e: (e.date, e.slug)):
        for decision in meeting.decisions:
            if decision.plan and decision.item:  # both or neither (records.py)
                grouped[(decision.plan, decision.item)].append((meeting, decision))
    return MappingProxyType({k: tuple(v) for k, v in sorted(grouped.items())})


def _partners(agreements: Iterable[Agreement]) -> tuple[tuple[str, str], ...]:
    pairs: set[tuple[str, str]] = set()
    for agreement in agreements:
        parties = sorted(set(agreement.parties))
        pairs.update((a, b) for i, a in enumerate(parties) for b in parties[i + 1:])
    return tuple(sorted(pairs))


def _of_institution(institutions: Iterable[str], agreements: list[Agreement], meetings: list[Meeting],
                    projects: list[Project], planned: Mapping[str, tuple[Planned, ...]],
                    statuses: Mapping[str, str]) -> Mapping:
    lists = ("agreements", "current_agreements", "meetings", "projects", "plan_items")
    grouped: dict[str, dict[str, list]] = {slug: {name: [] for name in lists} for slug in sorted(institutions)}
    current = [a for a in agreements if statuses[a.slug] == IN_FORCE]
    members: list[tuple[str, list[tuple[Entry, tuple[str, ...]]]]] = [
        ("agreements", [(a, a.parties) for a in agreements]), ("current_agreements", [(a, a.parties) for a in current]),
        ("meetings", [(m, m.participants) for m in meetings]), ("projects", [(p, p.participants) for p in projects])]
    for kind, entries in members:
        for entry, slugs in entries:
            for slug in slugs:
                if slug in grouped:
                    grouped[slug][kind].append(entry)
    for rows in planned.values():
        for row in rows:
            for slug in row.item.responsible:
                if slug in grouped:
                    grouped[slug]["plan_items"].append(row)
    return MappingProxyType({s: MappingProxyType({k: tuple(v) for k, v in kinds.items()})
                             for s, kinds in grouped.items()})


def _projects_of(projects: Iterable[Project]) -> Mapping[tuple[str, str], tuple[Project, ...]]:
    grouped: dict[tuple[str, str], list[Project]] = defaultdict(list)
    for project in projects:
        for kind, slugs in (("events", project.events), ("practices", project.practices), ("news", project.news)):
            for slug in slugs:
                grouped[(kind, slug)].append(project)
    return MappingProxyType({k: tuple(v) for k, v in sorted(grouped.items())})


# ---- references ------------------------------------------------------------------------------

def _references(entry: Entry) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(key, the kind it names, the slugs written) of each reference of one of the new kinds."""
    if isinstance(entry, Agreement):
        return (("parties", "institutions", entry.parties),)
    if isinstance(entry, Meeting):
        return (("participants", "institutions", entry.participants), ("event", "events", entry.event))
    if isinstance(entry, Project):
        return (("participants", "institutions", entry.participants), ("events", "events", entry.events),
                ("practices", "practices", entry.practices), ("news", "news", entry.news))
    return ()


_CODES = {"institutions": "ref.institution", "events": "ref.event", "practices": "ref.practice",
          "news": "ref.news", "plans": "ref.plan"}


def _check(entry: Entry, known: Mapping[str, Mapping[str, Entry]], unpublished: Unpublished) -> list[Diagnostic]:
    problems = []
    for key, kind, slugs in _references(entry):
        for index, slug in enumerate(slugs):
            line = entry.lines.get((key, index)) or entry.lines.get(key, 1)
            problems += _missing(entry.source, line, slug, kind, known, unpublished)
    problems += _check_dates(entry)
    records: tuple[tuple[str, PlanItem | Decision], ...] = (
        tuple(("items", item) for item in entry.items) if isinstance(entry, Plan) else
        tuple(("decisions", decision) for decision in entry.decisions) if isinstance(entry, Meeting) else ())
    for key, record in records:
        problems += _check_record(entry, key, record, known, unpublished)
    return problems


def _check_record(entry: Entry, key: str, record, known, unpublished: Unpublished) -> list[Diagnostic]:
    def line(sub: str) -> int:
        return entry.lines.get((key, record.index, sub)) or record.line

    problems = []
    for slug in record.responsible:
        problems += _missing(entry.source, line("responsible"), slug, "institutions", known, unpublished)
    if key == "items" and record.event:
        problems += _missing(entry.source, line("event"), record.event, "events", known, unpublished)
    if key == "decisions" and record.plan:
        problems += _missing(entry.source, line("plan"), record.plan, "plans", known, unpublished)
        plan = known["plans"].get(record.plan)
        ids = [i.id for i in plan.items] if isinstance(plan, Plan) else []
        # an item with an error of its own is reported at the plan, not again here
        if isinstance(plan, Plan) and record.item not in ids and record.item not in plan.broken_items:
            problems.append(error(entry.source, line("item"), "ref.plan_item", plan=record.plan, item=str(record.item),
                                  hint=did_you_mean(record.item, ids)))
    return problems


def _missing(source: str, line: int, slug: str, kind: str, known, unpublished: Unpublished) -> list[Diagnostic]:
    if slug in known[kind]:
        return []
    withheld = unpublished.find(kind, slug)
    if withheld is not None:
        return [pending.reference(source, line, withheld)]
    return [error(source, line, _CODES[kind], slug=slug, folder=f"content/{kind}/",
                  hint=did_you_mean(slug, known[kind]))]


def _check_dates(entry: Entry) -> list[Diagnostic]:
    """The end of an agreement, a plan's period or a project is not before its start."""
    span: tuple[str, datetime | None, str, datetime | None, str] | None = (
        ("signed", entry.signed, "valid_until", entry.valid_until, "agreement.dates") if isinstance(entry, Agreement)
        else ("period_start", entry.period_start, "period_end", entry.period_end, "plan.dates") if isinstance(entry, Plan)
        else ("start", entry.start, "end", entry.end, "project.dates") if isinstance(entry, Project) else None)
    if span is None:
        return []
    first, begins, last, ends, code = span
    if begins is not None and ends is not None and ends < begins:
        return [error(entry.source, entry.lines.get(last, 1), code, later=last, earlier=first)]
    return []
