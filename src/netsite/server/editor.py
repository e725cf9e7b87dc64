"""The editor's local backend: Decap CMS's file-system API (`POST /api/v1`) answered by `netsite serve` itself.

The actions are those of Decap's local proxy (info, entriesByFolder, entriesByFiles, getEntry,
persistEntry, getMedia, getMediaFile, persistMedia, deleteFile, deleteFiles), with netsite's rules:
- every path goes through `guard.jail`: relative, inside content/, no '.', '..', backslash, NUL,
  drive, Windows device name or hidden name, and no symbolic link on the way; anything else is refused;
- requests come only from this machine's browser (`guard.origin_problem`): a loopback peer, a Host of
  the server's own, an Origin (when the browser sends one) of the same host, and a JSON body (a
  cross-site form cannot send one);
- a new entry is named as netsite names it (date prefix, transliterated slug, a folder with index.md
  for kinds with photos or files), whatever name the browser made up; the browser's name is kept as
  an alias for the rest of the session, so it can still open what it saved;
- an entry is checked with `schema.parse` before anything is written: a value `netsite check` would
  refuse comes back as HTTP 422 with the Russian message and the field's label, and nothing changes;
- an existing file is edited in place (server/entryfile.py), keeping comments and keys the form
  does not show.
The live preview follows by itself: the watcher sees the written files like any other save.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from netsite import messages
from netsite.content import kinds, records, schema, sources
from netsite.content.config import Config
from netsite.content.config import load as load_config
from netsite.content.frontmatter import FrontMatterError
from netsite.content.frontmatter import parse as parse_front_matter
from netsite.content.models import Asset, Document
from netsite.content.urls import make_slug, slug_from_filename
from netsite.diagnostics import NetsiteError
from netsite.publish import admin
from netsite.server import entryfile
from netsite.server.guard import Refused, jail, origin_problem

API = "/api/v1"
MAX_BODY = 40 * 1024 * 1024
"""Bytes of one request: a phone photo in base64 with room to spare."""


def _entry(root: Path, shown: str, path: Path, label: str | None = None) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError:
        return {"data": None, "file": {"path": shown, "label": label, "id": None}}
    return {"data": data.decode("utf-8-sig"), "file": {"path": shown, "label": label,
                                                       "id": hashlib.sha256(data).hexdigest()}}


def _media(shown: str, path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError:
        raise Refused(404, f"файла '{shown}' нет") from None
    return {"id": hashlib.sha256(data).hexdigest(), "content": base64.b64encode(data).decode("ascii"),
            "encoding": "base64", "path": shown, "name": path.name}


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all: a half-written file would be built by the watcher."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".netsite-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _decode(asset: Any) -> tuple[Any, bytes]:
    if not isinstance(asset, dict) or not isinstance(asset.get("content"), str):
        raise Refused(400, "файл без содержимого")
    try:
        if asset.get("encoding") == "base64":
            return asset.get("path"), base64.b64decode(asset["content"], validate=True)
    except binascii.Error:
        raise Refused(400, "содержимое файла — не base64") from None
    return asset.get("path"), asset["content"].encode("utf-8")


@dataclass(frozen=True, slots=True)
class Save:
    """One entry to write: its file, text and files beside it, and the flat file it becomes a folder of."""

    target: Path
    text: str
    media: list[tuple[Path, bytes]]
    replaces: Path | None = None
    dropped: tuple[str, ...] = ()


@dataclass
class Backend:
    """One site folder's API; `aliases` maps a path the browser named to where netsite put the file."""

    root: Path
    aliases: dict[str, str] = field(default_factory=dict)

    def shown(self, given: Any) -> str:
        """The path netsite gave what the browser calls `given` (an entry, its folder or a file in it)."""
        if not isinstance(given, str):
            return given
        if given in self.aliases:
            return self.aliases[given]
        folder, _, name = given.rpartition("/")
        return f"{self.aliases[folder]}/{name}" if folder in self.aliases else given

    def path(self, given: Any) -> Path:
        return jail(self.root, self.shown(given))

    def answer(self, body: bytes) -> Any:
        """The JSON answer to one request body; raises Refused."""
        try:
            request = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise Refused(400, "тело запроса — не JSON") from None
        if not isinstance(request, dict) or not isinstance(request.get("action"), str):
            raise Refused(400, "в запросе нет action")
        params = request.get("params") or {}
        handler = getattr(self, "do_" + request["action"], None)
        if handler is None or not isinstance(params, dict):
            raise Refused(422, f"неизвестное действие {request['action']!r}")
        return handler(params)

    def do_info(self, _params: dict) -> dict:
        return {"repo": self.root.resolve().name, "publish_modes": ["simple"], "type": "local_fs"}

    def do_getDeployPreview(self, _params: dict) -> None:
        return None

    def do_entriesByFolder(self, params: dict) -> list:
        folder = self.path(params.get("folder"))
        extension = str(params.get("extension") or "md")
        asked = params.get("depth")
        depth = asked if isinstance(asked, int) else 1
        found = sorted(p for p in folder.rglob(f"*.{extension}")
                       if len(p.relative_to(folder).parts) <= depth and not _hidden(p, folder))
        return [_entry(self.root, p.relative_to(self.root).as_posix(), p) for p in found if self._inside(p)]

    def _inside(self, path: Path) -> bool:
        try:
            jail(self.root, path.relative_to(self.root).as_posix())
        except Refused:
            return False
        return True

    def do_entriesByFiles(self, params: dict) -> list:
        files = params.get("files")
        if not isinstance(files, list):
            raise Refused(400, "нет списка files")
        return [_entry(self.root, self.shown(f.get("path")), self.path(f.get("path")), f.get("label"))
                for f in files if isinstance(f, dict)]

    def do_getEntry(self, params: dict) -> dict:
        return _entry(self.root, self.shown(params.get("path")), self.path(params.get("path")))

    def do_getMedia(self, params: dict) -> list:
        folder = self.path(params.get("mediaFolder"))
        if not folder.is_dir():
            return []
        return [_media(p.relative_to(self.root).as_posix(), p) for p in sorted(folder.iterdir())
                if p.is_file() and not p.name.startswith(".") and p.suffix != ".md" and self._inside(p)]

    def do_getMediaFile(self, params: dict) -> dict:
        return _media(self.shown(params.get("path")), self.path(params.get("path")))

    def do_persistMedia(self, params: dict) -> dict:
        given, data = _decode(params.get("asset"))
        target = self.path(given)
        if len(target.relative_to(self.root / "content").parts) < 3:
            raise Refused(403, "фото и файлы хранятся в папке записи: сначала создайте запись, потом добавьте фото")
        _write(target, data)
        return _media(target.relative_to(self.root).as_posix(), target)

    def do_deleteFile(self, params: dict) -> dict:
        _delete(self.path(params.get("path")), self.root)
        return {"message": f"deleted file {params.get('path')}"}

    def do_deleteFiles(self, params: dict) -> dict:
        paths = params.get("paths")
        if not isinstance(paths, list):
            raise Refused(400, "нет списка paths")
        targets = [self.path(p) for p in paths]  # every path checked before anything is deleted
        for target in targets:
            _delete(target, self.root)
        return {"message": f"deleted files {', '.join(map(str, paths))}"}

    def do_persistEntry(self, params: dict) -> dict:
        files = params.get("dataFiles") or ([params["entry"]] if isinstance(params.get("entry"), dict) else [])
        assets = params.get("assets") or []
        if not files or not isinstance(files, list) or not isinstance(assets, list):
            raise Refused(400, "нет записи для сохранения (dataFiles)")
        config = _config(self.root)
        saves = [self._plan(f, assets, config) for f in files]  # everything checked, then written
        for save in saves:
            for path, data in save.media:
                _write(path, data)
            _write(save.target, save.text.encode("utf-8"))
            if save.replaces is not None:
                save.replaces.unlink()
        dropped = sorted({key for save in saves for key in save.dropped})
        note = f"; не сохранены комментарии в конце строк: {', '.join(dropped)}" if dropped else ""
        return {"message": "entry persisted" + note}

    def _plan(self, given: Any, assets: list, config: Config) -> Save:
        """Where one entry goes, its text and its files, after every check; raises Refused."""
        if not isinstance(given, dict) or not isinstance(given.get("raw"), str):
            raise Refused(400, "у записи нет текста (raw)")
        decap_path = given.get("path")
        if not isinstance(decap_path, str):
            raise Refused(400, "у записи нет пути (path)")
        target = self.path(decap_path)
        kind = target.relative_to(self.root / "content").parts[0]
        if kind not in kinds.KINDS or target.suffix != ".md" or len(target.relative_to(self.root).parts) < 3:
            raise Refused(403, f"'{decap_path}' — не запись сайта (content/<вид>/….md)")
        data, body = _front(given["raw"])
        data = _unbundled(kind, entryfile.clean(data))
        replaces: Path | None = None
        dropped: tuple[str, ...] = ()
        if target.is_file():
            merged = entryfile.merge(target.read_text(encoding="utf-8-sig"), data, body)
            text, dropped = merged.text, merged.dropped
            if assets and kind in admin.BUNDLES and target.name != "index.md":
                replaces, target = target, self._alias(decap_path, target.with_suffix("") / "index.md", target)
        else:
            target = self._name(kind, data, decap_path)
            text = entryfile.compose(data, body)
        media = [self._asset(a, decap_path, target) for a in assets]
        _check(self.root, target, kind, text, media, config)
        return Save(target, text, media, replaces, dropped)

    def _alias(self, decap_path: str, target: Path, moving: Path | None = None) -> Path:
        """`target` for the browser's `decap_path` from now on; refused when it or its slug is taken."""
        relative = target.relative_to(self.root).as_posix()
        stem = target.parent.name if target.name == "index.md" else target.stem
        kind_folder = self.root / "content" / PurePosixPath(relative).parts[1]
        siblings = sorted(kind_folder.iterdir()) if kind_folder.is_dir() else []
        taken = [p for p in siblings if slug_from_filename(p.name.removesuffix(".md"))
                 == slug_from_filename(stem) and p not in (target, target.parent, moving)]
        if target.exists() or (target.name == "index.md" and target.parent.exists()) or taken:
            raise Refused(409, f"запись с таким названием уже есть ({relative}): измените название")
        self.aliases[decap_path] = relative
        browser = PurePosixPath(decap_path)
        if browser.name == "index.md" and len(browser.parts) > 3:  # the entry's own folder, never the kind's
            self.aliases[str(browser.parent)] = str(PurePosixPath(relative).parent)
        return jail(self.root, relative)

    def _name(self, kind: str, data: dict, decap_path: str) -> Path:
        """A new entry's file as netsite names it; the browser's path becomes an alias of it."""
        slug = make_slug(str(data.get("slug") or data.get("title") or ""))
        if not slug:
            raise Refused(422, "Не сохранено. Поле «Название»: в названии должны быть буквы или цифры")
        day = str(data.get("date", ""))[:10]
        stem = f"{day}-{slug}" if kind in admin.DATED and _is_day(day) else slug
        relative = f"content/{kind}/{stem}/index.md" if kind in admin.BUNDLES else f"content/{kind}/{stem}.md"
        return self._alias(decap_path, jail(self.root, relative))

    def _asset(self, asset: Any, decap_path: str, target: Path) -> tuple[Path, bytes]:
        """A photo or file sent with the entry, put beside where the entry really goes."""
        given, data = _decode(asset)
        folder = str(PurePosixPath(decap_path).parent)
        if isinstance(given, str) and given.startswith(folder + "/"):
            given = (target.parent.relative_to(self.root).as_posix()) + given[len(folder):]
        return self.path(given), data


def _unbundled(kind: str, data: dict) -> dict:
    """References as slugs: the browser names an entry that is a folder 'slug/index'."""
    spec = kinds.COMMON | kinds.KINDS[kind]
    result = {}
    for key, value in data.items():
        if getattr(spec.get(key), "__name__", "") == "ref":
            value = _slugs(value)
        elif key in records.SPECS and isinstance(value, list):
            value = [{sub: _slugs(item) if sub in admin.REFERENCES else item for sub, item in record.items()}
                     if isinstance(record, dict) else record for record in value]
        result[key] = value
    return result


def _slugs(value: Any) -> Any:
    if isinstance(value, list):
        return [_slugs(item) for item in value]
    return value.removesuffix("/index") if isinstance(value, str) else value


def _delete(target: Path, root: Path) -> None:
    """A file; an entry's index.md takes its folder along (its photos belong to no other entry, and
    a folder of photos without index.md is an error for netsite)."""
    bundle = target.parent
    if target.name == "index.md" and len(bundle.relative_to(root / "content").parts) == 2:
        if bundle.is_dir():
            shutil.rmtree(bundle)  # removes symbolic links inside, never what they point to
    else:
        target.unlink(missing_ok=True)


def _hidden(path: Path, folder: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(folder).parts)


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _config(root: Path) -> Config:
    try:
        return load_config(root)
    except NetsiteError as exc:
        raise Refused(409, "netsite.yaml с ошибкой: " + "; ".join(d.message.text("ru") for d in exc.diagnostics)) from None


def _front(raw: str) -> tuple[dict, str]:
    try:
        front = parse_front_matter(raw.replace("\r\n", "\n"))
    except FrontMatterError as exc:
        raise Refused(400, f"запись не читается: {exc.message.text('ru')}") from None
    return front.data, front.body


def _check(root: Path, target: Path, kind: str, text: str, media: list[tuple[Path, bytes]],
           config: Config) -> None:
    """What `netsite check` would say of this entry's front matter, as Refused(422) in Russian."""
    folder = target.parent
    names = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*")
             if target.name == "index.md" and p.is_file() and p != target}
    names |= {p.relative_to(folder).as_posix(): p for p, _ in media if p.is_relative_to(folder)}
    assets = tuple(Asset(name, path, sources.shown_path(root, path)) for name, path in sorted(names.items()))
    stem = folder.name if target.name == "index.md" else target.stem
    document = Document(target, sources.shown_path(root, target), kind, stem, text, assets)
    _parsed, problems = schema.parse(document, config)
    errors = [d for d in messages.localize_all(problems, "ru") if d.severity == "error"]
    if errors:
        raise Refused(422, "Не сохранено. " + " ".join(_with_field(str(d.message), text, d.location.line)
                                                      for d in errors))


def _with_field(message: str, text: str, line: int | None) -> str:
    """The message with the label of the form's field at `line`, so the author knows where to look."""
    key = None
    if line:
        row = text.split("\n")[line - 1] if line <= text.count("\n") + 1 else ""
        key = row.split(":", 1)[0].strip() if ":" in row and not row.startswith((" ", "-", "#")) else None
    label = admin.FIELDS.get(key or "", ("", ""))[0]
    return f"Поле «{label}»: {message}" if label else message


class Editor:
    """The local editor's API of one served site: its Backend (which remembers where the files the
    browser named went) and one request at a time. `serve` makes one per server (preview.make_handler)."""

    def __init__(self, root: Path):
        self.backend = Backend(root.resolve())
        self._one_at_a_time = threading.Lock()  # two saves of one entry must not interleave

    def respond(self, handler: Any, hosts: frozenset[str]) -> tuple[int, Any]:
        """(status, JSON answer) to a POST /api/v1 on `handler` (a BaseHTTPRequestHandler)."""
        problem = origin_problem(handler.headers, hosts, handler.client_address[0], handler.server.server_address[0])
        length = handler.headers.get("Content-Length") or ""
        if problem is None and not length.isdigit():
            problem = "нет Content-Length"
        if problem is None and int(length) > MAX_BODY:
            handler.close_connection = True  # the body is not read: the connection cannot be reused
            return 413, {"error": f"запрос больше {MAX_BODY // (1024 * 1024)} МБ: уменьшите фото"}
        if problem is not None:
            handler.close_connection = True
            return 403, {"error": problem}
        body = handler.rfile.read(int(length))
        with self._one_at_a_time:
            try:
                return 200, self.backend.answer(body)
            except Refused as exc:
                return exc.status, {"error": str(exc)}
            except OSError as exc:
                return 500, {"error": f"не получилось: {exc.strerror or exc}"}


def admin_file(path: str, base_path: str, root: Path) -> tuple[bytes, str] | None:
    """The local editor's page, configuration and script under <base>admin/, or None for other paths."""
    where = base_path + "admin"
    if path not in (where, where + "/", where + "/index.html", where + "/config.yml", f"{where}/{admin.SCRIPT}"):
        return None
    script = admin.script()
    if path.endswith(admin.SCRIPT):
        return (script.read_bytes(), "text/javascript; charset=utf-8") if script else (b"", "text/javascript")
    try:
        config = load_config(root)
    except NetsiteError as exc:
        lines = "\n".join(html.escape(d.format()) for d in exc.diagnostics)
        return (f'<!DOCTYPE html><html lang="ru"><meta charset="utf-8"><title>Редактор</title>'
                f'<p>netsite.yaml с ошибкой:</p><pre>{lines}</pre></html>').encode(), "text/html; charset=utf-8"
    if path.endswith("/config.yml"):
        return admin.config_yml(config, admin.LOCAL_BACKEND, base_path).encode("utf-8"), "text/yaml; charset=utf-8"
    return admin.page(base_path, script is not None).encode("utf-8"), "text/html; charset=utf-8"
