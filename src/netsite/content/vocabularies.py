"""Controlled vocabularies: ASCII ids in front matter and URLs, labels shown on the site."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# Labels per language; the id is what authors write and what URLs carry.
DEFAULTS: dict[str, dict[str, dict[str, str]]] = {
    "audience": {
        "ru": {"teachers": "Педагогам", "parents": "Родителям", "children": "Детям"},
        "en": {"teachers": "For teachers", "parents": "For parents", "children": "For children"},
    },
    "age_groups": {
        "ru": {
            "early": "Ранний возраст (1–3)",
            "junior": "Младшая группа (3–4)",
            "middle": "Средняя группа (4–5)",
            "senior": "Старшая группа (5–6)",
            "preparatory": "Подготовительная группа (6–7)",
        },
        "en": {
            "early": "Early age (1–3)", "junior": "Junior group (3–4)", "middle": "Middle group (4–5)",
            "senior": "Senior group (5–6)", "preparatory": "Preparatory group (6–7)",
        },
    },
    "areas": {
        "ru": {
            "social": "Социально-коммуникативное развитие",
            "cognitive": "Познавательное развитие",
            "speech": "Речевое развитие",
            "artistic": "Художественно-эстетическое развитие",
            "physical": "Физическое развитие",
        },
        "en": {
            "social": "Social and communicative", "cognitive": "Cognitive", "speech": "Speech",
            "artistic": "Artistic and aesthetic", "physical": "Physical development",
        },
    },
    "format": {
        "ru": {
            "seminar": "Семинар", "master-class": "Мастер-класс", "round-table": "Круглый стол",
            "conference": "Конференция", "festival": "Фестиваль", "contest": "Конкурс",
            "excursion": "Экскурсия", "holiday": "Праздник", "club": "Клуб",
            "webinar": "Вебинар", "consultation": "Консультация", "project": "Проект",
            "other": "Другое",
        },
        "en": {
            "seminar": "Seminar", "master-class": "Master class", "round-table": "Round table",
            "conference": "Conference", "festival": "Festival", "contest": "Contest",
            "excursion": "Excursion", "holiday": "Holiday", "club": "Club", "webinar": "Webinar",
            "consultation": "Consultation", "project": "Project", "other": "Other",
        },
    },
    "institution_kind": {
        "ru": {
            "kindergarten": "Детский сад", "school": "Школа", "library": "Библиотека",
            "museum": "Музей", "theatre": "Театр", "sports": "Спортивная школа", "other": "Другое",
        },
        "en": {
            "kindergarten": "Kindergarten", "school": "School", "library": "Library",
            "museum": "Museum", "theatre": "Theatre", "sports": "Sports school", "other": "Other",
        },
    },
}

NAMES = tuple(DEFAULTS)


def defaults(language: str) -> dict[str, Mapping[str, str]]:
    """The default vocabularies in `language` (Russian labels when the language is unknown)."""
    result: dict[str, Mapping[str, str]] = {}
    for name, by_language in DEFAULTS.items():
        labels = by_language.get(language) or by_language["ru"]
        result[name] = MappingProxyType(dict(labels))
    return result
