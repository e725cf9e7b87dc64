"""The whole pipeline: URLs of SPEC, sub-path base_url, drafts and future, determinism, atomicity."""

import os
import re
from pathlib import Path

import pytest

from conftest import INSTITUTION, build_site, cli, write_site

NEWS = "---\ntitle: {title}\ndate: {date}\ninstitution: solnyshko\n{extra}---\nТекст новости.\n"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def news_site(make_site, count=12, config=None, extra=""):
    files = {f"content/news/2026-10-{n:02d}-novost-{n}.md": NEWS.format(title=f"Новость {n}", date=f"2026-10-{n:02d}",
                                                                    extra=extra) for n in range(1, count + 1)}
    files["content/events/seminar.md"] = ("---\ntitle: Семинар\nstart: \"2026-12-03 10:00\"\n"
                                          "organizers: [solnyshko]\naudience: [parents]\ntags: [экология]\n---\nТекст.\n")
    files["content/events/proshlo.md"] = "---\ntitle: Прошло\nstart: 2026-10-01\n---\nТекст.\n"
    files["content/practices/p.md"] = ("---\ntitle: Практика\ndate: 2026-10-01\ninstitution: solnyshko\n"
                                       "age_groups: [senior]\nareas: [speech]\n---\n")
    files["content/pages/o-seti.md"] = "---\ntitle: О сети\nmenu: 1\n---\n[Новость](../news/2026-10-01-novost-1.md)\n"
    return make_site(files, **({"config": config} if config else {}))


def test_example_site_has_every_url_of_the_core(example_site):
    public = example_site / "public"
    expected = ["index.html", "news/index.html", "news/page/2/index.html", "events/index.html",
                "events/archive/index.html", "practices/index.html", "institutions/index.html",
                "institutions/mbdou-solnyshko/index.html", "about/index.html", "plan/index.html",
                "audiences/parents/index.html", "audiences/teachers/index.html", "audiences/children/index.html",
                "age-groups/senior/index.html", "areas/speech/index.html", "sitemap.xml", "robots.txt",
                "404.html", "static/css/site.css", "news/itogi-festivalya/foto.jpg"]
    for name in expected:
        assert (public / name).is_file(), name
    for kind in ("news", "events", "practices", "institutions"):
        for source in (example_site / "content" / kind).glob("*.md"):
            text = source.read_text(encoding="utf-8")
            slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", source.stem)
            dated = re.match(r"\d{4}-\d{2}-\d{2}", source.stem)
            published = "draft: true" not in text and (not dated or dated.group() <= "2026-11-25")
            assert (public / kind / slug / "index.html").is_file() == published, source
    assert any(p.name == "index.html" for p in (public / "tags").iterdir() if p.is_file())


def test_site_without_themes_builds_with_the_packaged_default_theme(make_site):
    root = news_site(make_site)
    assert not (root / "themes").exists()
    build_site(root)
    home = (root / "public" / "index.html").read_text(encoding="utf-8")
    assert "Тестовая сеть" in home and 'lang="ru"' in home


def test_site_theme_overrides_one_template_and_falls_back_for_the_rest(make_site):
    root = news_site(make_site, config="title: Т\nbase_url: https://x.org/\ntimezone: Europe/Moscow\ntheme: own\n")
    (root / "themes/own/templates").mkdir(parents=True)
    (root / "themes/own/templates/404.html").write_text("{% extends 'base.html' %}{% block content %}СВОЯ 404"
                                                        "{% endblock %}", encoding="utf-8")
    build_site(root)
    assert "СВОЯ 404" in (root / "public/404.html").read_text(encoding="utf-8")
    assert (root / "public/news/index.html").is_file()


def test_a_site_built_after_another_in_the_same_process_links_only_its_own_host(make_site, tmp_path):
    """Compiled templates serve every build of a process (serve, the suite): nothing of one site may be
    computed into them. The footer's '/calendar.ics'|webcal was, and the next site linked this host."""
    build_site(write_site(tmp_path / "first", {"content/institutions/solnyshko.md": INSTITUTION}))
    second = make_site({}, config="title: Т\nbase_url: https://x.org/net/\ntimezone: Europe/Moscow\n")
    build_site(second)
    pages = sorted((second / "public").rglob("*.html"))
    assert pages and 'href="webcal://x.org/net/calendar.ics"' in (second / "public/index.html").read_text(encoding="utf-8")
    assert [page.name for page in pages if "net.example.org" in page.read_text(encoding="utf-8")] == []


def test_no_filter_of_a_literal_is_computed_into_a_compiled_template(make_site):
    """A site's own theme may write `{{ '/news/'|url }}` or `{{ 3|plural('news_count') }}`: Jinja would
    compute them when the template compiles, and the compiled template serves the next build of the
    process (serve after an edit of base_url and language). Each build must show its own values."""
    footer = ('<footer><p id="own">{{ "/news/"|url }} {{ "/calendar.ics"|webcal }} {{ 3|plural("news_count") }} '
              '{{ "/x/" is string }}</p></footer>\n')
    seen = []
    for base, language in (("https://a.org/one/", "ru"), ("https://b.org/", "en")):
        root = news_site(make_site, count=1, config=f"title: Т\nbase_url: {base}\ntimezone: Europe/Moscow\n"
                                                    f"theme: own\nlanguage: {language}\n")
        (root / "themes/own/templates/partials").mkdir(parents=True, exist_ok=True)
        (root / "themes/own/templates/partials/footer.html").write_text(footer, encoding="utf-8")
        build_site(root)
        html = (root / "public/index.html").read_text(encoding="utf-8")
        seen.append(re.search(r'<p id="own">(.*?)</p>', html).group(1))
    assert seen[0].startswith("/one/news/ webcal://a.org/one/calendar.ics 3 ") and seen[0].endswith(" True")
    assert seen[1].startswith("/news/ webcal://b.org/calendar.ics 3 ") and seen[1].endswith(" True")
    assert seen[0].split()[2:4] != seen[1].split()[2:4]  # the plural in each site's own language


def test_sub_path_base_url_reaches_every_link_asset_and_sitemap_entry(make_site):
    root = news_site(make_site, config="title: Т\nbase_url: https://x.org/net/\ntimezone: Europe/Moscow\n")
    build_site(root)
    public = root / "public"
    for page in public.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for url in re.findall(r'(?:href|src)="([^"]+)"', html):
            assert url.startswith(("/net/", "https://", "webcal://x.org/net/", "#", "mailto:", "tel:")), (page, url)
            if url.startswith("/net/"):
                target = public / url[len("/net/"):].split("#")[0]
                assert target.is_file() or (target / "index.html").is_file(), (page, url)
    sitemap = (public / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locs and all(loc.startswith("https://x.org/net/") for loc in locs)
    assert "https://x.org/net/sitemap.xml" in (public / "robots.txt").read_text(encoding="utf-8")
    assert 'href="/net/news/novost-1/"' in (public / "o-seti/index.html").read_text(encoding="utf-8")


def test_news_pagination(make_site):
    build_site(root := news_site(make_site, count=12))
    first = (root / "public/news/index.html").read_text(encoding="utf-8")
    second = (root / "public/news/page/2/index.html").read_text(encoding="utf-8")
    assert first.count('class="card card-news"') == 10 and second.count('class="card card-news"') == 2
    assert 'href="/news/page/2/"' in first and 'rel="prev" href="/news/"' in second
    assert "Новость 12" in first and "Новость 1<" in second


@pytest.mark.parametrize("now, future, drafts, expected", [
    ("2026-11-25", False, False, {"vchera"}),
    ("2026-11-26 08:59", False, False, {"vchera"}),
    ("2026-11-26 09:00", False, False, {"vchera", "zavtra"}),
    ("2026-11-25", True, False, {"vchera", "zavtra"}),
    ("2026-11-25", False, True, {"vchera", "chernovik"}),
])
def test_drafts_and_future_dates_around_now(make_site, now, future, drafts, expected):
    root = make_site({
        "content/news/2026-11-24-vchera.md": NEWS.format(title="Вчера", date="2026-11-24", extra=""),
        "content/news/2026-11-26-zavtra.md": NEWS.format(title="Завтра", date='"2026-11-26 09:00"', extra=""),
        "content/news/chernovik.md": NEWS.format(title="Черновик", date="2026-11-01", extra="draft: true\n"),
    })
    site = build_site(root, now=now, future=future, drafts=drafts).site
    assert {n.slug for n in site.news} == expected
    written = {p.parent.name for p in (root / "public/news").glob("*/index.html")} - {"page"}
    assert written == expected


def test_two_builds_with_the_same_now_are_byte_identical(make_site, tmp_path):
    root = news_site(make_site)
    build_site(root)
    first = tree(root / "public")
    (root / "public").rename(tmp_path / "first")
    build_site(root)
    assert tree(root / "public") == first


def test_source_date_epoch_fixes_the_clock(make_site, monkeypatch):
    root = news_site(make_site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795598400")  # 2026-11-25 09:20 UTC
    result = build_site(root, now=None)
    assert result.site.now.isoformat() == "2026-11-25T12:20:00+03:00"


def test_failed_build_leaves_previous_output_exactly_as_it_was(make_site):
    root = news_site(make_site)
    build_site(root)
    before = tree(root / "public")
    mtimes = {p: p.stat().st_mtime_ns for p in (root / "public").rglob("*")}
    (root / "content/news/bad.md").write_text("---\ntitle: Плохо\ndate: вчера\n---\n", encoding="utf-8")
    result = cli("build", "--root", root, "--now", "2026-11-25")
    assert result.exit_code == 1
    assert tree(root / "public") == before
    assert {p: p.stat().st_mtime_ns for p in (root / "public").rglob("*")} == mtimes
    assert not [p for p in root.iterdir() if p.name.startswith(".public")]


def test_cli_reports_every_problem_on_one_line_each(make_site):
    root = make_site({
        "content/news/a.md": "---\ntitle: A\ndate: 2026-13-01\n---\n",
        "content/events/b.md": "---\ntitle: B\nstart: \"2026-12-03 10:00\"\nend: \"2026-12-03 09:00\"\n---\n",
    })
    result = cli("build", "--root", root, "--now", "2026-11-25")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert "content/events/b.md:4: error: 'end' is before 'start' [event.dates]" in lines
    assert any(line.startswith("content/news/a.md:3: error: ") and line.endswith("[date.format]") for line in lines)
    assert "Traceback" not in result.output + result.stderr
    assert not (root / "public").exists()


def _jpeg() -> bytes:
    """A real photo: images are decoded and re-encoded, so fake bytes are an error."""
    import io

    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_strict_makes_warnings_fatal(make_site):
    root = make_site({"content/news/a/index.md": "---\ntitle: A\ndate: 2026-10-01\n---\n![](foto.jpg)\n",
                      "content/news/a/foto.jpg": _jpeg()})
    assert cli("build", "--root", root, "--now", "2026-11-25").exit_code == 0
    strict = cli("build", "--root", root, "--now", "2026-11-25", "--strict")
    assert strict.exit_code == 1 and "[markdown.alt]" in strict.stderr


def test_usage_errors_exit_2(make_site):
    root = news_site(make_site)
    assert cli("build", "--root", root, "--now", "завтра").exit_code == 2
    assert cli("build", "--bogus").exit_code == 2


def test_russian_dates_and_plurals(make_site):
    root = news_site(make_site, count=5)
    build_site(root)
    events = (root / "public/events/index.html").read_text(encoding="utf-8").replace("\xa0", " ").replace("\u202f", " ")
    assert "3 декабря 2026 г., 10:00–11:00" in events and "Декабрь 2026" in events and "1 событие" in events
    institution = (root / "public/institutions/solnyshko/index.html").read_text(encoding="utf-8").replace("\xa0", " ").replace("\u202f", " ")
    assert "5 новостей" in institution and "1 практика" in institution


def test_english_theme_strings(make_site):
    root = news_site(make_site, config="title: Network\nbase_url: https://x.org/\ntimezone: Europe/Moscow\nlanguage: en\n")
    build_site(root)
    home = (root / "public/index.html").read_text(encoding="utf-8").replace("\xa0", " ").replace("\u202f", " ")
    assert 'lang="en"' in home and "Upcoming events" in home and "December 3, 2026" in home
    assert "Ближайшие" not in home


def test_python_dash_m_runs_the_cli(make_site):
    import subprocess
    import sys
    root = news_site(make_site)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"), NETSITE_MESSAGES="en")
    done = subprocess.run([sys.executable, "-m", "netsite", "check", "--root", str(root), "--now", "2026-11-25"],
                          capture_output=True, text=True, encoding="utf-8", env=env)
    assert done.returncode == 0 and "no errors" in done.stderr


def test_progress_names_each_stage_and_never_changes_output(make_site, tmp_path):
    root = news_site(make_site)
    build_site(root)
    first = tree(root / "public")
    (root / "public").rename(tmp_path / "first")
    stages = []
    build_site(root, progress=stages.append)
    assert tree(root / "public") == first
    # build_site's oracle builds a second time with the same options: look at the first build
    writing = next(i for i, s in enumerate(stages) if s.startswith("writing "))
    assert stages[:writing] == ["reading content", "rendering Markdown of 17 entries", "processing photos",
                                "rendering 17 entries"]
