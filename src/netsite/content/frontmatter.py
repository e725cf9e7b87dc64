"""Front matter: splitting the `---` block and strict YAML that keeps each key's line.

The YAML rules are stricter than PyYAML's defaults, on purpose: authors are not programmers, and
YAML 1.1 surprises (`no` as false, `12:30` as 750, `2026-12-03` as a date object) and features
that only attackers need (aliases, tags, `!!python/...`) have no place in front matter. We compose
the node tree with PyYAML (the C parser when present) and build values ourselves, so every value
keeps its line and nothing but str, int, float, bool, None, list and dict can ever be created.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import nodes

from netsite.messages import Message, MessageError, Value, message

MAX_DEPTH = 20
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_INT_DIGITS = 30

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Control characters other than tab and newline, C1 controls, the bidi controls of "Trojan Source"
# (CVE-2021-42574) and the noncharacters XML forbids. sources refuses them in the file itself;
# here they are refused once more after YAML's escapes ("\x00", "\u202e") have been decoded.
FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"

# YAML 1.2 core schema, the subset that is never surprising.
_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT_RE = re.compile(r"^[-+]?[0-9]+$")
_FLOAT_RE = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")


class FrontMatterError(MessageError):
    """A problem with front matter; `line` is 1-based within the whole file."""

    def __init__(self, key: str, line: int | None, /, **values: Value):
        super().__init__(key, **values)
        self.line = line


# PyYAML's own words for the commonest mistakes, shown through the catalogue; others as PyYAML wrote them.
_YAML_WORDS = tuple((re.compile(pattern), key) for pattern, key in (
    (r"mapping values are not allowed here", "part:yaml.mapping"),
    (r"mapping values are not allowed in this context", "part:yaml.mapping-context"),
    (r"found character '\\t' that cannot start any token", "part:yaml.tab-token"),
    (r"found character '(?P<char>.*)' that cannot start any token", "part:yaml.char-token"),
    (r"found unexpected end of stream", "part:yaml.end"),
    (r"expected ',' or '\]', but got '(?P<got>.*)'", "part:yaml.bracket"),
    (r"expected ',' or '\}', but got '(?P<got>.*)'", "part:yaml.brace"),
    (r"found character that cannot start any token", "part:yaml.token"),
    (r"did not find expected <document start>", "part:yaml.document-start"),
    (r"found undefined tag handle '(?P<tag>.*)'", "part:yaml.tag-handle"),
    (r"expected '<document start>', but found '(?P<got>.*)'", "part:yaml.after-directive"),
    (r"expected <block end>, but found '(?P<got>.*)'", "part:yaml.block-end"),
    (r"could not find expected ':'", "part:yaml.colon-missing"),
    (r"found unexpected ':'", "part:yaml.colon"),
    (r"found a tab character that violates indentation", "part:yaml.tab-indent"),
    (r"found unknown escape character(?: '.*')?", "part:yaml.escape"),  # libyaml names no character
    (r"found unexpected end of stream while scanning a quoted scalar", "part:yaml.quote"),
    # libyaml (CSafeLoader), used where installed, words these problems so:
    (r"did not find expected ',' or '\]'", "part:yaml.list-open"),
    (r"did not find expected ',' or '\}'", "part:yaml.braces-open"),
    (r"did not find expected key", "part:yaml.key"),
    (r"did not find expected '-' indicator", "part:yaml.dash"),
    (r"did not find expected node content", "part:yaml.node"),
    (r"did not find expected comment or line break", "part:yaml.line-break"),
    (r"did not find expected hexdecimal number", "part:yaml.hex"),  # its spelling; "C:\\Users" in "…"
    # and PyYAML's own scanner, where libyaml is not installed, so:
    (r"expected the node content, but found '.*'", "part:yaml.node"),
    (r"expected chomping or indentation indicators, but found '.*'", "part:yaml.line-break"),
    (r"expected escape sequence of \d+ hexadecimal numbers, but found '.*'", "part:yaml.hex"),
))
_WHAT = {"netsite.yaml": "part:what.config", "theme strings": "part:what.theme-strings", "file": "part:what.file"}


def yaml_problem(text: str) -> Message | str:
    """PyYAML's description of a problem: its catalogue entry when known, else as PyYAML wrote it."""
    for pattern, key in _YAML_WORDS:
        match = pattern.fullmatch(text)
        if match:
            return message(key, **match.groupdict())
    return text


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """Parsed front matter: plain values, and the 1-based file line of every key and list item.

    `lines` maps a top-level key to its line, `(key, index)` to a list item's line, and
    `(key, index, sub_key)` to the line of a key inside a list item that is a mapping.
    """

    data: dict[str, Any]
    lines: dict[Any, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    """The file line on which the Markdown body starts."""

    def line(self, key: Any, default: int = 1) -> int:
        return self.lines.get(key, default)


def split(text: str) -> tuple[str, str, int]:
    """Split text into (yaml, body, body_line). Raises FrontMatterError if there is no block."""
    if not text.startswith("---"):
        raise FrontMatterError("frontmatter.missing", 1)
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        raise FrontMatterError("frontmatter.missing:first-line", 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return yaml_text, body, index + 2
    raise FrontMatterError("frontmatter.unclosed", 1)


def parse(text: str) -> FrontMatter:
    """Parse a whole source file (already normalized to LF) into FrontMatter."""
    yaml_text, body, body_line = split(text)
    if len(yaml_text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise FrontMatterError("frontmatter.size", 2, n=MAX_FRONT_MATTER_BYTES // 1024)
    root = compose(yaml_text, line_offset=1)
    if root is None:
        raise FrontMatterError("frontmatter.empty", 2)
    if not isinstance(root, nodes.MappingNode):
        raise FrontMatterError("frontmatter.syntax:mapping", root.start_mark.line + 2)
    lines: dict[Any, int] = {}
    data = _mapping(root, 1, lines, depth=0, top=True)
    return FrontMatter(data, lines, body, body_line)


def load_mapping(yaml_text: str, what: str = "file") -> FrontMatter:
    """Parse a whole YAML file (such as netsite.yaml) that must be a mapping."""
    root = compose(yaml_text, line_offset=0)
    if root is None:
        return FrontMatter({}, {})
    if not isinstance(root, nodes.MappingNode):
        raise FrontMatterError("yaml.syntax", root.start_mark.line + 1, what=message(_WHAT.get(what, _WHAT["file"])))
    lines: dict[Any, int] = {}
    return FrontMatter(_mapping(root, 0, lines, depth=0, top=True), lines)


def compose(yaml_text: str, line_offset: int) -> nodes.Node | None:
    """Compose one YAML document, refusing aliases, anchors and multiple documents."""
    if _may_need_scan(yaml_text):
        _refuse_anchors(yaml_text, line_offset)
    try:
        return yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        if "nesting depth" in problem:  # libyaml ≥ 0.2.5 as bundled with PyYAML 6.0.4 has its own cap
            raise FrontMatterError("frontmatter.depth", line, n=MAX_DEPTH) from None
        detail = message("part:yaml.one-document") if "expected a single document" in str(exc) \
            else yaml_problem(problem)
        raise FrontMatterError("frontmatter.syntax", line, detail=detail, hint=_yaml_hint(problem)) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError("frontmatter.syntax", None, detail=str(exc), hint="") from None
    except RecursionError:
        raise FrontMatterError("frontmatter.depth:too-deep", None) from None


def _yaml_hint(problem: str) -> Message | str:
    if "mapping values are not allowed" in problem:
        return message("part:yaml-hint.quotes")
    if "found character '\\t'" in problem:
        return message("part:yaml-hint.tabs")
    return ""


def _may_need_scan(yaml_text: str) -> bool:
    """False only when the text can hold no anchor, no alias and no nesting deeper than MAX_DEPTH.

    Every nesting level needs a '[', a '{', a '- ' or one more column of indentation, so when
    their sum stays under the cap, the event pass (a third of the YAML time) can be skipped.
    """
    if "&" in yaml_text or "*" in yaml_text:
        return True
    indent = max((len(line) - len(line.lstrip(" ")) for line in yaml_text.split("\n")), default=0)
    levels = yaml_text.count("[") + yaml_text.count("{") + yaml_text.count("- ") + indent
    return levels >= MAX_DEPTH


def _refuse_anchors(yaml_text: str, line_offset: int) -> None:
    # The C composer resolves aliases before we can see them, and it recurses once per nesting
    # level (30 000 '[' overflow the C stack and kill the process), so aliases, anchors and deep
    # nesting are found on the event stream first: libyaml's parser is iterative, and one pass is
    # cheap next to the page render.
    depth = 0
    try:
        for event in yaml.parse(yaml_text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise FrontMatterError("frontmatter.alias", event.start_mark.line + 1 + line_offset)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise FrontMatterError("frontmatter.depth", event.start_mark.line + 1 + line_offset,
                                           n=MAX_DEPTH)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # compose() reports the syntax error (or libyaml's own depth cap) with its line


def _value(node: nodes.Node, offset: int, lines: dict, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise FrontMatterError("frontmatter.depth:too-deep", node.start_mark.line + 1 + offset)
    if isinstance(node, nodes.MappingNode):
        if node.tag != MAP:
            _bad_tag(node, offset)
        return _mapping(node, offset, {}, depth, top=False)
    if isinstance(node, nodes.SequenceNode):
        if node.tag != SEQ:
            _bad_tag(node, offset)
        return [_value(item, offset, lines, depth + 1) for item in node.value]
    return _scalar(node, offset)


def _mapping(node: nodes.MappingNode, offset: int, lines: dict, depth: int, top: bool) -> dict:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1 + offset
        if not isinstance(key_node, nodes.ScalarNode):
            raise FrontMatterError("frontmatter.key", line)
        key = _scalar(key_node, offset)
        if not isinstance(key, str):
            raise FrontMatterError("frontmatter.key:not-word", line, key=repr(key_node.value))
        if key in result:
            raise FrontMatterError("frontmatter.duplicate", line, key=key)
        result[key] = _value(value_node, offset, lines, depth + 1)
        if top:
            lines[key] = line
            if isinstance(value_node, nodes.SequenceNode):
                for index, item in enumerate(value_node.value):
                    lines[(key, index)] = item.start_mark.line + 1 + offset
                    if isinstance(item, nodes.MappingNode):  # records such as plan items
                        for sub_key, _ in item.value:
                            lines[(key, index, sub_key.value)] = sub_key.start_mark.line + 1 + offset
    return result


def _scalar(node: nodes.ScalarNode, offset: int) -> Any:
    value = node.value
    tag = node.tag
    bad = FORBIDDEN_CHARACTERS.search(value)
    if bad:
        raise FrontMatterError("frontmatter.character", node.start_mark.line + 1 + offset,
                               char=f"U+{ord(bad.group()):04X}")
    if node.style:  # quoted or block scalars are always strings
        if tag not in (STR, "!"):
            _bad_tag(node, offset)
        return value
    if tag == STR and node.value != "":
        # The resolver may have said str for a plain scalar; re-resolve with our 1.2 rules.
        pass
    elif tag not in (STR, INT, FLOAT, BOOL, NULL, "tag:yaml.org,2002:timestamp",
                     "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"):
        _bad_tag(node, offset)
    if _NULL_RE.match(value):
        return None
    if _BOOL_RE.match(value):
        return value.lower() == "true"
    if _INT_RE.match(value):
        if len(value) > MAX_INT_DIGITS:  # int() refuses over 4300 digits with a ValueError
            raise FrontMatterError("frontmatter.number", node.start_mark.line + 1 + offset, number=value[:20])
        return int(value)
    if _FLOAT_RE.match(value) and any(ch.isdigit() for ch in value):
        return float(value)
    return value


def _bad_tag(node: nodes.Node, offset: int) -> None:
    raise FrontMatterError("frontmatter.tag", node.start_mark.line + 1 + offset, tag=node.tag)
