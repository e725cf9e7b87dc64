"""The editor as an author meets it: Debian's Chromium (Playwright) on `netsite serve` of a copy of the example network.

Through the forms only: a news item with a photo, an event repeated weekly, an institution edited;
the files land where netsite expects them, pass `netsite check`, their pages are served, the
institution keeps its comments, a refused value is shown in Russian, and no request leaves
127.0.0.1 (every other host is aborted and recorded).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
import pytest
import recurring_ical_events
import test_serve
from PIL import Image
from playwright.sync_api import expect
from test_reader_browser import serving
from test_serve import Running, until

from netsite.publish import admin

from conftest import REPO, build_site, check_site

# run first, on one worker (pytest_collection_modifyitems in conftest.py): the network is served once
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("editor")]
WAIT = 60_000
"""Milliseconds a step may take (the 5 MB script on a shared machine): a bound, not a timing assertion."""
COMMENT = "# Карточка сверена с сайтом учреждения 01.09.2026\n"


@pytest.fixture(scope="module")
def network(tmp_path_factory, example_site):
    if admin.script() is None:
        pytest.fail("the editor's script is missing: run npm ci")
    root = tmp_path_factory.mktemp("editor") / "site"
    shutil.copytree(example_site, root, symlinks=True)  # built, with its cache: serve's first build is warm
    card = root / "content" / "institutions" / "mbdou-rosinka.md"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("---\n", "---\n" + COMMENT, 1).replace("\nkind: kindergarten\n",
                                                                         "\nkind: kindergarten  # ДОУ\n", 1),
                    encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:  # the first build of the whole network on a loaded machine
        patch.setattr(test_serve, "WAIT", 120.0)
        running = Running(root, "--jobs", "1")
    yield running, root
    running.stop()


@pytest.fixture
def browser_page(network, chromium):
    """A new page, logged in to the local editor; requests to any host but 127.0.0.1 are aborted and listed."""
    running, _root = network
    foreign: list[str] = []
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")

    def guard(route):
        if urlsplit(route.request.url).hostname != "127.0.0.1":
            foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()
    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.goto(running.url + "admin/")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_text("Новости").first).to_be_visible(timeout=WAIT)
    yield page, foreign
    context.close()


def photo(folder: Path) -> Path:
    path = folder / "prazdnik.jpg"
    Image.new("RGB", (800, 600), (210, 140, 60)).save(path, "JPEG", quality=85)
    return path


def open_form(page, url: str) -> None:
    """The form at `url`, loaded afresh: moving between forms inside the app can keep the last one's state.
    After a publication the app moves itself to the saved entry a moment later: a test waits for that
    (`wait_for_url`) before opening the next form, and the address is checked here."""
    page.goto(url)
    page.reload()
    expect(page.locator("[id^=title-field]").first).to_be_visible(timeout=WAIT)
    assert page.url == url, f"the editor left {url} for {page.url}"


def publish(page) -> None:
    page.get_by_role("button", name="Опубликовать").first.click()
    page.get_by_text("Опубликовать сейчас").click()


def choose(page, field: str, text: str) -> None:
    """Pick an entry in a relation field (a searchable list of the other collection's entries)."""
    page.locator(f"[id^={field}-field]").first.click()
    page.get_by_text(text).first.click()


def test_an_author_adds_a_news_item_with_a_photo_and_a_weekly_event(network, browser_page, tmp_path):
    """The issue's "done when": through forms only, both appear on the site and pass `netsite check`."""
    running, root = network
    page, foreign = browser_page
    add_news(running, root, page, tmp_path)
    add_event(running, root, page)
    paths = {f.path for f in check_site(root).files}
    assert {"news/prazdnik-urozhaya-v-rosinke/index.html", "events/kruzhok-yunyi-ekolog/index.html"} <= paths
    assert foreign == []


def add_news(running, root: Path, page, tmp_path: Path) -> None:
    open_form(page, running.url + "admin/#/collections/news/new")
    page.locator("[id^=title-field]").first.fill("Праздник урожая в «Росинке»")
    page.locator("input[type=date]").first.fill("2026-11-24")
    choose(page, "institution", "Росинка")
    page.get_by_text("Выберите изображение").first.click()
    page.locator("input[type=file]").set_input_files(photo(tmp_path))
    page.get_by_role("button", name="Выбрать").last.click()
    page.locator("[data-slate-editor=true]").first.click()
    page.keyboard.type("Дети собрали урожай и устроили ярмарку.")
    publish(page)
    expect(page.get_by_text("Запись сохранена")).to_be_visible(timeout=WAIT)
    # the app then moves itself to the saved entry's address: wait for that move here, so that it
    # cannot land after the next form is opened (open_form still checks, should it come later)
    page.wait_for_url(re.compile(r"/collections/news/entries/"), timeout=WAIT)
    folder = root / "content" / "news" / "2026-11-24-prazdnik-urozhaya-v-rosinke"
    assert sorted(p.name for p in folder.iterdir()) == ["index.md", "prazdnik.jpg"]
    text = (folder / "index.md").read_text(encoding="utf-8")
    assert "institution: mbdou-rosinka\n" in text and "image: prazdnik.jpg\n" in text
    assert text.endswith("---\nДети собрали урожай и устроили ярмарку.\n")
    served = until(lambda: running.request("/news/prazdnik-urozhaya-v-rosinke/")[0] == 200 and
                   running.text("/news/prazdnik-urozhaya-v-rosinke/"), "the news page is served")
    assert "Дети собрали урожай" in served and "prazdnik" in served


def add_event(running, root: Path, page) -> None:
    open_form(page, running.url + "admin/#/collections/events/new")
    page.locator("[id^=title-field]").first.fill("Кружок «Юный эколог»")
    moments = page.locator("input[type=datetime-local]")
    moments.nth(0).fill("2026-12-02T16:00")
    moments.nth(1).fill("2026-12-02T17:00")
    choose(page, "organizers", "Росинка")
    page.locator("[id^=rrule-field]").first.fill("FREQ=WEEKLY;COUNT=4")
    publish(page)
    expect(page.get_by_text("Запись сохранена")).to_be_visible(timeout=WAIT)
    text = (root / "content" / "events" / "kruzhok-yunyi-ekolog" / "index.md").read_text(encoding="utf-8")
    assert "start: 2026-12-02 16:00\n" in text and "rrule: FREQ=WEEKLY;COUNT=4\n" in text
    until(lambda: running.request("/events/kruzhok-yunyi-ekolog/")[0] == 200, "the event page is served")
    status, _headers, body = running.request("/calendar.ics")
    assert status == 200
    calendar = icalendar.Calendar.from_ical(body)
    found = [e for e in recurring_ical_events.of(calendar).between((2026, 11, 1), (2027, 2, 1))
             if str(e.get("SUMMARY")) == "Кружок «Юный эколог»"]
    assert [e.start.strftime("%Y-%m-%d %H:%M") for e in found] == \
        ["2026-12-02 16:00", "2026-12-09 16:00", "2026-12-16 16:00", "2026-12-23 16:00"]


def test_a_value_netsite_refuses_is_shown_in_russian_and_nothing_is_written(network, browser_page):
    running, root = network
    page, _foreign = browser_page
    before = sorted(p.name for p in (root / "content" / "events").iterdir())
    open_form(page, running.url + "admin/#/collections/events/new")
    page.locator("[id^=title-field]").first.fill("Бесконечный кружок")
    page.locator("input[type=datetime-local]").nth(0).fill("2026-12-03T10:00")
    page.locator("[id^=rrule-field]").first.fill("FREQ=WEEKLY")
    publish(page)
    expect(page.get_by_text("Не сохранено. Поле «Повторение»")).to_be_visible(timeout=WAIT)
    assert sorted(p.name for p in (root / "content" / "events").iterdir()) == before


def test_editing_an_institution_keeps_its_comments(network, browser_page):
    running, root = network
    page, foreign = browser_page
    card = root / "content" / "institutions" / "mbdou-rosinka.md"
    old = card.read_text(encoding="utf-8")
    open_form(page, running.url + "admin/#/collections/institutions/entries/mbdou-rosinka")
    address = page.locator("[id^=address-field]").first
    address.fill("г. Энск, ул. Новая, д. 1")
    publish(page)
    expect(page.get_by_text("Запись сохранена")).to_be_visible(timeout=WAIT)
    new = card.read_text(encoding="utf-8")
    assert new.startswith("---\n" + COMMENT) and "\nkind: kindergarten  # ДОУ\n" in new
    assert "\naddress: г. Энск, ул. Новая, д. 1\n" in new
    changed = [line for line in new.splitlines() if line not in old.splitlines()]
    assert changed == ["address: г. Энск, ул. Новая, д. 1"]
    assert foreign == []


def test_the_published_editor_asks_the_network_git_host_only(tmp_path, chromium):
    """/admin/ of a built site (GitLab of the network's own): before login no request leaves the site."""
    root = tmp_path / "site"
    shutil.copytree(REPO / "content", root / "content")
    (root / "netsite.yaml").write_text((REPO / "netsite.yaml").read_text(encoding="utf-8") + (
        "editor:\n  backend: gitlab\n  repo: metodisty/sait\n  app_id: 3f9c\n"
        "  base_url: https://gitlab.example.org\n  api_root: https://gitlab.example.org/api/v4\n"),
        encoding="utf-8")
    build_site(root)
    foreign: list[str] = []
    with serving(root / "public") as url:
        context = chromium.new_context(locale="ru-RU")
        context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1"
                      else (foreign.append(route.request.url), route.abort()))
        page = context.new_page()
        page.set_default_timeout(WAIT)
        page.goto(url + "/admin/")
        expect(page.get_by_role("button", name="Войти через GitLab")).to_be_visible(timeout=WAIT)
        assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex, nofollow"
        context.close()
    assert foreign == []
