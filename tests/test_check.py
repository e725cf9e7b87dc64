"""`netsite check`: the build's problems plus links, anchors, files and unreferenced institutions."""

from __future__ import annotations

import pytest
from test_build import _jpeg

from netsite import audit
from netsite.diagnostics import Diagnostic, Location, Severity, error, format_github, warning
from netsite.messages import message

from conftest import BASE_CONFIG, NOW, check_site, cli

# ---- a site that does not build: the build's problems, in both formats ---------------------------

BROKEN = {
    "content/events/seminar.md": """\
        ---
        title: Семинар
        start: 2026-12-03 12:00
        end: 2026-12-03 10:00
        ---
        """,
    "content/news/2026-11-20-prazdnik.md": """\
        ---
        title: Праздник
        date: 20.11.2026
        institution: solnyshka
        "50%\\n::error file=README.md::forged": 1
        ---
        """,
    "content/practices/2026-11-01-eko.md": """\
        ---
        title: Экологическая тропа
        date: 2026-11-01
        institution: solnyshka
        ---
        """,
    "content/pages/itogi,goda.md": """\
        ---
        title: Итоги года
        colour: red
        ---
        """,
}

# ---- a site that builds, with mistakes only check finds ------------------------------------------

MISTAKES = {
    "content/institutions/museum.md": "---\ntitle: Краеведческий музей\nkind: museum\n---\n",
    "content/news/2026-11-20-prazdnik.md": """\
        ---
        title: Праздник
        date: 2026-11-20
        institution: solnyshko
        ---
        Прошёл праздник. [Фотоотчёт](/events/net-takogo/) и [план](../pages/plan.md#itogi).

        ![Логотип партнёра](https://cdn.example.com/logo.png)
        """,
    "content/pages/plan.md": """\
        ---
        title: План
        ---
        ## Задачи

        Всё по [задачам](#zadachi), а [наверх](#nachalo).
        """,
    "content/news/2026-11-21-vystavka/index.md": """\
        ---
        title: Выставка
        date: 2026-11-21
        institution: solnyshko
        image: photo.jpg
        ---
        ![Рисунок](photo.jpg)
        """,
    # a real photo: one that does not decode now stops the build itself ([image.format], images.py)
    "content/news/2026-11-21-vystavka/photo.jpg": _jpeg(),
    # the site's own page.html links to a page that does not exist: a problem of the theme
    "themes/default/templates/page.html": """\
        {% extends "base.html" %}
        {% block content %}<h1>{{ entry.title }}</h1>{{ entry.body|safe }}<a href="{{ url_for('/net-takoi/') }}">x</a>{% endblock %}
        """,
}
# A plain theme for these sites, so that what the default theme links to (feeds, the calendar:
# other parts of netsite) does not enter the expected output; the rest falls back to the default.
PLAIN = """\
    {% extends "base.html" %}
    {% block content %}{% for entry in entries %}<a href="{{ url_for(entry.path) }}">{{ entry.title }}</a>{% endfor %}{% endblock %}
    """
THEME = {
    "themes/default/templates/base.html": """\
        <!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>{{ config.title }}</title></head>
        <body>{% block content %}{% endblock %}</body></html>
        """,
    "themes/default/templates/events/list.html": PLAIN,
    "themes/default/templates/events/archive.html": PLAIN,
}
MISTAKES.update(THEME)


def run_check(make_site, monkeypatch, files, *args):
    root = make_site(files)
    monkeypatch.chdir(root)  # GitHub wants paths from the checkout's root
    return root, cli("check", "--now", NOW, "--root", ".", *args)


@pytest.mark.parametrize("fmt", ["text", "github"])
@pytest.mark.parametrize("name, files", [("broken", BROKEN), ("mistakes", MISTAKES)])
def test_check_output_is_golden(make_site, monkeypatch, golden, name, files, fmt):
    root, result = run_check(make_site, monkeypatch, files, "--format", fmt)
    assert result.exit_code == 1
    golden(f"check-{name}.{fmt}", result.stdout + result.stderr)
    assert not (root / "public").exists()  # check writes nothing


def test_github_annotations_cannot_be_forged(make_site, monkeypatch):
    _root, result = run_check(make_site, monkeypatch, BROKEN, "--format", "github")
    lines = result.stdout.splitlines()
    assert len(lines) == 5 and all(line.startswith("::error file=content/") for line in lines)
    forged = [line for line in lines if "forged" in line]
    assert forged == ["::error file=content/news/2026-11-20-prazdnik.md,line=5,title=field.unknown::unknown key "
                      "'50%25%0A::error file=README.md::forged' for news"]
    assert "::error file=content/pages/itogi%2Cgoda.md,line=3,title=field.unknown::" in result.stdout


def test_mistakes_are_found_at_their_source_lines(make_site):
    root = make_site(MISTAKES)
    found = {(d.code, d.location.path, d.location.line, d.severity) for d in audit.audit(check_site(root))}
    assert found == {
        ("check.link", "content/news/2026-11-20-prazdnik.md", 6, "error"),
        ("check.anchor", "content/news/2026-11-20-prazdnik.md", 6, "error"),
        ("check.external", "content/news/2026-11-20-prazdnik.md", 8, "error"),
        ("check.anchor", "content/pages/plan.md", 6, "error"),
        ("check.link", "public/plan/index.html", None, "error"),
        ("check.unreferenced", "content/institutions/museum.md", 2, "warning"),
    }


def test_a_clean_site_passes(make_site, monkeypatch):
    files = {
        "content/pages/plan.md": "---\ntitle: План\n---\n## Задачи\n\nСм. [задачи](#zadachi) и [новость](../news/2026-11-20-x.md).\n",
        "content/news/2026-11-20-x.md": "---\ntitle: X\ndate: 2026-11-20\ninstitution: solnyshko\n---\n"
                                        "[План](/plan/#zadachi), [почта](mailto:a@b.ru), [сайт](https://example.org/x).\n",
    }
    _root, result = run_check(make_site, monkeypatch, {**files, **THEME})
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "netsite check: no errors, 0 warning(s)\n"


def test_links_respect_a_base_path(make_site):
    config = BASE_CONFIG.replace("https://net.example.org/", "https://example.org/net/")
    root = make_site({"content/pages/plan.md": "---\ntitle: План\n---\n[Новость](/news/x/) и [главная](/)\n",
                      "content/news/2026-11-20-x.md": "---\ntitle: X\ndate: 2026-11-20\ninstitution: solnyshko\n---\n"},
                     config=config)
    result = check_site(root)
    located = [d for d in audit.audit(result) if d.location.path.startswith("content/")]
    assert located == []
    assert 'href="/net/news/x/"' in next(f.data.decode() for f in result.files if f.path == "plan/index.html")


def test_warnings_fail_only_with_strict(make_site, monkeypatch):
    files = {"content/institutions/museum.md": "---\ntitle: Музей\nkind: museum\n---\n",
             **THEME}
    _root, result = run_check(make_site, monkeypatch, files)
    assert result.exit_code == 0 and "[check.unreferenced]" in result.stderr
    _root, result = run_check(make_site, monkeypatch, files, "--strict")
    assert result.exit_code == 1


def test_a_configuration_error_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("check", "--format", "github")
    assert result.exit_code == 2
    assert result.stdout.startswith("::error title=config.missing::no netsite.yaml here")


def test_the_example_site_passes_check(example_site):
    assert [d.format() for d in audit.audit(check_site(example_site))] == []


# ---- the parts -----------------------------------------------------------------------------------

@pytest.mark.parametrize("diagnostic, file, expected", [
    (error("content/a.md", 4, "event.dates:before", later="end", earlier="start"), "content/a.md",
     "::error file=content/a.md,line=4,title=event.dates::'end' is before 'start'"),
    (warning("content/a,b:c.md", None, "theme.render", detail="100% done"), "content/a,b:c.md",
     "::warning file=content/a%2Cb%3Ac.md,title=theme.render::100%25 done"),
    (Diagnostic(Severity.ERROR, message("io", detail="one\r\ntwo\n::error::three"), Location("x.md", 2), "a:b,c"),
     "x.md", "::error file=x.md,line=2,title=a%3Ab%2Cc::one%0D%0Atwo%0A::error::three"),
    (error("x.md", 3, "file.character", col=7, char="U+0007"), "x.md",
     "::error file=x.md,line=3,col=7,title=file.character::invalid character U+0007 (a control or text-direction "
     "character); delete it"),
    (error("--now", None, "usage.now", problem=message("date.format:not-date", value="x")), None,
     "::error title=usage.now::'x' is not a date: write 2026-12-03 or \"2026-12-03 10:00\""),
])
def test_format_github(diagnostic, file, expected):
    assert format_github(diagnostic, file) == expected


@pytest.mark.parametrize("rest, expected", [
    ("", None), ("news/", None), ("news", None), ("news/#top", None), ("news/#nowhere", "check.anchor"),
    ("static/site.css", None), ("static/site.css#x", None), ("nope/", "check.link"), ("news/x.html", "check.link"),
    ("%D0%BF/", "check.link"), ("news/?page=2", None),
])
def test_target_problem(rest, expected):
    files = {"index.html": None, "news/index.html": None, "static/site.css": None}
    pages = {"index.html": audit.collect("<p id=top>"), "news/index.html": audit.collect("<h2 id=top>x</h2>")}
    problem = audit.target_problem(rest, pages, files)
    assert problem == expected


def test_collect_finds_ids_and_urls():
    page = audit.collect('<a name="old">x</a><h2 id="new">y</h2><img src="a.png" srcset="b.png 2x, c.png 3x">'
                         '<!-- <a href="/commented/"> --><link rel="stylesheet" href="/s.css"><a href="/x/?a=1&amp;b=2">z</a>')
    assert page.ids == {"old", "new"}
    assert [(r.url, r.fetched) for r in page.refs] == [("a.png", True), ("b.png", True), ("c.png", True),
                                                       ("/s.css", True), ("/x/?a=1&b=2", False)]


def test_resources_from_other_hosts_are_errors_and_links_to_them_are_not(make_site):
    theme = """\
        <!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>x</title>
        <link rel="stylesheet" href="https://fonts.example.com/css">
        <link rel="alternate" type="application/rss+xml" href="https://feeds.example.com/rss">
        <script src="//cdn.example.com/x.js"></script></head>
        <body><a href="https://example.org/">a link</a>{% block content %}{% endblock %}</body></html>
        """
    root = make_site({**THEME, "themes/default/templates/base.html": theme})
    found = {str(d.message).split("'")[1] for d in audit.audit(check_site(root)) if d.code == "check.external"}
    assert found == {"https://fonts.example.com/css", "//cdn.example.com/x.js"}


@pytest.mark.parametrize("url, base, line", [
    ("/plan/#itogi", "/", 4), ("/events/net/", "/", 5), ("/net/events/net/", "/net/", 5), ("/static/x.png", "/", None),
    ("/news/a/", "/", 9), ("/pages/?q=1#b", "/", 8),
])
def test_find_line(url, base, line):
    text = ("---\ntitle: a\n---\nСм. [план](../pages/plan.md#itogi)\n[событие](/events/net/)\n"
            "Это a и b.\n[новость][n] и #b\n[x](/pages/?q=1#b)\n[n]: /news/a/\n")  # 'a' and '#b' as text too
    assert audit.find_line(text, url, base) == line


# ---- the CI examples that run check ------------------------------------------------------------

def test_the_github_pages_example():
    import yaml

    from conftest import REPO

    workflow = yaml.safe_load((REPO / "examples/ci/github-pages.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key 'on' as true
    assert set(triggers) == {"pull_request", "push", "schedule", "workflow_dispatch"}
    assert triggers["push"] == {"branches": ["main"]} and triggers["schedule"][0]["cron"] == "5 21 * * *"
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    runs = lambda job: [step.get("run") for step in jobs[job]["steps"]]  # noqa: E731
    uses = lambda job: [step.get("uses", "").split("@")[0] for step in jobs[job]["steps"]]  # noqa: E731
    assert jobs["check"]["if"] == "github.event_name == 'pull_request'"
    assert "netsite check --format github" in runs("check")
    assert runs("build")[-2].startswith("netsite build") and "actions/upload-pages-artifact" in uses("build")
    [cache] = [step for step in jobs["build"]["steps"] if step.get("uses", "").startswith("actions/cache@")]
    assert cache["with"]["path"] == ".netsite-cache" and "github.sha" in cache["with"]["key"]
    assert jobs["build"]["steps"].index(cache) < [step.get("run") for step in jobs["build"]["steps"]].index("netsite build")
    assert jobs["build"]["steps"][-1]["with"]["path"] == "public"
    assert uses("deploy") == ["actions/deploy-pages"] and jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_the_gitlab_pages_example():
    import yaml

    from conftest import REPO

    pipeline = yaml.safe_load((REPO / "examples/ci/gitlab-pages.yml").read_text(encoding="utf-8"))
    assert pipeline["check"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert "netsite check" in pipeline["check"]["script"]
    assert pipeline["pages"]["script"][-2:] == ["netsite check", "netsite build"]
    assert pipeline["pages"]["artifacts"] == {"paths": ["public"]}
    assert ".netsite-cache" in pipeline["cache"]["paths"]  # photos and Markdown kept between pipelines


def test_an_institution_named_only_by_an_agreement_is_referenced(make_site):
    root = make_site({
        "content/institutions/museum.md": "---\ntitle: Музей\nkind: museum\n---\n",
        "content/agreements/dogovor.md": "---\ntitle: Договор\nparties: [solnyshko, museum]\nsigned: 2026-09-01\n---\n",
    })
    assert [d for d in audit.audit(check_site(root)) if d.code == "check.unreferenced"] == []
