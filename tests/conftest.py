"""Shared fixtures: tiny sites built inline from {path: text}, and the example site."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from netsite.build import Options, build, run
from netsite.cli import main
from netsite.diagnostics import NetsiteError
from netsite.publish.theme import theme_dirs

import oracle

# Property tests draw the same examples on every run, so a CI run cannot fail on a new random
# draw that a developer never saw; the fuzz script in tests/fuzz/ explores at random instead.
settings.register_profile("netsite", derandomize=True, deadline=None)
settings.load_profile("netsite")

REPO = Path(__file__).resolve().parents[1]
NOW = "2026-11-25 12:00"

BASE_CONFIG = """\
title: Тестовая сеть
base_url: https://net.example.org/
timezone: Europe/Moscow
"""

INSTITUTION = """\
---
title: Муниципальное бюджетное дошкольное образовательное учреждение «Детский сад № 1 «Солнышко»»
short_name: Детский сад «Солнышко»
kind: kindergarten
---
Детский сад в центре города.
"""


BROWSER_WAIT = 60_000
"""Milliseconds a page may take to reach what a browser test waits for: a bound, not a timing
assertion. Playwright's own 30 s (5 s for expect) were exceeded on a shared 2-core machine under load."""
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser")
"""Looked for on PATH in this order. Debian's chromium-headless-shell is Chromium's own headless build,
the one Playwright drives by default: the same Blink, V8 and layout, without the desktop browser's
GPU process and UI, so the 114 browser tests cost about 40 % less CPU (62 s against 104 s here)."""


def chromium_path() -> str:
    """The browser every browser test drives: Debian's Chromium on PATH (Playwright never downloads one)."""
    found = next(filter(None, map(shutil.which, BROWSERS)), None)
    if not found:
        pytest.fail("the browser tests need Chromium: run scripts/test-deps (it installs Debian's chromium-headless-shell), "
                    "or leave them out with -m 'not browser'", pytrace=False)
    return found


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Modules marked xdist_group (a module fixture that costs many seconds: the fault corpus, the
    editor's served network) run first, each in one piece. Under `--dist worksteal` (pyproject.toml)
    the first worker starts with them and an idle worker takes tests from the other end of its
    queue, so each such fixture is made once. (xdist's own loadgroup mode would say so directly,
    but with pytest 9 it no longer renames the tests it groups, and groups nothing.)"""
    items.sort(key=lambda item: item.get_closest_marker("xdist_group") is None)


@pytest.fixture(scope="session")
def chromium():
    """One Chromium per test process, shared by every browser test: a launch (and Playwright's driver)
    costs about a second, a fresh context per test costs milliseconds and isolates storage and routes.
    Only tests that ask for it start it, so `pytest -m "not browser"` never does."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=BROWSER_WAIT)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=BROWSER_ARGS)
        yield browser
        browser.close()


def new_context(browser, **options):
    """A browser context whose every wait (goto, click, selector) is bounded by BROWSER_WAIT, not 30 s."""
    context = browser.new_context(**options)
    context.set_default_timeout(BROWSER_WAIT)
    return context


def write_site(root: Path, files: dict[str, str | bytes], config: str | None = BASE_CONFIG) -> Path:
    """Write a site folder; text is dedented, so tests can indent their literals."""
    root.mkdir(parents=True, exist_ok=True)
    if config is not None:
        (root / "netsite.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path):
    """make_site({path: text}, config=...) → site folder with one institution 'solnyshko' by default."""
    def make(files: dict[str, str | bytes], config: str | None = BASE_CONFIG,
             institution: bool = True) -> Path:
        if institution:
            files = {"content/institutions/solnyshko.md": INSTITUTION, **files}
        return write_site(tmp_path / "site", files, config)
    return make


def build_site(root: Path, now: str = NOW, **options):
    """Build into root/public; returns the Result (raises NetsiteError on content errors).

    Every successful build is checked by the global oracle (tests/oracle.py): no foreign script,
    event handler or javascript:/data:/vbscript: URL, every XML and ICS file parses, no image
    carries metadata, and a second build gives the same bytes.
    """
    result = build(root, Options(now=now, **options))
    assert_translated(result.diagnostics)
    oracle.check(result.config.output_path, theme_dirs(root, result.config.theme),
                 rebuild=lambda: run(root, Options(now=now, **options)).files)
    return result


def build_again(root: Path, now: str = NOW, **options):
    """Build without the oracle: only for a second, independent build of sources that a test has already
    built with build_site, to compare the two outputs (the oracle checked the first one's files)."""
    return build(root, Options(now=now, **options))


def example_sources(root: Path) -> Path:
    """A fresh copy of the example network's sources (no output, no cache) in root."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "netsite.yaml", root / "netsite.yaml")
    shutil.copytree(REPO / "content", root / "content")
    return root


def check_site(root: Path, now: str = NOW, **options):
    result = run(root, Options(now=now, **options))
    assert_translated(result.diagnostics)
    return result


def diagnostics_of(root: Path, now: str = NOW, **options):
    """The diagnostics of a build that must fail, as (code, path, line) plus the error itself."""
    with pytest.raises(NetsiteError) as info:
        run(root, Options(now=now, **options))
    assert_translated(info.value.diagnostics)
    return info.value


def assert_translated(diagnostics) -> None:
    """Every message a test sees, and each message inside it, is in every catalogue and fills its placeholders."""
    from netsite import messages

    for d in diagnostics:
        for language in messages.LANGUAGES:
            missing = sorted(messages.keys_of(d.message) - set(messages.catalogue(language)))
            assert not missing, f"add {missing} to src/netsite/locale/{language}/LC_MESSAGES/netsite.po"
            assert d.message.text(language)  # a placeholder without a value raises KeyError here


def codes(error: NetsiteError) -> set[tuple[str, str, int | None]]:
    return {(d.code, d.location.path, d.location.line) for d in error.diagnostics}


def cli(*args: str, messages: str = "en"):
    """Run the command line in-process; result.stdout and result.stderr are kept apart.

    Messages are English unless `messages="ru"` (or "" for the site's own language), so that
    tests can match the English text that each call site writes.
    """
    return CliRunner(env={"NETSITE_MESSAGES": messages}).invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The repository's own example network, copied and built once per test session."""
    root = example_sources(tmp_path_factory.mktemp("example"))
    build_site(root)
    return root


@pytest.fixture
def example_copy(example_site, tmp_path) -> Path:
    """A copy of the built example network (sources, output and Markdown cache) for a test that adds
    to it or edits it: its next build reuses the shared build's cache (about half the time of a cold
    one). Not for tests that compare two independent builds: those start from the sources."""
    root = tmp_path / "site"
    shutil.copytree(example_site, root, symlinks=True)
    return root


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden/ from the current output (then review the diff).")


@pytest.fixture
def golden(request):
    """golden(name, text): compare `text` with tests/golden/<name>, or rewrite it with --update-golden."""
    def check(name: str, text: str) -> None:
        path = REPO / "tests" / "golden" / name
        if request.config.getoption("--update-golden"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            return
        assert path.is_file(), f"no golden file {path.name}: run pytest --update-golden and review it"
        assert text == path.read_text(encoding="utf-8"), f"differs from tests/golden/{name}"
    return check
