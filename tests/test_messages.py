"""Diagnostic messages in Russian (netsite.messages, netsite.messages_ru).

Every code netsite can report has Russian rules; every message that the bad-input corpus and the
cases below really produce is translated (no rule may silently stop matching its English); the
Russian keeps the place, the code and each placeholder; the command line speaks the site's language.
"""

from __future__ import annotations

import re

import pytest
from conftest import BASE_CONFIG, INSTITUTION, check_site, cli, diagnostics_of
from test_bad_inputs import BAD
from test_docs import codes_in_source

from bad_inputs import EVENT, NEWS, event, news, page
from netsite import messages
from netsite.diagnostics import Diagnostic, Location, did_you_mean, error, format_github
from netsite.messages_ru import CATALOGUE

# Codes made at run time, which a grep for quoted codes cannot see.
DYNAMIC_CODES = {"io", "internal", "agreement.dates", "plan.dates", "project.dates", "image.pixels",
                 "image.format", "image.damaged", "config.syntax", "config.alias", "config.tag", "config.depth",
                 "config.duplicate", "config.character", "config.number"}

INST = "content/institutions/solnyshko.md"
PLAN = "content/plans/p.md"
MEETING = "content/meetings/m.md"


def plan(*items: str, extra: str = "") -> str:
    return f"---\ntitle: План\n{extra}items:\n" + "".join(items) + "---\nТекст\n"


ITEM = "  - id: a\n    month: 2026-12\n    title: Пункт\n"

# More bad inputs, for the codes the bad-input corpus does not reach: (files, config, code).
MORE = {
    "email": ({INST: INSTITUTION.replace("kind:", "email: not-an-email\nkind:")}, BASE_CONFIG, "field.email"),
    "phone": ({INST: INSTITUTION.replace("kind:", "phone: звоните\nkind:")}, BASE_CONFIG, "field.phone"),
    "geo": ({INST: INSTITUTION.replace("kind:", "geo: [1]\nkind:")}, BASE_CONFIG, "field.type"),
    "geo-range": ({INST: INSTITUTION.replace("kind:", "geo: [100, 37]\nkind:")}, BASE_CONFIG, "field.type"),
    "vocabulary": ({INST: INSTITUTION.replace("kind: kindergarten", "kind: kindergarden")}, BASE_CONFIG,
                   "field.vocabulary"),
    "choice": ({EVENT: event("status: moved")}, BASE_CONFIG, "field.choice"),
    "bool": ({EVENT: event("all_day: может быть")}, BASE_CONFIG, "field.type"),
    "int": ({"content/pages/a.md": page("menu: первый")}, BASE_CONFIG, "field.type"),
    "empty-value": ({NEWS: news("summary:")}, BASE_CONFIG, "field.empty"),
    "empty-text": ({NEWS: news("summary: '  '")}, BASE_CONFIG, "field.type"),
    "list": ({"content/practices/p.md": "---\ntitle: П\ndate: 2026-11-01\ninstitution: solnyshko\n"
              "authors: {a: b}\n---\nТекст\n"}, BASE_CONFIG, "field.type"),
    "gallery": ({NEWS: news("gallery: [foto.jpg]")}, BASE_CONFIG, "field.gallery"),
    "file-not-bundle": ({"content/practices/p.md": "---\ntitle: П\ndate: 2026-11-01\ninstitution: solnyshko\n"
                         "attachments: [plan.pdf]\n---\nТекст\n"}, BASE_CONFIG, "field.file"),
    "required": ({NEWS: "---\ntitle: Новость\n---\nТекст\n"}, BASE_CONFIG, "field.required"),
    "practice-institution": ({"content/practices/p.md": "---\ntitle: П\ndate: 2026-11-01\n---\nТекст\n"},
                             BASE_CONFIG, "field.required"),
    "conflict": ({NEWS: news("institution: solnyshko", "institutions: [solnyshko]")}, BASE_CONFIG,
                 "field.conflict"),
    "ref-institution": ({NEWS: news("institution: solnyshk")}, BASE_CONFIG, "ref.institution"),
    "ref-event": ({NEWS: news("event: nope")}, BASE_CONFIG, "ref.event"),
    "ref-practice": ({"content/projects/pr.md": "---\ntitle: Проект\nparticipants: [solnyshko]\nstart: 2026-09-01\n"
                      "practices: [nope]\n---\nТекст\n"}, BASE_CONFIG, "ref.practice"),
    "ref-news": ({"content/projects/pr.md": "---\ntitle: Проект\nparticipants: [solnyshko]\nstart: 2026-09-01\n"
                  "news: [nope]\n---\nТекст\n"}, BASE_CONFIG, "ref.news"),
    "project-dates": ({"content/projects/pr.md": "---\ntitle: Проект\nparticipants: [solnyshko]\nstart: 2026-09-01\n"
                       "end: 2026-08-01\n---\nТекст\n"}, BASE_CONFIG, "project.dates"),
    "agreement-parties": ({"content/agreements/a.md": "---\ntitle: Договор\nparties: [solnyshko]\n"
                           "signed: 2026-09-01\n---\nТекст\n"}, BASE_CONFIG, "agreement.parties"),
    "record-shape": ({PLAN: plan("  - просто текст\n")}, BASE_CONFIG, "record.shape"),
    "record-unknown": ({PLAN: plan(ITEM + "    titel: x\n")}, BASE_CONFIG, "record.unknown"),
    "record-value": ({PLAN: plan(ITEM.replace("2026-12", "декабрь"))}, BASE_CONFIG, "record.value"),
    "record-slug": ({PLAN: plan(ITEM.replace("id: a", "id: Пункт А"))}, BASE_CONFIG, "record.value"),
    "record-required": ({PLAN: plan("  - id: a\n    month: 2026-12\n")}, BASE_CONFIG, "record.required"),
    "record-duplicate": ({PLAN: plan(ITEM, ITEM)}, BASE_CONFIG, "record.duplicate"),
    "plan-dates": ({PLAN: plan(ITEM, extra="period_start: 2026-09-01\nperiod_end: 2026-05-01\n")}, BASE_CONFIG,
                   "plan.dates"),
    "ref-plan": ({PLAN: plan(ITEM), MEETING: "---\ntitle: Встреча\ndate: 2026-11-01\nparticipants: [solnyshko]\n"
                  "decisions:\n  - text: Решили\n    plan: nope\n    item: a\n---\nТекст\n"}, BASE_CONFIG, "ref.plan"),
    "ref-plan-item": ({PLAN: plan(ITEM), MEETING: "---\ntitle: Встреча\ndate: 2026-11-01\nparticipants: [solnyshko]\n"
                       "decisions:\n  - text: Решили\n    plan: p\n    item: b\n---\nТекст\n"}, BASE_CONFIG,
                      "ref.plan_item"),
    "decision-half": ({MEETING: "---\ntitle: Встреча\ndate: 2026-11-01\nparticipants: [solnyshko]\n"
                       "decisions:\n  - text: Решили\n    plan: p\n---\nТекст\n"}, BASE_CONFIG, "record.required"),
    "end-equals": ({EVENT: event("end: 2026-12-03 10:00")}, BASE_CONFIG, "event.dates"),
    "end-no-time": ({EVENT: event("end: 2026-12-04")}, BASE_CONFIG, "event.dates"),
    "nonexistent": ({EVENT: event("timezone: America/New_York").replace("2026-12-03 10:00", "2026-03-08 02:30")},
                    BASE_CONFIG, "date.nonexistent"),
    "ambiguous": ({EVENT: event().replace("2026-12-03 10:00", "2026-11-01 01:30") + ""}, BASE_CONFIG.replace(
        "Europe/Moscow", "America/New_York"), "date.ambiguous"),
    "rrule-key": ({EVENT: event("rrule: FREQ=DAILY;COUNT=2;BYEASTER=1")}, BASE_CONFIG, "event.rrule"),
    "rrule-never": ({EVENT: event("rrule: FREQ=YEARLY;COUNT=2;BYMONTH=2;BYMONTHDAY=30")}, BASE_CONFIG, "event.rrule"),
    "rrule-offset": ({EVENT: event("rrule: FREQ=DAILY;COUNT=2").replace("10:00", "10:00+05:00")}, BASE_CONFIG,
                     "event.rrule"),
    "rrule-start": ({EVENT: event("rrule: FREQ=WEEKLY;COUNT=2;BYDAY=MO")}, BASE_CONFIG, "event.rrule"),
    "rrule-until": ({EVENT: event("rrule: FREQ=DAILY;UNTIL=завтра")}, BASE_CONFIG, "event.rrule"),
    "rrule-none": ({EVENT: event("rrule: FREQ=DAILY;UNTIL=20261201")}, BASE_CONFIG, "event.rrule"),
    "rrule-all-excluded": ({EVENT: event("rrule: FREQ=DAILY;COUNT=1", "exdates: ['2026-12-03 10:00']")}, BASE_CONFIG,
                           "event.rrule"),
    "config-key": ({}, BASE_CONFIG + "titel: x\n", "config.key"),
    "config-required": ({}, "title: Сеть\nbase_url: https://net.example.org/\n", "config.required"),
    "config-zone": ({}, BASE_CONFIG.replace("Europe/Moscow", "Europe/Moskow"), "config.value"),
    "config-language": ({}, BASE_CONFIG + "language: ry\n", "config.value"),
    "config-paginate": ({}, BASE_CONFIG + "paginate: 0\n", "config.value"),
    "config-bool": ({}, BASE_CONFIG + "search: да\n", "config.value"),
    "config-query": ({}, BASE_CONFIG.replace("org/", "org/?a=1"), "config.value"),
    "config-title": ({}, BASE_CONFIG.replace("Тестовая сеть", "''"), "config.value"),
    "config-menu": ({}, BASE_CONFIG + "menu: x\n", "config.value"),
    "config-menu-item": ({}, BASE_CONFIG + "menu:\n  - {label: x}\n", "config.value"),
    "config-vocabulary": ({}, BASE_CONFIG + "vocabularies: {formats: {a: b}}\n", "config.value"),
    "config-vocabulary-map": ({}, BASE_CONFIG + "vocabularies: x\n", "config.value"),
    "config-vocabulary-terms": ({}, BASE_CONFIG + "vocabularies: {format: []}\n", "config.value"),
    "config-vocabulary-id": ({}, BASE_CONFIG + "vocabularies: {format: {Большой: b}}\n", "config.value"),
    "config-vocabulary-replace": ({}, BASE_CONFIG + "vocabularies: {format: {replace: да}}\n", "config.value"),
    "config-tiles": ({}, BASE_CONFIG + "map_tiles: https://tiles.example/\n", "config.value"),
    "config-tiles-braces": ({}, BASE_CONFIG + "map_tiles: https://tiles.example/{z}/{x}/{y}/{q}.png\n", "config.value"),
    "config-syntax": ({}, BASE_CONFIG + "description: a: b\n", "config.syntax"),
    "config-list": ({}, "- a\n- b\n", "yaml.syntax"),
    "config-encoding": ({}, BASE_CONFIG.encode("cp1251") + "description: Сеть\n".encode("cp1251"), "config.encoding"),
    "content-file": ({"content/x.md": news()}, BASE_CONFIG, "path.kind"),
    "bundle-without-index": ({"content/news/b/foto.jpg": b"x"}, BASE_CONFIG, "path.bundle"),
    "frontmatter-first-line": ({NEWS: "--- Новость\ntitle: x\n---\n"}, BASE_CONFIG, "frontmatter.missing"),
    "yaml-quote": ({NEWS: news('summary: "abc')}, BASE_CONFIG, "frontmatter.syntax"),
    "yaml-colon": ({NEWS: news("summary: Итоги: год")}, BASE_CONFIG, "frontmatter.syntax"),
    "now": ({}, BASE_CONFIG, "usage.now"),
}


def _diagnostics(make_site, files, config, now="2026-11-25 12:00", setup=None) -> tuple[Diagnostic, ...]:
    root = make_site(files, config=BASE_CONFIG if isinstance(config, bytes) else config)
    if isinstance(config, bytes):
        (root / "netsite.yaml").write_bytes(config)
    if setup:
        setup(root)
    return diagnostics_of(root, now=now).diagnostics


# ---- the checks every Russian line must pass --------------------------------------------------------

_QUOTE = r"(?<!\w)'[^']*'(?!\w)"
_PLACEHOLDER = re.compile(_QUOTE + r"|\"[^\"]*\"|\S*[/\\.]\S*|\S+=\S*|U\+[0-9A-F]+|\{[^}]*\}")
_ENGLISH = re.compile(r"\b[a-z]{2,}\b(?:\s+\b[a-z]{2,}\b)+", re.I)
# Words that stay Latin in Russian: formats, YAML and rrule terms, the program's own commands.
_KEPT = {"FREQ", "COUNT", "UNTIL", "DAILY", "WEEKLY", "MONTHLY", "YEARLY", "JPEG", "PNG", "WebP", "GIF", "HTML",
         "YAML", "IANA", "SVG", "TIFF", "BMP", "HEIC", "HEIF", "PDF", "UTF", "true", "false", "netsite", "new",
         "check", "rrule", "exdates", "Pagefind", "pip", "install", "iPhone", "http", "https", "MB"}
_SYNTAX = {"'key: value'"}  # literal examples of syntax, which the Russian explains in Russian


def placeholders(message: str) -> set[str]:
    """The quoted values and paths of a message: they must come through unchanged."""
    found = set(re.findall(_QUOTE, message)) | set(re.findall(r"\S+/\S+", message))
    return {p.rstrip(":;,)") for p in found if "did you mean" not in p} - _SYNTAX


def assert_russian(diagnostic: Diagnostic, where: str) -> None:
    ru = messages.translate(diagnostic.message, diagnostic.code)
    assert ru is not None, f"{where}: no Russian rule for [{diagnostic.code}] {diagnostic.message!r}"
    line = messages.localized(diagnostic, "ru").format()
    assert line.startswith(f"{diagnostic.location}: {diagnostic.severity}: ") and line.endswith(f" [{diagnostic.code}]")
    rest = _PLACEHOLDER.sub(" ", ru)
    source_words = set(re.findall(r"\w+", diagnostic.message))
    words = [w for w in re.findall(r"\w+", rest) if not re.search(r"[\d_]", w)
             and (w not in source_words or re.search("[а-яё]", w, re.I))]
    assert sum(1 for w in words if re.search("[а-яё]", w, re.I)) >= 2, f"{where}: hardly any Russian in {ru!r}"
    latin = [w for w in words if not re.search("[а-яё]", w, re.I) and w not in _KEPT and not w.startswith("BY")]
    assert len(latin) <= 0.2 * len(words), f"{where}: not mostly Cyrillic: {ru}"
    english = [m.group() for m in _ENGLISH.finditer(rest)
               if not set(m.group().split()) <= _KEPT | {w for w in source_words if w.isupper()}]
    assert not english, f"{where}: English words left in {ru!r}: {english}"
    for value in placeholders(diagnostic.message):
        assert value in ru, f"{where}: {value!r} is lost in {ru!r}"


@pytest.mark.parametrize("name", sorted(BAD))
def test_every_bad_input_reads_in_russian(make_site, name):
    case = BAD[name]
    for diagnostic in _diagnostics(make_site, case.files, case.config, setup=case.setup):
        assert_russian(diagnostic, name)


@pytest.mark.parametrize("name", sorted(MORE))
def test_more_bad_inputs_read_in_russian(make_site, name):
    files, config, code = MORE[name]
    now = "завтра" if name == "now" else "2026-11-25 12:00"
    diagnostics = _diagnostics(make_site, files, config, now=now)
    assert code in {d.code for d in diagnostics}, f"{name}: got {[(d.code, d.message) for d in diagnostics]}"
    for diagnostic in diagnostics:
        assert_russian(diagnostic, name)


def test_every_code_has_russian_rules():
    missing = (codes_in_source() | DYNAMIC_CODES) - set(CATALOGUE)
    assert not missing, f"add Russian rules for {sorted(missing)} to src/netsite/messages_ru.py"

