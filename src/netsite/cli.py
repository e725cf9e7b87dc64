"""The command line: the only module that prints or exits."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import click

from netsite import __version__, messages
from netsite.build import Options
from netsite.build import build as run_build
from netsite.build import run as run_check
from netsite.diagnostics import NetsiteError, format_github, io_error
from netsite.scaffold import KINDS as SCAFFOLD_KINDS

_root_option = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
                            show_default=True, help="The site folder (holding netsite.yaml).")


def _language(root: Path) -> str:
    """Messages in the site's `language` (Russian when netsite.yaml cannot be read), or NETSITE_MESSAGES."""
    return messages.choose(_site_language(root), os.environ.get(messages.ENVIRONMENT))


def _site_language(root: Path) -> str | None:
    # Only the one key is read, so a netsite.yaml with other mistakes still names its language.
    from netsite.content.frontmatter import load_mapping

    try:
        text = (root / "netsite.yaml").read_bytes().decode("utf-8-sig")
        return str(load_mapping(text, "netsite.yaml").data.get("language", messages.DEFAULT)).strip()
    except Exception:
        return None


def _report(diagnostics, language: str) -> None:
    for diagnostic in messages.localize_all(diagnostics, language):
        click.echo(diagnostic.format(), err=True)


def _counts(problems, language: str) -> str:
    """'2 error(s) and 1 warning(s)', or in Russian '2 ошибки и 1 предупреждение'."""
    errors = sum(1 for d in problems if d.severity == "error")
    warnings = len(problems) - errors
    if language == "ru":
        return (f"{messages.counted(errors, ('ошибка', 'ошибки', 'ошибок'))} и "
                f"{messages.counted(warnings, ('предупреждение', 'предупреждения', 'предупреждений'))}")
    return f"{errors} error(s) and {warnings} warning(s)"


_SUMMARY = {
    "stopped": {"en": "netsite: stopped with {counts}; nothing was written",
                "ru": "netsite: остановлено, {counts}; ничего не записано"},
    "check failed": {"en": "netsite check: failed with {counts}", "ru": "netsite check: не пройдена, {counts}"},
    "check passed": {"en": "netsite check: no errors, {warnings} warning(s)",
                     "ru": "netsite check: ошибок нет, {warnings}"},
}
_DONE = {  # the success lines, in the site's language like the problems above them
    "built": {"en": "netsite: built {pages} pages, {files} files in {seconds} s → {out}",
              "ru": "netsite: сайт собран: {pages}, {files} за {seconds} с → {out}"},
    "nothing changed": {"en": "netsite: nothing changed since the last build: {pages} pages, {files} files in "
                              "{seconds} s → {out}",
                        "ru": "netsite: с прошлой сборки ничего не изменилось: {pages}, {files} за {seconds} с → {out}"},
    "created": {"en": "netsite: created a draft; write its text, then remove the line 'draft: true'",
                "ru": "netsite: черновик создан; напишите текст, потом удалите строку 'draft: true'"},
}


_SERVE = {  # `serve`'s own lines, in the site's language too
    "open": {"en": "netsite: serving {url} (Ctrl+C to stop)",
             "ru": "netsite: сайт открыт на {url} (остановить — Ctrl+C)"},
    "exposed": {"en": "netsite: warning: serving on {host}: anyone who can reach this address can read the site, "
                      "drafts included",
                "ru": "netsite: предупреждение: сайт открыт на {host}: его может прочитать каждый, кому доступен "
                      "этот адрес, черновики тоже"},
    "failed": {"en": "netsite: the build failed; still serving the last good build",
               "ru": "netsite: сборка не удалась; показывается последняя удачная"},
    "rebuilt": {"en": "netsite: built {files} files in {seconds} s", "ru": "netsite: собрано: {files} за {seconds} с"},
    "indexed": {"en": "netsite: search index updated in {seconds} s", "ru": "netsite: поиск обновлён за {seconds} с"},
}


def _serving(key: str, language: str, files: int = 0, seconds: float = 0.0, **values: str) -> str:
    if language == "ru":
        count, shown = messages.counted(files, ("файл", "файла", "файлов")), f"{seconds:.2f}".replace(".", ",")
    else:
        count, shown = str(files), f"{seconds:.2f}"
    return _SERVE[key][language].format(files=count, seconds=shown, **values)


def _done(key: str, language: str, pages: int = 0, files: int = 0, seconds: float = 0.0, out: str = "") -> str:
    if language == "ru":
        shown = (messages.counted(pages, ("страница", "страницы", "страниц")),
                 messages.counted(files, ("файл", "файла", "файлов")), f"{seconds:.2f}".replace(".", ","))
    else:
        shown = (str(pages), str(files), f"{seconds:.2f}")
    return _DONE[key][language].format(pages=shown[0], files=shown[1], seconds=shown[2], out=out)


def _summary(key: str, problems, language: str) -> str:
    warnings = sum(1 for d in problems if d.severity != "error")
    if language == "ru":
        shown = messages.counted(warnings, ("предупреждение", "предупреждения", "предупреждений"))
    else:
        shown = str(warnings)
    return _SUMMARY[key][language].format(counts=_counts(problems, language), warnings=shown)


def _guard(action, language: str, summary: bool = True):
    """Run `action`; NetsiteError becomes its lines and exit code, never a traceback."""
    try:
        return action()
    except NetsiteError as exc:
        _report(exc.diagnostics, language)
        if summary and not all(d.code == "build.locked" for d in exc.diagnostics):  # that one line says it all
            click.echo(_summary("stopped", exc.diagnostics, language), err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        _report([io_error(exc)], language)
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
@click.option("--relative", is_flag=True,
              help="Links relative to each page, so public/index.html opens from disk, a USB stick or a share.")
def build(root: Path, now: str | None, drafts: bool, future: bool, strict: bool, jobs: int | None,
          no_cache: bool, relative: bool) -> None:
    """Build the site into the output folder (public/ by default)."""
    started = time.perf_counter()
    progress = _progress_line(started) if sys.stderr.isatty() else None
    language = _language(root)
    options = Options(now=now, drafts=drafts, future=future, strict=strict, jobs=jobs, cache=not no_cache,
                      relative=relative, progress=progress, waiting=lambda path, holder: _waiting(holder, language))
    try:
        result = _guard(lambda: run_build(root, options), language)
    finally:
        if progress:
            click.echo("\r\033[K", nl=False, err=True)  # clear the progress line
    _report(result.diagnostics, language)
    pages = sum(1 for f in result.files if f.path.endswith(".html"))
    elapsed = time.perf_counter() - started
    click.echo(_done("nothing changed" if result.skipped else "built", language, pages, len(result.files), elapsed,
                     os.path.relpath(result.config.output_path)), err=True)


def _waiting(holder, language: str) -> None:
    """The one line a build prints when another one holds its lock (then it waits, see publish/lock.py)."""
    if language == "ru":
        who = (f"процесс {holder.pid} на компьютере {holder.host}, начата {holder.started} UTC"
               if holder else "другой процесс")
        click.echo(f"netsite: здесь уже идёт другая сборка ({who}); ждём её конца…", err=True)
    else:
        click.echo(f"netsite: another build is writing here ({holder.describe() if holder else 'another process'}); "
                   "waiting for it to end…", err=True)


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
        problems, code = [io_error(exc)], 1
    language = _language(root)
    _emit(messages.localize_all(problems, language), fmt, root)
    click.echo(_summary("check failed" if code else "check passed", problems, language), err=True)
    sys.exit(code)


def _emit(problems, fmt: str, root: Path) -> None:
    """Text lines go to stderr like build's; annotations to stdout, where GitHub reads them."""
    if fmt == "text":
        for problem in problems:
            click.echo(problem.format(), err=True)
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
@click.option("--slug", "name", metavar="NAME",
              help="The short name for the file and the address (Russian is transliterated); default: "
                   "made from the title. For an institution it is what entries name it by.")
@_root_option
def new(kind: str, title: str, institutions: tuple[str, ...], day, name: str | None, root: Path) -> None:
    """Create a new content file of KIND from its template; prints its path."""
    from netsite import scaffold
    from netsite.build import clock
    from netsite.content import config as config_module

    if institutions and kind not in scaffold.MEMBERS:
        raise click.UsageError(f"--institution is not used for {kind}")
    language = _language(root)
    config = _guard(lambda: config_module.load(root), language)
    today = _guard(lambda: clock(Options(), config), language).date()
    when = day.date() if day else today
    path = _guard(lambda: scaffold.create(root, config, kind, title, when, institutions, today, name), language,
                  summary=False)
    click.echo(os.path.normpath(path))  # alone on standard output, for `$EDITOR "$(netsite new …)"`
    click.echo(_done("created", language), err=True)


@main.command()
@_build_options
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; another than 127.0.0.1 makes the site reachable from the network.")
def serve(root: Path, now: str | None, drafts: bool, future: bool, strict: bool, jobs: int | None,
          no_cache: bool, port: int, host: str) -> None:
    """Serve the site from memory, rebuild on every save and reload the browser."""
    from netsite.server import incremental
    from netsite.server import serve as dev

    language = _language(root)
    if host not in dev.LOCAL_HOSTS:
        click.echo(_serving("exposed", language, host=host), err=True)
    # One process unless asked: forking beside the server's and watcher's threads is not safe.
    options = Options(now=now, drafts=drafts, future=future, strict=strict, jobs=jobs or 1,
                      cache=not no_cache)
    server = _guard(lambda: dev.start(root, options, host, port, step=incremental.Stepper(),
                                      report=_report_rebuild, report_index=_report_index), language)
    click.echo(_serving("open", language, url=server.url))
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
    language = messages.choose(snapshot.language, os.environ.get(messages.ENVIRONMENT))
    _report(snapshot.problems, language)
    if snapshot.failed:
        click.echo(_serving("failed", language), err=True)
    else:
        click.echo(_serving("rebuilt", language, len(snapshot.files), seconds), err=True)


def _report_index(snapshot, problems, seconds: float) -> None:
    """Called by the dev server when the search index of the served build is ready, or failed."""
    language = messages.choose(snapshot.language, os.environ.get(messages.ENVIRONMENT))
    _report(problems, language)
    if not problems:
        click.echo(_serving("indexed", language, seconds=seconds), err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
