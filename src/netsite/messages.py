"""Diagnostic messages in the site's language: the English text at each call site, translated where shown.

Design: every call site keeps its English message (one source of truth, read by developers and
matched by tests); `messages_ru.CATALOGUE` maps each code to (English pattern → Russian template)
rules. Translation happens only where a diagnostic is shown (cli.py, the dev server's overlay),
so the pipeline, the cache and every test that compares English text are unchanged, and a
message without a rule falls back to its English rather than to nothing.

Patterns are matched whole (`fullmatch`). A named group is copied into the template unchanged,
so paths, slugs, values and key names come through as the author wrote them, except for groups
whose name starts with one of `messages_ru.GROUPS` (such as `clause`, `hint`, `detail`): those
are fragments of English made elsewhere (a value's problem, a "did you mean" hint) and are
translated by that table in turn. A template writes `{name}` for a group, `{n|one|few|many}`
for a noun after the number `n` in the Russian plural form Babel's CLDR rules choose, and
`{{`/`}}` for literal braces.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Mapping

from babel import Locale

from netsite.diagnostics import Diagnostic

LANGUAGES = ("ru", "en")
DEFAULT = "ru"
ENVIRONMENT = "NETSITE_MESSAGES"
"""The environment variable that overrides the site's language for messages (developers, tests)."""


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
    """`diagnostic` with its message in `language`; the place, severity and code stay as they are."""
    if language != "ru":
        return diagnostic
    text = translate(diagnostic.message, diagnostic.code)
    return diagnostic if text is None else dataclasses.replace(diagnostic, message=text)


def localize_all(diagnostics: Iterable[Diagnostic], language: str) -> list[Diagnostic]:
    return [localized(d, language) for d in diagnostics]


def translate(message: str, code: str) -> str | None:
    """The Russian text of the English `message` of `code`, or None when no rule matches it all."""
    from netsite.messages_ru import CATALOGUE

    message = " ".join(message.split())
    return _apply(CATALOGUE.get(code, ()), message)


def _apply(rules, text: str) -> str | None:
    for pattern, template in rules:
        match = pattern.fullmatch(text)
        if match:
            values = {}
            for name, value in match.groupdict().items():
                value = value or ""
                table = _table_of(name)
                if table is not None and value:
                    translated = _apply(table, value)
                    if translated is None:
                        if not name.startswith("detail"):
                            break  # a fragment without a rule: the whole message stays English
                        translated = value  # a third-party detail (Python, PyYAML, the OS) is kept as is
                    value = translated
                values[name] = value
            else:
                return render(template, values)
    return None


def _table_of(group: str):
    from netsite.messages_ru import GROUPS

    for prefix, table in GROUPS.items():
        if group.startswith(prefix):
            return table
    return None


_TOKEN = re.compile(r"\{(\w+)(?:\|([^{}]*))?\}")


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill `{name}` and `{n|one|few|many}` in `template`; `{{` and `}}` are literal braces."""
    text = template.replace("{{", "\x00").replace("}}", "\x01")

    def fill(match: re.Match) -> str:
        value = values[match.group(1)]
        if match.group(2) is None:
            return value
        return plural(value, match.group(2).split("|"))

    return _TOKEN.sub(fill, text).replace("\x00", "{").replace("\x01", "}")


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
