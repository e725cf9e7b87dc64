"""The browser editor: its configuration generated from the content model, the local API of `netsite serve`
(path jail, Host/Origin, bad requests, checks before writing) and editing files in place."""

from __future__ import annotations

import base64
import http.client
import io
import json
import os
import re
from pathlib import Path

import pytest
import yaml
from PIL import Image
from test_serve import Running

from netsite.content import config as config_module
from netsite.content import schema
from netsite.diagnostics import NetsiteError
from netsite.publish import admin
from netsite.server import editor, entryfile, guard

from conftest import INSTITUTION, build_site, check_site, diagnostics_of, write_site

NEWS = "content/news/2026-11-20-osennij-prazdnik.md"
COMMENTED = """\
---
# Карточка проверена методистом 01.09.2026
title: Детский сад «Ромашка»
short_name: "Ромашка"   # так нас называют родители
kind: kindergarten
geo: [55.75, 37.62]
phone: "+7 (495) 000-00-01"  # приёмная
---
Детский сад у парка.
"""


def site_with(tmp_path: Path, config: str | None = None, **files: str) -> Path:
    given = {"content/institutions/solnyshko.md": INSTITUTION,
             NEWS: "---\ntitle: Осенний праздник\ndate: 2026-11-20\ninstitution: solnyshko\n---\nПраздник.\n",
             **{name.replace("__", "/"): text for name, text in files.items()}}
    if config is None:
        return write_site(tmp_path / "site", given)
    return write_site(tmp_path / "site", given, config)


def photo() -> str:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "JPEG")
    return base64.b64encode(out.getvalue()).decode("ascii")


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def persist(path: str, raw: str, assets: list | None = None) -> dict:
    return {"action": "persistEntry", "params": {"branch": "main", "dataFiles": [{"path": path, "raw": raw}],
                                                 "assets": assets or [], "options": {"newEntry": True}}}


def ask(root: Path, request: dict, backend: editor.Backend | None = None):
    return (backend or editor.Backend(root)).answer(json.dumps(request).encode("utf-8"))


# ---- the configuration --------------------------------------------------------------------------

def settings(tmp_path: Path, config: str | None = None) -> dict:
    root = site_with(tmp_path, config)
    return yaml.safe_load(admin.config_yml(config_module.load(root), admin.LOCAL_BACKEND))


def fields_of(collection: dict) -> dict[str, dict]:
    return {field["name"]: field for field in collection["fields"]}


def test_one_collection_per_kind_where_netsite_keeps_it(tmp_path):
    made = settings(tmp_path)
    assert made["locale"] == "ru"
    collections = {c["name"]: c for c in made["collections"]}
    assert list(collections) == list(schema.KINDS)
    for kind, collection in collections.items():
        assert collection["folder"] == f"content/{kind}"
        keys = set(fields_of(collection)) - {"body"}
        assert keys == set(schema.COMMON) | set(schema.KINDS[kind])
        for key in schema.REQUIRED[kind]:
            assert fields_of(collection)[key]["required"] is True, (kind, key)
        bundled = collection.get("path") == "{{slug}}/index" and collection.get("media_folder") == ""
        assert bundled == (kind in ("institutions", "practices", "events", "news", "agreements"))
    assert collections["news"]["slug"].startswith("{{year}}-{{month}}-{{day}}-")
    assert collections["events"]["slug"] == "{{slug}}"


def test_widgets_follow_the_kind_of_each_value(tmp_path):
    collections = {c["name"]: fields_of(c) for c in settings(tmp_path)["collections"]}
    news, events, plans, meetings = (collections[k] for k in ("news", "events", "plans", "meetings"))
    assert news["date"]["widget"] == "datetime" and news["date"]["format"] == "YYYY-MM-DD"
    assert news["image"]["widget"] == "image" and news["draft"]["widget"] == "boolean"
    assert news["institution"] | {"multiple": False} == news["institution"]
    assert news["institution"]["widget"] == "relation" and news["institution"]["collection"] == "institutions"
    assert news["event"]["collection"] == "events" and news["body"]["widget"] == "markdown"
    assert events["start"]["format"] == "YYYY-MM-DD HH:mm" and events["start"]["required"] is True
    assert "Europe/Moscow" in events["start"]["hint"] and "Europe/Moscow" in events["end"]["hint"]
    assert events["organizers"]["multiple"] is True
    assert [o["label"] for o in events["status"]["options"]] == ["Состоится", "Отменено", "Перенесено"]
    assert {o["value"]: o["label"] for o in events["audience"]["options"]} == \
        {"teachers": "Педагогам", "parents": "Родителям", "children": "Детям"}
    assert events["gallery"]["fields"][0]["widget"] == "image"
    items = fields_of(plans["items"])
    assert plans["items"]["widget"] == "list" and items["month"]["format"] == "YYYY-MM"
    assert items["responsible"]["collection"] == "institutions" and items["event"]["collection"] == "events"
    assert [items[k]["required"] for k in ("id", "month", "title", "event")] == [True, True, True, False]
    decisions = fields_of(meetings["decisions"])
    assert decisions["item"]["value_field"] == "items.*.id" and decisions["plan"]["collection"] == "plans"
    assert all(f["label"] != f["name"] for c in collections.values() for f in c.values()), "a key has no label"


def test_the_site_vocabularies_are_the_select_lists(tmp_path):
    config = ("title: Т\nbase_url: https://net.example.org/\ntimezone: Asia/Yekaterinburg\n"
              "vocabularies:\n  format:\n    quest: Квест\n")
    events = fields_of(next(c for c in settings(tmp_path, config)["collections"] if c["name"] == "events"))
    assert {"label": "Квест", "value": "quest"} in events["format"]["options"]


def test_a_change_to_the_content_model_changes_the_editor(tmp_path, monkeypatch):
    monkeypatch.setitem(schema.KINDS, "news", {**schema.KINDS["news"], "venue": schema.KINDS["events"]["location"],
                                               "areas": schema.KINDS["practices"]["areas"]})
    monkeypatch.setitem(schema.REQUIRED, "news", ("title", "date", "venue"))
    news = fields_of(next(c for c in settings(tmp_path)["collections"] if c["name"] == "news"))
    assert news["venue"]["widget"] == "string" and news["venue"]["required"] is True
    assert news["areas"]["widget"] == "select" and news["areas"]["multiple"] is True


EDITOR = "title: Т\nbase_url: https://net.example.org/net/\ntimezone: Europe/Moscow\neditor:\n{}"


def test_the_published_editor_is_opt_in_noindex_and_out_of_sitemap_and_search(tmp_path):
    if admin.script() is None:
        pytest.fail("the editor's script is missing: run npm ci")
    plain = site_with(tmp_path / "a")
    build_site(plain)
    assert not (plain / "public" / "admin").exists()
    root = site_with(tmp_path / "b", EDITOR.format("  backend: gitlab\n  repo: metod/site\n  app_id: abc123\n"))
    build_site(root)
    out = root / "public"
    page = (out / "admin" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page and "data-pagefind-body" not in page
    assert 'src="/net/admin/decap-cms.js"' in page
    assert (out / "admin" / "decap-cms.js").read_bytes() == admin.script().read_bytes()
    made = yaml.safe_load((out / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert made["backend"] == {"name": "gitlab", "app_id": "abc123", "branch": "main", "repo": "metod/site",
                               "auth_type": "pkce"}
    assert "admin" not in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert not any("admin" in p.read_text(encoding="utf-8") for p in out.glob("*.xml") if "sitemap" not in p.name)


@pytest.mark.parametrize(("given", "expected"), [
    ("  backend: gitlub\n  repo: a/b\n",
     "backend must be one of gitlab, gitea, forgejo, github (did you mean 'gitlab'?)"),
    ("  backend: gitea\n  repo: a/b\n  app_id: x\n  base_url: https://git.example.org\n", "needs 'api_root'"),
    ("  backend: gitlab\n  repo: a/b\n", "needs 'app_id'"),
    ("  backend: gitea\n  repo: a/b\n  brnch: main\n", "has an unknown key 'brnch' (did you mean 'branch'?)"),
    ("  backend: github\n  repo: a/b\n", "needs 'base_url'"),
    ("  backend: github\n", "needs 'repo'"),
    ("  backend: forgejo\n  repo: a/b\n  app_id: x\n  base_url: http://git.example.org\n  api_root: https://x\n",
     "base_url must be an address starting with https://"),
    ("  backend: github\n  repo: 'a b'\n  base_url: https://auth.example.org\n",
     "repo must be the project's path on the git host, such as group/site"),
])
def test_a_bad_editor_setting_is_one_line_at_its_place(tmp_path, given, expected):
    root = site_with(tmp_path, EDITOR.format(given))
    with pytest.raises(NetsiteError) as info:
        config_module.load(root)
    [problem] = info.value.diagnostics
    assert (problem.code, problem.location.line, str(problem.message)) == ("config.value", 4, f"'editor' {expected}")


def test_publishing_the_editor_without_its_script_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setattr(admin, "SCRIPT_PLACES", (tmp_path / "nowhere.js",))
    root = site_with(tmp_path, EDITOR.format("  backend: github\n  repo: a/b\n  base_url: https://auth.example.org\n"))
    problem = diagnostics_of(root).diagnostics[0]
    assert (problem.code, problem.location.path) == ("editor.script", "netsite.yaml")
    assert "npm ci" in problem.message.text("ru") and "нужен скрипт редактора" in problem.message.text("ru")


def test_the_script_is_looked_for_in_the_package_then_in_node_modules():
    assert admin.SCRIPT_PLACES[0].parts[-3:] == ("netsite", "editor", "decap-cms.js")
    assert admin.SCRIPT_PLACES[1].parts[-4:] == ("node_modules", "decap-cms", "dist", "decap-cms.js")
    page = admin.page("/", has_script=False)
    assert "npm ci" in page and "<script" not in page


# ---- the local API: the path jail ---------------------------------------------------------------

OUTSIDE = ["content/../netsite.yaml", "/etc/passwd", "../outside.md", "netsite.yaml", "content\\news\\x.md",
           "C:/Windows/x.md", "content/news/con.md", "content/news/NUL.jpg", "content/.git/config",
           "content/news/../../netsite.yaml", "", "content/news/x.md\x00.jpg", "public/index.html"]


@pytest.mark.parametrize("path", OUTSIDE)
def test_no_path_outside_content_is_read_or_written(tmp_path, path):
    root = site_with(tmp_path)
    before = files_of(root.parent)
    for request in (persist(path, "---\ntitle: Х\n---\n"),
                    {"action": "persistMedia", "params": {"asset": {"path": path, "content": photo(),
                                                                    "encoding": "base64"}}},
                    {"action": "getEntry", "params": {"path": path}},
                    {"action": "getMediaFile", "params": {"path": path}},
                    {"action": "deleteFile", "params": {"path": path}},
                    {"action": "deleteFiles", "params": {"paths": ["content/news/x.md", path]}}):
        with pytest.raises(guard.Refused) as info:
            ask(root, request)
        assert info.value.status in (400, 403), request
    assert files_of(root.parent) == before


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links need os.symlink")
def test_a_symbolic_link_out_of_content_is_refused(tmp_path):
    root = site_with(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / "content" / "news" / "link").symlink_to(outside, target_is_directory=True)
    asset = {"path": "content/news/link/foto.jpg", "content": photo(), "encoding": "base64"}
    with pytest.raises(guard.Refused, match="символическую ссылку"):
        ask(root, {"action": "persistMedia", "params": {"asset": asset}})
    with pytest.raises(guard.Refused):
        ask(root, {"action": "getEntry", "params": {"path": "content/news/link/x.md"}})
    assert list(outside.iterdir()) == []


def test_a_listing_skips_links_and_hidden_files(tmp_path):
    root = site_with(tmp_path, **{"content__news__.draft.md": "---\ntitle: x\n---\n"})
    (root / "content" / "news" / "linked.md").symlink_to(root / "netsite.yaml")
    found = ask(root, {"action": "entriesByFolder", "params": {"folder": "content/news", "extension": "md",
                                                               "depth": 2}})
    assert [e["file"]["path"] for e in found] == [NEWS]
    assert found[0]["data"].startswith("---\ntitle: Осенний праздник") and len(found[0]["file"]["id"]) == 64


@pytest.mark.parametrize(("body", "status"), [
    (b"not json", 400), (b"[]", 400), (b'{"params": {}}', 400), (b'{"action": "format", "params": {}}', 422),
    (b'{"action": "persistEntry", "params": {}}', 400),
    (b'{"action": "persistEntry", "params": {"dataFiles": [{"path": "content/news/x.md"}], "assets": []}}', 400),
    (b'{"action": "persistMedia", "params": {"asset": {"path": "content/news/a/x.jpg", "content": "%%%",'
     b' "encoding": "base64"}}}', 400),
    (b'{"action": "persistEntry", "params": {"dataFiles": [{"path": "content/unknown/x.md", "raw": "---\\n'
     b'title: x\\n---\\n"}], "assets": []}}', 403),
])
def test_a_bad_request_is_refused_and_writes_nothing(tmp_path, body, status):
    root = site_with(tmp_path)
    before = files_of(root)
    with pytest.raises(guard.Refused) as info:
        editor.Backend(root).answer(body)
    assert info.value.status == status and str(info.value)
    assert files_of(root) == before


# ---- saving entries -----------------------------------------------------------------------------

def test_a_new_news_item_with_a_photo_is_named_as_netsite_names_it(tmp_path):
    root = site_with(tmp_path)
    backend = editor.Backend(root)
    decap = "content/news/2026-12-03-день-матери-в-«солнышке»/index.md"
    raw = ("---\ntitle: День матери в «Солнышке»\ndate: 2026-11-24\ninstitution: solnyshko\nimage: foto.jpg\n"
           "summary: ''\ntags: []\ndraft: false\n---\nДети подготовили концерт.\n")
    asset = {"path": "content/news/2026-12-03-день-матери-в-«солнышке»/foto.jpg", "content": photo(),
             "encoding": "base64"}
    assert ask(root, persist(decap, raw, [asset]), backend) == {"message": "entry persisted"}
    folder = root / "content" / "news" / "2026-11-24-den-materi-v-solnyshke"
    assert sorted(p.name for p in folder.iterdir()) == ["foto.jpg", "index.md"]
    text = (folder / "index.md").read_text(encoding="utf-8")
    assert "summary" not in text and "tags" not in text and "draft" not in text  # empty values are no keys
    again = ask(root, {"action": "getEntry", "params": {"path": decap}}, backend)  # the browser's name still works
    assert again["data"] == text and again["file"]["path"] == "content/news/2026-11-24-den-materi-v-solnyshke/index.md"
    shown = ask(root, {"action": "getMediaFile", "params": {"path": asset["path"]}}, backend)
    assert shown["path"] == "content/news/2026-11-24-den-materi-v-solnyshke/foto.jpg" and shown["content"] == photo()
    result = check_site(root)
    assert any(f.path == "news/den-materi-v-solnyshke/index.html" for f in result.files)


def test_a_reference_to_an_entry_in_a_folder_is_its_slug(tmp_path):
    root = site_with(tmp_path, **{"content__events__seminar__index.md":
                                  "---\ntitle: Семинар\nstart: 2026-12-01 10:00\n---\n"})
    raw = "---\ntitle: Итоги семинара\ndate: 2026-12-02\nevent: seminar/index\ninstitution: solnyshko\n---\n"
    ask(root, persist("content/news/x/index.md", raw))
    text = (root / "content" / "news" / "2026-12-02-itogi-seminara" / "index.md").read_text(encoding="utf-8")
    assert "event: seminar\n" in text
    check_site(root)


def test_a_value_netsite_would_refuse_comes_back_in_russian_with_its_field(tmp_path):
    root = site_with(tmp_path)
    before = files_of(root)
    raw = "---\ntitle: Праздник\ndate: 01.11.2026\ninstitution: solnyshko\n---\n"
    with pytest.raises(guard.Refused) as info:
        ask(root, persist("content/news/x/index.md", raw))
    assert info.value.status == 422
    assert str(info.value) == ("Не сохранено. Поле «Дата»: 'date': '01.11.2026' — не дата: пишите год-месяц-день, "
                               "2026-12-03 или \"2026-12-03 10:00\"")
    assert files_of(root) == before


def test_a_photo_that_is_not_sent_is_refused(tmp_path):
    root = site_with(tmp_path)
    raw = "---\ntitle: Праздник\ndate: 2026-11-01\ninstitution: solnyshko\nimage: nety.jpg\n---\n"
    with pytest.raises(guard.Refused, match=re.escape("Поле «Фото»: 'image': файл 'nety.jpg' не найден")):
        ask(root, persist("content/news/x/index.md", raw))


def test_a_title_without_letters_is_refused_at_its_field(tmp_path):
    root = site_with(tmp_path)
    with pytest.raises(guard.Refused, match="Поле «Название»") as info:
        ask(root, persist("content/events/x/index.md", "---\ntitle: '!!!'\nstart: 2026-12-01 10:00\n---\n"))
    assert info.value.status == 422 and not (root / "content" / "events").exists()


def test_a_slug_taken_is_refused(tmp_path):
    root = site_with(tmp_path)
    raw = "---\ntitle: Осенний праздник\ndate: {}\ninstitution: solnyshko\n---\n"
    ask(root, persist("content/news/a/index.md", raw.format("2026-11-21")))
    before = files_of(root)
    with pytest.raises(guard.Refused, match="уже есть") as info:  # another day, the same address
        ask(root, persist("content/news/b/index.md", raw.format("2026-11-22")))
    assert info.value.status == 409 and files_of(root) == before


def test_editing_keeps_comments_and_the_lines_the_form_left_alone(tmp_path):
    root = site_with(tmp_path, **{"content__institutions__romashka.md": COMMENTED})
    # what Decap sends back: its own YAML, every value, the comments gone, one value changed
    raw = ("---\ntitle: Детский сад «Ромашка»\nshort_name: Ромашка\nkind: kindergarten\ngeo:\n  - 55.75\n"
           "  - 37.62\nphone: +7 (495) 000-00-02\naddress: ул. Парковая, 3\ndraft: false\n---\nДетский сад у парка.\n")
    answer = ask(root, persist("content/institutions/romashka.md", raw))
    assert answer == {"message": "entry persisted"}
    text = (root / "content" / "institutions" / "romashka.md").read_text(encoding="utf-8")
    assert text == ("---\n# Карточка проверена методистом 01.09.2026\ntitle: Детский сад «Ромашка»\n"
                    "short_name: \"Ромашка\"   # так нас называют родители\nkind: kindergarten\n"
                    "geo: [55.75, 37.62]\nphone: +7 (495) 000-00-02  # приёмная\naddress: ул. Парковая, 3\n---\n"
                    "Детский сад у парка.\n")
    check_site(root)


def test_a_photo_added_to_a_flat_entry_makes_it_a_folder(tmp_path):
    root = site_with(tmp_path)
    raw = "---\ntitle: Осенний праздник\ndate: 2026-11-20\ninstitution: solnyshko\nimage: foto.jpg\n---\nПраздник.\n"
    asset = {"path": "content/news/foto.jpg", "content": photo(), "encoding": "base64"}
    backend = editor.Backend(root)
    ask(root, persist(NEWS, raw, [asset]), backend)
    folder = root / "content" / "news" / "2026-11-20-osennij-prazdnik"
    listed = ask(root, {"action": "entriesByFolder", "params": {"folder": "content/news", "depth": 2}}, backend)
    assert [e["file"]["path"] for e in listed] == ["content/news/2026-11-20-osennij-prazdnik/index.md"]
    assert not (root / NEWS).exists() and sorted(p.name for p in folder.iterdir()) == ["foto.jpg", "index.md"]
    assert any(f.path == "news/osennij-prazdnik/index.html" for f in check_site(root).files)


def test_merge_names_a_comment_it_cannot_keep():
    old = "---\ntitle: А\ntags:\n- осень   # сезон\n- праздник\n---\n"
    merged = entryfile.merge(old, {"title": "А", "tags": ["зима"]}, "")
    assert merged.dropped == ("tags",) and merged.text == "---\ntitle: А\ntags:\n- зима\n---\n"
    hashed = entryfile.merge('---\ntitle: "Клуб #1"  # название\n---\n', {"title": "Клуб #2"}, "")
    assert hashed.text == "---\ntitle: 'Клуб #2'  # название\n---\n" and hashed.dropped == ()


def test_merge_keeps_unknown_keys_and_drops_cleared_ones():
    old = "---\ntitle: А\nlegacy_note: из старого сайта  # не трогать\nsummary: Кратко\ndraft: false\n---\nТекст\n"
    merged = entryfile.merge(old, {"title": "Б", "legacy_note": "из старого сайта"}, "Новый текст\n")
    assert merged.text == "---\ntitle: Б\nlegacy_note: из старого сайта  # не трогать\ndraft: false\n---\nНовый текст\n"
    assert merged.dropped == ()


def test_media_of_an_entry_are_listed_read_and_deleted(tmp_path):
    root = site_with(tmp_path, **{"content__news__2026-11-21-foto__index.md":
                                  "---\ntitle: Фото\ndate: 2026-11-21\ninstitution: solnyshko\n---\n"})
    folder = "content/news/2026-11-21-foto"
    stored = ask(root, {"action": "persistMedia", "params": {"asset": {"path": f"{folder}/a.jpg", "content": photo(),
                                                                       "encoding": "base64"}}})
    assert stored["name"] == "a.jpg" and stored["path"] == f"{folder}/a.jpg"
    listed = ask(root, {"action": "getMedia", "params": {"mediaFolder": folder}})
    assert [m["name"] for m in listed] == ["a.jpg"] and listed[0]["content"] == stored["content"]
    ask(root, {"action": "deleteFiles", "params": {"paths": [f"{folder}/a.jpg"]}})
    assert ask(root, {"action": "getMedia", "params": {"mediaFolder": folder}}) == []
    with pytest.raises(guard.Refused, match="папке записи"):
        ask(root, {"action": "persistMedia", "params": {"asset": {"path": "content/news/a.jpg", "content": photo(),
                                                                  "encoding": "base64"}}})


# ---- over HTTP: only this machine's own editor page ---------------------------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = site_with(tmp_path_factory.mktemp("served"))
    running = Running(root)
    yield running, root
    running.stop()


def send(running: Running, body: bytes, host: str | None = "default", headers: dict | None = None):
    """One POST to the API with exactly these headers (Host included): (status, headers, body)."""
    conn = http.client.HTTPConnection(running.host, running.port, timeout=20)
    try:
        conn.putrequest("POST", editor.API, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            conn.putheader("Host", f"{running.host}:{running.port}" if host == "default" else host)
        for name, value in ({"Content-Type": "application/json", "Content-Length": str(len(body))} | (headers or {})).items():
            conn.putheader(name, value)
        conn.endheaders(body)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize(("headers", "host"), [
    ({"Origin": "http://evil.example"}, "default"),
    ({"Origin": "null"}, "default"),
    ({"Origin": "http://127.0.0.1:1"}, "default"),
    ({}, "evil.example"),
    ({}, None),
    ({"Content-Type": "text/plain"}, "default"),
])
def test_a_foreign_page_cannot_use_the_api(served, headers, host):
    running, root = served
    before = files_of(root)
    body = json.dumps(persist("content/news/x/index.md", "---\ntitle: Чужое\ndate: 2026-11-01\n"
                                                         "institution: solnyshko\n---\n")).encode()
    status, answer_headers, _answer = send(running, body, host, headers)
    assert status == 403 and answer_headers["content-type"].startswith(("application/json", "text/plain"))
    assert files_of(root) == before


def test_the_api_answers_its_own_page_in_json(served):
    running, _root = served
    origin = f"http://{running.host}:{running.port}"
    status, headers, answer = send(running, b'{"action": "info"}', headers={"Origin": origin})
    assert status == 200 and headers["content-type"] == "application/json; charset=utf-8"
    assert json.loads(answer) == {"repo": "site", "publish_modes": ["simple"], "type": "local_fs"}
    status, _headers, answer = send(running, b"{", headers={"Origin": origin})
    assert status == 400 and json.loads(answer) == {"error": "тело запроса — не JSON"}


def test_the_editor_page_is_served_with_its_config(served):
    running, _root = served
    page = running.text("/admin/")
    assert '<script src="/admin/decap-cms.js"></script>' in page and "noindex" in page
    made = yaml.safe_load(running.text("/admin/config.yml"))
    assert made["backend"] == admin.LOCAL_BACKEND and made["site_url"] == "/"
    assert running.request("/admin/decap-cms.js")[0] == 200


@pytest.mark.parametrize(("peer", "bound", "headers", "refused"), [
    ("127.0.0.1", "127.0.0.1", {"Host": "127.0.0.1:8000", "Content-Type": "application/json"}, False),
    ("::1", "::1", {"Host": "[::1]:8000", "Origin": "http://[::1]:8000", "Content-Type": "application/json"}, False),
    ("127.0.0.1", "0.0.0.0", {"Host": "127.0.0.1:8000", "Content-Type": "application/json"}, True),
    ("192.168.1.5", "0.0.0.0", {"Host": "127.0.0.1:8000", "Content-Type": "application/json"}, True),
    ("127.0.0.1", "127.0.0.1", {"Host": "localhost:8000", "Origin": "http://127.0.0.1:8000",
                                "Content-Type": "application/json"}, True),
])
def test_only_a_loopback_server_and_peer_may_write(peer, bound, headers, refused):
    hosts = frozenset({"127.0.0.1:8000", "localhost:8000", "[::1]:8000"})
    assert (guard.origin_problem(headers, hosts, peer, bound) is not None) == refused


def test_the_author_guide_shows_screenshots_that_exist():
    from conftest import REPO
    guide = (REPO / "docs" / "redaktor.md").read_text(encoding="utf-8")
    shown = re.findall(r"\]\((img/[^)]+\.png)\)", guide)
    assert len(shown) >= 8 and all((REPO / "docs" / name).is_file() for name in shown)


def test_deleting_an_entry_in_a_folder_takes_its_photos_along(tmp_path):
    root = site_with(tmp_path, **{"content__news__2026-11-21-foto__index.md":
                                  "---\ntitle: Фото\ndate: 2026-11-21\ninstitution: solnyshko\nimage: a.jpg\n---\n",
                                  "content__news__2026-11-21-foto__a.jpg": "x"})
    ask(root, {"action": "deleteFiles", "params": {"paths": ["content/news/2026-11-21-foto/index.md"]}})
    assert not (root / "content" / "news" / "2026-11-21-foto").exists() and (root / NEWS).is_file()
    ask(root, {"action": "deleteFile", "params": {"path": NEWS}})
    assert not (root / NEWS).exists() and (root / "content" / "news").is_dir()
    check_site(root)
