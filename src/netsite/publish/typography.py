"""Russian typesetting rules applied to the text of rendered pages: no line breaks where a reader
would stumble (issue 14).

The rule set (after Мильчин, «Справочник издателя и автора», and the typograf.ru rules) joins with
a non-breaking space: «№»/«§» and the number after; a number and «г.»/«гг.»; an abbreviation of a
place or a name («г.», «ул.», «им.») and the word after; initials with each other and with the
surname after; a word and the dash after it. Only text between tags changes, never markup,
attributes (URLs) or the contents of <pre>, <code>, <script>, <style>, <textarea> and <svg> (charts.py
wraps its labels itself), and never the
<head>: titles and descriptions stay as written for feeds and search engines.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyphen

NBSP = "\u00a0"
_SKIP = re.compile(r"(<!--.*?-->|<(pre|code|script|style|textarea|svg)\b.*?</\2\s*>|<[^>]*>)", re.S | re.I)
_SPACE = r"[ \t\n\u00a0]+"
RULES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(rf"([№§]){_SPACE}(?=\S)"), rf"\1{NBSP}"),
    (re.compile(rf"(\d){_SPACE}(гг?\.)"), rf"\1{NBSP}\2"),
    # `\b(?=[гупиодр])` first: the lookbehinds run only where an abbreviation may start (2× faster)
    (re.compile(rf"\b(?=[гупиодр])(?<![\d{NBSP}])(?<!\d )(г|гор|ул|пр|просп|пер|пос|им|д|обл|р-н)\.{_SPACE}(?=\S)"),
     rf"\1.{NBSP}"),
    (re.compile(rf"\b([А-ЯЁA-Z])\.{_SPACE}(?=[А-ЯЁA-Z])"), rf"\1.{NBSP}"),
    (re.compile(rf"([а-яё]){_SPACE}(?=[А-ЯЁ]\.{NBSP}?[А-ЯЁ]\.)"), rf"\1{NBSP}"),
    (re.compile(r"(\S)[ \t\n]+([—–])(?=[ \t\n])"), rf"\1{NBSP}\2"),
)

_NEEDS = ("№§", None, None, None, None, "—–")
"""Characters without which a rule cannot match (a cheap test before its regex scans the run)."""

_WORTH = re.compile(r"[№§—–.]|[а-яёА-ЯЁ]{12}")
"""A run that none of the rules can change has none of these."""
SHY = "\u00ad"
LONG = re.compile(r"[а-яёА-ЯЁ]{12,}")
"""Words this long may not fit a phone's line: they get soft hyphens (Chromium has no Russian
hyphenation patterns on Linux, so CSS `hyphens: auto` leaves «трансформируемость» whole)."""
_DICTIONARY = pyphen.Pyphen(lang="ru_RU", left=3, right=3)


@lru_cache(maxsize=65536)
def hyphenate(word: str) -> str:
    """The word with a soft hyphen at each break the Russian TeX patterns (via Pyphen) allow."""
    return _DICTIONARY.inserted(word, hyphen=SHY)


def text(value: str) -> str:
    """One run of text with every rule applied."""
    if not _WORTH.search(value):  # most runs between tags are indentation: nothing to do
        return value
    return _typeset(value)


def _typeset(value: str) -> str:
    # Short runs repeat from page to page (menus, footers, titles in lists): each is typeset
    # once; a paragraph of a body is met once, and is not kept.
    return _short(value) if len(value) <= SHORT else _rules(value)


SHORT = 200


@lru_cache(maxsize=16384)
def _short(value: str) -> str:
    return _rules(value)


def _rules(value: str) -> str:
    for (pattern, replacement), needs in zip(RULES, _NEEDS):
        if needs is None or any(c in value for c in needs):
            value = pattern.sub(replacement, value)
    return LONG.sub(lambda m: hyphenate(m.group(0)), value)


def page(html: str) -> str:
    """The text of the page's <body> with the rules applied; markup and code as they were."""
    start = html.find("<body")
    if start < 0:
        return html
    # re.split with two groups yields: text, whole match, inner tag name (or None), text, ...
    parts = _SKIP.split(html[start:])
    worth = _WORTH.search
    parts[0::3] = [_typeset(run) if worth(run) else run for run in parts[0::3]]
    parts[2::3] = [""] * (len(parts) // 3)
    return html[:start] + "".join(parts)
