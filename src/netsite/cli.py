"""The command line: the only module that prints or exits."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from netsite import __version__
from netsite.build import Options, build as run_build, run as run_check
from netsite.diagnostics import NetsiteError

_root_option = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
                            show_default=True, help="The site folder (holding netsite.yaml).")


def _report(diagnostics) -> None:
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)


def _guard(action):
    """Run `action`; NetsiteError becomes its lines and exit code, never a traceback."""
    try:
        return action()
    except NetsiteError as exc:
        _report(exc.diagnostics)
        errors = sum(1 for d in exc.diagnostics if d.severity == "error")
        warnings = len(exc.diagnostics) - errors
        click.echo(f"netsite: stopped with {errors} error(s) and {warnings} warning(s); nothing was written",
                   err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        click.echo(f"{exc.filename or 'netsite'}: error: {exc.strerror or exc} [io]", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="netsite")
def main() -> None:
    """netsite: the website of a network of preschool institutions, from Markdown."""
    # Windows consoles default to a legacy code page; our messages are UTF-8.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def _build_options(func):
    func = click.option("--now", metavar="ISO-DATETIME", help="Fix the build's clock (else SOURCE_DATE_EPOCH).")(func)
    func = click.option("--drafts", is_flag=True, help="Publish drafts too.")(func)
    func = click.option("--future", is_flag=True, help="Publish news and practices dated later than now.")(func)
    func = click.option("--strict", is_flag=True, help="Treat warnings as errors.")(func)
    func = click.option("--jobs", type=click.IntRange(1, 256), default=None,
                        help="Processes for rendering (default: NETSITE_JOBS, else every core).")(func)
    func = click.option("--no-cache", "no_cache", is_flag=True,
                        help="Neither read nor fill .netsite-cache/ (the output is the same).")(func)
    return _root_option(func)


@main.command()
@_build_options
def build(root: Path, now: str | None, drafts: bool, future: bool, strict: bool, jobs: int | None,
          no_cache: bool) -> None:
    """Build the site into the output folder (public/ by default)."""
    started = time.perf_counter()
    options = Options(now=now, drafts=drafts, future=future, strict=strict, jobs=jobs, cache=not no_cache)
    result = _guard(lambda: run_build(root, options))
    _report(result.diagnostics)
    pages = sum(1 for f in result.files if f.path.endswith(".html"))
    elapsed = time.perf_counter() - started
    click.echo(f"netsite: built {pages} pages, {len(result.files)} files in {elapsed:.2f} s "
               f"→ {os.path.relpath(result.config.output_path)}", err=True)


@main.command()
@_build_options
def check(root: Path, now: str | None, drafts: bool, future: bool, strict: bool, jobs: int | None,
          no_cache: bool) -> None:
    """Everything build does, writing nothing."""
    options = Options(now=now, drafts=drafts, future=future, strict=strict, jobs=jobs, cache=not no_cache,
                      fill_cache=False)
    result = _guard(lambda: run_check(root, options))
    _report(result.diagnostics)
    click.echo(f"netsite: no errors, {len(result.diagnostics)} warning(s)", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
