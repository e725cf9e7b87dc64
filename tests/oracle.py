"""The global oracle: rules every successful build must keep, checked after each build in the suite.

It is written independently of netsite's own code (its own HTML walk, its own image probe), so
that a bug in a sanitizer or in images.py cannot also hide itself here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from pathlib import Path

from PIL import Image

# an entry's attributes that hold no text a reader sees as the author wrote it
_NOT_TEXTS = {"kind", "source", "path", "body", "date", "draft", "lines", "assets", "links", "headings", "used_assets"}

RASTER = (".jpg", ".jpeg", ".png", ".webp", ".gif")
_BAD_SCHEME = re.compile(r"^(?:javascript|data|vbscript):", re.IGNORECASE)
# What browsers drop from a URL before they read its scheme.
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
# Characters no published text may carry: C0/C1 controls but tab and newlines, bidi overrides and
# isolates, and the non-characters XML 1.0 forbids.
UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "srcset", "background",
                             "cite", "data", "xlink:href", "ping", "manifest", "icon", "lowsrc"})
_IMAGE_METADATA = frozenset({"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "photoshop", "iptc",
                             "comment", "comments"})


class _Page(HTMLParser):
    """Collects what the oracle forbids in one HTML page."""

    def __init__(self, allowed_script: Callable[[str | None, str], bool]):
        super().__init__(convert_charrefs=True)
        self.allowed_script = allowed_script
        self.problems: list[str] = []
        self._script_src: str | None = None
        self._in_script = False
        self._script_text: list[str] = []
        self._script_data = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag}> has an event handler attribute {name}")
            if value and (name in _URL_ATTRIBUTES or name == "style"):
                for part in (value.split(",") if name == "srcset" else [value]):
                    if _BAD_SCHEME.match(_IGNORED.sub("", part)):
                        self.problems.append(f"<{tag} {name}> has a forbidden URL {value[:60]!r}")
            if name == "style" and value and ("url(" in value.lower() or "expression" in value.lower()):
                self.problems.append(f"<{tag}> has a style with url() or expression()")
        if tag == "script":
            self._in_script, self._script_text = True, []
            self._script_src = dict(attrs).get("src")
            self._script_data = dict(attrs).get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script:
            self._in_script = False
            if self._script_data and _is_json("".join(self._script_text)):
                return  # JSON-LD is data, never run; content that broke out of it would not parse
            if not self.allowed_script(self._script_src, "".join(self._script_text)):
                self.problems.append(f"a <script> that is not the theme's: {self._script_src or ''.join(self._script_text)[:60]!r}")


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return "</" not in text


def strings_of(value) -> list[str]:
    """Every text inside an entry (title, summary, fields), walked through containers."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) or hasattr(value, "items"):
        return [s for k, v in value.items() for s in strings_of(k) + strings_of(v)]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [s for item in value for s in strings_of(item)]
    if dataclasses.is_dataclass(value) and hasattr(value, "slug") and hasattr(value, "title"):  # an entry of any kind
        return strings_of([getattr(value, f.name) for f in dataclasses.fields(value) if f.name not in _NOT_TEXTS])
    return []


def theme_templates(theme_dirs: Iterable[Path]) -> str:
    """Every template of the theme, one after the other: where the theme's inline scripts are written."""
    return "\n".join(p.read_text(encoding="utf-8") for d in theme_dirs if d.is_dir()
                     for p in sorted(d.rglob("*.html")))


def theme_scripts(theme_dirs: Iterable[Path], templates: str | None = None) -> Callable[[str | None, str], bool]:
    """A script is the theme's when its src is under /static/ (or Pagefind's, or the editor's own
    bundle at /admin/, served from the site like them), or its inline text is written in one of the
    theme's templates."""
    if templates is None:
        templates = theme_templates(theme_dirs)

    def allowed(src: str | None, text: str) -> bool:
        if src is not None:
            return re.search(r"(^|/)(static|pagefind)/|(^|/)admin/decap-cms\.js$", src) is not None and "://" not in src
        return text.strip() != "" and text.strip() in templates
    return allowed


def html_problems(html: str, allowed_script: Callable[[str | None, str], bool]) -> list[str]:
    page = _Page(allowed_script)
    page.feed(html)
    page.close()
    return page.problems


def image_metadata(data: bytes) -> list[str]:
    """What an image carries besides pixels, read with Pillow directly."""
    with Image.open(io.BytesIO(data)) as image:
        found = {key for key in image.info if key in _IMAGE_METADATA}
        if image.getexif():
            found.add("exif")
        found.update(f"text:{k}" for k in (getattr(image, "text", None) or {}))
        found.update(name for name, _ in getattr(image, "applist", []) if name != "APP0")
    return sorted(found)


def file_problems(path: str, data: bytes, allowed_script) -> list[str]:
    """Every rule that one published file breaks."""
    lower = path.lower()
    if lower.endswith(".html"):
        return html_problems(data.decode("utf-8"), allowed_script)
    if lower.endswith(".xml"):
        try:
            ET.fromstring(data)
        except ET.ParseError as exc:
            return [f"not well-formed XML: {exc}"]
    elif lower.endswith(".ics"):
        from icalendar import Calendar
        try:
            Calendar.from_ical(data.decode("utf-8"))
        except (ValueError, KeyError) as exc:
            return [f"not a valid iCalendar file: {exc}"]
    elif lower.endswith(RASTER):
        found = image_metadata(data)
        return [f"the image carries metadata: {', '.join(found)}"] if found else []
    return []


_CHECKED: dict[tuple[str, bytes, bytes], list[str]] = {}
"""(name after its last dot, digest of the theme's templates, digest of the file) → the file's problems.

file_problems reads nothing but a file's extension, its bytes and the theme's templates, so the
answer for the same three is the same: the suite builds thousands of sites whose static files and
many pages are byte for byte those of an earlier build, and parsing each again cost about a third
of every build_site. Per test process, never across runs."""


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


def checked_problems(name: str, data: bytes, templates_digest: bytes, allowed_script) -> list[str]:
    """file_problems(name, data, allowed_script), remembered for the same extension, bytes and theme."""
    key = (name.lower().rsplit(".", 1)[-1], templates_digest, _digest(data))  # what file_problems reads of the name
    if key not in _CHECKED:
        _CHECKED[key] = file_problems(name, data, allowed_script)
    return list(_CHECKED[key])


def tree(out: Path) -> dict[str, bytes]:
    """Every file under the output folder → its bytes; symlinks and dotfiles are problems."""
    files = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out).as_posix()
        assert not path.is_symlink(), f"{relative}: the output holds a symbolic link"
        assert not any(part.startswith(".") for part in path.relative_to(out).parts), \
            f"{relative}: a dotfile was published"
        if path.is_file():
            files[relative] = path.read_bytes()
    return files


def check(out: Path, theme_dirs: Iterable[Path], rebuild: Callable[[], Iterable] | None = None) -> None:
    """Assert every rule on the built site in `out`; `rebuild` returns the files of a second run."""
    templates = theme_templates(theme_dirs)
    allowed, theme = theme_scripts(theme_dirs, templates), _digest(templates.encode("utf-8"))
    files = tree(out)
    problems = [f"{name}: {problem}" for name, data in files.items()
                for problem in checked_problems(name, data, theme, allowed)]
    assert not problems, "the oracle found:\n" + "\n".join(problems[:20])
    if rebuild is not None:
        again = {f.path: (f.data if f.source is None else f.source.read_bytes()) for f in rebuild()}
        # The Pagefind index is written into the output folder after the pipeline's files (see
        # search.index); its determinism is tested on whole builds in test_search.py.
        files = {name: data for name, data in files.items() if not name.startswith("pagefind/")}
        assert sorted(again) == sorted(files), "a second build writes another set of files"
        changed = [name for name in files if files[name] != again[name]]
        assert not changed, f"a second build is not byte-identical: {changed[:10]}"
