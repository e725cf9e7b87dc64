"""Records inside front matter: the items of a work plan and the decisions of a meeting.

A record is one mapping in a YAML list. Each is checked key by key and every problem is reported
at the line of the key inside the record (front matter keeps `(key, index, sub_key)` lines), so a
methodologist with a 30-item plan gets every mistake in one run. References to institutions,
events and plan items are only checked for shape here; `cycle.assemble` checks that they exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from netsite.content.frontmatter import FrontMatter
from netsite.content.urls import slug_problem
from netsite.diagnostics import Diagnostic, did_you_mean, error

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class PlanItem:
    id: str
    """Unique in its plan; meeting decisions and anchors use it."""
    month: date
    """The first day of the month the item is planned for."""
    title: str
    responsible: tuple[str, ...] = ()
    """Institution slugs."""
    event: str | None = None
    """Slug of the event that carries the item out."""
    line: int = 1
    index: int = 0
    """Its place in the list as written (front-matter lines are keyed by it)."""


@dataclass(frozen=True, slots=True)
class Decision:
    text: str
    responsible: tuple[str, ...] = ()
    due: date | None = None
    plan: str | None = None
    """Slug of the plan that holds the linked item; with `item`, its id."""
    item: str | None = None
    line: int = 1
    index: int = 0


class _Bad(ValueError):
    pass


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or not str(value).strip():
        raise _Bad("must be a text")
    return " ".join(str(value).split())


def _slug(value: Any) -> str:
    text = _text(value)
    problem = slug_problem(text)
    if problem:
        raise _Bad(problem)
    return text


def _slugs(value: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_slug(v) for v in (value if isinstance(value, list) else [value])))


def month(value: Any) -> date:
    """'2026-12' → date(2026, 12, 1)."""
    match = _MONTH_RE.match(str(value).strip()) if isinstance(value, str) else None
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise _Bad(f"'{value}' is not a month: write it as 2026-12")
    return date(int(match.group(1)), int(match.group(2)), 1)


# record key → sub key → converter; the sub keys are the dataclass fields they fill
SPECS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "items": {"id": _slug, "month": month, "title": _text, "responsible": _slugs, "event": _slug},
    "decisions": {"text": _text, "responsible": _slugs, "due": month, "plan": _slug, "item": _slug},
}
REQUIRED = {"items": ("id", "month", "title"), "decisions": ("text",)}
MAKERS = {"items": PlanItem, "decisions": Decision}
KEYS = {"plans": "items", "meetings": "decisions"}


def typed(kind: str, values: dict, front: FrontMatter, shown: str) -> list[Diagnostic]:
    """Replace the raw list under the kind's record key by typed records; return the problems.

    A plan also gets `broken_items`: the ids of items that have an error of their own, so that a
    meeting's decision naming one is not reported a second time as "no such item".
    """
    key = KEYS.get(kind)
    if key is None or key not in values:
        return []
    problems: list[Diagnostic] = []
    records, broken = [], []
    for index, raw in enumerate(values[key]):
        line = front.line((key, index), front.line(key))
        record = _record(key, index, raw, line, front, shown, problems)
        if record is not None:
            records.append(record)
        elif isinstance(raw, dict) and isinstance(raw.get("id"), str):
            broken.append(raw["id"].strip())
    if key == "items":
        problems += _unique_ids(records, shown)
        values["broken_items"] = tuple(broken)
    values[key] = tuple(records)
    return problems


def _record(key: str, index: int, raw: Any, line: int, front: FrontMatter, shown: str,
            problems: list[Diagnostic]) -> Any:
    if not isinstance(raw, dict):
        example = "'- id: ...' then 'month: 2026-12', 'title: ...'" if key == "items" else "'- text: ...'"
        problems.append(error(shown, line, f"each of '{key}' must be keys and values, such as {example}",
                              "record.shape"))
        return None
    spec, fields, ok = SPECS[key], {"line": line, "index": index}, True
    for sub, value in raw.items():
        where = front.line((key, index, sub), line)
        if sub not in spec:
            problems.append(error(shown, where, f"unknown key '{sub}' in {key}{did_you_mean(sub, spec)}",
                                  "record.unknown"))
            ok = False
            continue
        try:
            fields[sub] = spec[sub](value)
        except _Bad as exc:
            problems.append(error(shown, where, f"'{sub}' {exc}", "record.value"))
            ok = False
    for sub in REQUIRED[key]:
        if sub not in raw:
            problems.append(error(shown, line, f"'{sub}' is required in each of '{key}'", "record.required"))
            ok = False
    if key == "decisions" and ("plan" in raw) != ("item" in raw):
        problems.append(error(shown, line, "a decision linked to the plan needs both 'plan:' (the plan's "
                              "slug) and 'item:' (the id of its item)", "record.required"))
        ok = False
    return MAKERS[key](**fields) if ok else None


def _unique_ids(items: list[PlanItem], shown: str) -> list[Diagnostic]:
    seen: set[str] = set()
    problems = []
    for item in items:
        if item.id in seen:
            problems.append(error(shown, item.line, f"the id '{item.id}' is used by another item of this "
                                  "plan: give each item its own id", "record.duplicate"))
        seen.add(item.id)
    return problems
