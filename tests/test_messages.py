"""Diagnostic messages in English and Russian (netsite.messages, src/netsite/locale/*/LC_MESSAGES/netsite.po).

The two catalogues have the same names, the same placeholders and the same plural entries; every
name the sources use is in them and every entry is used; the Russian entries were written for the
English that is there now. Every message that the bad-input corpus and the cases below really
produce reads as Russian and keeps the place, the code and each value; the command line speaks the
site's language.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
import yaml
from babel import Locale
from babel.messages.pofile import read_po
from test_bad_inputs import BAD

from netsite import messages
from netsite.content import frontmatter
from netsite.diagnostics import Diagnostic, error
from netsite.messages import message

from bad_inputs import EVENT, NEWS, event, news, page
from conftest import BASE_CONFIG, INSTITUTION, REPO, cli, diagnostics_of

SOURCES = REPO / "src" / "netsite"
KEY = re.compile(r"(?:part:)?[a-z]+(?:\.[a-z0-9_-]+)*(?::[a-z0-9.-]+)?")

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
    "time-range": ({EVENT: event().replace("2026-12-03 10:00", "2026-12-03 10:00-12:00")}, BASE_CONFIG, "date.range"),
    "rrule-key": ({EVENT: event("rrule: FREQ=DAILY;COUNT=2;BYEASTER=1")}, BASE_CONFIG, "event.rrule"),
    "rrule-never": ({EVENT: event("rrule: FREQ=YEARLY;COUNT=2;BYMONTH=2;BYMONTHDAY=30")}, BASE_CONFIG, "event.rrule"),
    "rrule-offset": ({EVENT: event("rrule: FREQ=DAILY;COUNT=2").replace("10:00", "10:00+05:00")}, BASE_CONFIG,
                     "event.rrule"),
    "rrule-start": ({EVENT: event("rrule: FREQ=WEEKLY;COUNT=2;BYDAY=MO")}, BASE_CONFIG, "event.rrule"),
    "rrule-until": ({EVENT: event("rrule: FREQ=DAILY;UNTIL=завтра")}, BASE_CONFIG, "event.rrule"),
    "rrule-words": ({EVENT: event("rrule: каждую среду")}, BASE_CONFIG, "event.rrule"),
    "rrule-russian-day": ({EVENT: event("rrule: FREQ=WEEKLY;BYDAY=ср;COUNT=3")}, BASE_CONFIG, "event.rrule"),
    "rrule-bad-number": ({EVENT: event("rrule: FREQ=WEEKLY;COUNT=3;INTERVAL=два")}, BASE_CONFIG, "event.rrule"),
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
    "config-editor": ({}, BASE_CONFIG + "editor: gitlab\n", "config.value"),
    "config-editor-backend": ({}, BASE_CONFIG + "editor: {backend: gitlub, repo: a/b}\n", "config.value"),
    "config-editor-key": ({}, BASE_CONFIG + "editor: {backend: gitea, repo: a/b, brnch: main}\n", "config.value"),
    "config-editor-needs": ({}, BASE_CONFIG + "editor: {backend: github}\n", "config.value"),
    "config-editor-repo": ({}, BASE_CONFIG + "editor: {backend: github, repo: a, base_url: https://auth.example.org}\n",
                           "config.value"),
    "config-editor-url": ({}, BASE_CONFIG + "editor: {backend: gitlab, repo: a/b, app_id: x, base_url: git.example}\n",
                          "config.value"),
    "config-syntax": ({}, BASE_CONFIG + "description: a: b\n", "config.syntax"),
    "config-list": ({}, "- a\n- b\n", "yaml.syntax"),
    "config-encoding": ({}, BASE_CONFIG.encode("cp1251") + "description: Сеть\n".encode("cp1251"), "config.encoding"),
    "content-file": ({"content/x.md": news()}, BASE_CONFIG, "path.kind"),
    "bundle-without-index": ({"content/news/b/foto.jpg": b"x"}, BASE_CONFIG, "path.bundle"),
    "frontmatter-first-line": ({NEWS: "--- Новость\ntitle: x\n---\n"}, BASE_CONFIG, "frontmatter.missing"),
    "yaml-quote": ({NEWS: news('summary: "abc')}, BASE_CONFIG, "frontmatter.syntax"),
    "yaml-colon": ({NEWS: news("summary: Итоги: год")}, BASE_CONFIG, "frontmatter.syntax"),
    "yaml-backslash": ({NEWS: news('summary: "C:\\Users\\doc"')}, BASE_CONFIG, "frontmatter.syntax"),
    "yaml-escape": ({NEWS: news('summary: "C:\\doc"')}, BASE_CONFIG, "frontmatter.syntax"),
    # The commonest slips of authors, in libyaml's words (CSafeLoader), which are not PyYAML's:
    "yaml-unclosed-list": ({NEWS: news("tags: [осень, праздник")}, BASE_CONFIG, "frontmatter.syntax"),
    "yaml-unclosed-braces": ({NEWS: news("tags: {a: 1")}, BASE_CONFIG, "frontmatter.syntax"),
    "yaml-text-after-quote": ({NEWS: news('summary: "Итоги" года')}, BASE_CONFIG, "frontmatter.syntax"),
    "yaml-extra-bracket": ({NEWS: news("tags: [a, b]]")}, BASE_CONFIG, "frontmatter.syntax"),
    "yaml-item-indent": ({NEWS: news("tags:", "  - a", " - b")}, BASE_CONFIG, "frontmatter.syntax"),
    "yaml-bracket-value": ({NEWS: news("summary: ]")}, BASE_CONFIG, "frontmatter.syntax"),
    "yaml-folded-text": ({NEWS: news("summary: >-x")}, BASE_CONFIG, "frontmatter.syntax"),
    "now": ({}, BASE_CONFIG, "usage.now"),
}


@pytest.mark.parametrize("name", sorted(name for name in MORE if name.startswith("yaml-")))
def test_yaml_slips_read_in_russian_with_pure_python_yaml_too(make_site, monkeypatch, name):
    """Where libyaml is not installed PyYAML words its problems otherwise: they are Russian as well."""
    monkeypatch.setattr(frontmatter, "_Loader", yaml.SafeLoader)
    files, config, code = MORE[name]
    diagnostics = _diagnostics(make_site, files, config)
    assert code in {d.code for d in diagnostics}
    for diagnostic in diagnostics:
        assert_russian(diagnostic, name)


def _diagnostics(make_site, files, config, now="2026-11-25 12:00", setup=None) -> tuple[Diagnostic, ...]:
    root = make_site(files, config=BASE_CONFIG if isinstance(config, bytes) else config)
    if isinstance(config, bytes):
        (root / "netsite.yaml").write_bytes(config)
    if setup:
        setup(root)
    return diagnostics_of(root, now=now).diagnostics


# ---- the checks every Russian line must pass --------------------------------------------------------

_QUOTE = r"(?<!\w)'[^']*'(?!\w)"
# Placeholders, and a Python exception's own text (the detail of [internal] and [theme.render]).
_PLACEHOLDER = re.compile(_QUOTE + r"|\"[^\"]*\"|\S*[/\\.]\S*|\S+=\S*|--\S+(?: [a-z0-9-]+)?|U\+[0-9A-F]+|\{[^}]*\}"
                          r"|\b\w+(?:Error|Exception)\b.*")
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
    line = messages.localized(diagnostic, "ru").format()
    assert line.startswith(f"{diagnostic.location}: {diagnostic.severity}: ") and line.endswith(f" [{diagnostic.code}]")
    assert_russian_text(str(diagnostic.message), diagnostic.message.text("ru"), where)


def assert_russian_text(source: str, ru: str, where: str) -> None:
    """`ru` reads as Russian and keeps every quoted value and path of the English `source`."""
    rest = _PLACEHOLDER.sub(" ", ru)
    source_words = set(re.findall(r"\w+", source))
    words = [w for w in re.findall(r"\w+", rest) if not re.search(r"[\d_]", w)
             and (w not in source_words or re.search("[а-яё]", w, re.I))]
    assert sum(1 for w in words if re.search("[а-яё]", w, re.I)) >= 2, f"{where}: hardly any Russian in {ru!r}"
    latin = [w for w in words if not re.search("[а-яё]", w, re.I) and w not in _KEPT and not w.startswith("BY")]
    assert len(latin) <= 0.2 * len(words), f"{where}: not mostly Cyrillic: {ru}"
    english = [m.group() for m in _ENGLISH.finditer(rest)
               if not set(m.group().split()) <= _KEPT | {w for w in source_words if w.isupper()}]
    assert not english, f"{where}: English words left in {ru!r}: {english}"
    for value in placeholders(source):
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


# ---- the catalogues ---------------------------------------------------------------------------------

def _po(language: str):
    with (messages.LOCALE / language / "LC_MESSAGES" / "netsite.po").open("rb") as file:
        return read_po(file, locale=language)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_both_catalogues_have_the_same_names():
    english, russian = messages.catalogue("en"), messages.catalogue("ru")
    assert set(english) == set(russian), (f"only in English: {sorted(set(english) - set(russian))}; "
                                          f"only in Russian: {sorted(set(russian) - set(english))}")
    assert all(KEY.fullmatch(key) for key in english), [key for key in english if not KEY.fullmatch(key)]
    untranslated = [key for key, text in russian.items() if not all(text if isinstance(text, tuple) else (text,))]
    assert not untranslated, f"translation coverage is below 100 %: {untranslated}"


@pytest.mark.parametrize("key", sorted(messages.catalogue("en")))
def test_placeholders_and_plural_forms_match_between_languages(key):
    english, russian = messages.catalogue("en")[key], messages.catalogue("ru")[key]
    assert isinstance(english, tuple) == isinstance(russian, tuple), f"{key}: plural in one language only"
    forms = {"en": english if isinstance(english, tuple) else (english,),
             "ru": russian if isinstance(russian, tuple) else (russian,)}
    expected = _fields(forms["en"][0])
    for language, texts in forms.items():
        for text in texts:
            assert _fields(text) == expected, f"{key} [{language}] {text!r}: placeholders differ from {expected}"
    if isinstance(english, tuple):
        assert messages.COUNT in expected, f"{key}: plural forms are chosen by {{{messages.COUNT}}}"
        assert (len(english), len(russian)) == (2, 3)


def test_the_catalogues_pass_babels_checks():
    for language in messages.LANGUAGES:
        catalogue = _po(language)
        problems = [(entry.id, str(error)) for entry, errors in catalogue.check() for error in errors]
        assert not problems, f"{language}: {problems}"
        assert not [entry.id for entry in catalogue if entry.fuzzy and entry.id], f"{language}: fuzzy entries"


def test_each_russian_entry_was_written_for_the_english_there_now():
    """A Russian entry notes the English it translates (#. en: …): changing one sentence shows up here."""
    english = messages.catalogue("en")
    stale = []
    for entry in _po("ru"):
        if entry.id:
            key = entry.id[0] if isinstance(entry.id, tuple) else entry.id
            texts = english[key] if isinstance(english[key], tuple) else (english[key],)
            if list(dict.fromkeys(c.removeprefix("en: ") for c in entry.auto_comments)) != list(dict.fromkeys(texts)):
                stale.append(key)
    assert not stale, f"the English of {stale} changed: check the Russian and its '#. en:' comment"


def test_the_russian_plural_rule_is_babels():
    rule = Locale.parse("ru").plural_form
    index = {"one": 0, "few": 1, "many": 2}
    for number in range(0, 1201):
        assert messages.plural_index("ru", number) == index[rule(number)], number
    assert [messages.plural_index("en", n) for n in (0, 1, 2, 21)] == [1, 0, 1, 1]


def _names_in_sources() -> tuple[set[str], list[re.Pattern]]:
    """Message names written in the sources: string constants, and f-strings as patterns."""
    catalogue = messages.catalogue("en")
    names, patterns = set(), []
    for path in sorted(SOURCES.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                    node.value in catalogue or node.value.startswith(messages.PART + ":")):
                names.add(node.value)
            elif isinstance(node, ast.JoinedStr) and any(isinstance(v, ast.Constant) and ":" in str(v.value)
                                                         for v in node.values):
                pieces = [re.escape(v.value) if isinstance(v, ast.Constant) else "[a-z_.-]+" for v in node.values]
                patterns.append(re.compile("".join(pieces)))
            elif isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("error", "warning") \
                    and len(node.args) > 2 and isinstance(node.args[2], ast.Constant):
                names.add(node.args[2].value)
    return names, patterns


def test_every_name_the_sources_use_is_in_the_catalogue_and_every_entry_is_used():
    names, patterns = _names_in_sources()
    catalogue = set(messages.catalogue("en"))
    unknown = names - catalogue
    assert not unknown, f"add {sorted(unknown)} to src/netsite/locale/*/LC_MESSAGES/netsite.po"
    unused = {key for key in catalogue - names if not any(p.fullmatch(key) for p in patterns)}
    assert not unused, f"no source uses {sorted(unused)}: remove them from the catalogues"


def test_the_registry_of_codes_is_the_catalogue():
    codes = messages.codes()
    assert {"event.dates", "field.unknown", "io", "internal", "config.syntax"} <= codes
    assert not any(code.startswith(messages.PART) for code in codes)
    assert {key.partition(":")[0] for key in messages.catalogue("en") if not key.startswith("part:")} == codes




def test_codes_without_a_bad_input_still_translate_their_real_messages():
    """Messages no site build reaches: made by the real functions, so a changed English text fails here."""
    import errno

    import jinja2

    from netsite.content import images
    from netsite.content.config import load
    from netsite.diagnostics import NetsiteError
    from netsite.server import serve

    made: list[Diagnostic] = []
    try:
        load(Path("/nonexistent-netsite-site"))
    except NetsiteError as exc:
        made.extend(exc.diagnostics)
    made += serve.failure(OSError(errno.EACCES, "Permission denied", "content/news/x.md"))
    made += serve.failure(ZeroDivisionError("division by zero"))
    made += serve.failure(jinja2.TemplateSyntaxError("unexpected '}'", 7, "base.html", "base.html"))
    made += serve.failure(jinja2.UndefinedError("'entry' is undefined"))
    for name in ("a.heif", "a.tif", "a.bmp"):
        made.append(error("content/news/b/" + name, None, "asset.type", name=name, problem=images.kind_problem(name)))
    assert len(made) == 8
    for diagnostic in made:
        assert_russian(diagnostic, diagnostic.code)


@pytest.fixture
def new_site(make_site):
    return make_site({"content/institutions/rosinka.md": "---\ntitle: Детский сад «Росинка»\n---\n"})


@pytest.mark.parametrize("args, code", [
    (["practices", "Практика"], "new.institution"),
    (["agreements", "Соглашение", "--institution", "rosinka"], "new.institution"),
    (["news", "Новость", "--institution", "solnyshka"], "new.institution"),
    (["pages", "News"], "new.slug"),
    (["pages", "!!!"], "new.slug"),
    (["pages", "   "], "new.title"),
])
def test_netsite_new_refuses_in_russian(new_site, args, code):
    english = cli("new", *args, "--root", new_site).stderr
    russian = cli("new", *args, "--root", new_site, messages="").stderr
    assert english.endswith(f" [{code}]\n") and russian.endswith(f" [{code}]\n")
    place, _, text = english.removesuffix(f" [{code}]\n").partition(": error: ")
    russian_place, _, russian_text = russian.removesuffix(f" [{code}]\n").partition(": error: ")
    assert russian_place == place
    assert_russian_text(text, russian_text, code)


def test_new_refuses_an_existing_file_in_russian(new_site):
    assert cli("new", "pages", "Итоги", "--root", new_site).exit_code == 0
    result = cli("new", "pages", "Итоги", "--root", new_site, messages="")
    assert "уже есть с адресом 'itogi'" in result.stderr and "[new.exists]" in result.stderr


# ---- the command line: the site's language, or NETSITE_MESSAGES -----------------------------------

BROKEN = {EVENT: event("end: 2026-12-03 09:00"), NEWS: news("institution: solnyshk")}
RU_LINES = ["content/events/e.md:4: error: 'end' раньше, чем 'start': проверьте обе даты [event.dates]",
            "content/news/x.md:4: error: в content/institutions/ нет учреждения 'solnyshk' (может быть, вы имели "
            "в виду 'solnyshko'?): нужно имя папки учреждения (или его файла без .md) [ref.institution]",
            "netsite: остановлено, 2 ошибки и 0 предупреждений; ничего не записано"]
EN_LINES = ["content/events/e.md:4: error: 'end' is before 'start' [event.dates]",
            "content/news/x.md:4: error: no institution 'solnyshk' in content/institutions/ (did you mean "
            "'solnyshko'?) [ref.institution]",
            "netsite: stopped with 2 error(s) and 0 warning(s); nothing was written"]


def test_a_russian_site_reports_in_russian(make_site):
    root = make_site(BROKEN)
    result = cli("build", "--root", root, "--now", "2026-11-25 12:00", messages="")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == RU_LINES


def test_an_english_site_reports_in_english(make_site):
    root = make_site(BROKEN, config=BASE_CONFIG + "language: en\n")
    result = cli("build", "--root", root, "--now", "2026-11-25 12:00", messages="")
    assert result.stderr.splitlines() == EN_LINES


def test_the_environment_overrides_the_site_language(make_site):
    root = make_site(BROKEN, config=BASE_CONFIG + "language: en\n")
    assert cli("build", "--root", root, "--now", "2026-11-25 12:00", messages="ru").stderr.splitlines() == RU_LINES
    root_ru = make_site(BROKEN)
    assert cli("build", "--root", root_ru, "--now", "2026-11-25 12:00", messages="en").stderr.splitlines() == EN_LINES


def test_an_unreadable_configuration_is_reported_in_russian(make_site, tmp_path):
    root = make_site({}, config=BASE_CONFIG + "language: en\ndescription: a: b\n")
    result = cli("build", "--root", root, "--now", "2026-11-25 12:00", messages="")
    assert result.exit_code == 2
    assert "netsite.yaml:5: error: строка не читается: двоеточие с пробелом здесь не на месте" in result.stderr
    missing = cli("build", "--root", tmp_path / "nowhere", messages="")
    assert "error: здесь нет netsite.yaml: netsite ищет его в папке сайта" in missing.stderr
    assert "[config.missing]" in missing.stderr


def test_an_unknown_override_falls_back_to_the_site(make_site):
    assert messages.choose("en", "de") == "en" and messages.choose(None, "") == "ru"
    assert messages.choose("ru", " EN ") == "en" and messages.choose("xx", None) == "ru"


def test_warnings_are_russian_after_a_build(make_site):
    root = make_site({"content/news/b/index.md": news(body="![](foto.jpg)"),
                      "content/news/b/foto.jpg": __import__("bad_inputs").photo()})
    result = cli("build", "--root", root, "--now", "2026-11-25 12:00", messages="")
    assert result.exit_code == 0
    assert ("content/news/b/index.md:5: warning: у картинки нет описания: напишите его в квадратных скобках, "
            "![Дети рисуют осень](foto.jpg) [markdown.alt]") in result.stderr


@pytest.mark.parametrize("rule, expected", [
    ("каждую среду", "rrule пишется частями ИМЯ=значение через ';', например FREQ=WEEKLY;BYDAY=WE;COUNT=8 "
                     "(по средам, 8 раз), а не 'каждую среду'"),
    ("FREQ=WEEKLY;BYDAY=ср;COUNT=3", "(в BYDAY дни недели пишутся по-английски двумя буквами: MO, TU, WE, TH, FR, "
                                     "SA, SU, а не 'СР')"),
    ("FREQ=WEEKLY;COUNT=3;INTERVAL=два", "(INTERVAL не может быть 'ДВА')"),
])
def test_a_rule_in_words_or_with_russian_days_is_explained_in_russian(make_site, rule, expected):
    """dateutil's 'invalid 'BYDAY': СР' was shown as it is; a rule in words was called an unknown part."""
    root = make_site({EVENT: event(f"rrule: {rule}")})
    [diagnostic] = [d for d in diagnostics_of(root).diagnostics if d.code == "event.rrule"]
    assert expected in messages.localized(diagnostic, "ru").format()


def test_a_file_named_in_another_case_is_suggested(make_site):
    """'Foto.jpg' for 'foto.JPG': the commonest slip with photos, which difflib's ratio (0.5) missed."""
    root = make_site({"content/news/b/index.md": news("image: Foto.jpg"),
                      "content/news/b/foto.JPG": __import__("bad_inputs").photo()})
    [diagnostic] = [d for d in diagnostics_of(root).diagnostics if d.code == "field.file"]
    assert messages.localized(diagnostic, "ru").format() == (
        "content/news/b/index.md:4: error: 'image': файл 'Foto.jpg' не найден (может быть, вы имели в виду "
        "'foto.JPG'?); положите его рядом с index.md [field.file]")


def test_russian_plural_forms_follow_babel():
    assert [messages.counted(n, ("ошибка", "ошибки", "ошибок")) for n in (1, 2, 5, 11, 21, 22, 25)] == [
        "1 ошибка", "2 ошибки", "5 ошибок", "11 ошибок", "21 ошибка", "22 ошибки", "25 ошибок"]
    assert message("frontmatter.depth", n=21).text("ru") == ("в блоке сведений больше 21 уровня отступов: "
                                                           "сведения должны быть простыми — текст, дата или список")
    assert message("event.rrule:too-many", n=400).text("ru") == ("по rrule выходит больше 400 встреч: "
                                                               "уменьшите COUNT или поставьте UNTIL раньше")
    assert str(message("event.rrule:too-many", n=400)) == "rrule gives more than 400 occurrences: lower COUNT or UNTIL"
    assert str(message("part:value.long", key="title", n=1)) == "'title' is longer than 1 character"


def test_a_message_is_its_name_and_values_and_its_text_is_made_when_shown():
    d = error("content/news/x.md", 3, "ref.institution", slug="solnyshk", folder="content/institutions/",
              hint=message("part:hint", word="solnyshko"))
    assert d.code == "ref.institution" and messages.localized(d, "ru").message.values == d.message.values
    assert messages.from_json(messages.to_json(d.message)) == d.message
    assert messages.localized(d, "ru").format() == ("content/news/x.md:3: error: в content/institutions/ нет учреждения "
                                                    "'solnyshk' (может быть, вы имели в виду 'solnyshko'?): нужно имя папки "
                                                    "учреждения (или его файла без .md) [ref.institution]")
    with pytest.raises(KeyError):
        str(message("no.such-code"))
    with pytest.raises(KeyError):
        str(message("event.dates:before", later="end"))  # a value the sentence needs is missing


@pytest.mark.parametrize("fmt", ["text", "github"])
@pytest.mark.parametrize("name", ["broken", "mistakes"])
def test_check_output_in_russian_is_golden(make_site, monkeypatch, golden, name, fmt):
    from test_check import BROKEN as CHECK_BROKEN
    from test_check import MISTAKES

    root = make_site(CHECK_BROKEN if name == "broken" else MISTAKES)
    monkeypatch.chdir(root)
    result = cli("check", "--now", "2026-11-25 12:00", "--root", ".", "--format", fmt, messages="")
    assert result.exit_code == 1
    golden(f"check-{name}.ru.{fmt}", result.stdout + result.stderr)
    english = cli("check", "--now", "2026-11-25 12:00", "--root", ".", "--format", fmt)
    # the same problems at the same places with the same codes: only the messages differ
    strip = re.compile(r"(: (?:error|warning): ).*( \[[a-z._-]+\])$|(::).*$", re.M)
    assert strip.sub(r"\1\2\3", result.stdout) == strip.sub(r"\1\2\3", english.stdout)


def test_the_overlay_shows_russian_lines(make_site):
    from netsite.server import preview

    root = make_site({EVENT: event("end: 2026-12-03 09:00")})
    err = diagnostics_of(root)
    snapshot = preview.Snapshot(problems=err.diagnostics, failed=True, version=2, language="ru")
    page = preview.overlay(snapshot)
    assert "content/events/e.md:4: error: &#x27;end&#x27; раньше, чем &#x27;start&#x27;: проверьте обе даты [event.dates]" in page
    assert "Сайт не собрался" in page
    english = preview.overlay(preview.Snapshot(problems=err.diagnostics, failed=True, version=2, language="en"))
    assert "is before" in english and "did not build" in english


# ---- docs/oshibki.md shows real lines ----------------------------------------------------------------

N1 = "content/news/2026-11-01-novost.md"
DOC_SITES = [
    {N1: "---\ntitle: Новость\ndate: 01.11.2026\n---\nТекст\n"},
    {N1: news("institution: solnyshka")},
    {N1: news("", "tittle: x")},
    {"content/events/seminar.md": event("end: 2026-12-03 09:00")},
    {"content/events/2026-12-03-seminar.md": event("end: 2026-12-03 09:00")},  # docs/spravochnik.md
    {N1: "---\ntitle: Новость\ninstitution: solnyshka\ndate: 2026-11-01\n---\nТекст\n"},  # docs/spravochnik.md
    {N1: news("summary: Итоги: год")},
    {"content/news/2026-12-03-prazdnik.md": "---\ntitle: Праздник\ndate: 03.12.2026\n---\nТекст\n"},  # docs/avtoram.md
    {"content/events/2026-12-03-seminar.md": "---\ntitle: Семинар\nstart: 2026-12-03 10:00\n\n\n"
                                             "rrule: FREQ=WEEKLY\n---\nТекст\n"},
    {"content/news/2026-11-20-itogi/index.md": news(), "content/news/2026-11-20-itogi/foto.HEIC": b"\0\0\0\x18ftypheic"},
]


def test_the_lines_in_the_documentation_are_real(make_site, tmp_path):
    from conftest import REPO, build_site, write_site

    text = "\n".join(p.read_text(encoding="utf-8") for p in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))])
    documented = re.findall(r"^\S+: (?:error|warning): .*\[[a-z._-]+\]$", text, re.M)
    assert len(documented) >= 9
    real = set()
    for index, files in enumerate(DOC_SITES):
        root = write_site(tmp_path / f"s{index}", {INST_MBDOU: INSTITUTION, **files}, BASE_CONFIG)
        real |= {messages.localized(d, "ru").format() for d in diagnostics_of(root).diagnostics}
    root = write_site(tmp_path / "warn", {INST_MBDOU: INSTITUTION, "content/news/2026-11-20-itogi/index.md":
                                          news("", "", body="![](foto.jpg)"),
                                          "content/news/2026-11-20-itogi/foto.jpg": __import__("bad_inputs").photo()},
                      BASE_CONFIG)
    real |= {messages.localized(d, "ru").format() for d in build_site(root).diagnostics}
    missing = [line for line in documented if line not in real]
    assert not missing, f"docs/oshibki.md shows lines netsite does not print: {missing}\nit prints: {sorted(real)}"


INST_MBDOU = "content/institutions/mbdou-solnyshko.md"
