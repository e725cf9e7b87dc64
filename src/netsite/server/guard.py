"""Who may use the editor's API and where it may write: the path jail inside content/, and requests
from this machine's own editor page only (loopback, the server's Host and Origin, JSON)."""

from __future__ import annotations

import ipaddress
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from netsite.content import sources


class Refused(Exception):
    """A request the API does not carry out: HTTP status and the message shown to the author."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def jail(root: Path, given: Any) -> Path:
    """`given` (a site-relative path such as 'content/news/x.md') → the file inside content/, or Refused."""
    if not isinstance(given, str) or not given or "\\" in given or "\x00" in given:
        raise Refused(400, f"недопустимый путь: {given!r}")
    path = PurePosixPath(given)
    parts = path.parts
    if path.is_absolute() or ":" in given or not parts or parts[0] != "content":
        raise Refused(403, f"редактор пишет только в папку content/, а не в '{given}'")
    for part in parts[1:]:
        problem = sources.name_problem(part)
        if part in (".", "..") or part.startswith(".") or problem:
            raise Refused(403, f"имя '{part}' в пути '{given}' не подходит")
    target = root.joinpath(*parts)
    step = root
    for part in parts:
        step = step / part
        if step.is_symlink():
            raise Refused(403, f"'{given}' проходит через символическую ссылку: редактор через них не пишет")
    content = (root / "content").resolve()
    if not target.resolve().is_relative_to(content):
        raise Refused(403, f"'{given}' — вне папки content/")
    return target


def origin_problem(headers: Any, hosts: frozenset[str], peer: str, bound: str) -> str | None:
    """Why a request may not come from this machine's own editor page, or None."""
    if not _loopback(peer) or not _loopback(bound):
        return "редактор работает только на этом компьютере (netsite serve на 127.0.0.1)"
    host = (headers.get("Host") or "").strip().lower()
    if host not in hosts:
        return "чужой адрес сервера (Host)"
    origin = headers.get("Origin")
    if origin is not None and (origin == "null" or urlsplit(origin).netloc.lower() != host):
        return f"запрос со страницы другого сайта ({origin})"
    if (headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
        return "запрос должен быть в JSON (Content-Type: application/json)"
    return None


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return address == "localhost"
