"""Where state lives (#19): no module of netsite keeps mutable state, so one build cannot reach another.

The memos a build fills belong to the build, or to `serve` (build.Memo) when it keeps them between
rebuilds; what a process keeps is a bounded memo of a pure function, listed below with its reason.
"""

from __future__ import annotations

import ast
import io
import os
import pickle
import subprocess
import sys
from pathlib import Path

from PIL import Image

from netsite import build
from netsite.content import images, photo
from netsite.publish import theme
from netsite.rebuild import parallel
from netsite.server import incremental

from conftest import INSTITUTION, NOW, REPO, write_site

PACKAGE = REPO / "src" / "netsite"

GLOBALS = {
    ("netsite.rebuild.parallel", "_TASK"): "a forked worker's task: set in the worker by the pool's initializer, "
                                           "the one way a closure reaches a worker without pickling",
}
"""(module, name) a `global` statement may bind, with why."""

KEPT = {
    ("netsite.publish.theme", "COMPILED"): "compiled templates and the names they refer to: pure functions "
                                           "of a template's text, bounded (theme.Compiled)",
    ("netsite.rebuild.depends", "_TRACE"): "a ContextVar: each context (thread, nested trace) has its own set",
}
"""(module, name) of the module-level objects with state that are allowed, with why."""

CACHES = {
    ("netsite.content.urls", "make_slug"): "text → slug",
    ("netsite.messages", "_load"): "language → the packaged catalogue (two languages)",
    ("netsite.messages", "_russian_plural"): "no argument: Babel's rule for Russian",
    ("netsite.publish.output", "_exchange_call"): "no argument: the C library's rename-exchange call",
    ("netsite.publish.render", "_babel"): "a date, zone, pattern and locale → the text Babel formats",
    ("netsite.publish.typography", "hyphenate"): "word → word with soft hyphens",
    ("netsite.publish.typography", "_short"): "a short run of text → the run typeset",
    ("netsite.scaffold", "placeholders"): "a kind → the instruction lines of the packaged `netsite new` template",
    ("netsite.publish.when", "zone_city"): "zone, language → the city CLDR names",
    ("netsite.publish.when", "event_when"): "an occurrence, zone, language and the build's theme strings "
                                            "(by identity) → its text",
}
"""(module, function) that may carry a functools cache: each a pure function of its arguments."""

_CONTAINERS = {"dict", "list", "set", "bytearray", "defaultdict", "OrderedDict", "Counter", "deque", "ChainMap"}
_STATEFUL = {"Lock", "RLock", "Event", "Condition", "Semaphore", "BoundedSemaphore", "local", "ContextVar", "count"}
_MUTATORS = {"append", "extend", "insert", "remove", "pop", "popitem", "clear", "update", "setdefault", "add",
             "discard", "sort", "reverse", "appendleft", "extendleft", "difference_update", "intersection_update",
             "symmetric_difference_update", "__setitem__", "__delitem__"}


def _modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(("netsite", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
        found[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return found


def _callee(node: ast.expr) -> str | None:
    func = node.func if isinstance(node, ast.Call) else None
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _frozen(node: ast.ClassDef) -> bool:
    """A frozen dataclass, an enum or an exception: instances that hold no state to change."""
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Call) and any(k.arg == "frozen" and getattr(k.value, "value", False)
                                                   for k in decorator.keywords):
            return True
    bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
    return bool(bases & {"Enum", "IntEnum", "StrEnum", "Exception", "NamedTuple", "Protocol"})


def _top_level(tree: ast.Module):
    """Assignments at module level, also inside a module-level if/try."""
    body = list(tree.body)
    while body:
        node = body.pop(0)
        if isinstance(node, (ast.If, ast.Try)):
            body += node.body + node.orelse + getattr(node, "handlers", []) + getattr(node, "finalbody", [])
        elif isinstance(node, ast.ExceptHandler):
            body += node.body
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    yield target.id, node.value


def _name_of(node: ast.expr) -> str | None:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


def _target(node: ast.expr, module: str, imported: set[str]) -> tuple[str, str] | None:
    """(module, name) of what `node` names: its own module's name, or any module's for an
    imported name or an attribute of a module (`images._cache`), never of `self`."""
    if isinstance(node, ast.Name):
        return ("*" if node.id in imported else module, node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id not in ("self", "cls"):
        return ("*", node.attr)
    return None


def _mutated(trees: dict[str, ast.Module]) -> set[tuple[str, str]]:
    """(module, name) of what something stores into, deletes from, adds to or calls a mutating method of."""
    found = set()
    for module, tree in trees.items():
        imported = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    for alias in node.names}
        for node in ast.walk(tree):
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
                found.add(_target(node.value, module, imported))
            elif isinstance(node, ast.AugAssign):
                found.add(_target(node.target, module, imported))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _MUTATORS:
                found.add(_target(node.func.value, module, imported))
    return {each for each in found if each is not None}


def _why_mutable(value: ast.expr, classes: set[str], changed: bool) -> str | None:
    empty_display = isinstance(value, (ast.Dict, ast.List, ast.Set)) and not getattr(value, "keys", None) \
        and not getattr(value, "elts", None)
    container = isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)) \
        or _callee(value) in _CONTAINERS
    if container and (empty_display or (isinstance(value, ast.Call) and not value.args) or changed):
        return "a container that is filled or changed"
    if _callee(value) in _STATEFUL:
        return f"a {_callee(value)}"
    if _callee(value) in classes:
        return f"an instance of {_callee(value)}, which can change"
    return None


def test_no_module_keeps_mutable_state_but_the_listed():
    trees = _modules()
    classes = {node.name for tree in trees.values() for node in ast.walk(tree)
               if isinstance(node, ast.ClassDef) and not _frozen(node)}
    mutated = _mutated(trees)
    changed = _changed_attributes(trees)
    found, bound = [], set()
    for module, tree in trees.items():
        for name, value in _top_level(tree):
            why = _why_mutable(value, classes, bool({(module, name), ("*", name)} & mutated))
            if why and (module, name) not in KEPT:
                found.append(f"{module}.{name}: {why}")
            bound.add((module, name))
        for node in ast.walk(tree):
            for name in node.names if isinstance(node, ast.Global) else ():
                if (module, name) not in GLOBALS:
                    found.append(f"{module}: global {name}")
            found += [f"{module}.{node.name}.{name}: a class attribute every instance shares, changed"
                      for name in _shared_attributes(node) if name in changed] if isinstance(node, ast.ClassDef) else []
    assert found == [], "module-level state: move it into the build, build.Memo or an object that owns it"
    assert set(KEPT) | set(GLOBALS) <= bound, "the allow-lists name only what exists"


def _shared_attributes(node: ast.ClassDef) -> list[str]:
    """Class attributes bound to a container (a dataclass field's default_factory is not one)."""
    return [target.id for item in node.body if isinstance(item, (ast.Assign, ast.AnnAssign))
            and (isinstance(item.value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp))
                 or (item.value is not None and _callee(item.value) in _CONTAINERS))
            for target in (item.targets if isinstance(item, ast.Assign) else [item.target])
            if isinstance(target, ast.Name)]


def _changed_attributes(trees: dict[str, ast.Module]) -> set[str]:
    """Attribute names whose value something changes in place (`self.seen.add(x)`, `cls.table[k] = v`);
    binding a new value to a class attribute (kinds.py's `cls.readable = {...}`) is not a change."""
    found = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            target = node.value if isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)) \
                else node.func.value if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in _MUTATORS else node.target if isinstance(node, ast.AugAssign) else None
            if isinstance(target, ast.Attribute):
                found.add(target.attr)
    return found


def test_functools_caches_are_the_listed_pure_functions_only():
    found = {}
    for module, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for decorator in node.decorator_list:
                    called = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if _name_of(called) in ("cache", "lru_cache", "cached_property"):
                        found[(module, node.name)] = decorator
    assert sorted(found) == sorted(CACHES)
    unbounded = [key for key, decorator in found.items() if _name_of(decorator) == "cache"
                 or (isinstance(decorator, ast.Call) and not decorator.args and not decorator.keywords)]
    # functools.cache is unbounded: only where the arguments have a handful of values
    assert sorted(unbounded) == [("netsite.messages", "_load"), ("netsite.messages", "_russian_plural"),
                                 ("netsite.publish.output", "_exchange_call"), ("netsite.scaffold", "placeholders")]


def test_the_check_sees_state_where_it_is():
    """The checker itself: each kind of module-level state it must refuse is refused."""
    source = """
_A = {}
_B: dict[str, int] = dict()
_C = {"x": 1}
_LOCK = threading.Lock()
_T = Thing()
TABLE = {"fixed": 1}
def fill(key):
    _C[key] = 2
"""
    tree = ast.parse(source)
    mutated = _mutated({"m": tree})
    flagged = {name for name, value in _top_level(tree) if _why_mutable(value, {"Thing"}, ("m", name) in mutated)}
    assert flagged == {"_A", "_B", "_C", "_LOCK", "_T"}
    shared = ast.parse("class Shared:\n    seen = []\n    names: ClassVar[Mapping] = {}\n"
                       "    def see(self, x):\n        self.seen.append(x)\n")
    own = ast.parse("class Own:\n    seen: list = field(default_factory=list)\n    LIMIT = 3\n")
    assert isinstance(shared.body[0], ast.ClassDef) and isinstance(own.body[0], ast.ClassDef)
    assert _shared_attributes(shared.body[0]) == ["seen", "names"] and not _shared_attributes(own.body[0])
    assert _changed_attributes({"m": shared}) == {"seen"}  # `names` is only ever bound anew


def test_the_compiled_templates_memo_is_bounded():
    memo = theme.Compiled()
    memo.LIMIT = 3
    env = theme.jinja2.Environment()
    for number in range(5):
        memo.references(env, f"{{% include 'part{number}.html' %}}")
    assert list(memo.names.values()) == [("part2.html",), ("part3.html",), ("part4.html",)]


def test_the_workers_task_is_never_left_in_the_parent():
    factor = 3
    assert parallel.map_ordered(lambda n: n * factor, list(range(parallel.MIN_ITEMS)), 2) == \
        [n * 3 for n in range(parallel.MIN_ITEMS)]
    assert parallel._TASK is None


# ---- two sites in one process ------------------------------------------------------------------

def _photo(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG", quality=90)
    return out.getvalue()


def _site(root: Path, heading: str, colour: tuple[int, int, int], animated: bool) -> Path:
    """A site with its own theme (templates and strings of the same names as the other site's,
    other text) and a photo and a GIF under the same names as the other site's, other bytes."""
    frames = [Image.new("RGB", (16, 12), (40 * n, 90, 200 - 40 * n)) for n in range(3 if animated else 1)]
    gif = io.BytesIO()
    frames[0].save(gif, "GIF", save_all=animated, append_images=frames[1:], duration=100, loop=0)
    news = f"""\
        ---
        title: {heading}
        date: 2026-11-01
        institution: solnyshko
        image: foto.jpg
        ---
        Текст ![гифка](anim.gif)
        """
    return write_site(root, {
        "content/institutions/solnyshko.md": INSTITUTION,
        "content/news/2026-11-01-novost/index.md": news,
        "content/news/2026-11-01-novost/foto.jpg": _photo(colour),
        "content/news/2026-11-01-novost/anim.gif": gif.getvalue(),
        "themes/own/templates/404.html": '{% extends "base.html" %}{% block content %}'
                                          '<h1>{{ t("not_found_title") }}</h1>{% include "partials/own.html" %}'
                                          '<p>{{ "/calendar.ics"|webcal }} {{ "/"|absolute }}</p>'
                                          '<p>{{ ("solnyshko"|institution).title }}</p>{% endblock %}\n',
        "themes/own/templates/partials/own.html": f"<p>Своя часть: {heading}</p>\n",
        "themes/own/i18n/ru.yaml": f"not_found_title: Нет такой страницы ({heading})\n",
    }, config=f"title: Сеть «{heading}»\nbase_url: https://{colour[0]}.example.org/\n"
              f"timezone: Europe/Moscow\ntheme: own\n")


def _files(result: build.Result) -> dict[str, bytes]:
    return {f.path: f.data if f.source is None else f.source.read_bytes() for f in result.files}


def test_two_sites_built_in_one_process_do_not_reach_each_other(tmp_path):
    """Site A then site B in one process, at the same folder: B's files and warnings are what B
    alone gives in a fresh process (theme, photo and GIF memos, compiled templates)."""
    root = tmp_path / "site"
    options = build.Options(now=NOW)
    first = build.run(_site(root, "Первая", (200, 30, 30), animated=True), options)
    assert "image.animated" in {d.code for d in first.diagnostics}
    for path in sorted(root.rglob("*"), reverse=True):  # the same paths, other content
        path.unlink() if path.is_file() else path.rmdir()
    second = build.run(_site(root, "Вторая", (30, 30, 200), animated=False), options)
    alone = tmp_path / "alone.py"
    alone.write_text(
        "import pickle, sys\nfrom pathlib import Path\nfrom netsite import build\n"
        f"r = build.run(Path(sys.argv[1]), build.Options(now={NOW!r}))\n"
        "files = {f.path: f.data if f.source is None else f.source.read_bytes() for f in r.files}\n"
        "sys.stdout.buffer.write(pickle.dumps((files, sorted(d.code for d in r.diagnostics))))\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run([sys.executable, str(alone), str(root)], capture_output=True, check=True, env=env)
    files, codes = pickle.loads(done.stdout)
    assert sorted(d.code for d in second.diagnostics) == codes and "image.animated" not in codes
    assert _files(second) == files
    missing = files["404.html"].decode()
    assert "Нет такой страницы (Вторая)" in missing and "Своя часть: Вторая" in missing
    # filters on literals: Jinja evaluates them while compiling, so bytecode is the site's own
    assert "webcal://30.example.org/calendar.ics https://30.example.org/" in missing
    assert not any("Первая".encode() in data for data in files.values())
    photos = [data for path, data in files.items() if path.endswith(".jpg")]
    assert photos and all(Image.open(io.BytesIO(data)).getpixel((20, 15))[2] > 150 for data in photos)


def test_serve_keeps_its_photo_memo_between_rebuilds_and_a_plain_build_does_not(tmp_path, monkeypatch):
    root = _site(tmp_path / "site", "Первая", (200, 30, 30), animated=False)
    cleaned = []
    real = photo.clean

    def counting(data: bytes, kind: str):
        cleaned.append(kind)
        return real(data, kind)

    monkeypatch.setattr(images, "clean", counting)
    state = incremental.start(root, build.Options(now=NOW))
    assert cleaned and state.memo.photos.cleaned
    before = len(cleaned)
    news = root / "content/news/2026-11-01-novost/index.md"
    news.write_text(news.read_text(encoding="utf-8").replace("Текст", "Другой текст"), encoding="utf-8")
    incremental.rebuild(state)
    assert len(cleaned) == before, "serve encodes an unchanged photo again after a save"
    build.run(root, build.Options(now=NOW))
    build.run(root, build.Options(now=NOW))
    assert len(cleaned) == before + 4, "each plain build encodes its photo and GIF itself"


def test_a_filter_on_a_literal_reads_the_site_as_it_is_after_an_edit(tmp_path):
    """`'solnyshko'|institution` reads the site: Jinja must not evaluate it while compiling (the
    answer would stay in bytecode serve reuses, and the page's trace would miss the read)."""
    root = _site(tmp_path / "site", "Первая", (200, 30, 30), animated=False)
    state = incremental.start(root, build.Options(now=NOW))
    institution = root / "content/institutions/solnyshko.md"
    institution.write_text(INSTITUTION.replace("title: Муниципальное", "title: Переименованное"), encoding="utf-8")
    state = incremental.rebuild(state)
    assert state.result is not None
    assert "404.html" in state.rendered
    page = next(f.data for f in state.result.files if f.path == "404.html").decode().replace("\xad", "")
    assert "Переименованное бюджетное" in page  # (without the soft hyphens typography adds)
