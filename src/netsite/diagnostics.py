"""Diagnostics: every problem a user can fix has a place, a message and a stable code."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from netsite.messages import Message, Value, message, third_party


class Severity(StrEnum):
    """How bad a problem is: an error stops the build; a warning is shown, and fails `check --strict`."""

    ERROR = "error"
    WARNING = "warning"


ERROR = Severity.ERROR
WARNING = Severity.WARNING


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a source file; `path` is shown as given (site-relative, POSIX separators)."""

    path: str
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        text = self.path
        if self.line is not None:
            text += f":{self.line}"
            if self.col is not None:
                text += f":{self.col}"
        return text


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: Severity
    message: Message
    location: Location
    code: str

    def format(self) -> str:
        """The one line format: `path:line: error: message [code]`, in the message's language."""
        message = " ".join(str(self.message).split())  # one line, always
        return f"{self.location}: {self.severity}: {message} [{self.code}]"


class NetsiteError(Exception):
    """Raised by the pipeline when it cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: Iterable[Diagnostic], exit_code: int = 1):
        self.diagnostics = tuple(diagnostics)
        self.exit_code = exit_code
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def error(path: str, line: int | None, key: str, /, col: int | None = None, **values: Value) -> Diagnostic:
    """An error with the catalogue's message `key` (`code` or `code:variant`) and its placeholders' values."""
    return Diagnostic(ERROR, message(key, **values), Location(path, line, col), key.partition(":")[0])


def warning(path: str, line: int | None, key: str, /, **values: Value) -> Diagnostic:
    return Diagnostic(WARNING, message(key, **values), Location(path, line), key.partition(":")[0])


def error_of(path: str, line: int | None, problem: Message, col: int | None = None) -> Diagnostic:
    """An error whose message was made elsewhere (a parser's exception, a check's result)."""
    return Diagnostic(ERROR, problem, Location(path, line, col), problem.code)


def io_error(exc: OSError) -> Diagnostic:
    """A file that could not be read or written, at its path, with the system's reason."""
    detail = third_party(exc.strerror) if exc.strerror else str(exc)
    return error(str(exc.filename or "netsite"), None, "io", detail=detail)


def did_you_mean(word: str, options: Iterable[str]) -> Message | str:
    """A hint such as " (did you mean 'solnyshko'?)" for a `{hint}` placeholder, or "" when nothing is close."""
    # A name that differs only in case ('Foto.jpg' for 'foto.JPG', as phones and Windows write
    # them) is the likeliest slip, and difflib's ratio misses it when the name is short.
    same = [option for option in sorted(options) if option.casefold() == str(word).casefold()]
    matches = same or difflib.get_close_matches(str(word), sorted(options), n=1, cutoff=0.6)
    return message("part:hint", word=matches[0]) if matches else ""


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == ERROR for d in diagnostics)


def sort_key(d: Diagnostic) -> tuple:
    return (d.location.path, d.location.line or 0, d.location.col or 0, d.code, str(d.message))


def _github_data(text: str) -> str:
    # GitHub's own escaping (actions/toolkit, command.ts): a message cannot end the command early.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(d: Diagnostic, file: str | None) -> str:
    """A GitHub Actions workflow command that puts `d` on the pull request's line.

    `file` is the path from the repository root, or None for a problem that is not in a file.
    Every value is escaped, so a message or a file name cannot forge another annotation.
    """
    properties = []
    if file:
        properties.append(f"file={_github_property(file)}")
        if d.location.line is not None:
            properties.append(f"line={d.location.line}")
            if d.location.col is not None:
                properties.append(f"col={d.location.col}")
    properties.append(f"title={_github_property(d.code)}")
    return f"::{d.severity} {','.join(properties)}::{_github_data(str(d.message))}"
