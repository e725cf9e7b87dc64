"""The network's cycle: agreements, meetings, plans, projects, members graph, audience pages, JSON-LD."""

from __future__ import annotations

import json
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import icalendar
import pytest
import yaml

from conftest import REPO, build_site, check_site, codes, diagnostics_of

SVG = "{http://www.w3.org/2000/svg}"

EVENT = """\
---
title: {title}
start: "{start}"
end: "{end}"
organizers: [solnyshko]
audience: [parents]
{extra}
---
Текст.
"""

PLAN = """\
---
title: План на год
items:
  - id: done
    month: 2026-11
    title: Проведённое событие
    responsible: [solnyshko]
    event: held
  - id: cancelled
    month: 2026-12
    title: Отменённое событие
    event: dropped
  - id: planned
    month: 2026-12
    title: Будущее событие
    event: later
  - id: no-event
    month: 2026-11
    title: Пункт без события
    responsible: [solnyshko]
  - id: moved
    month: 2026-10
    title: Событие перенесено на декабрь
    event: later
---
"""


def plan_site(make_site) -> Path:
    return make_site({
        "content/events/held.md": EVENT.format(title="Прошло", start="2026-11-10 10:00",
                                               end="2026-11-10 11:00", extra=""),
        "content/events/dropped.md": EVENT.format(title="Отменено", start="2026-12-03 10:00",
                                                  end="2026-12-03 11:00", extra="status: cancelled"),
        "content/events/later.md": EVENT.format(title="Будет", start="2026-12-15 10:00",
                                                end="2026-12-15 11:00", extra=""),
        "content/plans/god.md": PLAN,
    })


def statuses(root: Path, now: str) -> dict[str, str]:
    site = check_site(root, now=now).site
    return {row.item.id: row.status for row in site.cycle.planned["god"]}


@pytest.mark.parametrize("now, expected", [
    ("2026-11-10 10:30", {"done": "upcoming", "no-event": "upcoming", "moved": "overdue"}),
    ("2026-11-10 11:00", {"done": "done", "no-event": "upcoming"}),
    ("2026-11-30 23:59", {"done": "done", "no-event": "upcoming", "planned": "upcoming"}),
    ("2026-12-01 00:00", {"no-event": "overdue", "planned": "upcoming", "cancelled": "cancelled"}),
    ("2026-12-15 11:00", {"planned": "done", "moved": "overdue", "cancelled": "cancelled"}),  # held in Dec, not in its Oct
    ("2027-01-01 00:00", {"done": "done", "planned": "done", "no-event": "overdue"}),
])
def test_plan_item_status_around_now(make_site, now, expected):
    found = statuses(plan_site(make_site), now)
    assert {key: found[key] for key in expected} == expected


def test_plan_page_shows_each_status_and_the_items_anchor(make_site):
    root = plan_site(make_site)
    build_site(root, now="2026-12-05 12:00")
    html = (root / "public/plans/god/index.html").read_text(encoding="utf-8")
    found = dict(re.findall(r'data-item="([^"]+)" data-status="([^"]+)"', html))
    assert found == {"done": "done", "cancelled": "cancelled", "planned": "upcoming", "no-event": "overdue",
                     "moved": "overdue"}
    assert 'id="item-no-event"' in html and "Просрочено" in html
    profile = (root / "public/institutions/solnyshko/index.html").read_text(encoding="utf-8")
    assert 'href="/plans/god/#item-no-event"' in profile


def test_example_plan_has_items_in_every_state(example_site):
    html = (example_site / "public/plans/plan-2026-2027/index.html").read_text(encoding="utf-8")
    found = dict(re.findall(r'data-item="([^"]+)" data-status="([^"]+)"', html))
    assert set(found.values()) == {"done", "upcoming", "overdue", "cancelled"}
    assert found["seminar-fop-do"] == "done" and found["vzaimoposeshcheniya"] == "overdue"
    assert found["risovanie-peskom"] == "cancelled" and found["vebinar-sreda"] == "upcoming"
    plan = yaml.safe_load((REPO / "content/plans/plan-2026-2027.md").read_text(encoding="utf-8").split("---")[1])
    assert list(found) == [i["id"] for i in sorted(plan["items"], key=lambda i: i["month"])]


BAD = {
    "content/agreements/one.md": """\
        ---
        title: Соглашение
        parties: [solnyshko, solnyshk]
        signed: 2026-09-01
        valid_until: 2026-08-01
        ---
        """,
    "content/agreements/alone.md": """\
        ---
        title: Одна сторона
        parties: [solnyshko]
        signed: 2026-09-01
        ---
        """,
    "content/meetings/m.md": """\
        ---
        title: Заседание
        date: 2026-11-20
        participants: [solnyshko]
        event: [no-such-event]
        decisions:
          - text: Сделать
            plan: god
            item: nosuch
          - text: Другое
            plan: nosuchplan
            item: x
          - text: Ответственные
            responsible: [nobody]
        ---
        """,
    "content/meetings/half.md": """\
        ---
        title: Заседание
        date: 2026-11-20
        participants: [solnyshko]
        decisions:
          - text: Только план
            plan: god
        ---
        """,
    "content/plans/god.md": """\
        ---
        title: План
        items:
          - id: first
            month: 2026-11
            title: Пункт
            event: nowhere
            responsible: [nobody]
        ---
        """,
    "content/plans/broken.md": """\
        ---
        title: План
        items:
          - id: first
            month: 2026-13
            title: Пункт
          - id: first
            month: 2026-11
            title: Повтор
          - month: 2026-11
            title: Без id
            colour: red
          - просто текст
        ---
        """,
    "content/projects/p.md": """\
        ---
        title: Проект
        participants: [solnyshko, ghost]
        start: 2026-09-01
        end: 2026-08-01
        events: [nothing]
        practices: [nopractice]
        news: [nonews]
        ---
        """,
}


def line_of(path: str, needle: str, nth: int = 1) -> int:
    """The line of the nth line containing needle in BAD[path], as the author sees it."""
    lines = textwrap.dedent(BAD[path]).splitlines()
    return [i for i, text in enumerate(lines, 1) if needle in text][nth - 1]


@pytest.mark.parametrize("code, path, needle, nth", [
    ("ref.institution", "content/agreements/one.md", "parties:", 1),
    ("agreement.dates", "content/agreements/one.md", "valid_until:", 1),
    ("agreement.parties", "content/agreements/alone.md", "parties:", 1),
    ("ref.event", "content/meetings/m.md", "event:", 1),
    ("ref.plan_item", "content/meetings/m.md", "item: nosuch", 1),
    ("ref.plan", "content/meetings/m.md", "plan: nosuchplan", 1),
    ("ref.institution", "content/meetings/m.md", "responsible: [nobody]", 1),
    ("record.required", "content/meetings/half.md", "- text:", 1),
    ("ref.event", "content/plans/god.md", "event: nowhere", 1),
    ("ref.institution", "content/plans/god.md", "responsible: [nobody]", 1),
    ("record.value", "content/plans/broken.md", "month: 2026-13", 1),
    ("record.required", "content/plans/broken.md", "- month:", 1),
    ("record.unknown", "content/plans/broken.md", "colour:", 1),
    ("record.shape", "content/plans/broken.md", "просто текст", 1),
    ("ref.institution", "content/projects/p.md", "participants:", 1),
    ("project.dates", "content/projects/p.md", "end:", 1),
    ("ref.event", "content/projects/p.md", "events:", 1),
    ("ref.practice", "content/projects/p.md", "practices:", 1),
    ("ref.news", "content/projects/p.md", "news:", 1),
])
def test_bad_references_and_records_are_errors_at_their_lines(make_site, code, path, needle, nth):
    assert (code, path, line_of(path, needle, nth)) in codes(diagnostics_of(make_site(BAD)))


def test_unknown_party_has_a_hint_and_every_problem_comes_in_one_run(make_site):
    err = diagnostics_of(make_site(BAD))
    hint = [d for d in err.diagnostics if d.location.path.endswith("one.md") and d.code == "ref.institution"]
    assert "did you mean 'solnyshko'" in str(hint[0].message)
    assert len(err.diagnostics) >= 19


def test_duplicate_plan_item_ids_are_an_error(make_site):
    files = {"content/plans/god.md": """\
        ---
        title: План
        items:
          - id: same
            month: 2026-11
            title: Первый
          - id: same
            month: 2026-12
            title: Второй
        ---
        """}
    assert codes(diagnostics_of(make_site(files))) == {("record.duplicate", "content/plans/god.md", 7)}


def test_plan_item_references_are_checked_once_records_are_valid(make_site):
    files = {"content/plans/god.md": """\
        ---
        title: План
        items:
          - id: a
            month: 2026-11
            title: Пункт
            event: nowhere
            responsible: [solnyshko, nobody]
        ---
        """}
    found = codes(diagnostics_of(make_site(files)))
    assert found == {("ref.event", "content/plans/god.md", 7), ("ref.institution", "content/plans/god.md", 8)}


def test_new_section_slugs_are_reserved_for_pages(make_site):
    found = codes(diagnostics_of(make_site({"content/pages/plans.md": "---\ntitle: Планы\n---\n"})))
    assert ("entry.reserved", "content/pages/plans.md", 1) in found


def svg_of(html: str, css_class: str) -> ET.Element:
    match = re.search(r'<svg[^>]*class="[^"]*' + css_class + r'.*?</svg>', html, re.S)
    assert match, css_class
    return ET.fromstring(match.group(0))


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def test_members_graph_lists_exactly_the_parties_of_the_agreements(example_site):
    agreements = [front(p) for p in sorted((REPO / "content/agreements").rglob("*.md"))]
    parties = {slug for a in agreements for slug in a["parties"]}
    slugs = [p.stem if p.name != "index.md" else p.parent.name for p in sorted((REPO / "content/agreements").rglob("*.md"))]
    party_of = {(slug, party) for slug, a in zip(slugs, agreements) for party in a["parties"]}
    html = (example_site / "public/network/index.html").read_text(encoding="utf-8")
    svg = svg_of(html, "chart-network")
    assert svg.get("role") == "img" and svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text
    nodes = {g.get("data-slug") for g in svg.iter(f"{SVG}g") if g.get("class") == "node"}
    edges = [(line.get("data-from"), line.get("data-to")) for line in svg.iter(f"{SVG}line")]
    marks = [g.get("data-slug") for g in svg.iter(f"{SVG}g") if g.get("class") == "agreement"]
    assert nodes == parties and len(agreements) == 2 and sorted(marks) == sorted(slugs)
    # one line from an agreement to each of its parties: not every pair of its parties (a hairball)
    assert sorted(edges) == sorted(party_of) and len(edges) == sum(len(a["parties"]) for a in agreements)
    labels = [" ".join(t.itertext()) for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label"]
    assert "Краеведческий музей" in labels and len(labels) == len(parties)
    rows = re.findall(r'<tr data-agreement="([^"]+)">.*?</tr>', html, re.S)
    assert sorted(rows) == sorted(slugs)  # the table: one row per agreement, with its parties
    for slug, a in zip(slugs, agreements):
        row = re.search(rf'<tr data-agreement="{slug}">.*?</tr>', html, re.S).group(0)
        assert {f'href="/institutions/{party}/"' for party in a["parties"]} <= set(re.findall(r'href="[^"]+"', row))


def test_institution_pages_link_their_agreements_projects_and_meetings(example_site):
    html = (example_site / "public/institutions/library-gaidar/index.html").read_text(encoding="utf-8")
    assert 'href="/agreements/dogovor-o-socialnom-partnerstve/"' in html
    assert 'href="/projects/chitaem-vmeste/"' in html
    assert 'href="/meetings/sovet-seti-itogi-trimestra/"' in html
    assert 'href="/plans/plan-2026-2027/#item-konkurs-chtecov"' in html


def test_project_page_lists_its_events_practices_and_news(example_site):
    data = front(REPO / "content/projects/malenkie-kraevedy.md")
    html = (example_site / "public/projects/malenkie-kraevedy/index.html").read_text(encoding="utf-8")
    for kind in ("events", "practices", "news"):
        for slug in data[kind]:
            assert f'href="/{kind}/{slug}/"' in html
    text = html.replace("\u00ad", "").replace("\u00a0", " ")  # as read: soft hyphens and no-break spaces aside
    for goal in data["goals"]:
        assert goal in text
    for kind in ("events", "practices", "news"):
        for slug in data[kind]:
            page = (example_site / f"public/{kind}/{slug}/index.html").read_text(encoding="utf-8")
            assert 'class="related project-link">Проект: <a href="/projects/malenkie-kraevedy/"' in page
    other = (example_site / "public/events/vebinar-razvivayushchaya-sreda/index.html").read_text(encoding="utf-8")
    assert "project-link" not in other


def test_meeting_decisions_link_to_plan_items(example_site):
    data = front(REPO / "content/meetings/2026-11-20-sovet-seti-itogi-trimestra.md")
    html = (example_site / "public/meetings/sovet-seti-itogi-trimestra/index.html").read_text(encoding="utf-8")
    links = re.findall(r'class="plan-link" href="/plans/([^/]+)/#item-([^"]+)"', html)
    assert links == [(d["plan"], d["item"]) for d in data["decisions"]]
    plan = (example_site / "public/plans/plan-2026-2027/index.html").read_text(encoding="utf-8")
    assert 'href="/meetings/sovet-seti-itogi-trimestra/"' in plan


def test_agreement_attachment_is_published(example_site):
    folder = example_site / "public/agreements/soglashenie-o-setevom-vzaimodejstvii"
    assert 'href="/agreements/soglashenie-o-setevom-vzaimodejstvii/soglashenie-2026.txt"' in \
        (folder / "index.html").read_text(encoding="utf-8")
    assert (folder / "soglashenie-2026.txt").read_text(encoding="utf-8").startswith("СОГЛАШЕНИЕ")


@pytest.mark.parametrize("audience", ["teachers", "parents", "children"])
def test_audience_page_gathers_its_entries_and_links_feed_and_calendar(example_site, audience):
    html = (example_site / f"public/audiences/{audience}/index.html").read_text(encoding="utf-8")
    assert f'href="/audiences/{audience}/rss.xml"' in html
    assert f'href="/audiences/{audience}/calendar.ics"' in html
    feed = feedparser.parse((example_site / f"public/audiences/{audience}/rss.xml").read_bytes())
    assert not feed.bozo and feed.entries
    fed = {urlsplit(e.link).path for e in feed.entries}
    assert fed <= set(re.findall(r'href="(/[^"]+/)"', html))  # the page shows every entry of its feed
    calendar = icalendar.Calendar.from_ical((example_site / f"public/audiences/{audience}/calendar.ics").read_bytes())
    urls = {urlsplit(str(e.get("url"))).path for e in calendar.walk("VEVENT")}
    shown = {f"/events/{p.stem}/" for p in (REPO / "content/events").glob("*.md")
             if audience in front(p).get("audience", [])}
    assert urls == shown
    for path in sorted((REPO / "content/events").glob("*.md")):
        data = front(path)
        linked = f'href="/events/{path.stem}/"' in html
        assert linked == (audience in data.get("audience", [])), path.name


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_json_ld_organization_and_article(example_site):
    inst = json_ld((example_site / "public/institutions/school-5/index.html").read_text(encoding="utf-8"))
    data = front(REPO / "content/institutions/school-5.md")
    assert inst["@type"] == "Organization" and inst["name"] == data["title"]
    assert inst["url"] == "https://net.example.org/institutions/school-5/"
    news = json_ld((example_site / "public/news/itogi-festivalya/index.html").read_text(encoding="utf-8"))
    assert news["@type"] == "Article" and news["datePublished"].startswith("2026-11-20")
    assert {a["url"] for a in news["author"]} >= {"https://net.example.org/institutions/mbdou-zvezdochka/"}
    assert news["image"].endswith("/news/itogi-festivalya/foto.jpg")


def test_json_ld_escapes_markup_characters(make_site):
    root = make_site({"content/news/2026-11-01-x.md": """\
        ---
        title: "Конкурс </script><script>alert(1)</script> & «ёлка»"
        date: 2026-11-01
        institution: solnyshko
        ---
        Текст.
        """})
    build_site(root)
    html = (root / "public/news/x/index.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["headline"] == "Конкурс </script><script>alert(1)</script> & «ёлка»"


def test_nested_record_keys_keep_their_lines():
    from netsite.content.frontmatter import parse

    front = parse("---\ntitle: x\nitems:\n  - id: a\n    month: 2026-11\n  - id: b\n    title: y\n---\n")
    assert front.lines[("items", 0, "month")] == 5 and front.lines[("items", 1, "title")] == 7
    assert front.lines[("items", 1)] == 6


def test_english_theme_has_every_cycle_string(make_site):
    config = "title: Test network\nbase_url: https://net.example.org/\ntimezone: Europe/Moscow\nlanguage: en\n"
    root = plan_site(make_site)
    (root / "content/agreements").mkdir()
    (root / "content/agreements/a.md").write_text(
        "---\ntitle: Agreement\nparties: [solnyshko, other]\nsigned: 2026-09-01\n---\n", encoding="utf-8")
    (root / "content/institutions/other.md").write_text("---\ntitle: Other\n---\n", encoding="utf-8")
    (root / "netsite.yaml").write_text(config, encoding="utf-8")
    build_site(root)
    html = (root / "public/monitoring/index.html").read_text(encoding="utf-8")
    assert "Work plan fulfilment per institution" in html and "Overdue" in html
    assert "Who cooperates with whom" in (root / "public/network/index.html").read_text(encoding="utf-8")


CYCLE_PAGES = ["network", "monitoring", "agreements", "meetings", "plans", "projects",
               "agreements/soglashenie-o-setevom-vzaimodejstvii", "agreements/dogovor-o-socialnom-partnerstve",
               "meetings/sovet-seti-itogi-trimestra", "plans/plan-2026-2027", "projects/chitaem-vmeste",
               "projects/malenkie-kraevedy", "audiences/teachers", "institutions/mbdou-teremok"]


@pytest.mark.parametrize("page", CYCLE_PAGES)
def test_every_link_on_cycle_pages_resolves(example_site, page):
    public = example_site / "public"
    html = (public / page / "index.html").read_text(encoding="utf-8")
    for href in set(re.findall(r'href="(/[^"#]*)', html)):
        target = public / href.lstrip("/")
        assert (target / "index.html" if href.endswith("/") else target).is_file(), href
