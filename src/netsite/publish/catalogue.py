"""The practice catalogue: its facets (age group × ФГОС area × institution × format) and the static JSON index.

Design note: the filters run in the reader's browser over /practices/index.json, written by the
build; the state lives in the URL query (?age=senior&area=speech&institution=…&format=…), so a
filtered list can be reloaded, bookmarked and shared. Without JavaScript the form stays hidden
and the term pages (/age-groups/senior/, /areas/speech/) serve the same purpose.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from netsite.content.kinds import Practice
from netsite.content.models import OutputFile
from netsite.content.site import Site

INDEX_PATH = "/practices/index.json"
FIELDS = {"age": "age_groups", "area": "areas", "institution": "institutions", "format": "format"}
"""URL query parameter → the practice's field (and vocabulary)."""


@dataclass(frozen=True, slots=True)
class Facet:
    """One filter: the URL query parameter, the theme string of its name and its choices."""

    param: str
    label_key: str
    choices: tuple[tuple[str, str], ...]
    """(id, label) in vocabulary order; only values some practice has."""


def _values(entry: Practice, param: str) -> tuple[str, ...]:
    by_param = {"age": entry.age_groups, "area": entry.areas, "institution": entry.institutions,
                "format": (entry.format,) if entry.format else ()}
    return by_param[param]


def facets(site: Site) -> tuple[Facet, ...]:
    """The four filters of the catalogue, each listing only what the published practices use."""
    result = []
    for param, field in FIELDS.items():
        used = {value for entry in site.practices for value in _values(entry, param)}
        if param == "institution":
            choices = [(i.slug, i.short_name or i.title) for i in site.institutions if i.slug in used]
        else:
            vocabulary = site.config.vocabularies[field]
            choices = [(term, label) for term, label in vocabulary.items() if term in used]
        result.append(Facet(param, field if param != "institution" else "institution", tuple(choices)))
    return tuple(result)


def index_file(site: Site) -> OutputFile:
    """/practices/index.json: each practice's page URL and its facet values, sorted keys, stable bytes."""
    rows = [{"url": site.links.url(entry.path), "title": entry.title,
             **{param: list(_values(entry, param)) for param in FIELDS}}
            for entry in site.practices]
    data = {"params": list(FIELDS), "practices": rows}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return OutputFile(INDEX_PATH.lstrip("/"), (text + "\n").encode("utf-8"))
