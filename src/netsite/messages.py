"""Diagnostic messages: gettext catalogues keyed by the message's name, with named placeholders.

Design: a call site names its message and passes the values, `error(path, line, "event.dates:before",
later="end", earlier="start")`; the sentences live only in the catalogues
src/netsite/locale/<language>/LC_MESSAGES/netsite.po, English and Russian, which translators edit with
standard tools (Poedit, `msgfmt --check`). So a sentence and its translation are one entry each under
the same name and cannot silently drift apart: tests/test_messages.py checks that both catalogues
have the same names, the same placeholders and every name the sources use.

A name is `code` or `code:variant`: the part before ':' is the diagnostic code the message is shown
with, so the catalogue is also the registry of codes (`codes()`), which docs/oshibki.md and the tests
read. Names that start with `part:` are pieces of sentences that several codes share (a URL's
problem, a "did you mean" hint, a date's problem); a value that is itself a `Message` is put in its
place in the same language. A message with a count has gettext plural forms chosen by its `n` value
(Plural-Forms of the catalogue: one/other in English, one/few/many in Russian). Placeholders are
Python's `{name}`; `{{` and `}}` are literal braces.

The pipeline, the cache and the tests work with `Message` values; the text is made only where a
diagnostic is shown (`str(message)` is English), in the language chosen by `choose`.
"""

from __future__ import annotations

import dataclasses
import functools
import gettext
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from babel import Locale

if TYPE_CHECKING:
    from netsite.diagnostics import Diagnostic

LANGUAGES = ("ru", "en")
DEFAULT = "ru"
ENVIRONMENT = "NETSITE_MESSAGES"
"""The environment variable that overrides the site's language for messages (developers, tests)."""
LOCALE = Path(__file__).parent / "locale"
DOMAIN = "netsite"
PART = "part"
"""The family of names that are pieces of sentences, not messages of a code of their own."""
COUNT = "n"
"""The placeholder whose number chooses the plural form."""

Value = Union[str, int, "Message"]


@dataclass(frozen=True, slots=True)
class Message:
    """A message by name with its values; its text is looked up only when it is shown."""

    key: str
    values: tuple[tuple[str, Value], ...] = ()
    language: str = "en"

    @property
    def code(self) -> str:
        return self.key.partition(":")[0]

    def having(self, /, **values: Value) -> Message:
        """This message with more values, such as the key a value's problem is about."""
        return message(self.key, **{**dict(self.values), **values})

    def in_language(self, language: str) -> Message:
        return dataclasses.replace(self, language=language)

    def text(self, language: str | None = None) -> str:
        language = language or self.language
        values = {name: value.text(language) if isinstance(value, Message) else str(value)
                  for name, value in self.values}
        return _template(self.key, language, values.get(COUNT)).format_map(values)

    def __str__(self) -> str:
        return self.text()


def keys_of(value: Value) -> set[str]:
    """The names of a message and of every message among its values."""
    if not isinstance(value, Message):
        return set()
    return {value.key}.union(*(keys_of(item) for _, item in value.values))


def to_json(value: Value) -> Any:
    """A message (or one of its values) as JSON for the cache: its name and values, never its text."""
    if isinstance(value, Message):
        return {"key": value.key, "values": [[name, to_json(item)] for name, item in value.values]}
    return value


def from_json(value: Any) -> Value:
    if isinstance(value, dict):
        return message_from_json(value)
    return value


def message_from_json(value: dict) -> Message:
    return Message(value["key"], tuple((name, from_json(item)) for name, item in value["values"]))


class MessageError(ValueError):
    """A problem found deep inside a check, raised with its message for the caller to place."""

    def __init__(self, key: str, /, **values: Value):
        super().__init__(key)
        self.message = message(key, **values)

    @property
    def code(self) -> str:
        return self.message.code

    def __str__(self) -> str:
        return str(self.message)


def message(key: str, /, **values: Value) -> Message:
    """The message `key` with `values` (kept sorted, so that equal messages compare and cache equal)."""
    return Message(key, tuple(sorted(values.items())))


# Texts of Python, dateutil, Pillow and the operating system that authors meet most: these are
# not netsite's sentences, so they are recognised here and shown through their catalogue entries;
# any other such text is shown as it was written.
_THIRD_PARTY = tuple((re.compile(pattern), key) for pattern, key in (
    (r"day is out of range for month", "part:detail.day"),
    (r"month must be in 1\.\.12", "part:detail.month"),
    (r"hour must be in 0\.\.23", "part:detail.hour"),
    (r"minute must be in 0\.\.59", "part:detail.minute"),
    (r"second must be in 0\.\.59", "part:detail.second"),
    (r"year (?P<year>-?\d+) is out of range", "part:detail.year"),
    (r"Permission denied", "part:detail.permission"),
    (r"No such file or directory", "part:detail.no-file"),
    (r"Address already in use", "part:detail.in-use"),
    (r"Is a directory", "part:detail.directory"),
    (r"image file is truncated \((?P<n>\d+) bytes not processed\)", "part:detail.truncated-bytes"),
    (r"image file is truncated", "part:detail.truncated"),
    (r"unsupported property: (?P<part>.*)", "part:detail.property"),
    (r"invalid 'BYDAY': (?P<value>.*)", "part:detail.byday"),
    (r"invalid '(?P<part>[A-Z]+)': (?P<value>.*)", "part:detail.rrule-value"),
    (r"broken data stream when reading image file", "part:detail.stream"),
))


def third_party(text: str) -> Message | str:
    """A text of another program (Python, dateutil, Pillow, the OS): its catalogue entry when known, else as is."""
    for pattern, key in _THIRD_PARTY:
        match = pattern.fullmatch(text)
        if match:
            return message(key, **match.groupdict())
    return text


def _template(key: str, language: str, count: str | None) -> str:
    entry = catalogue(language).get(key) or catalogue("en")[key]
    if isinstance(entry, str):
        return entry
    return entry[plural_index(language, int(count or 0))]


def catalogue(language: str) -> Mapping[str, str | tuple[str, ...]]:
    """The entries of one language's catalogue: name → text, or name → plural forms."""
    return _load(language)[0]


def plural_index(language: str, number: int) -> int:
    """Which of the catalogue's plural forms goes with `number` (its own Plural-Forms rule)."""
    return _load(language)[1](number)


@functools.cache
def _load(language: str):
    from babel.messages.pofile import read_po  # only when a message is shown: most builds show none

    with (LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as file:
        po = read_po(file, locale=language, domain=DOMAIN)
    entries: dict[str, str | tuple[str, ...]] = {}
    for entry in po:
        if entry.id:
            key = str(entry.id[0] if isinstance(entry.id, (tuple, list)) else entry.id)
            text = entry.string
            entries[key] = tuple(text) if isinstance(text, (tuple, list)) else str(text or "")
    return entries, gettext.c2py(po.plural_expr)


def codes() -> frozenset[str]:
    """The registry of diagnostic codes: every code some English message is shown with."""
    return frozenset(key.partition(":")[0] for key in catalogue("en")) - {PART}


def choose(site_language: str | None, override: str | None = None) -> str:
    """The language of messages: a valid override, else the site's, else Russian (the default).

    `site_language` is None when netsite.yaml cannot be read; the override is the value of
    NETSITE_MESSAGES, passed in by the caller so that no environment is read here.
    """
    for candidate in ((override or "").strip().lower(), site_language):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT


def localized(diagnostic: Diagnostic, language: str) -> Diagnostic:
    """`diagnostic` shown in `language`; the place, severity, code and values stay as they are."""
    return dataclasses.replace(diagnostic, message=diagnostic.message.in_language(language))


def localize_all(diagnostics: Iterable[Diagnostic], language: str) -> list[Diagnostic]:
    return [localized(d, language) for d in diagnostics]


def plural(number: str, forms: list[str]) -> str:
    """The noun form for `number` (as written, such as '3' or '1.5') by the CLDR rules for Russian."""
    category = _russian_plural()(float(number) if "." in number else int(number))
    one, few, many = forms
    return {"one": one, "few": few, "many": many}.get(category, few)  # 'other' is fractions: 1,5 мегапикселя


@functools.cache
def _russian_plural():
    return Locale.parse("ru").plural_form


def counted(number: int, forms: tuple[str, str, str]) -> str:
    """'3 ошибки', '1 предупреждение', '5 ошибок': a number and its noun, for the summary lines."""
    return f"{number} {plural(str(number), list(forms))}"
