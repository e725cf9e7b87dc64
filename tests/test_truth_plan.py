"""What the cycle pages say is true at the build's clock, and tomorrow's content does not break today's build.

A second network (Yekaterinburg, two institutions) with a monthly series whose January meeting is
removed by `exdates`, agreements past, current and future, a project listing a practice dated in
the future and a draft news item, Markdown links to both, a plan with one bad item and a file
whose front matter fails. Each build has a fixed `--now`; the "nightly" test builds the same
sources at several clocks in one folder (with the cache, as CI does) and checks every status.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import feedparser
import pytest

from conftest import build_site, check_site, codes, diagnostics_of

CONFIG = """\
title: Сеть «Уральские ладушки»
base_url: https://ladushki.example.org/
timezone: Asia/Yekaterinburg
"""

RODNICHOK = """\
---
title: Детский сад № 7 «Родничок»
short_name: «Родничок»
kind: kindergarten
---
Детский сад у пруда.
"""

BEREZKA = """\
---
title: Центр развития ребёнка «Берёзка»
short_name: «Берёзка»
kind: kindergarten
---
Центр развития.
"""

# The 2nd Wednesday of Nov, Dec, Jan and Feb; the January meeting is cancelled by exdates.
SERIES = """\
---
title: Методическое объединение воспитателей
start: "2026-11-11 17:00"
end: "2026-11-11 18:30"
rrule: "FREQ=MONTHLY;BYDAY=2WE;COUNT=4"
exdates: ["2027-01-13 17:00"]
organizers: [rodnichok, berezka]
audience: [teachers]
---
Встреча воспитателей двух садов.
"""

PLAN = """\
---
title: План сетевого взаимодействия на 2026/27 год
items:
  - id: noyabr
    month: 2026-11
    title: Методическое объединение в ноябре
    responsible: [rodnichok]
    event: metodob
  - id: yanvar
    month: 2027-01
    title: Методическое объединение в январе
    responsible: [rodnichok]
    event: metodob
  - id: fevral
    month: 2027-02
    title: Методическое объединение в феврале
    responsible: [berezka]
    event: metodob
---
План.
"""

AGREEMENT = """\
---
title: {title}
parties: [rodnichok, berezka]
signed: {signed}
{extra}
---
Текст соглашения.
"""

PRACTICE = """\
---
title: Утренний круг по-новому
date: 2026-12-20
institution: berezka
---
Как мы проводим утренний круг.
"""

DRAFT_NEWS = """\
---
title: Итоги методического объединения
date: 2026-11-12
institution: rodnichok
draft: true
---
Итоги.
"""

PROJECT = """\
---
title: Читаем вместе
participants: [rodnichok, berezka]
start: 2026-09-01
events: [metodob]
practices: [utrenniy-krug]
news: [itogi]
---
Проект. Смотрите [практику](../practices/utrenniy-krug.md) и [итоги](../news/itogi.md).
"""


def as_read(html: str) -> str:
    """Page text as a reader sees it: without soft hyphens, no-break spaces as spaces (typography.py)."""
    return html.replace("\u00ad", "").replace("\u00a0", " ")


def network(make_site, **extra: str) -> Path:
    files = {
        "content/institutions/rodnichok.md": RODNICHOK,
        "content/institutions/berezka.md": BEREZKA,
        "content/events/metodob.md": SERIES,
        "content/plans/plan.md": PLAN,
        "content/agreements/staroe.md": AGREEMENT.format(title="Соглашение 2024 года", signed="2024-09-01",
                                                          extra="valid_until: 2026-08-31"),
        "content/agreements/deystvuet.md": AGREEMENT.format(title="Соглашение о сотрудничестве",
                                                             signed="2026-09-01", extra="valid_until: 2026-12-31"),
        "content/agreements/budushchee.md": AGREEMENT.format(title="Соглашение на 2027 год", signed="2027-01-10",
                                                              extra=""),
        "content/practices/utrenniy-krug.md": PRACTICE,
        "content/news/itogi.md": DRAFT_NEWS,
        "content/projects/chitaem.md": PROJECT,
    }
    files.update(extra)
    return make_site(files, config=CONFIG, institution=False)


def plan_statuses(site) -> dict[str, str]:
    return {row.item.id: row.status for row in site.cycle.planned["plan"]}


def agreement_statuses(site) -> dict[str, str]:
    return dict(site.cycle.agreement_statuses)


# ---- plan items: done only by a meeting in the item's own month ------------------------------------

@pytest.mark.parametrize("now, expected", [
    ("2026-11-11 18:00", {"noyabr": "upcoming", "yanvar": "upcoming", "fevral": "upcoming"}),
    ("2026-11-11 18:30", {"noyabr": "done", "yanvar": "upcoming", "fevral": "upcoming"}),
    # the December meeting has been held: it does not make January's item done
    ("2026-12-20 12:00", {"noyabr": "done", "yanvar": "upcoming", "fevral": "upcoming"}),
    ("2027-02-01 00:00", {"noyabr": "done", "yanvar": "overdue", "fevral": "upcoming"}),
    ("2027-02-10 18:30", {"noyabr": "done", "yanvar": "overdue", "fevral": "done"}),
])
def test_plan_item_is_done_only_by_a_meeting_in_its_month(make_site, now, expected):
    result = check_site(network(make_site), now=now)
    assert plan_statuses(result.site) == expected


def test_months_are_the_sites_even_when_the_clock_has_an_offset(make_site):
    """2026-11-30 20:00 UTC is already 1 December in Yekaterinburg (UTC+5): November is over."""
    root = network(make_site, **{"content/plans/plan.md": PLAN.replace("items:", "items:\n  - id: bez-sobytiya\n"
                                                                       "    month: 2026-11\n    title: Отчёт")})
    assert plan_statuses(check_site(root, now="2026-11-30 20:00+00:00").site)["bez-sobytiya"] == "overdue"
    assert plan_statuses(check_site(root, now="2026-11-30 18:59+00:00").site)["bez-sobytiya"] == "upcoming"


def test_item_whose_month_has_no_meeting_is_warned_at_the_item(make_site):
    result = check_site(network(make_site), now="2026-11-20 12:00")
    warned = [(d.location.path, d.location.line) for d in result.diagnostics if d.code == "plan.month"]
    assert warned == [("content/plans/plan.md", 9)]  # '- id: yanvar'
    assert "2027-01" in next(str(d.message) for d in result.diagnostics if d.code == "plan.month")


def test_postponed_event_does_not_make_its_item_done(make_site):
    root = network(make_site, **{"content/events/metodob.md": SERIES.replace("organizers:", "status: postponed\n"
                                                                              "organizers:")})
    assert plan_statuses(check_site(root, now="2026-11-20 12:00").site)["noyabr"] == "upcoming"


def test_summary_institution_page_and_monitoring_agree(make_site):
    """In December: November's item done, January's upcoming (not done by December's meeting)."""
    root = network(make_site)
    build_site(root, now="2026-12-20 12:00")
    public = root / "public"
    plan_page = (public / "plans/plan/index.html").read_text(encoding="utf-8")
    assert re.findall(r'data-item="(\w+)" data-status="(\w+)"', plan_page) == [
        ("noyabr", "done"), ("yanvar", "upcoming"), ("fevral", "upcoming")]
    listing = as_read((public / "plans/index.html").read_text(encoding="utf-8"))
    assert "Выполнено</strong>: 1" in listing and "Запланировано</strong>: 2" in listing
    rodnichok = (public / "institutions/rodnichok/index.html").read_text(encoding="utf-8")
    assert re.findall(r'data-item="(\w+)" data-status="(\w+)"', rodnichok) == [("noyabr", "done"),
                                                                              ("yanvar", "upcoming")]
    data = json.loads((public / "monitoring/data.json").read_text(encoding="utf-8"))
    fulfilment = next(f for f in data["figures"] if f["id"] == "plan_fulfilment")
    assert {r["key"]: r["values"] for r in fulfilment["rows"]} == {
        "rodnichok": {"done": 1, "overdue": 0, "upcoming": 1, "cancelled": 0},
        "berezka": {"done": 0, "overdue": 0, "upcoming": 1, "cancelled": 0}}
    rows = csv.DictReader(io.StringIO((public / "monitoring/data.csv").read_text(encoding="utf-8-sig")))
    done = {r["key"]: int(r["value"]) for r in rows if r["figure"] == "plan_fulfilment" and r["series"] == "done"}
    assert done == {"rodnichok": 1, "berezka": 0}


# ---- agreements -----------------------------------------------------------------------------------

@pytest.mark.parametrize("now, expected", [
    ("2026-11-25 12:00", {"staroe": "expired", "deystvuet": "in_force", "budushchee": "not_yet"}),
    ("2026-12-31 23:00", {"staroe": "expired", "deystvuet": "in_force", "budushchee": "not_yet"}),
    ("2027-01-01 00:00", {"staroe": "expired", "deystvuet": "expired", "budushchee": "not_yet"}),
    ("2027-01-10 00:00", {"staroe": "expired", "deystvuet": "expired", "budushchee": "in_force"}),
])
def test_agreement_status_at_the_clock(make_site, now, expected):
    assert agreement_statuses(check_site(network(make_site), now=now).site) == expected


def test_network_draws_only_agreements_in_force(make_site):
    root = network(make_site, **{"content/institutions/kolosok.md": RODNICHOK.replace("Родничок", "Колосок"),
                                 "content/agreements/proshloe.md": AGREEMENT.format(
                                     title="Прошлое соглашение с «Колоском»", signed="2023-01-01",
                                     extra="valid_until: 2024-01-01").replace("berezka", "kolosok")})
    build_site(root, now="2026-11-25 12:00")
    page = (root / "public/network/index.html").read_text(encoding="utf-8")
    # the table lists agreements with their parties (issue 14): only the one in force
    assert re.findall(r'data-agreement="([\w-]+)"', page) == ["deystvuet"]
    row = page[page.index('data-agreement="deystvuet"'):]
    row = as_read(row[:row.index("</tr>")])
    assert "Соглашение о сотрудничестве" in row
    assert "2024 года" not in row and "2027 год" not in row
    assert "Колосок" not in page[:page.index('id="network-table"')]  # the map has no expired agreement
    members = page[page.index('class="member-list"'):]
    assert re.findall(r"«(\w+)»</a> <span class=\"muted\"> · Соглашения: (\d+)", members) == [
        ("Берёзка", "1"), ("Родничок", "1")]  # in force only; no «Соглашения: 0» for Колосок
    listing = (root / "public/agreements/index.html").read_text(encoding="utf-8")
    assert re.findall(r'data-status="(\w+)">([^<]+)<', listing) == [
        ("not_yet", "Ещё не вступило в силу"), ("in_force", "Действует"), ("expired", "Срок действия истёк"),
        ("expired", "Срок действия истёк")]
    future = (root / "public/agreements/budushchee/index.html").read_text(encoding="utf-8")
    assert "Ещё не вступило в силу" in future and "Действует<" not in future
    profile = (root / "public/institutions/kolosok/index.html").read_text(encoding="utf-8")
    assert "Прошлое соглашение" in profile and "· Срок действия истёк" in profile


# ---- references to entries not published yet -------------------------------------------------------

def test_future_practice_and_draft_news_are_warnings_and_appear_when_published(make_site):
    root = network(make_site)
    before = check_site(root, now="2026-12-01 12:00")
    found = {(d.code, d.location.line, d.severity) for d in before.diagnostics if d.code.startswith("ref.")}
    # front matter lines 6 (practices) and 7 (news), the body's two links on line 9
    assert found == {("ref.unpublished", 6, "warning"), ("ref.unpublished", 7, "warning"),
                     ("ref.unpublished", 9, "warning")}
    messages = " ".join(str(d.message) for d in before.diagnostics if d.code == "ref.unpublished")
    assert "2026-12-20" in messages and "content/practices/utrenniy-krug.md" in messages
    assert "content/news/itogi.md" in messages
    project = before.site.cycle.projects[0]
    assert project.practices == () and project.news == () and project.events == ("metodob",)
    assert "utrenniy-krug" not in project.body and ">практику<" not in project.body and "практику" in project.body

    after = check_site(root, now="2026-12-20 00:00")
    project = after.site.cycle.projects[0]
    assert project.practices == ("utrenniy-krug",) and project.news == ()
    assert 'href="/practices/utrenniy-krug/">практику</a>' in project.body
    assert [(d.code, d.location.line) for d in after.diagnostics if d.code.startswith("ref.")] == [
        ("ref.unpublished", 7), ("ref.unpublished", 9)]
    with_drafts = check_site(root, now="2026-12-20 00:00", drafts=True)
    assert with_drafts.site.cycle.projects[0].news == ("itogi",)
    assert not [d for d in with_drafts.diagnostics if d.code.startswith("ref.")]


def test_unknown_slug_is_still_an_error(make_site):
    root = network(make_site, **{"content/projects/chitaem.md": PROJECT.replace("utrenniy-krug]", "utreniy-krug]")})
    error = diagnostics_of(root, now="2026-12-25 12:00")
    assert ("ref.practice", "content/projects/chitaem.md", 6) in codes(error)


def test_news_of_a_draft_event_and_draft_institution_warn(make_site):
    root = network(make_site, **{
        "content/institutions/novyy.md": RODNICHOK.replace("kind:", "draft: true\nkind:"),
        "content/events/zakrytoe.md": SERIES.replace("title:", "draft: true\ntitle:"),
        "content/news/otchet.md": "---\ntitle: Отчёт\ndate: 2026-11-20\ninstitutions: [rodnichok, novyy]\n"
                                  "event: zakrytoe\n---\nОтчёт.\n"})
    result = build_site(root, now="2026-11-25 12:00")
    warned = sorted((d.code, d.location.path, d.location.line) for d in result.diagnostics if d.code.startswith("ref."))
    assert ("ref.unpublished", "content/news/otchet.md", 4) in warned
    assert ("ref.unpublished", "content/news/otchet.md", 5) in warned
    page = (root / "public/news/otchet/index.html").read_text(encoding="utf-8")
    assert "/institutions/novyy/" not in page and "/events/zakrytoe/" not in page


# ---- one bad plan item, and files whose front matter fails ------------------------------------------

MEETING = """\
---
title: Заседание совета сети
date: 2026-11-20
participants: [rodnichok, berezka]
decisions:
  - text: Провести объединение в феврале
    plan: plan
    item: fevral
  - text: Перенести январскую встречу
    plan: plan
    item: yanvar
---
Протокол.
"""


def test_error_in_one_plan_item_is_reported_there_only(make_site):
    root = network(make_site, **{"content/plans/plan.md": PLAN.replace("month: 2027-01", "month: 2027-1"),
                                 "content/meetings/sovet.md": MEETING})
    error = diagnostics_of(root, now="2026-11-25 12:00")
    errors = [(d.code, d.location.path, d.location.line) for d in error.diagnostics if d.severity == "error"]
    assert errors == [("record.value", "content/plans/plan.md", 10)]  # 'month: 2027-1'
    assert "2027-1" in next(str(d.message) for d in error.diagnostics if d.severity == "error")


def test_link_and_listing_to_a_broken_file_name_it(make_site):
    broken = PRACTICE.replace("date: 2026-12-20", "date: 20 декабря")
    root = network(make_site, **{"content/practices/utrenniy-krug.md": broken})
    error = diagnostics_of(root, now="2026-12-25 12:00")
    found = {(d.code, d.severity, d.location.path, d.location.line) for d in error.diagnostics}
    assert [c for c in found if c[1] == "error"] == [(next(c[0] for c in found if c[1] == "error"), "error",
                                                      "content/practices/utrenniy-krug.md", 3)]
    assert ("ref.broken", "warning", "content/projects/chitaem.md", 6) in found
    assert ("ref.broken", "warning", "content/projects/chitaem.md", 9) in found
    assert not [c for c in found if c[0] in ("ref.practice", "markdown.missing-link")]
    text = " ".join(str(d.message) for d in error.diagnostics if d.code == "ref.broken")
    assert text.count("content/practices/utrenniy-krug.md") == 2 and "front matter has an error" in text


# ---- front matter: lists written as one text, duplicate parties -----------------------------------

def test_comma_separated_tags_are_a_list_with_a_warning(make_site):
    root = network(make_site, **{"content/news/prazdnik.md": "---\ntitle: Праздник\ndate: 2026-11-20\n"
                                 "institution: rodnichok\ntags: праздники, музыка\n---\nТекст.\n"})
    result = build_site(root, now="2026-11-25 12:00")
    warned = [(d.location.path, d.location.line) for d in result.diagnostics if d.code == "field.list"]
    assert warned == [("content/news/prazdnik.md", 5)]
    assert "[праздники, музыка]" in next(str(d.message) for d in result.diagnostics if d.code == "field.list")
    assert result.site.by_slug["news"]["prazdnik"].tags == ("праздники", "музыка")
    public = root / "public"
    assert (public / "tags/prazdniki/index.html").is_file() and (public / "tags/muzyka/index.html").is_file()
    assert not (public / "tags/prazdniki-muzyka").exists()
    feed = feedparser.parse((public / "tags/muzyka/feed.xml").read_bytes()) \
        if (public / "tags/muzyka/feed.xml").exists() else None
    assert feed is None or [e.title for e in feed.entries] == ["Праздник"]


def test_comma_separated_slugs_are_a_list_too(make_site):
    root = network(make_site, **{"content/agreements/deystvuet.md": AGREEMENT.format(
        title="Соглашение", signed="2026-09-01", extra="").replace("[rodnichok, berezka]", "rodnichok, berezka")})
    result = check_site(root, now="2026-11-25 12:00")
    assert result.site.cycle.agreements_between("rodnichok", "berezka")[0].parties == ("rodnichok", "berezka")
    assert [d.location.line for d in result.diagnostics if d.code == "field.list"] == [3]


def test_duplicate_party_is_named(make_site):
    root = network(make_site, **{"content/agreements/deystvuet.md": AGREEMENT.format(
        title="Соглашение", signed="2026-09-01", extra="").replace("[rodnichok, berezka]", "[rodnichok, rodnichok]")})
    error = diagnostics_of(root, now="2026-11-25 12:00")
    assert [(d.location.path, d.location.line, str(d.message)) for d in error.diagnostics if d.severity == "error"] == [
        ("content/agreements/deystvuet.md", 3, "'rodnichok' is listed twice in 'parties': name each institution "
         "that signed the agreement once")]


def test_one_party_still_needs_a_second(make_site):
    root = network(make_site, **{"content/agreements/deystvuet.md": AGREEMENT.format(
        title="Соглашение", signed="2026-09-01", extra="").replace("[rodnichok, berezka]", "[rodnichok]")})
    error = diagnostics_of(root, now="2026-11-25 12:00")
    assert [(d.code, d.location.line) for d in error.diagnostics if d.severity == "error"] == [
        ("agreement.parties", 3)]


# ---- nightly: the same sources at several clocks, in one folder, all green ---------------------------

NIGHTS = [
    ("2026-11-01 03:00", {"noyabr": "upcoming", "yanvar": "upcoming", "fevral": "upcoming"}, False,
     {"staroe": "expired", "deystvuet": "in_force", "budushchee": "not_yet"}),
    ("2026-12-19 03:00", {"noyabr": "done", "yanvar": "upcoming", "fevral": "upcoming"}, False,
     {"staroe": "expired", "deystvuet": "in_force", "budushchee": "not_yet"}),
    ("2026-12-20 03:00", {"noyabr": "done", "yanvar": "upcoming", "fevral": "upcoming"}, True,
     {"staroe": "expired", "deystvuet": "in_force", "budushchee": "not_yet"}),
    ("2027-01-11 03:00", {"noyabr": "done", "yanvar": "upcoming", "fevral": "upcoming"}, True,
     {"staroe": "expired", "deystvuet": "expired", "budushchee": "in_force"}),
    ("2027-03-01 03:00", {"noyabr": "done", "yanvar": "overdue", "fevral": "done"}, True,
     {"staroe": "expired", "deystvuet": "expired", "budushchee": "in_force"}),
]


def test_nightly_builds_stay_green_and_tell_the_truth(make_site):
    root = network(make_site)
    for now, plan, practice_listed, agreements in NIGHTS:
        result = build_site(root, now=now)  # raises on any error
        assert plan_statuses(result.site) == plan, now
        assert agreement_statuses(result.site) == agreements, now
        public = root / "public"
        project = (public / "projects/chitaem/index.html").read_text(encoding="utf-8")
        assert ("/practices/utrenniy-krug/" in project) == practice_listed, now
        assert (public / "practices/utrenniy-krug/index.html").is_file() == practice_listed, now
        assert "/news/itogi/" not in project, now
        plan_page = (public / "plans/plan/index.html").read_text(encoding="utf-8")
        assert dict(re.findall(r'data-item="(\w+)" data-status="(\w+)"', plan_page)) == plan, now
        drawn = re.findall(r'data-agreement="([\w-]+)"', (public / "network/index.html").read_text(encoding="utf-8"))
        assert sorted(drawn) == sorted(slug for slug, status in agreements.items() if status == "in_force"), now
        listing = (public / "agreements/index.html").read_text(encoding="utf-8")
        shown = re.findall(r'href="/agreements/(\w+)/">[^<]+</a><br><span [^>]*data-status="(\w+)"', listing)
        assert dict(shown) == agreements, now
        status = "Действует" if agreements["budushchee"] == "in_force" else "Ещё не вступило в силу"
        assert status in (public / "agreements/budushchee/index.html").read_text(encoding="utf-8"), now


def test_new_messages_read_in_russian(make_site):
    """Every warning and error these scenarios give passes the Russian catalogue's checks."""
    from test_messages import assert_russian

    root = network(make_site, **{
        "content/news/prazdnik.md": "---\ntitle: Праздник\ndate: 2026-11-20\ninstitution: rodnichok\n"
                                    "tags: праздники, музыка\n---\nТекст.\n",
        "content/pages/o-seti.md": "---\ntitle: О сети\n---\nСм. [итоги](../news/itogi.md), "
                                   "[практику](../practices/utrenniy-krug.md) и [ошибку](../practices/slomano.md).\n",
        "content/practices/slomano.md": PRACTICE.replace("date: 2026-12-20", "date: завтра"),
        "content/agreements/dvazhdy.md": AGREEMENT.format(title="Дважды", signed="2026-09-01", extra="")
        .replace("[rodnichok, berezka]", "[rodnichok, rodnichok]")})
    error = diagnostics_of(root, now="2026-12-01 12:00")
    seen = {d.code for d in error.diagnostics}
    assert {"ref.unpublished", "ref.broken", "field.list", "plan.month", "agreement.parties"} <= seen
    for diagnostic in error.diagnostics:
        assert_russian(diagnostic, diagnostic.code)


def test_decision_on_a_draft_plan_waits_for_it(make_site):
    root = network(make_site, **{"content/plans/plan.md": PLAN.replace("items:", "draft: true\nitems:"),
                                 "content/meetings/sovet.md": MEETING})
    result = build_site(root, now="2026-11-25 12:00")
    warned = [(d.code, d.location.line) for d in result.diagnostics if d.location.path == "content/meetings/sovet.md"]
    assert warned == [("ref.unpublished", 7), ("ref.unpublished", 10)]
    page = (root / "public/meetings/sovet/index.html").read_text(encoding="utf-8")
    assert "Провести объединение в феврале" in page and "/plans/plan/" not in page
    published = build_site(root, now="2026-11-25 12:00", drafts=True)
    assert not [d for d in published.diagnostics if d.location.path == "content/meetings/sovet.md"]
    assert "/plans/plan/#item-fevral" in (root / "public/meetings/sovet/index.html").read_text(encoding="utf-8")


def test_reference_style_link_to_a_broken_file_names_it(make_site):
    root = network(make_site, **{
        "content/practices/slomano.md": PRACTICE.replace("date: 2026-12-20", "date: завтра"),
        "content/pages/o-seti.md": "---\ntitle: О сети\n---\nСм. [опыт «Берёзки»][opyt].\n\n"
                                   "[opyt]: ../practices/slomano.md\n"})
    error = diagnostics_of(root, now="2026-12-25 12:00")
    found = [(d.code, d.severity, d.location.line) for d in error.diagnostics if d.location.path == "content/pages/o-seti.md"]
    assert found == [("ref.broken", "warning", 4)]
