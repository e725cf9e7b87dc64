"""`netsite new`: a new draft of each kind, from the templates in `scaffolds/`.

The templates are `string.Template` text, not Jinja: they fill in the title, the dates, the month
and the institutions line, and nothing else. Every template is a draft (`draft: true`), so an
untouched one never reaches the site, and its body is instructions that `leftovers` reports until
they are replaced. Kinds that take photos or files are written as a folder with `index.md`, where
those files go. A file is created with mode "x", so an existing file is never overwritten, even in a race.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from string import Template

from netsite.content import schema, sources
from netsite.content.config import Config
from netsite.content.frontmatter import FrontMatterError, load_mapping
from netsite.content.urls import RESERVED_PAGE_SLUGS, make_slug, slug_from_filename, slug_problem
from netsite.diagnostics import Diagnostic, NetsiteError, did_you_mean, error, error_of, warning
from netsite.messages import Value, message

SCAFFOLDS = Path(__file__).resolve().parent / "scaffolds"
KINDS = tuple(sorted(p.stem for p in SCAFFOLDS.glob("*.md")))
"""The kinds `netsite new` can write: one template each."""
DATED = ("news", "practices", "meetings")
"""Kinds whose file name starts with the date: content/news/2026-12-03-<slug>.md."""
BUNDLED = ("agreements", "events", "institutions", "news", "practices")
"""Kinds that take photos or files (image, gallery, attachments, logo): a folder <name>/index.md holds them."""
MEMBERS = {"practices": ("institution", 1), "news": ("institution", 0), "events": ("organizers", 0),
           "agreements": ("parties", 2), "meetings": ("participants", 1), "projects": ("participants", 1)}
"""Kind → the key naming its institutions, and how many it needs at least."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A file to create: its site-relative path, its text and the slug it will have."""

    path: str
    text: str
    slug: str


def file_name(kind: str, slug: str, day: date) -> str:
    """'2026-12-03-slug.md', 'slug.md', or for a kind with files the folder: '2026-12-03-slug/index.md'."""
    name = f"{day.isoformat()}-{slug}" if kind in DATED else slug
    return f"{name}/index.md" if kind in BUNDLED else f"{name}.md"


def yaml_text(text: str) -> str:
    """`text` as a YAML scalar: plain when it reads back the same, else double-quoted."""
    try:
        if load_mapping(f"value: {text}\n", "title").data == {"value": text}:
            return text
    except FrontMatterError:
        pass  # such as 'Семинар: итоги' — a colon would start a mapping: quote it
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def institution_line(kind: str, slugs: tuple[str, ...], example: str) -> str:
    """The template's institution line: set when given, else a commented example."""
    key = MEMBERS.get(kind, ("", 0))[0]
    if key == "institution" and len(slugs) > 1:
        return f"institutions: [{', '.join(slugs)}]"
    if slugs:
        return f"{key}: {slugs[0]}" if key == "institution" else f"{key}: [{', '.join(slugs)}]"
    shown = example if key == "institution" else f"[{example}]"
    return f"# {key}: {shown}   # учреждение (имя его папки или файла без .md)"


def compose(kind: str, title: str, day: date, institutions: tuple[str, ...] = (),
            example: str = "solnyshko", today: date | None = None, name: str | None = None) -> Draft:
    """The path and text of a new entry (pure: nothing is read or written).

    `day` is the entry's date (an event's start); an event's `date:`, its announcement, is `today`.
    `name` is the short name to use instead of the title's (`--slug`), transliterated the same way:
    an institution's full official name makes a long one, and entries name institutions by it.
    """
    slug = make_slug(name if name is not None else title)
    template = Template(_template(kind))
    announced = today or day if kind == "events" else day
    text = template.substitute(title=yaml_text(title), date=announced.isoformat(), start=day.isoformat(),
                               month=day.isoformat()[:7], institution_line=institution_line(kind, institutions, example))
    return Draft(f"content/{kind}/{file_name(kind, slug, day)}", text, slug)


def institution_slugs(root: Path, config: Config) -> list[str]:
    """Slugs of the institutions the site has now (their `slug:` overrides included)."""
    documents, _problems = sources.read_all(root, kinds=("institutions",))  # the other folders are skipped
    slugs = []
    for document in documents:
        if document.kind == "institutions":
            parsed, _found = schema.parse(document, config)
            slugs.append(parsed.entry.slug if parsed else slug_from_filename(document.stem))
    return sorted(slugs)


def choose_institutions(kind: str, given: tuple[str, ...], known: list[str]) -> tuple[str, ...]:
    """The institutions to write: those given (each must exist), or the only one when one is needed."""
    for slug in given:
        if slug not in known:
            raise _fail("new.institution:unknown", slug=slug, folder="content/institutions/",
                        hint=did_you_mean(slug, known))
    needed = MEMBERS.get(kind, ("", 0))[1]
    if len(set(given)) >= needed:
        return tuple(dict.fromkeys(given))
    if needed == 1 and len(known) == 1:
        return (known[0],)
    if not known:
        raise _fail("new.institution:none", kind=kind, command='netsite new institutions "Полное название"')
    repeat = " ".join(f"--institution {slug}" for slug in known[:needed])
    raise _fail("new.institution:two" if needed > 1 else "new.institution", kind=kind, repeat=repeat,
                known=", ".join(known))


def check_free(root: Path, kind: str, draft: Draft) -> None:
    """Refuse a slug that another entry of the kind already has, or that the site reserves."""
    slug = draft.slug
    problem = slug_problem(slug) if slug else message("part:slug.empty")
    if problem:
        raise _fail("new.slug", slug=slug, problem=problem)
    if kind == "pages" and slug in RESERVED_PAGE_SLUGS:
        raise _fail("new.slug:reserved", slug=slug)
    folder = root / "content" / kind
    for item in sorted(folder.iterdir()) if folder.is_dir() else ():
        if not sources.is_junk(item.name) and slug_from_filename(item.stem if item.is_file() else item.name) == slug:
            raise _fail("new.exists", draft.path, path=sources.shown_path(root, item), slug=slug)


def create(root: Path, config: Config, kind: str, title: str, day: date, institutions: tuple[str, ...] = (),
           today: date | None = None, name: str | None = None) -> Path:
    """Write the new entry and return its path; never overwrites anything."""
    title = " ".join(title.split())
    if not title:
        raise _fail("new.title")
    known = institution_slugs(root, config) if kind in MEMBERS else []
    chosen = choose_institutions(kind, institutions, known)
    draft = compose(kind, title, day, chosen, example=known[0] if known else "solnyshko", today=today, name=name)
    check_free(root, kind, draft)
    path = root.joinpath(*draft.path.split("/"))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(draft.text)
    except FileExistsError:
        raise _fail("new.exists:file", draft.path) from None
    return path


def _template(kind: str) -> str:
    return (SCAFFOLDS / f"{kind}.md").read_text(encoding="utf-8")


@cache  # read once per kind: a build asks for every entry (10,000 reads of a 10k site)
def placeholders(kind: str) -> frozenset[str]:
    """The template's instruction lines in the body (headings are kept by authors, so not these)."""
    body = _template(kind).split("\n---\n", 1)[1]
    return frozenset(line.strip() for line in body.splitlines() if line.strip() and not line.startswith("#"))


def leftovers(parsed: schema.Parsed) -> list[Diagnostic]:
    """A line of the body still as `netsite new` wrote it: a warning in a draft, an error once published."""
    entry = parsed.entry
    if entry.kind not in KINDS:
        return []
    known = placeholders(entry.kind)
    for number, line in enumerate(parsed.markdown.splitlines()):
        if line.strip() in known:
            line_number = parsed.body_line + number
            if entry.draft:
                return [warning(entry.source, line_number, "content.placeholder:draft", text=line.strip())]
            return [error(entry.source, line_number, "content.placeholder", text=line.strip())]
    return []


def _fail(key: str, where: str = "netsite new", /, **values: Value) -> NetsiteError:
    return NetsiteError([error_of(where, None, message(key, **values))], 1)
