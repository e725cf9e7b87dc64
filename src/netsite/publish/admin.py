"""The browser editor at /admin/: its Decap CMS configuration, generated from the content model, and its page.

Nothing here is written by hand per site: one collection per kind of `kinds.KINDS`, one widget per
front-matter key chosen by the key's converter (text, date, vocabulary, reference, photo, records),
required fields from `kinds.REQUIRED`, select lists from the site's vocabularies with their labels.
A key added to the model appears in the editor by itself (with its key as label until `FIELDS`
names it). The script is Decap CMS's own bundle, pinned in package.json and served from the site.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from netsite.content import kinds, records
from netsite.content.config import Config
from netsite.content.models import OutputFile
from netsite.diagnostics import NetsiteError, error

SCRIPT = "decap-cms.js"
_PACKAGE = Path(__file__).resolve().parent.parent
SCRIPT_PLACES = (_PACKAGE / "editor" / SCRIPT,
                 _PACKAGE.parent.parent / "node_modules" / "decap-cms" / "dist" / SCRIPT)
"""Where the script is looked for: copied into the wheel when it is built, or `npm ci` in a checkout."""

BUNDLES = ("institutions", "practices", "events", "news", "agreements")
"""Kinds with photos or attachments: a new entry is a folder with index.md, its files beside it."""
DATED = ("news", "practices", "meetings")
"""Kinds whose file name starts with the date (as `netsite new` names them)."""

COLLECTIONS = {
    "institutions": ("Учреждения", "Учреждение"), "practices": ("Практики", "Практика"),
    "events": ("События", "Событие"), "news": ("Новости", "Новость"), "pages": ("Страницы", "Страница"),
    "agreements": ("Соглашения", "Соглашение"), "meetings": ("Заседания совета", "Заседание"),
    "plans": ("Планы работы", "План"), "projects": ("Проекты", "Проект"),
}
# key → (label, hint); the hints are the author guide's (docs/avtoram.md) in a line.
FIELDS: dict[str, tuple[str, str]] = {
    "title": ("Название", ""),
    "slug": ("Адрес страницы (латиницей)", "Обычно не нужен: адрес получается из названия."),
    "draft": ("Черновик", "Черновик не публикуется на сайте."),
    "summary": ("Кратко", "Одна-две фразы для списков и поисковиков."),
    "tags": ("Метки", "Слова через запятую."),
    "short_name": ("Краткое название", "Например: Детский сад «Солнышко»."),
    "kind": ("Тип учреждения", ""),
    "address": ("Адрес", ""),
    "geo": ("Координаты на карте", "Широта и долгота, например 55.75 и 37.62."),
    "website": ("Сайт", "Полный адрес, начиная с https://"),
    "email": ("Электронная почта", ""),
    "phone": ("Телефон", "Например: +7 (495) 123-45-67"),
    "logo": ("Логотип", ""),
    "joined": ("В сети с", ""),
    "date": ("Дата", ""),
    "institution": ("Учреждение", ""),
    "institutions": ("Учреждения", "Если учреждений несколько (вместо «Учреждение»)."),
    "authors": ("Авторы", "Имена через запятую."),
    "age_groups": ("Возрастные группы", ""),
    "areas": ("Образовательные области", ""),
    "format": ("Формат", ""),
    "attachments": ("Файлы", "Программа, положение, презентация (PDF, DOCX…)."),
    "audience": ("Для кого", ""),
    "gallery": ("Фотогалерея", "Публикуйте фото детей только с письменного согласия родителей."),
    "start": ("Начало", ""),
    "end": ("Окончание", ""),
    "timezone": ("Часовой пояс", "Только если событие в другом поясе, например Asia/Yekaterinburg."),
    "all_day": ("Весь день", ""),
    "location": ("Место", "Например: МБДОУ «Детский сад № 1», музыкальный зал."),
    "online": ("Ссылка на трансляцию", ""),
    "organizers": ("Организаторы", ""),
    "registration": ("Ссылка на регистрацию", ""),
    "status": ("Статус", ""),
    "rrule": ("Повторение", "Каждую неделю 6 раз: FREQ=WEEKLY;COUNT=6. Каждый месяц до мая: "
              "FREQ=MONTHLY;UNTIL=20270531. Пусто — событие не повторяется."),
    "exdates": ("Встречи серии, которых не будет", ""),
    "image": ("Фото", "Публикуйте фото детей только с письменного согласия родителей."),
    "event": ("Событие", ""),
    "menu": ("Место в меню", "Номер: 1 — первый пункт. Пусто — страницы нет в меню."),
    "menu_title": ("Название в меню", ""),
    "parties": ("Стороны", ""),
    "signed": ("Подписано", ""),
    "valid_until": ("Действует до", ""),
    "subject": ("Предмет соглашения", ""),
    "attachment": ("Файл соглашения", ""),
    "participants": ("Участники", ""),
    "problems": ("Вопросы", ""),
    "decisions": ("Решения", ""),
    "period_start": ("Начало периода", ""),
    "period_end": ("Конец периода", ""),
    "items": ("Пункты плана", ""),
    "goals": ("Цели", ""),
    "events": ("События", ""),
    "practices": ("Практики", ""),
    "news": ("Новости", ""),
    # inside plan items and meeting decisions
    "id": ("Номер пункта", "Латиницей, например m1; по нему на пункт ссылаются решения."),
    "month": ("Месяц", ""),
    "responsible": ("Ответственные", ""),
    "text": ("Решение", ""),
    "due": ("Срок", ""),
    "plan": ("План", ""),
    "item": ("Пункт плана", ""),
}
REFERENCES = {"institution": "institutions", "institutions": "institutions", "organizers": "institutions",
              "parties": "institutions", "participants": "institutions", "responsible": "institutions",
              "event": "events", "events": "events", "practices": "practices", "news": "news", "plan": "plans"}
"""Reference key → the collection it names an entry of (by its slug)."""
SINGLE = frozenset({"institution", "event", "plan"})
STATUS_LABELS = {"scheduled": "Состоится", "cancelled": "Отменено", "postponed": "Перенесено"}
_DAY = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD.MM.YYYY", "time_format": False}
_MONTH = {"widget": "datetime", "format": "YYYY-MM", "date_format": "MM.YYYY", "time_format": False}
_MOMENT = {"widget": "datetime", "format": "YYYY-MM-DD HH:mm", "date_format": "DD.MM.YYYY",
           "time_format": "HH:mm"}


def _label(key: str) -> dict[str, Any]:
    label, hint = FIELDS.get(key, (key, ""))
    return {"label": label, "name": key, **({"hint": hint} if hint else {})}


def _relation(key: str, many: bool) -> dict[str, Any]:
    target = REFERENCES.get(key, "institutions")
    shown = ["short_name", "title"] if target == "institutions" else ["title"]
    return {"widget": "relation", "collection": target, "value_field": "{{slug}}", "search_fields": shown,
            "display_fields": ["title"], "multiple": many, **({"min": 1} if many else {})}


def _gallery() -> dict[str, Any]:
    return {"widget": "list", "summary": "{{fields.alt}}", "fields": [
        {"label": "Фото", "name": "file", "widget": "image", "choose_url": False},
        {"label": "Что на фото", "name": "alt", "widget": "string",
         "hint": "Описание для тех, кто не видит фото: «Дети рисуют осень»."}]}


def _texts(_key: str) -> dict[str, Any]:
    return {"widget": "list", "allow_add": True}


# value type (content/values.py) → widget; `vocab` and `choice` converters carry their vocabulary or options.
_BY_TYPE: dict[str, Callable[[str], dict[str, Any]]] = {
    "text": lambda key: {"widget": "text" if key == "summary" else "string"},
    "texts": _texts,
    "slug": lambda key: {"widget": "string"},
    "boolean": lambda key: {"widget": "boolean", "default": False},
    "integer": lambda key: {"widget": "number", "value_type": "int", "min": 1},
    "url": lambda key: {"widget": "string", "pattern": ["^https?://\\S+$", "Полный адрес, начиная с https://"]},
    "email": lambda key: {"widget": "string", "pattern": ["^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
                                                           "Адрес вида name@example.org"]},
    "phone": lambda key: {"widget": "string"},
    "moment": lambda key: dict(_DAY),
    "geo": lambda key: {"widget": "list", "field": {"label": "Число", "name": "value", "widget": "number",
                                                     "value_type": "float"}, "min": 2, "max": 2},
    "ref": lambda key: _relation(key, key not in SINGLE),
    "files": lambda key: {"widget": "list", "field": {"label": "Файл", "name": "file", "widget": "file",
                                                       "choose_url": False}},
    "file": lambda key: {"widget": "file", "choose_url": False},
    "image": lambda key: {"widget": "image", "choose_url": False},
    "gallery": lambda key: _gallery(),
}
_EVENT_TIMES: dict[str, dict[str, Any]] = {"start": dict(_MOMENT), "end": dict(_MOMENT),
                "exdates": {"widget": "list", "field": {"label": "Встреча", "name": "moment", **_MOMENT}}}
_RECORD_TYPES: dict[str, Callable[[str], dict[str, Any]]] = {
    "month": lambda key: dict(_MONTH),
    "_slugs": lambda key: _relation(key, True),
}


def field_for(kind: str, key: str, convert: Callable, config: Config) -> dict[str, Any]:
    """The Decap field of one front-matter key of `kind`."""
    widget: dict[str, Any]
    if kind == "events" and key in _EVENT_TIMES:
        widget = dict(_EVENT_TIMES[key])
    elif hasattr(convert, "vocabulary"):
        terms = config.vocabularies[getattr(convert, "vocabulary")]  # noqa: B009 - set on the converter by values.vocab
        widget = {"widget": "select", "multiple": getattr(convert, "many"),  # noqa: B009
                  "options": [{"label": label, "value": term} for term, label in terms.items()]}
    elif hasattr(convert, "options"):
        widget = {"widget": "select", "options": [{"label": STATUS_LABELS.get(o, o), "value": o}
                                                   for o in convert.options]}
    elif convert.__name__ == "records":
        widget = _records(key)
    else:
        widget = _BY_TYPE[convert.__name__](key)
    required = key in kinds.REQUIRED[kind]
    if widget.get("time_format"):  # a wall time: say whose
        widget["hint"] = f"Время — по часовому поясу сайта ({config.timezone}), если не указан другой."
    return {**_label(key), **widget, "required": required}


def _records(key: str) -> dict[str, Any]:
    """Plan items and meeting decisions: a list of small forms, one field per record key."""
    fields = []
    for sub, convert in records.SPECS[key].items():
        if sub == "item":
            widget = {"widget": "relation", "collection": "plans", "value_field": "items.*.id",
                      "search_fields": ["items.*.title"], "display_fields": ["items.*.title"]}
        elif convert.__name__ in _RECORD_TYPES:
            widget = _RECORD_TYPES[convert.__name__](sub)
        elif sub in SINGLE:
            widget = _relation(sub, False)
        else:
            widget = {"widget": "text" if sub == "text" else "string"}
        fields.append({**_label(sub), **widget, "required": sub in records.REQUIRED[key]})
    summary = "{{fields.month}} {{fields.title}}" if key == "items" else "{{fields.text}}"
    return {"widget": "list", "summary": summary, "fields": fields}


def collection(kind: str, config: Config) -> dict[str, Any]:
    """One Decap folder collection: where netsite keeps the kind, how it names a new entry, its fields."""
    plural, singular = COLLECTIONS.get(kind, (kind, kind))
    spec = kinds.COMMON | kinds.KINDS[kind]
    last = ("summary", "tags", "slug", "draft")  # what the entry is first, then how it is listed and shown
    order = ["title", *(k for k in spec if k != "title" and k not in last), *last]
    fields = [field_for(kind, key, spec[key], config) for key in order]
    fields.append({"label": "Текст", "name": "body", "widget": "markdown", "required": kind == "pages",
                   "modes": ["rich_text", "raw"]})
    result: dict[str, Any] = {
        "name": kind, "label": plural, "label_singular": singular, "folder": f"content/{kind}",
        "create": True, "delete": True, "extension": "md", "format": "frontmatter",
        "slug": "{{year}}-{{month}}-{{day}}-{{slug}}" if kind in DATED else "{{slug}}",
        "summary": "{{title}}", "sortable_fields": ["title"], "fields": fields,
        "editor": {"preview": False},  # the site itself is the preview: `netsite serve` rebuilds on save
    }
    if kind in BUNDLES:
        # folder/slug/index.md with its photos and files beside it, as a reference in front matter expects
        result |= {"path": "{{slug}}/index", "media_folder": "", "public_folder": ""}
    return result


def settings(config: Config, backend: dict[str, Any], site_url: str | None = None) -> dict[str, Any]:
    """The whole config.yml as data: Russian interface, slugs left to netsite, one collection per kind."""
    return {
        "locale": "ru",
        "backend": backend,
        "publish_mode": "simple",
        "site_url": site_url or config.base_url,
        "display_url": site_url or config.base_url,
        "media_folder": "content",
        "public_folder": "",
        # The server names new files as netsite does (transliterated); the browser keeps Cyrillic.
        "slug": {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-"},
        "collections": [collection(kind, config) for kind in kinds.KINDS],
    }


def published_backend(config: Config) -> dict[str, Any]:
    """The git host's backend from `editor:` in netsite.yaml (see docs/redaktor-nastrojka.md)."""
    given = dict(config.editor)
    backend = {"name": given.pop("backend"), **given}
    if backend["name"] == "gitlab":  # no secret, no OAuth server of one's own: GitLab's PKCE flow
        backend.setdefault("auth_type", "pkce")
    return backend


LOCAL_BACKEND = {"name": "proxy", "proxy_url": "/api/v1", "branch": "main"}
"""`netsite serve`: the editor talks to the server itself (server/editor.py), no git, no login."""


def config_yml(config: Config, backend: dict[str, Any], site_url: str | None = None) -> str:
    head = "# Generated by netsite from its content model: do not edit, it is made anew on every build.\n"
    # libyaml's dumper when PyYAML has it: the same text, 0.2 s → a few ms on a loaded machine
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return head + yaml.dump(settings(config, backend, site_url), Dumper=dumper, allow_unicode=True, sort_keys=False,
                            width=100)


def script() -> Path | None:
    """The editor's script, or None when neither the wheel nor `npm ci` has put it in place."""
    return next((place for place in SCRIPT_PLACES if place.is_file()), None)


MISSING_SCRIPT = ("Скрипт редактора (decap-cms.js) не установлен. Его ставит команда «npm ci» в папке "
                  "исходников netsite; в пакет netsite, собранный с ним, он входит сам. Подробнее: "
                  "docs/redaktor-nastrojka.md.")


def page(base_path: str, has_script: bool = True) -> str:
    """/admin/index.html: the editor's script and config.yml beside it; never indexed."""
    body = (f'<script src="{base_path}admin/{SCRIPT}"></script>' if has_script
            else f'<main><h1>Редактор</h1><p role="alert">{MISSING_SCRIPT}</p></main>')
    return ('<!DOCTYPE html>\n<html lang="ru">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="robots" content="noindex, nofollow">\n'
            '<title>Редактор сайта</title>\n'
            f'<link href="{base_path}admin/config.yml" type="text/yaml" rel="cms-config-url">\n'
            f'</head>\n<body>\n{body}\n</body>\n</html>\n')


def files(config: Config) -> list[OutputFile]:
    """admin/ on the published site, when `editor:` asks for it (the build fails without the script)."""
    if not config.editor:
        return []
    found = script()
    if found is None:
        raise NetsiteError([error("netsite.yaml", None, "editor.script", guide="docs/redaktor-nastrojka.md")])
    return [OutputFile("admin/index.html", page(config.base_path).encode("utf-8")),
            OutputFile("admin/config.yml", config_yml(config, published_backend(config)).encode("utf-8")),
            OutputFile(f"admin/{SCRIPT}", b"", found)]
