"""`netsite new`: a valid draft for every kind, with the right name, flagged until written, never overwriting."""

from __future__ import annotations

import re
from datetime import date

import pytest

from netsite import scaffold

from conftest import build_site, cli

ROSINKA = {"content/institutions/rosinka.md": "---\ntitle: Детский сад «Росинка»\n---\n"}


def find(site, kind: str, slug: str):
    return next(e for e in site.entries if (e.kind, e.slug) == (kind, slug))


CREATED = "netsite: created a draft; write its text, then remove the line 'draft: true'\n"


def expected_path(kind: str) -> str:
    dated = "2026-11-20-" if kind in ("news", "practices", "meetings") else ""
    folder = kind in ("news", "events", "practices", "agreements", "institutions")  # they take photos or files
    return f"content/{kind}/{dated}seminar-dlya-pedagogov" + ("/index.md" if folder else ".md")


def placeholder_warnings(result) -> list[str]:
    return [d.code for d in result.diagnostics if d.severity == "warning"]


# an agreement always needs two institutions named (test_refusals_are_one_clear_line)
@pytest.mark.parametrize("kind, given", [(kind, given) for kind in scaffold.KINDS for given in (False, True)
                                         if given or kind != "agreements"])
def test_every_kind_builds_cleanly(make_site, kind, given):
    root = make_site(ROSINKA if given else {})
    members = kind in scaffold.MEMBERS
    extra = ["--institution", "solnyshko", "--institution", "rosinka"] if given and members else []
    result = cli("new", kind, "Семинар для педагогов", "--date", "2026-11-20", "--root", root, *extra)
    assert (result.exit_code, result.stdout, result.stderr) == (0, str(root / expected_path(kind)) + "\n", CREATED)
    assert not any(e.kind == kind for e in build_site(root).site.entries if e.kind != "institutions"), "a draft"
    built = build_site(root, drafts=True)
    assert [d.code for d in built.diagnostics] == ["content.placeholder"]
    assert built.diagnostics[0].location.path == expected_path(kind)
    entry = find(built.site, kind, "seminar-dlya-pedagogov")
    assert (entry.title, entry.source) == ("Семинар для педагогов", expected_path(kind))
    if kind in ("practices", "news", "events"):
        expected = ("solnyshko", "rosinka") if given else ("solnyshko",) if kind == "practices" else ()
        assert entry.institutions == expected
    page = (root / "public" / entry.path.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "Семинар для педагогов" in page


@pytest.mark.parametrize("title", [
    "Семинар: итоги года", "#1 в городе", 'Конкурс "Зимние узоры"', "Кто-то's day", "2026", "true", "null",
    "- список", "[в скобках]", "{фигурные}", "Ёлка & гирлянды", "Тире — и многоточие…", "50% скидка", "a: b: c",
    "  пробелы   внутри  ",
])
def test_titles_that_need_quoting_read_back_the_same(make_site, title):
    root = make_site({})
    result = cli("new", "--root", root, "--", "pages", title)  # '--': a title may start with '-'
    assert result.exit_code == 0, result.stderr
    (entry,) = build_site(root, drafts=True).site.pages
    assert entry.title == " ".join(title.split())


def test_a_cyrillic_title_gives_a_transliterated_dated_name(make_site):
    root = make_site({})
    result = cli("new", "news", "Мастер-класс «Весёлые ёжики»", "--date", "2026-12-03", "--root", root)
    assert result.stdout.strip().endswith("content/news/2026-12-03-master-klass-veselye-ezhiki/index.md")


def test_a_long_official_name_takes_a_short_slug_that_entries_name_it_by(make_site):
    """netsite new institutions "<the full official name>" --slug Ромашка: the folder and the name by which
    a practice says `institution: romashka`; the title stays the full name."""
    root = make_site({})
    title = "Муниципальное бюджетное дошкольное образовательное учреждение детский сад № 5 «Ромашка»"
    made = cli("new", "institutions", title, "--slug", "Ромашка", "--root", root)
    assert made.exit_code == 0, made.stderr
    assert made.stdout.strip().endswith("content/institutions/romashka/index.md")
    practice = cli("new", "practices", "Эко-тропа", "--institution", "romashka", "--date", "2026-11-01", "--root", root)
    assert practice.exit_code == 0, practice.stderr
    site = build_site(root, drafts=True).site
    assert site.institution("romashka").title == title
    assert [p.slug for p in site.practices] == ["eko-tropa"]
    again = cli("new", "institutions", "Детский сад № 7", "--slug", "romashka", "--root", root)
    assert again.exit_code == 1 and "[new.exists]" in again.stderr
    empty = cli("new", "institutions", "Детский сад № 8", "--slug", "«»", "--root", root)
    assert empty.exit_code == 1 and "[new.slug]" in empty.stderr and not (root / "content/institutions/index.md").exists()


def test_never_overwrites(make_site):
    root = make_site({"content/pages/o-nas.md": "---\ntitle: О нас\n---\nСвоё.\n"})
    before = (root / "content/pages/o-nas.md").read_bytes()
    result = cli("new", "pages", "О нас", "--root", root)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == ("content/pages/o-nas.md: error: content/pages/o-nas.md already exists with the "
                             "slug 'o-nas': open it, or choose another title [new.exists]\n")
    assert (root / "content/pages/o-nas.md").read_bytes() == before


def test_the_same_slug_on_another_date_is_refused(make_site):
    root = make_site({})
    assert cli("new", "news", "Итоги недели", "--date", "2026-11-20", "--root", root).exit_code == 0
    result = cli("new", "news", "Итоги недели", "--date", "2026-11-27", "--root", root)
    assert result.exit_code == 1 and "[new.exists]" in result.stderr
    assert "content/news/2026-11-20-itogi-nedeli already exists" in result.stderr
    assert not (root / "content/news/2026-11-27-itogi-nedeli").exists()


def test_the_date_defaults_to_today_in_the_site_zone(make_site, monkeypatch):
    # 2026-11-25 22:30 UTC is already 26 November in Moscow.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795645800")
    root = make_site({})
    result = cli("new", "news", "Ночная новость", "--root", root)
    assert result.stdout.strip().endswith("content/news/2026-11-26-nochnaya-novost/index.md")


@pytest.mark.parametrize("args, code, message", [
    (["practices", "Практика"], "new.institution",
     "netsite new: error: practices need an institution: --institution rosinka (of: rosinka, solnyshko)"),
    (["agreements", "Соглашение", "--institution", "rosinka"], "new.institution",
     "netsite new: error: agreements need at least two institutions: --institution rosinka --institution "
     "solnyshko (of: rosinka, solnyshko)"),
    (["news", "Новость", "--institution", "solnyshka"], "new.institution",
     "netsite new: error: no institution 'solnyshka' in content/institutions/ (did you mean 'solnyshko'?)"),
    (["pages", "News"], "new.slug",
     "netsite new: error: the slug 'news' is used by the site itself: choose another title"),
    (["pages", "!!!"], "new.slug",
     "netsite new: error: the title gives the slug '', which is empty: write the title with letters or digits"),
    (["pages", "   "], "new.title", "netsite new: error: the title is empty"),
])
def test_refusals_are_one_clear_line(make_site, args, code, message):
    root = make_site({"content/institutions/rosinka.md": "---\ntitle: Детский сад «Росинка»\n---\n"})
    result = cli("new", *args, "--root", root)
    assert (result.exit_code, result.stderr) == (1, f"{message} [{code}]\n")
    assert sorted(p.name for p in (root / "content").rglob("*.md")) == ["rosinka.md", "solnyshko.md"]


def test_a_practice_takes_the_only_institution(make_site):
    root = make_site({})
    assert cli("new", "practices", "Эко-тропа", "--root", root, "--date", "2026-11-01").exit_code == 0
    (entry,) = build_site(root, drafts=True).site.practices
    assert entry.institutions == ("solnyshko",)


def test_usage_errors_exit_2(make_site):
    root = make_site({})
    assert cli("new", "pages", "О нас", "--institution", "solnyshko", "--root", root).exit_code == 2
    assert cli("new", "posts", "О нас", "--root", root).exit_code == 2
    assert cli("new", "news", "О нас", "--date", "03.12.2026", "--root", root).exit_code == 2
    assert cli("new", "news", "О нас", "--root", root / "nowhere").exit_code == 2


def test_compose_is_pure_and_fills_every_placeholder():
    draft = scaffold.compose("events", "Семинар", date(2026, 12, 3), (), example="rosinka", today=date(2026, 11, 20))
    assert draft.path == "content/events/seminar/index.md"
    assert '\nstart: "2026-12-03 10:00"\n' in draft.text and "# organizers: [rosinka]" in draft.text
    assert '\ndate: "2026-11-20" ' in draft.text and "\ndraft: true " in draft.text  # announced today
    assert "$" not in draft.text


@pytest.mark.parametrize("kind", scaffold.KINDS)
def test_every_date_is_quoted_as_the_guide_says(kind):
    text = scaffold.compose(kind, "Пример", date(2026, 12, 3), ("solnyshko", "rosinka")).text
    dates = re.findall(r"^#? ?\w+: (.*\b20\d\d-\d\d-\d\d\b.*?)(?:\s+#.*)?$", text, re.M)
    assert (dates or kind == "pages") and all(value.startswith(('"', '["')) for value in dates), dates


def test_an_edited_draft_is_quiet_and_a_published_placeholder_is_an_error(make_site):
    root = make_site({})
    path = root / cli("new", "news", "Праздник", "--date", "2026-11-20", "--root", root).stdout.strip()
    text = path.read_text(encoding="utf-8")
    placeholder = next(iter(scaffold.placeholders("news")))
    line = text.splitlines().index(placeholder) + 1
    warning = build_site(root).diagnostics
    assert [(d.code, d.severity, d.location.line) for d in warning] == [("content.placeholder", "warning", line)]
    path.write_text(text.replace("draft: true", "draft: false"), encoding="utf-8")
    result = cli("check", "--root", root, "--now", "2026-11-25 12:00", messages="ru")
    assert result.exit_code == 1
    assert (f"{path.relative_to(root).as_posix()}:{line}: error: на сайт попал бы текст шаблона "
            f"'{placeholder}': замените его своим [content.placeholder]") in result.stderr
    path.write_text(text.replace(placeholder, "Дети пели и танцевали.").replace("draft: true", "draft: false"),
                    encoding="utf-8")
    assert build_site(root).diagnostics == ()
    assert cli("check", "--root", root, "--now", "2026-11-25 12:00").exit_code == 0


@pytest.mark.parametrize("kind", scaffold.KINDS)
def test_each_template_shows_every_key_of_its_kind(kind):
    from netsite.content.schema import KINDS as KEYS

    text = (scaffold.SCAFFOLDS / f"{kind}.md").read_text(encoding="utf-8")
    written = set(re.findall(r"^#? ?([a-z_]+):", text, flags=re.M)) | {"institution", "organizers", "parties",
                                                                     "participants"}
    assert set(KEYS[kind]) - written == set(), f"add these keys to scaffolds/{kind}.md"


NEEDS_MORE = {"logo", "image", "gallery", "attachments", "attachment", "institutions", "all_day", "exdates", "event",
              "organizers", "problems", "decisions", "goals", "events", "practices", "news"}
"""Commented keys whose example needs a file, another entry, more lines, or replaces a line already there."""


@pytest.mark.parametrize("kind", scaffold.KINDS)
def test_the_commented_examples_are_valid_when_uncommented(make_site, kind):
    members = ("solnyshko", "rosinka") if kind in scaffold.MEMBERS else ()
    draft = scaffold.compose(kind, "Пример", date(2026, 11, 20), members)
    lines = []
    for line in draft.text.splitlines():
        match = re.match(r"^# ([a-z_]+): (.*?)(?:\s+# .*)?$", line)
        lines.append(f"{match[1]}: {match[2]}" if match and match[1] not in NEEDS_MORE else line)
    uncommented = "\n".join(lines) + "\n"
    assert uncommented.count("\n# ") < draft.text.count("\n# ")
    root = make_site({**ROSINKA, draft.path: uncommented})
    result = build_site(root, drafts=True)
    assert [d.code for d in result.diagnostics] == ["content.placeholder"]
    assert find(result.site, kind, "primer").title == "Пример"
