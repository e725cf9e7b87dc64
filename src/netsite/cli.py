"""The command line: the only module that prints or exits."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import click

from netsite import __version__
from netsite.build import Options, build as run_build, run as run_check
from netsite.diagnostics import NetsiteError, error, format_github
from netsite.scaffold import KINDS as SCAFFOLD_KINDS

_root_option = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
                            show_default=True, help="The site folder (holding netsite.yaml).")


def _report(diagnostics) -> None:
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)


def _guard(action, summary: bool = True):
    """Run `action`; NetsiteError becomes its lines and exit code, never a traceback."""
    try:
        return action()
    except NetsiteError as exc:
        _report(exc.diagnostics)
        errors = sum(1 for d in exc.diagnostics if d.severity == "error")
        warnings = len(exc.diagnostics) - errors
        if summary:
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


def _progress_line(started: float):
    """On a terminal, one line that says what a long build is doing: '[2.1 s] rendering …'."""
    def show(stage: str) -> None:
        click.echo(f"\r\033[Knetsite: [{time.perf_counter() - started:.1f} s] {stage}…", nl=False, err=True)
    return show


@main.command()
@_build_options
def build(root: Path, now: str | None, drafts: bool, future: bool, strict: bool, jobs: int | None,
          no_cache: bool) -> None:
    """Build the site into the output folder (public/ by default)."""
    started = time.perf_counter()
    progress = _progress_line(started) if sys.stderr.isatty() else None
    options = Options(now=now, drafts=drafts, future=future, strict=strict, jobs=jobs, cache=not no_cache,
                      progress=progress)
    try:
        result = _guard(lambda: run_build(root, options))
    finally:
        if progress:
            click.echo("\r\033[K", nl=False, err=True)  # clear the progress line
    _report(result.diagnostics)
    pages = sum(1 for f in result.files if f.path.endswith(".html"))
    elapsed = time.perf_counter() - started
    click.echo(f"netsite: built {pages} pages, {len(result.files)} files in {elapsed:.2f} s "
               f"→ {os.path.relpath(result.config.output_path)}", err=True)


@main.command()
@_build_options
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="text: one line per problem; github: GitHub Actions annotations on the pull request.")
def check(root: Path, now: str | None, drafts: bool, future: bool, strict: bool, jobs: int | None,
          no_cache: bool, fmt: str) -> None:
    """Everything build does, writing nothing; also links, anchors, images and files."""
    from netsite import audit
    from netsite.diagnostics import has_errors, sort_key

    try:
        # warnings are judged after the audit, so --strict still reports every problem of both
        result = run_check(root, Options(now=now, drafts=drafts, future=future, jobs=jobs, cache=not no_cache,
                                         fill_cache=False))
        problems = sorted(result.diagnostics + tuple(audit.audit(result)), key=sort_key)
        code = 1 if has_errors(problems) or (strict and problems) else 0
    except NetsiteError as exc:
        problems, code = list(exc.diagnostics), exc.exit_code
    except OSError as exc:
        problems, code = [error(str(exc.filename or "netsite"), None, exc.strerror or str(exc), "io")], 1
    _emit(problems, fmt, root)
    errors = sum(1 for d in problems if d.severity == "error")
    warnings = len(problems) - errors
    click.echo(f"netsite check: failed with {errors} error(s) and {warnings} warning(s)" if code
               else f"netsite check: no errors, {warnings} warning(s)", err=True)
    sys.exit(code)


def _emit(problems, fmt: str, root: Path) -> None:
    """Text lines go to stderr like build's; annotations to stdout, where GitHub reads them."""
    if fmt == "text":
        _report(problems)
        return
    for problem in problems:
        click.echo(format_github(problem, _repository_path(root, problem.location.path)))


def _repository_path(root: Path, shown: str) -> str | None:
    """The file of a problem as GitHub wants it (from the checkout's root), or None if it is no file."""
    path = Path(shown) if Path(shown).is_absolute() else root / shown
    if not path.exists():
        return None  # such as '--now' or a page of the output that check does not write
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@main.command()
@click.argument("kind", type=click.Choice(SCAFFOLD_KINDS))
@click.argument("title")
@click.option("--institution", "institutions", metavar="SLUG", multiple=True,
              help="An institution of the entry (organizer, party, participant); repeat it for several.")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The date (start for events); default: today in the site's time zone.")
@_root_option
def new(kind: str, title: str, institutions: tuple[str, ...], day, root: Path) -> None:
    """Create a new content file of KIND from its template; prints its path."""
    from netsite import config as config_module, scaffold
    from netsite.build import clock

    if institutions and kind not in scaffold.MEMBERS:
        raise click.UsageError(f"--institution is not used for {kind}")
    config = _guard(lambda: config_module.load(root))
    when = day.date() if day else _guard(lambda: clock(Options(), config)).date()
    path = _guard(lambda: scaffold.create(root, config, kind, title, when, institutions), summary=False)
    click.echo(os.path.normpath(path))


@main.command()
@_build_options
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; another than 127.0.0.1 makes the site reachable from the network.")
def serve(root: Path, now: str | None, drafts: bool, future: bool, strict: bool, jobs: int | None,
          no_cache: bool, port: int, host: str) -> None:
    """Serve the site from memory, rebuild on every save and reload the browser."""
    from netsite import incremental, serve as dev

    if host not in dev.LOCAL_HOSTS:
        click.echo(f"netsite: warning: serving on {host}: anyone who can reach this address can read the "
                   "site, drafts included", err=True)
    # One process unless asked: forking beside the server's and watcher's threads is not safe.
    options = Options(now=now, drafts=drafts, future=future, strict=strict, jobs=jobs or 1,
                      cache=not no_cache)
    server = _guard(lambda: dev.start(root, options, host, port, step=incremental.Stepper(),
                                      report=_report_rebuild, report_index=_report_index))
    click.echo(f"netsite: serving {server.url} (Ctrl+C to stop)")
    # `kill` stops it like Ctrl+C, so the search indexer's temporary folder is removed too.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _report_rebuild(snapshot, seconds: float) -> None:
    """Called by the dev server after every build: its problems, then one summary line."""
    _report(snapshot.problems)
    if snapshot.failed:
        click.echo("netsite: the build failed; still serving the last good build", err=True)
    else:
        click.echo(f"netsite: built {len(snapshot.files)} files in {seconds:.2f} s", err=True)


def _report_index(problems, seconds: float) -> None:
    """Called by the dev server when the search index of the served build is ready, or failed."""
    _report(problems)
    if not problems:
        click.echo(f"netsite: search index updated in {seconds:.2f} s", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
