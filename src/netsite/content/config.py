"""`netsite.yaml` → a frozen `Config`; every key is validated at its line, unknown keys get a hint."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from netsite.content import vocabularies
from netsite.content.frontmatter import FrontMatterError, load_mapping
from netsite.content.urls import url_problem
from netsite.diagnostics import Diagnostic, NetsiteError, did_you_mean, error, error_of
from netsite.messages import Message, MessageError, message

CONFIG_NAME = "netsite.yaml"
LANGUAGES = ("ru", "en")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class Config:
    root: Path
    """The site folder: the one holding netsite.yaml and content/."""
    title: str
    base_url: str
    """Absolute, always ending in '/'."""
    timezone: str
    description: str = ""
    language: str = "ru"
    theme: str = "default"
    output_dir: str = "public"
    paginate: int = 10
    feed_length: int | None = 30
    """Items per feed, the newest; None (`feed_length: all`): the full archive."""
    feed_full_content: bool = True
    vocabularies: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    menu: tuple[tuple[str, str], ...] = ()
    """Extra menu items (label, url) after the pages with `menu:`."""
    search: bool = True
    """Index the built site with Pagefind (a /search/ page and a search box)."""
    map_tiles: str = ""
    """Tile URL template (https://…/{z}/{x}/{y}.png) for the institutions map; empty: no map."""
    map_attribution: str = ""
    editor: tuple[tuple[str, str], ...] = ()
    """The browser editor on the published site (/admin/): backend, repo, branch… as (key, value), sorted;
    empty: no /admin/ is published (`netsite serve` offers its local one regardless)."""

    @property
    def base_path(self) -> str:
        """The path part of base_url: '/' or '/net/'."""
        return urlsplit(self.base_url).path or "/"

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def output_path(self) -> Path:
        return (self.root / self.output_dir).resolve()

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise MessageError("part:value.non-empty")
    return value.strip()


def _base_url(value: Any) -> str:
    text = _text(value)
    try:
        parts = urlsplit(text)
    except ValueError:  # such as an unclosed '[' of an IPv6 address
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise MessageError("part:value.base-url", example="https://net.example.org/")
    if parts.query or parts.fragment:
        raise MessageError("part:value.query")
    return text if text.endswith("/") else text + "/"


def _timezone(value: Any) -> str:
    text = _text(value)
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(text, zoneinfo.available_timezones())
        raise MessageError("part:value.time", problem=message("event.timezone", value=text, hint=hint)) from None
    return text


def _language(value: Any) -> str:
    text = _text(value)
    if text not in LANGUAGES:
        raise MessageError("part:value.one-of", options=", ".join(LANGUAGES), hint=did_you_mean(text, LANGUAGES))
    return text


def _segment(value: Any) -> str:
    text = _text(value)
    if "/" in text or "\\" in text or text in (".", "..") or text.startswith("."):
        raise MessageError("part:value.folder")
    return text


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or value > 1000:
        raise MessageError("part:value.int-range")
    return value


def _feed_length(value: Any) -> int | None:
    """1–1000 newest items, or `all` (Hugo's `-1` too): every item, for readers who archive a feed."""
    if value == "all" or (value == -1 and not isinstance(value, bool)):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or value > 1000:
        raise MessageError("part:value.feed-length")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise MessageError("part:value.bool")
    return value


def _menu(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list):
        raise MessageError("part:value.menu")
    items = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"label", "url"}:
            raise MessageError("part:value.menu-item")
        url = _text(item["url"])
        problem = url_problem(url)
        if problem:
            raise MessageError("part:value.menu-url", url=url, problem=problem)
        items.append((_text(item["label"]), url))
    return tuple(items)


def _vocabularies(value: Any) -> dict:
    """`vocabularies: {audience: {id: label}}` adds or relabels; `{replace: true, ...}` replaces."""
    if not isinstance(value, dict):
        raise MessageError("part:value.vocabularies")
    result = {}
    for name, terms in value.items():
        if name not in vocabularies.NAMES:
            raise MessageError("part:value.vocabulary-unknown", name=name, hint=did_you_mean(name, vocabularies.NAMES))
        if not isinstance(terms, dict) or not terms:
            raise MessageError("part:value.vocabulary-map", name=name)
        for term_id, label in terms.items():
            if term_id == "replace":
                if not isinstance(label, bool):
                    raise MessageError("part:value.replace")
                continue
            if not isinstance(term_id, str) or not _ID_RE.match(term_id):
                raise MessageError("part:value.vocabulary-id", id=str(term_id))
            _text(label)
        result[name] = terms
    return result


def _map_tiles(value: Any) -> str:
    """A tile server is a third-party host: only an explicit https template with {z}, {x}, {y}."""
    text = _text(value)
    if not text.startswith("https://") or not all(p in text for p in ("{z}", "{x}", "{y}")):
        raise MessageError("part:value.tiles", example="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    unknown = set(re.findall(r"{([^}]*)}", text)) - {"z", "x", "y", "s"}
    if unknown or text.count("{") != text.count("}"):
        raise MessageError("part:value.tile-braces")
    return text


EDITOR_BACKENDS = ("gitlab", "gitea", "forgejo", "github")
EDITOR_NEEDS = {"gitlab": ("app_id",), "gitea": ("app_id", "base_url", "api_root"),
                "forgejo": ("app_id", "base_url", "api_root"), "github": ("base_url",)}
"""What each backend needs besides backend and repo: without them Decap CMS falls back to a public
host (gitlab.com is fine; try.gitea.io and Netlify's OAuth service are not the network's)."""
EDITOR_KEYS = ("backend", "repo", "branch", "app_id", "base_url", "api_root", "auth_endpoint")
_REPO_RE = re.compile(r"^[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+$")


def _editor(value: Any) -> tuple[tuple[str, str], ...]:
    """`editor: {backend: gitlab, repo: group/site, branch: main, app_id: …, base_url: https://…}`."""
    if not isinstance(value, dict):
        raise MessageError("part:value.editor", example="backend: gitlab, repo: group/site, branch: main")
    for key in value:
        if key not in EDITOR_KEYS:
            raise MessageError("part:value.editor-key", name=str(key), hint=did_you_mean(str(key), EDITOR_KEYS))
    for key in ("backend", "repo"):
        if key not in value:
            raise MessageError("part:value.editor-needs", name=key)
    result = {key: _text(item) for key, item in value.items()}
    if result["backend"] not in EDITOR_BACKENDS:
        raise MessageError("part:value.editor-backend", options=", ".join(EDITOR_BACKENDS),
                           hint=did_you_mean(result["backend"], EDITOR_BACKENDS))
    for key in EDITOR_NEEDS[result["backend"]]:
        if key not in result:
            raise MessageError("part:value.editor-needs", name=key)
    if not _REPO_RE.match(result["repo"]):
        raise MessageError("part:value.editor-repo", example="group/site")
    for key in ("base_url", "api_root", "auth_endpoint"):
        if key in result and key != "auth_endpoint" and not result[key].startswith("https://"):
            raise MessageError("part:value.editor-https", name=key)
    result.setdefault("branch", "main")
    return tuple(sorted(result.items()))


# key → (validator, Config field); the one table of what netsite.yaml may hold.
KEYS: dict[str, Callable[[Any], Any]] = {
    "title": _text,
    "description": lambda v: "" if v is None else _text(v),
    "base_url": _base_url,
    "language": _language,
    "timezone": _timezone,
    "theme": _segment,
    "output_dir": _text,
    "paginate": _positive_int,
    "feed_length": _feed_length,
    "feed_full_content": _bool,
    "vocabularies": _vocabularies,
    "menu": _menu,
    "search": _bool,
    "map_tiles": _map_tiles,
    "map_attribution": _text,
    "editor": _editor,
}
REQUIRED = ("title", "base_url", "timezone")


def load(root: Path) -> Config:
    """Load `root/netsite.yaml`; raises NetsiteError (exit code 2) with every problem found."""
    path = root / CONFIG_NAME
    shown = CONFIG_NAME
    if not path.is_file():
        raise NetsiteError([error(str(path), None, "config.missing")], 2)
    try:
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        parsed = load_mapping(text, CONFIG_NAME)
    except UnicodeDecodeError:
        raise NetsiteError([error(shown, None, "config.encoding")], 2) from None
    except FrontMatterError as exc:
        code = exc.code.replace("frontmatter.", "config.")  # the same problems, counted as the configuration's
        problem = message(f"{code}:yaml", problem=exc.message) if code != exc.code else exc.message
        raise NetsiteError([error_of(shown, exc.line, problem)], 2) from None
    return from_mapping(root, parsed.data, parsed.lines, shown)


def from_mapping(root: Path, data: dict, lines: dict, shown: str = CONFIG_NAME) -> Config:
    problems: list[Diagnostic] = []
    values: dict[str, Any] = {}
    for key, raw in data.items():
        line = lines.get(key)
        if key not in KEYS:
            problems.append(error(shown, line, "config.key", key=key, hint=did_you_mean(key, KEYS)))
            continue
        try:
            values[key] = KEYS[key](raw)
        except MessageError as exc:
            problems.append(error(shown, line, "config.value", problem=exc.message.having(key=key)))
    for key in REQUIRED:
        if key not in data:
            problems.append(error(shown, 1, "config.required", key=key))
    if problems:
        raise NetsiteError(problems, 2)
    language = values.get("language", "ru")
    values["vocabularies"] = _merge_vocabularies(language, values.get("vocabularies", {}))
    config = Config(root=root, **values)
    _check_output_dir(config, shown, lines.get("output_dir"))
    return config


def _merge_vocabularies(language: str, overrides: dict) -> Mapping[str, Mapping[str, str]]:
    merged = {}
    for name, labels in vocabularies.defaults(language).items():
        given = overrides.get(name, {})
        base = {} if given.get("replace") else dict(labels)
        base.update({k: v.strip() for k, v in given.items() if k != "replace"})
        merged[name] = MappingProxyType(base)
    return MappingProxyType(merged)


def _check_output_dir(config: Config, shown: str, line: int | None) -> None:
    """Refuse an output folder whose replacement would destroy sources or more."""
    out = config.output_path
    root = config.root.resolve()
    dangerous = {Path(out.anchor), Path.home().resolve(), root, root.parent, config.content_dir.resolve(),
                 (root / "themes").resolve()}
    inside = [(root / name).resolve() for name in ("content", "themes", ".git", CONFIG_NAME)]
    problem = _output_problem(out)
    given = config.root / config.output_dir
    steps = [given] + [p for p in given.parents if p.is_relative_to(config.root) and p != config.root]
    if any(p.is_symlink() for p in steps):
        problem = message("part:output.symlink")
    if out in dangerous or root.is_relative_to(out) or any(out.is_relative_to(p) for p in inside) or problem:
        raise NetsiteError([error(shown, line, "config.output_dir", example="public", value=config.output_dir,
                                  problem=problem)], 2)


def _output_problem(out: Path) -> Message | str:
    # The build replaces the whole folder, so it must be empty or a site netsite built before.
    if not out.exists() and not out.is_symlink():
        return ""
    if out.is_symlink() or not out.is_dir():
        return message("part:output.file")
    if any(out.iterdir()) and not (out / "index.html").is_file():
        return message("part:output.not-a-site")
    return ""
