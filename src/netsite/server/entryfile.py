"""The text of an entry the editor saves: the form's values, and what of the old file the form never showed.

The editor sends the whole file as its YAML library writes it, which loses comments (the scaffolds'
commented-out keys, an author's notes). So an existing file is edited, not replaced: each top-level
key whose value the form left as it was keeps its lines exactly (comments included), a changed
value gets new lines (a one-line value keeps its end-of-line comment), a key the form cleared goes,
a new key goes at the end of the front matter, and comment lines between keys stay where they
were. What is lost anyway (a comment inside a multi-line value that changed) is named in
`Merged.dropped`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import yaml

from netsite.content.frontmatter import split

_KEY_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:")
_TRAILING_COMMENT = re.compile(r"\s#\s")
_GONE = object()


@dataclass(frozen=True, slots=True)
class Merged:
    text: str
    dropped: tuple[str, ...] = ()
    """Keys whose end-of-line comment could not be kept, their value having changed."""


@dataclass(frozen=True, slots=True)
class _Block:
    key: str | None
    """None for comment and blank lines between keys."""
    lines: tuple[str, ...]


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """The form's values less the empty ones: an empty optional field, or a toggle left off (`draft`,
    `all_day`: false is their default), means no key at all."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {}) and value is not False}


def plain(value: Any) -> Any:
    """A value as the editor sees it: dates as text, so that '2026-12-03' equals date(2026, 12, 3)."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes") if value.second == 0 else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def dump(key: str, value: Any) -> list[str]:
    text = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=100,
                          default_flow_style=False)
    return text.rstrip("\n").split("\n")


def compose(data: dict[str, Any], body: str) -> str:
    """A new file: `---`, one key after another, `---`, the Markdown."""
    lines = [line for key, value in data.items() for line in dump(key, value)]
    return "---\n" + "\n".join(lines) + "\n---\n" + body.lstrip("\n")


def _blocks(yaml_text: str) -> list[_Block]:
    blocks: list[_Block] = []
    for line in yaml_text.split("\n"):
        match = _KEY_RE.match(line)
        if match:
            blocks.append(_Block(match.group(1), (line,)))
        elif (line.startswith((" ", "\t", "-")) and blocks and blocks[-1].key is not None):
            blocks[-1] = _Block(blocks[-1].key, (*blocks[-1].lines, line))
        else:
            blocks.append(_Block(None, (line,)))
    return blocks


def _value(block: _Block) -> Any:
    try:
        loaded = yaml.safe_load("\n".join(block.lines))
    except yaml.YAMLError:
        return object()  # never equal: the block is written anew
    return plain(loaded.get(block.key)) if isinstance(loaded, dict) else object()


def _comment(line: str) -> str | None:
    """The end-of-line comment of a one-line `key: value`, spaces before it included, or None."""
    try:
        whole = yaml.safe_load(line)
    except yaml.YAMLError:
        return None
    for match in _TRAILING_COMMENT.finditer(line):
        start = len(line[:match.start()].rstrip())
        try:
            if yaml.safe_load(line[:start]) == whole:  # a '#' inside quotes would change the value
                return line[start:]
        except yaml.YAMLError:
            continue
    return None


def merge(old: str, data: dict[str, Any], body: str) -> Merged:
    """The old file's text with the front matter `data` and the Markdown `body` the editor sent."""
    yaml_text, _old_body, _line = split(old)
    lines: list[str] = []
    dropped: list[str] = []
    seen: set[str] = set()
    for block in _blocks(yaml_text):
        if block.key is None:
            lines.extend(block.lines)
            continue
        seen.add(block.key)
        old_value = _value(block)
        # a key the form left empty is gone, but `draft: false` stays as written (`clean` drops false)
        new_value = data.get(block.key, False if old_value is False else _GONE)
        if new_value is _GONE:
            continue
        if old_value == plain(new_value):
            lines.extend(block.lines)
            continue
        new_lines = dump(block.key, new_value)
        comment = _comment(block.lines[0]) if len(block.lines) == 1 == len(new_lines) else None
        if comment:
            new_lines = [new_lines[0] + comment]
        elif any(_TRAILING_COMMENT.search(line) for line in block.lines):
            dropped.append(block.key)
        lines.extend(new_lines)
    while lines and not lines[-1].strip():
        lines.pop()
    lines.extend(line for key, value in data.items() if key not in seen for line in dump(key, value))
    return Merged("---\n" + "\n".join(lines) + "\n---\n" + body.lstrip("\n"), tuple(dropped))
