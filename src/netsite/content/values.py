"""Front-matter value types: one function per type turns a written value into a typed one or raises `Invalid`.

`content/kinds.py` names one of these for each key of each kind; the editor's form (publish/admin.py)
picks a widget by the function's name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from netsite.content import agenda, images
from netsite.content.config import Config
from netsite.content.models import Document
from netsite.content.urls import slug_problem, url_problem
from netsite.diagnostics import did_you_mean
from netsite.messages import Value, message

MAX_TEXT = 2000
STATUSES = ("scheduled", "cancelled", "postponed")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_RE = re.compile(r"^[0-9+()\-\s.,доб]+$")


class Invalid(ValueError):
    """A value's problem: a sentence about '{key}' (a `part:value.*` message), shown with `code`."""

    def __init__(self, key: str, code: str = "field.type", line: int | None = None, /, **values: Value):
        super().__init__(key)
        self.message = message(key, **values)
        self.code = code
        self.line = line

    def __str__(self) -> str:
        return str(self.message)


def text(value: Any, _cfg: Config, _doc: Document) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Invalid("part:value.text")
    written = " ".join(str(value).split())
    if not written:
        raise Invalid("part:value.empty")
    if len(written) > MAX_TEXT:
        raise Invalid("part:value.long", "field.size", n=MAX_TEXT)
    return written


def texts(value: Any, cfg: Config, doc: Document) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(text(item, cfg, doc) for item in items)


def boolean(value: Any, _cfg: Config, _doc: Document) -> bool:
    if not isinstance(value, bool):
        raise Invalid("part:value.bool")
    return value


def integer(value: Any, _cfg: Config, _doc: Document) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid("part:value.int")
    return value


def url(value: Any, cfg: Config, doc: Document) -> str:
    written = text(value, cfg, doc) if isinstance(value, str) else ""
    problem = url_problem(written, absolute=True) if written else message("part:url.absolute")
    if problem:
        raise Invalid("part:value.url", "field.url", value=str(written or value), problem=problem)
    return written


def email(value: Any, cfg: Config, doc: Document) -> str:
    written = text(value, cfg, doc)
    if not _EMAIL_RE.match(written):
        raise Invalid("part:value.email", "field.email", value=written)
    return written


def phone(value: Any, cfg: Config, doc: Document) -> str:
    written = text(value, cfg, doc)
    if not _PHONE_RE.match(written) or sum(ch.isdigit() for ch in written) < 5:
        raise Invalid("part:value.phone", "field.phone", value=written, example="+7 (495) 123-45-67")
    return written


def moment(value: Any, cfg: Config, _doc: Document) -> datetime:
    try:
        return agenda.parse_moment(value, cfg.zone).value
    except agenda.TimeError as exc:
        raise Invalid("part:value.time", exc.code, problem=exc.message) from None


def geo(value: Any, _cfg: Config, _doc: Document) -> tuple[float, float]:
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
        raise Invalid("part:value.geo")
    lat, lon = float(value[0]), float(value[1])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise Invalid("part:value.geo-range")
    return (lat, lon)


def ref(value: Any, cfg: Config, doc: Document) -> tuple[str, ...]:
    """Slugs of other entries; that they exist is checked when the site is assembled."""
    return tuple(text(item, cfg, doc) for item in (value if isinstance(value, list) else [value]))


def files(value: Any, cfg: Config, doc: Document) -> tuple[str, ...]:
    names = {asset.name for asset in doc.assets}
    result = []
    for name in texts(value, cfg, doc):
        if name not in names:
            hint = did_you_mean(name, names)
            where = message("part:where.beside" if doc.path.name == "index.md" else "part:where.folder")
            raise Invalid("part:value.file", "field.file", name=name, hint=hint, where=where)
        result.append(name)
    return tuple(result)


def file(value: Any, cfg: Config, doc: Document) -> str:
    return files([value], cfg, doc)[0]


def gallery(value: Any, cfg: Config, doc: Document) -> tuple[dict, ...]:
    """Photos beside index.md, each with the description a reader who cannot see it hears."""
    items = value if isinstance(value, list) else [value]
    result = []
    for item in items:
        if not isinstance(item, dict) or set(item) != {"file", "alt"}:
            raise Invalid("part:value.gallery", "field.gallery")
        result.append({"file": image(item["file"], cfg, doc), "alt": text(item["alt"], cfg, doc)})
    return tuple(result)


def image(value: Any, cfg: Config, doc: Document) -> str:
    name = file(value, cfg, doc)
    if not images.is_raster(name):
        raise Invalid("part:value.photo", "field.image", name=name)
    return name


def records(value: Any, _cfg: Config, _doc: Document) -> list:
    """A YAML list of records; `records.typed` checks each one at its own lines."""
    if not isinstance(value, list) or not value:
        raise Invalid("part:value.list")
    return value


def vocab(name: str, many: bool) -> Callable[[Any, Config, Document], Any]:
    def convert(value: Any, cfg: Config, doc: Document) -> Any:
        terms = cfg.vocabularies[name]
        items = texts(value, cfg, doc) if many else (text(value, cfg, doc),)
        for item in items:
            if item not in terms:
                raise Invalid("part:value.choice", "field.vocabulary", value=item, options=", ".join(terms),
                              hint=did_you_mean(item, terms))
        return tuple(dict.fromkeys(items)) if many else items[0]
    convert.vocabulary, convert.many = name, many  # type: ignore[attr-defined]  # the editor makes a select list of it (publish/admin.py)
    return convert


def choice(options: tuple[str, ...]) -> Callable[[Any, Config, Document], str]:
    def convert(value: Any, cfg: Config, doc: Document) -> str:
        written = text(value, cfg, doc)
        if written not in options:
            raise Invalid("part:value.choice", "field.choice", value=written, options=", ".join(options),
                          hint=did_you_mean(written, options))
        return written
    convert.options = options  # type: ignore[attr-defined]  # the editor makes a select list of it (publish/admin.py)
    return convert


def slug(value: Any, cfg: Config, doc: Document) -> str:
    written = text(value, cfg, doc)
    problem = slug_problem(written)
    if problem:
        raise Invalid("part:value.slug", "entry.slug", problem=problem)
    return written
