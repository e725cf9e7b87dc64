"""The one configured Markdown parser: markdown-it-py, Pygments, link rewriting and sanitizing.

Raw HTML is off in the parser, and the rendered HTML still goes through nh3 with an allowlist of
exactly what this renderer emits: two independent layers, so a bug in one is not an XSS.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from netsite.content import images
from netsite.content.urls import SAFE_SCHEMES, make_slug, url_problem
from netsite.diagnostics import Diagnostic, error, warning

MAX_HIGHLIGHT_BYTES = 64 * 1024
"""Longer code blocks are shown without colours: Pygments is slow on huge single lines."""
MAX_BODY_CHARS = 128 * 1024
"""A real body is a few KiB; this cap bounds the render time of any body to seconds."""
MAX_BLOCK_CHARS = 32 * 1024
"""Lines between two blank lines (a paragraph, a table, a list): markdown-it's inline parser is
worse than linear on some patterns ('![' or '[' repeated, '*_' runs), so a block is capped; see
bench/pathological.py for the figures."""
MAX_NESTING = 20
"""markdown-it's block depth limit: deeper lists or quotes would silently lose their text."""
_LANG_RE = re.compile(r"^[A-Za-z0-9_+#.-]{1,40}$")
WITHHELD = "!"
"""Starts a resolver's answer for an entry not published at this build; no URL starts so."""

_FORMATTER = HtmlFormatter(nowrap=True)
_ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "ul", "ol", "li", "blockquote", "pre",
    "code", "span", "em", "strong", "s", "table", "thead", "tbody", "tr", "th", "td", "hr", "br",
    "sup", "section", "input", "div",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class"},
    "img": {"src", "alt", "title", "loading"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": {"id", "class"}, "ul": {"class"}, "ol": {"start", "class"}, "sup": {"class", "id"},
    "section": {"class"}, "hr": {"class"}, "code": {"class"}, "pre": {"class"}, "span": {"class"},
    "div": {"class"}, "th": {"style"}, "td": {"style"},
    "input": {"type", "class", "disabled", "checked"},
}
# Words that name properties of window or document: an element id equal to one of them could
# shadow it for scripts (DOM clobbering), so such heading ids get a suffix.
_CLOBBER = frozenset({"location", "document", "window", "top", "self", "parent", "frames", "name",
                      "history", "navigator", "cookie", "domain", "forms", "images", "links",
                      "body", "head", "title", "status", "opener", "origin", "content", "main"})


@dataclass(frozen=True, slots=True)
class Context:
    """What rendering one document needs to know about the rest of the site."""

    source: str
    """The document's shown path, such as content/news/x.md."""
    body_line: int
    """The file line on which the body starts."""
    page_url: str
    """The public URL of the entry's page (base path included), ending in '/'."""
    assets: frozenset[str] = frozenset()
    """Names of files beside a bundle's index.md."""
    resolve: Callable[[str], str | None] = lambda target: None
    """Content source path → public page URL, None when there is no such entry, or WITHHELD and the
    reason when the entry exists but is not published at this build (pending.Withheld.mark)."""
    site_url: Callable[[str], str] = lambda path: path
    """Site path → public URL (puts the base path in front)."""


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    summary: str
    headings: tuple[tuple[int, str, str], ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    images: tuple[str, ...] = field(default=())
    """Public URLs of images used in the body."""
    assets: tuple[str, ...] = ()
    """Names of the bundle's files that the body shows or links to (only those are published)."""


def _highlight(code: str, lang: str, _attrs: str) -> str:
    if not lang or len(code) > MAX_HIGHLIGHT_BYTES:
        return ""
    try:
        lexer = get_lexer_by_name(lang.split()[0], stripnl=False)
    except ClassNotFound:
        return ""
    return pygments_highlight(code, lexer, _FORMATTER)


def make_parser() -> MarkdownIt:
    """CommonMark with tables, strikethrough, footnotes and task lists; raw HTML is text."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False,
                                   "highlight": _highlight, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(tasklists_plugin)
    md.validateLink = _valid_link  # type: ignore[method-assign]  # markdown-it-py's documented hook
    return md


def _valid_link(url: str) -> bool:
    # markdown-it passes the normalized (percent-encoded) URL; a refused one stays plain text.
    # '//host' is let through so that _rewrite_url tells the author to write https://.
    return url.startswith("//") or url_problem(url) is None


_PARSER = make_parser()


def render(text: str, ctx: Context) -> Rendered:
    """Markdown body → sanitized HTML, plain summary, headings and diagnostics."""
    too_big = _size_problem(text, ctx)
    if too_big:
        return Rendered("", "", diagnostics=(too_big,))
    env: dict = {}
    tokens = _PARSER.parse(text, env)
    problems: list[Diagnostic] = _guard_blocks(tokens, ctx)
    images: list[str] = []
    urls: list[str] = []
    headings = _heading_ids(tokens)
    for token in tokens:
        if token.type == "inline" and token.children:
            line = ctx.body_line + (token.map[0] if token.map else 0)
            _rewrite_inline(token.children, line, ctx, problems, images, urls)
    body = _PARSER.renderer.render(tokens, _PARSER.options, env)
    prefix = len(ctx.page_url)
    used = sorted({url[prefix:].split("#")[0] for url in urls if url.startswith(ctx.page_url)} & ctx.assets)
    return Rendered(sanitize(body), _summary(tokens), tuple(headings), tuple(problems), tuple(images),
                    tuple(used))


def _size_problem(text: str, ctx: Context) -> Diagnostic | None:
    """A body over the cap, or a block between blank lines over its cap (code fences are exempt)."""
    if len(text) > MAX_BODY_CHARS:
        return error(ctx.source, ctx.body_line, "markdown.size", n=MAX_BODY_CHARS // 1024)
    line = ctx.body_line
    for block in text.split("\n\n"):
        if len(block) > MAX_BLOCK_CHARS and not block.lstrip("\n").startswith(("```", "~~~")):
            return error(ctx.source, line + len(block) - len(block.lstrip("\n")), "markdown.size:block",
                         n=MAX_BLOCK_CHARS // 1024)
        line += block.count("\n") + 2
    return None


def _guard_blocks(tokens: list[Token], ctx: Context) -> list[Diagnostic]:
    """Fence languages become plain names; too deep nesting is an error, not lost text."""
    problems: list[Diagnostic] = []
    for token in tokens:
        if token.type == "fence":
            lang = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
            token.info = lang if _LANG_RE.match(lang) else ""
        if token.level >= MAX_NESTING - 1 and not problems:
            line = ctx.body_line + (token.map[0] if token.map else 0)
            problems.append(error(ctx.source, line, "markdown.nesting", n=MAX_NESTING // 2))
    return problems


def sanitize(fragment: str) -> str:
    return nh3.clean(fragment, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                     url_schemes=set(SAFE_SCHEMES), link_rel=None,
                     filter_style_properties={"text-align"})


def _heading_ids(tokens: list[Token]) -> list[tuple[int, str, str]]:
    """Stable ASCII ids for headings ('Цели проекта' → 'tseli-proekta'), unique within the page."""
    seen: dict[str, int] = {}
    headings = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        text = "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))
        base = make_slug(text) or "section"
        if base in _CLOBBER or base[0].isdigit():
            base = f"h-{base}"
        count = seen.get(base, 0)
        seen[base] = count + 1
        anchor = base if count == 0 else f"{base}-{count}"
        token.attrSet("id", anchor)
        headings.append((int(token.tag[1]), anchor, text))
    return headings


def _rewrite_inline(children: list[Token], line: int, ctx: Context, problems: list, images: list,
                    urls: list) -> None:
    unlinked = False
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "link_open":
            href = _rewrite_url(str(child.attrGet("href") or ""), line, ctx, problems)
            unlinked = href.startswith(WITHHELD)
            if unlinked:  # its text stays, without a link, until the target is published
                _drop(child)
                continue
            child.attrSet("href", href)
            urls.append(href)
        elif child.type == "link_close" and unlinked:
            _drop(child)
            unlinked = False
        elif child.type == "image":
            src = _rewrite_url(str(child.attrGet("src") or ""), line, ctx, problems, image=True)
            child.attrSet("src", src)
            urls.append(src)
            child.attrSet("loading", "lazy")
            images.append(src)
            if not child.content.strip():
                problems.append(warning(ctx.source, line, "markdown.alt", example="![Дети рисуют осень](foto.jpg)"))


def _drop(token: Token) -> None:
    token.type, token.tag, token.content, token.attrs = "text", "", "", {}


def _rewrite_url(url: str, line: int, ctx: Context, problems: list, image: bool = False) -> str:
    """Make a Markdown URL public: content links → page URLs, bundle files → asset URLs."""
    parts = urlsplit(url)
    if parts.scheme or url.startswith(("//", "#")) or not url:
        if url.startswith("//"):
            problems.append(error(ctx.source, line, "markdown.link", url=url))
        return url
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    path = unquote(parts.path)
    if path.startswith("/"):
        return ctx.site_url(path) + (f"?{parts.query}" if parts.query else "") + fragment
    if path.endswith(".md"):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(ctx.source), path))
        page = ctx.resolve(target)
        if page is not None and page.startswith(WITHHELD):
            problems.append(_withheld_link(ctx.source, line, url, target, page))
            return page
        if page is None:
            problems.append(error(ctx.source, line, "markdown.missing-link", url=url, target=target))
            return url
        return page + fragment
    name = posixpath.normpath(path)
    if name in ctx.assets:
        if image and not images.is_raster(name):
            problems.append(error(ctx.source, line, "markdown.image-type", url=url))
        return ctx.page_url + name + fragment
    problems.append(error(ctx.source, line, "markdown.missing-file:image" if image else "markdown.missing-file", url=url))
    return url


def _withheld_link(source: str, line: int, url: str, target: str, mark: str) -> Diagnostic:
    """A link to an entry that exists but is not published at this build: a warning, not an error."""
    reason, _, day = mark[len(WITHHELD):].partition(" ")
    if reason == "draft":
        return warning(source, line, "ref.unpublished:link-draft", url=url, target=target)
    if reason == "future":
        return warning(source, line, "ref.unpublished:link-future", url=url, target=target, day=day)
    return warning(source, line, "ref.broken:link", url=url, target=target)


def _summary(tokens: list[Token], limit: int = 240) -> str:
    """The first paragraph as plain text, cut at a word boundary."""
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and index + 1 < len(tokens):
            inline = tokens[index + 1]
            text = plain_text(inline.children or [])
            if text:
                return shorten(text, limit)
    return ""


def plain_text(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + "…"


def to_plain(fragment: str) -> str:
    """Sanitized HTML → plain text (for ICS descriptions and meta tags): numbered list items keep
    their numbers ('1. ', from the list's `start`), other items get '• ', nested ones indented."""
    # Sanitized HTML (nh3) has no comments, no raw '<' in text and quoted attributes: one split by
    # a regex reads its tags exactly (html.parser was seven times slower); the loop below is the
    # hot part of an ICS file, so the handlers of _Plain are inlined in it.
    pieces = _TAG.split(fragment)  # text, '/' or '', tag name, attributes, text, ...
    plain = _Plain()
    parts = plain.parts
    for index in range(0, len(pieces), 4):
        data = pieces[index]
        if "&" in data:
            data = html.unescape(data)
        if data and not data.isspace():  # the newlines between blocks are the blocks' own
            after_block = not parts or parts[-1].endswith(("\n", "• ", ". "))
            parts.append(data.lstrip() if after_block and not plain.pre else data)
        if index + 1 < len(pieces):
            tag = pieces[index + 2].lower()
            if pieces[index + 1]:
                if tag in _ENDS:
                    plain.handle_endtag(tag)
            elif tag in _STARTS:
                plain.handle_starttag(tag, pieces[index + 3])
    text = "".join(parts)
    if " \n" in text or "\t\n" in text:  # spaces at a line's end go (a regex for it tried every space)
        text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
_LIST_START = re.compile(r'\sstart="(-?\d+)"')
_BLOCKS = frozenset({"p", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"})
_BLANK_LINES = re.compile(r"\n{3,}")
_ENDS = _BLOCKS | {"ol", "ul", "tr", "td", "th"}
_STARTS = frozenset({"pre", "ol", "ul", "li", "br"})
"""The start tags that change the text; any other is skipped."""


class _Plain:
    """Text of sanitized HTML, a line per block; `lists` holds each open list's next number (None: bullets)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.lists: list[int | None] = []
        self.pre = False

    def handle_starttag(self, tag: str, attrs: str) -> None:
        if tag == "pre":
            self.pre = True
        if tag in ("ol", "ul", "li", "br") and self.parts and self.parts[-1].strip():
            self.parts[-1] = self.parts[-1].rstrip(" \n")  # the source's line end before a block
        if tag in ("ol", "ul"):
            start = _LIST_START.search(attrs) if tag == "ol" else None
            if not self.lists:  # a nested list follows its item's line directly
                self.parts.append("\n")
            self.lists.append(None if tag == "ul" else int(start.group(1)) if start else 1)
        elif tag == "li" and self.lists:
            number = self.lists[-1]
            marker = "•" if number is None else f"{number}."
            if number is not None:
                self.lists[-1] = number + 1
            self.parts.append("\n" + "   " * (len(self.lists) - 1) + marker + " ")
        elif tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self.pre = False
        if tag in ("ol", "ul") and self.lists:
            self.lists.pop()
            self.parts.append("" if self.lists else "\n\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "tr":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

