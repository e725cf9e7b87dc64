"""Feeds: RSS and Atom checked with feedparser and lxml against what the content itself says."""

from __future__ import annotations

import calendar
import io
import json
import re
import weakref
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
import yaml
from feedgen.entry import FeedEntry
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image
from slugify import slugify

from netsite.publish.feeds import absolute_html, xml_text

from conftest import NOW, REPO, build_again, build_site, codes, diagnostics_of, example_sources, write_site

ZONE = ZoneInfo("Europe/Moscow")
CLOCK = datetime(2026, 11, 25, 12, 0, tzinfo=ZONE)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"
FEED_KINDS = ("news", "events", "practices")
STATUS_PREFIX = {"cancelled": "Отменено: ", "postponed": "Перенесено: "}  # in feed titles as in ICS
TERM_SECTIONS = {"tags": "tags", "audience": "audiences", "age_groups": "age-groups", "areas": "areas"}


# ---- what the content says, read straight from the front matter ------------------------------------

def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    return yaml.safe_load(re.match(r"---\n(.*?)\n---\n", text, re.S).group(1))


def moment(value, zone: ZoneInfo, all_day: bool = False) -> datetime:
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time(), zone)
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    return parsed.replace(hour=0, minute=0) if all_day else parsed


def tag_id(tag: str) -> str:
    """The documented URL rule: transliterated, я/ю as ya/yu."""
    return slugify(tag, replacements=[("я", "ya"), ("Я", "Ya"), ("ю", "yu"), ("Ю", "Yu")])


def text(value) -> str:
    return " ".join(str(value).split())


def as_list(value) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def content_entries(root: Path) -> list[dict]:
    """Every published entry of every kind, as the content files say (the clock is conftest.NOW)."""
    entries = []
    for path in sorted((root / "content").glob("*/**/*.md")):
        kind = path.relative_to(root / "content").parts[0]
        fm = front_matter(path)
        stem = path.parent.name if path.name == "index.md" else path.stem
        slug = fm.get("slug") or re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem)
        assert re.fullmatch(r"[a-z0-9-]+", slug), f"{path}: the test expects ASCII file names"
        if fm.get("draft"):
            continue
        zone = ZoneInfo(fm["timezone"]) if fm.get("timezone") else ZONE
        when = fm.get("start") if kind == "events" else fm.get("date")
        dated = moment(when, zone, fm.get("all_day") is True) if when is not None else None
        if kind == "events":  # dated by the announcement: `date:`, else 30 days before the start
            dated = moment(fm["date"], ZONE) if fm.get("date") else dated - timedelta(days=30)
        if kind in ("news", "practices") and dated > CLOCK:
            continue
        section = {"pages": ""}.get(kind, kind + "/")
        entries.append({
            "kind": kind, "slug": slug, "title": STATUS_PREFIX.get(fm.get("status"), "") + text(fm["title"]), "date": dated,
            "url": f"https://net.example.org/{section}{slug}/", "tags": [text(t) for t in as_list(fm.get("tags"))],
            "institutions": as_list(fm.get("organizers") if kind == "events"
                                    else fm.get("institution") or fm.get("institutions")),
            "audience": as_list(fm.get("audience")), "age_groups": as_list(fm.get("age_groups")),
            "areas": as_list(fm.get("areas")),
        })
    return entries


def expected_feeds(root: Path, length: int = 30) -> dict[str, list[dict]]:
    """Feed page path → its entries, newest first, equal dates by URL."""
    entries = content_entries(root)
    fed = [e for e in entries if e.get("kind") in FEED_KINDS and e["date"] <= CLOCK]  # events announced later wait
    groups: dict[str, list[dict]] = {"/": fed}
    for kind in FEED_KINDS:
        groups[f"/{kind}/"] = [e for e in fed if e["kind"] == kind]
    for e in entries:
        if e["kind"] == "institutions":
            groups[f"/institutions/{e['slug']}/"] = [f for f in fed if e["slug"] in f["institutions"]]
    for taxonomy, section in TERM_SECTIONS.items():
        for e in entries:
            for value in e[taxonomy]:
                term = tag_id(value) if taxonomy == "tags" else value
                groups[f"/{section}/{term}/"] = [f for f in fed if term in (
                    [tag_id(t) for t in f["tags"]] if taxonomy == "tags" else f[taxonomy])]
    ordered = {}
    for page, members in groups.items():
        members = sorted(members, key=lambda e: e["url"])
        ordered[page] = sorted(members, key=lambda e: e["date"], reverse=True)[:length]
    return ordered


EXPECTED = expected_feeds(REPO)


def parse(path: Path):
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    return parsed


def stamp(parsed_time) -> datetime:
    return datetime.fromtimestamp(calendar.timegm(parsed_time), UTC)


# ---- the example site ----------------------------------------------------------------------------

def test_every_feed_file_is_expected_and_every_expected_feed_is_written(example_site):
    public = example_site / "public"
    written = {p.relative_to(public).as_posix() for p in public.rglob("*.xml") if p.name in ("rss.xml", "atom.xml")}
    expected = {page.lstrip("/") + name for page in EXPECTED for name in ("rss.xml", "atom.xml")}
    assert written == expected
    assert len(expected) > 40


@pytest.mark.parametrize("page", sorted(EXPECTED))
@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_feed_entries_equal_the_content(example_site, page, name):
    parsed = parse(example_site / "public" / (page.lstrip("/") + name))
    expected = EXPECTED[page]
    assert [e.link for e in parsed.entries] == [e["url"] for e in expected]
    assert [e.title for e in parsed.entries] == [e["title"] for e in expected]
    assert [stamp(e.published_parsed) for e in parsed.entries] == [e["date"] for e in expected]
    assert [[t.term for t in e.get("tags", [])] for e in parsed.entries] == [e["tags"] for e in expected]
    assert [e.id for e in parsed.entries] == [e["url"] for e in expected]
    assert stamp(parsed.feed.updated_parsed) == (expected[0] if expected else EXPECTED["/"][0])["date"]
    assert parsed.feed.link == "https://net.example.org" + page


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_atom_entries_have_id_updated_title_and_author(example_site, page):
    tree = etree.parse(str(example_site / "public" / (page.lstrip("/") + "atom.xml")))
    for entry in tree.getroot().iter(ATOM + "entry"):
        for child in ("id", "updated", "title"):
            assert (entry.findtext(ATOM + child) or "").strip(), child
        assert [a.findtext(ATOM + "name") for a in entry.iter(ATOM + "author")]
        assert entry.find(ATOM + "link[@rel='alternate'][@type='text/html']") is not None


def test_example_news_image_is_an_enclosure_with_length_and_type(example_site):
    bundle = next(p.parent for p in (REPO / "content/news").glob("*/index.md") if front_matter(p).get("image"))
    image = bundle / front_matter(bundle / "index.md")["image"]
    slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", bundle.name)
    url = f"https://net.example.org/news/{slug}/{image.name}"
    rss = parse(example_site / "public/news/rss.xml")
    item = next(e for e in rss.entries if e.link == f"https://net.example.org/news/{slug}/")
    assert [(x.href, int(x.length), x.type) for x in item.enclosures] == [(url, image.stat().st_size, "image/jpeg")]
    atom = etree.parse(str(example_site / "public/news/atom.xml")).getroot()
    links = atom.findall(f"{ATOM}entry/{ATOM}link[@rel='enclosure']")
    assert [(x.get("href"), x.get("length"), x.get("type")) for x in links] == \
        [(url, str(image.stat().st_size), "image/jpeg")]


def test_event_entries_carry_date_time_and_place(example_site):
    parsed = parse(example_site / "public/events/rss.xml")
    path = REPO / "content/events/festival-enskie-zvezdochki.md"
    fm = front_matter(path)
    item = next(e for e in parsed.entries if e.link.endswith("/events/festival-enskie-zvezdochki/"))
    for where in (item.summary, item.content[0].value):
        assert "17 ноября 2026" in where and "10:00" in where and "13:00" in where
        assert text(fm["location"]) in where


@pytest.mark.slow
def test_two_builds_and_two_clocks_give_identical_feeds(example_site, tmp_path):
    other = example_sources(tmp_path / "again")
    build_again(other, now="2026-11-25 18:30")  # the same entries are published; feeds must not move

    def feeds(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.xml") if "sitemap" not in p.name}

    assert feeds(example_site / "public") == feeds(other / "public")


class Alternates(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "alternate":
            self.links.append((attrs["type"], attrs["href"]))


def alternates(page: Path) -> list[tuple[str, str]]:
    parser = Alternates()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


def test_every_page_names_existing_feeds_the_site_feed_last(example_site):
    public = example_site / "public"
    pages = sorted(public.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        links = alternates(page)
        assert links[-2:] == [("application/rss+xml", "/rss.xml"), ("application/atom+xml", "/atom.xml")], page
        for _type, href in links:
            assert (public / href.lstrip("/")).is_file(), (page, href)


@pytest.mark.parametrize("page, feed", [
    ("news/index.html", "/news/"), ("news/page/2/index.html", "/news/"),
    ("events/index.html", "/events/"), ("events/archive/index.html", "/events/"),
    ("events/festival-enskie-zvezdochki/index.html", "/events/"),
    ("practices/index.html", "/practices/"),
    ("institutions/mbdou-solnyshko/index.html", "/institutions/mbdou-solnyshko/"),
    ("tags/festival/index.html", "/tags/festival/"),
    ("audiences/parents/index.html", "/audiences/parents/"),
    ("index.html", "/"), ("institutions/index.html", "/"), ("about/index.html", "/"),
])
def test_a_page_offers_the_feed_that_fits_it_first(example_site, page, feed):
    links = alternates(example_site / "public" / page)
    assert links[:2] == [("application/rss+xml", feed + "rss.xml"), ("application/atom+xml", feed + "atom.xml")]


# ---- tiny sites ----------------------------------------------------------------------------------

def jpeg(size: int = 16) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


SUBPATH = """\
title: Тестовая сеть
base_url: https://x.org/net/
timezone: Europe/Moscow
"""

BUNDLE = {
    "content/news/2026-11-20-prazdnik/index.md": """\
        ---
        title: Праздник осени
        date: 2026-11-20
        institution: solnyshko
        image: foto.jpg
        tags: [праздник, осень]
        ---
        Смотрите [план](../../pages/plan.md), [раздел](/events/) и сноску[^1].

        ![Дети танцуют](foto.jpg)

        [^1]: Сноска.
        """,
    "content/pages/plan.md": "---\ntitle: План\n---\nПлан работы.\n",
}


def test_subpath_base_url_gives_absolute_links_in_entry_content(make_site):
    root = make_site({**BUNDLE, "content/news/2026-11-20-prazdnik/foto.jpg": jpeg()}, config=SUBPATH)
    build_site(root)
    for name in ("news/rss.xml", "news/atom.xml"):
        item = parse(root / "public" / name).entries[0]
        assert item.link == "https://x.org/net/news/prazdnik/"
        body = item.content[0].value
        hrefs = set(re.findall(r'(?:href|src)="([^"]*)"', body))
        # The body image is a responsive <picture> (netsite.content.pictures): its fallback is absolute too.
        resized = {h for h in hrefs if h.startswith("https://x.org/net/assets/img/")}
        assert len(resized) == 1
        assert hrefs - resized == {"https://x.org/net/plan/", "https://x.org/net/events/",
                         "https://x.org/net/news/prazdnik/#fn1", "https://x.org/net/news/prazdnik/#fnref1",
                         "https://x.org/net/news/prazdnik/foto.jpg"}
    rss = parse(root / "public/news/rss.xml")
    assert rss.feed.link == "https://x.org/net/news/"
    enclosure = rss.entries[0].enclosures[0]
    size = (root / "content/news/2026-11-20-prazdnik/foto.jpg").stat().st_size
    assert (enclosure.href, int(enclosure.length), enclosure.type) == \
        ("https://x.org/net/news/prazdnik/foto.jpg", size, "image/jpeg")
    assert alternates(root / "public/news/prazdnik/index.html")[0] == ("application/rss+xml", "/net/news/rss.xml")


def test_item_content_is_the_page_body_with_absolute_urls(make_site):
    root = make_site({**BUNDLE, "content/news/2026-11-20-prazdnik/foto.jpg": jpeg()}, config=SUBPATH)
    build_site(root)
    page = (root / "public/news/prazdnik/index.html").read_text(encoding="utf-8")
    prose = re.search(r'<div class="prose">(.*?)</div>', page, re.S).group(1)
    assert 'href="/net/plan/"' in prose  # the page itself keeps site-absolute paths
    item = etree.parse(str(root / "public/news/rss.xml")).getroot().find("channel/item")
    content = item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert content.endswith(absolute_html(prose, "https://x.org", "https://x.org/net/news/prazdnik/").strip())
    assert content.startswith('<p><img src="https://x.org/net/news/prazdnik/foto.jpg" alt="Праздник осени"></p>')


def test_practice_items_carry_authors_and_attachments_as_on_the_page(make_site):
    root = make_site({"content/practices/2026-11-02-lepbuk/index.md": """\
        ---
        title: Лэпбук
        date: 2026-11-02
        institution: solnyshko
        authors: [Иванова А. А., Петрова Б. Б.]
        attachments: [конспект занятия.pdf]
        ---
        Описание практики.
        """, "content/practices/2026-11-02-lepbuk/конспект занятия.pdf": b"%PDF-1.4\n"}, config=SUBPATH)
    build_site(root)
    content = parse(root / "public/practices/atom.xml").entries[0].content[0].value
    assert "Иванова А. А., Петрова Б. Б." in content
    link = "https://x.org/net/practices/lepbuk/%D0%BA%D0%BE%D0%BD%D1%81%D0%BF%D0%B5%D0%BA%D1%82%20" \
        "%D0%B7%D0%B0%D0%BD%D1%8F%D1%82%D0%B8%D1%8F.pdf"
    assert f'<a href="{link}">конспект занятия.pdf</a>' in content


TRICKY = 'Мама & папа <3 "кавычки" \'одинарные\' ]]> 🎉'


def test_titles_with_markup_characters_are_escaped_exactly_once(make_site):
    root = make_site({"content/news/2026-11-01-x.md": f"""\
        ---
        title: '{TRICKY.replace("'", "''")}'
        date: 2026-11-01
        tags: ['a & b', '<x>']
        ---
        Текст.
        """})
    build_site(root)
    for name in ("rss.xml", "atom.xml", "news/rss.xml", "news/atom.xml", "tags/a-b/rss.xml"):
        parsed = parse(root / "public" / name)
        assert parsed.entries[0].title == TRICKY
        assert [t.term for t in parsed.entries[0].tags] == ["a & b", "<x>"]
    raw = (root / "public/rss.xml").read_text(encoding="utf-8")
    assert "&amp;amp;" not in raw and "&amp; папа &lt;3" in raw and "]]&gt;" in raw and "🎉" in raw


def _feedparser_keeps(title: str) -> bool:
    """feedparser "repairs" text that looks like mojibake ('Â¡' comes back as '¡') even in a
    correct feed; such titles test feedparser's heuristics, not our escaping, so they are left out."""
    from xml.sax.saxutils import escape

    rss = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
           f'<link>https://x.org/</link><description>d</description><item><title>{escape(title)}</title>'
           '<link>https://x.org/a</link></item></channel></rss>')
    return feedparser.parse(rss.encode("utf-8")).entries[0].title == title


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(whitelist_categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=60))
def test_any_title_comes_back_from_feed_readers_unchanged(tmp_path, title):
    title = " ".join(title.split())
    assume(title and not title.startswith(("%", "@", "`", "|", ">")))
    assume(_feedparser_keeps(title))
    root = tmp_path / f"site-{abs(hash(title))}"
    # JSON strings are YAML double-quoted strings: any character can be written this way.
    write_site(root, {"content/news/2026-11-01-x.md": f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndate: 2026-11-01\n---\nТекст.\n"})
    build_site(root)
    for name in ("news/rss.xml", "news/atom.xml"):
        assert parse(root / "public" / name).entries[0].title == title


def test_equal_dates_keep_a_stable_order_in_both_formats(make_site):
    files = {f"content/news/2026-11-01-{slug}.md": f"---\ntitle: {slug}\ndate: 2026-11-01\n---\nТекст.\n"
             for slug in ("b", "c", "a")}
    files["content/news/2026-11-02-d.md"] = "---\ntitle: d\ndate: 2026-11-02\n---\nТекст.\n"
    root = make_site(files)
    build_site(root)
    for name in ("news/rss.xml", "news/atom.xml"):
        assert [e.title for e in parse(root / "public" / name).entries] == ["d", "a", "b", "c"]


def test_build_date_comes_from_the_newest_entry_never_the_clock(make_site):
    root = make_site({"content/news/2026-11-01-x.md": "---\ntitle: x\ndate: 2026-11-01 09:30\n---\nТекст.\n"})
    build_site(root, now="2030-01-01 00:00")
    channel = etree.parse(str(root / "public/rss.xml")).getroot().find("channel")
    assert channel.findtext("lastBuildDate") == "Sun, 01 Nov 2026 09:30:00 +0300"
    assert etree.parse(str(root / "public/atom.xml")).getroot().findtext(ATOM + "updated") == \
        "2026-11-01T09:30:00+03:00"
    # An empty feed says when the site last published, not 1970 and not the clock of a nightly build.
    empty = etree.parse(str(root / "public/events/atom.xml")).getroot()
    assert empty.findtext(ATOM + "updated") == "2026-11-01T09:30:00+03:00"


def test_rss_channel_link_is_the_page_and_the_self_link_the_feed(make_site):
    build_site(root := make_site({}))
    channel = etree.parse(str(root / "public/institutions/solnyshko/rss.xml")).getroot().find("channel")
    assert channel.findtext("link") == "https://net.example.org/institutions/solnyshko/"
    self_link = channel.find(ATOM + "link")
    assert (self_link.get("rel"), self_link.get("href"), self_link.get("type")) == \
        ("self", "https://net.example.org/institutions/solnyshko/rss.xml", "application/rss+xml")


EVENT = {"content/events/seminar.md": """\
    ---
    title: Семинар
    start: 2026-12-03 10:00
    end: 2026-12-03 12:00
    location: ул. Ленина, 1
    organizers: [solnyshko]
    audience: [teachers]
    summary: О новой программе.
    ---
    Подробности семинара.
    """}


def test_summaries_only_when_full_content_is_off(make_site):
    root = make_site(EVENT, config=SUBPATH + "feed_full_content: false\n")
    build_site(root)
    for name in ("events/rss.xml", "events/atom.xml", "audiences/teachers/rss.xml"):
        item = parse(root / "public" / name).entries[0]
        assert "content" not in item
        # Babel puts a no-break space in '2026 г.'; a reader shows it as a space.
        assert re.sub(r"\s", " ", item.summary) == "3 декабря 2026 г., 10:00–12:00 (Москва) · ул. Ленина, 1. О новой программе."


def test_full_content_is_the_default_and_holds_the_page_body(make_site):
    build_site(root := make_site(EVENT))
    item = parse(root / "public/institutions/solnyshko/atom.xml").entries[0]
    assert "Подробности семинара." in item.content[0].value and "ул. Ленина, 1" in item.content[0].value
    assert item.author == "Детский сад «Солнышко»"


def test_feed_length_limits_every_feed(make_site):
    files = {f"content/news/2026-11-{day:02d}-n{day}.md": f"---\ntitle: n{day}\ndate: 2026-11-{day:02d}\n"
             "institution: solnyshko\n---\nТекст.\n" for day in range(1, 6)}
    root = make_site(files, config=SUBPATH + "feed_length: 2\n")
    build_site(root)
    for name in ("rss.xml", "news/atom.xml", "institutions/solnyshko/rss.xml"):
        assert [e.title for e in parse(root / "public" / name).entries] == ["n5", "n4"]


@pytest.mark.parametrize("setting, shown", [("", 30), ("feed_length: all\n", 33), ("feed_length: -1\n", 33)])
def test_feed_length_all_keeps_the_full_archive(make_site, setting, shown):
    """30 newest items by default; `all` (Hugo's -1 too) puts every item in every feed."""
    days = [date(2026, 1, 1) + timedelta(days=7 * n) for n in range(33)]
    files = {f"content/news/{day}-n{n}.md": f"---\ntitle: n{n}\ndate: {day}\ninstitution: solnyshko\n---\nТекст.\n"
             for n, day in enumerate(days)}
    root = make_site(files, config=SUBPATH + setting)
    build_site(root)
    newest = [f"n{n}" for n in reversed(range(33))][:shown]
    for name in ("rss.xml", "atom.xml", "news/rss.xml", "institutions/solnyshko/atom.xml"):
        assert [e.title for e in parse(root / "public" / name).entries] == newest, name


@pytest.mark.parametrize("value", ["0", "1001", "все", "true", "2.5"])
def test_feed_length_other_than_a_number_or_all_is_one_line_at_its_place(make_site, value):
    root = make_site({}, config=SUBPATH + f"feed_length: {value}\n")
    error = diagnostics_of(root)
    assert [(d.code, d.location.line) for d in error.diagnostics] == [("config.value", SUBPATH.count("\n") + 1)]
    assert "or all" in str(error.diagnostics[0].message)


def test_control_characters_from_config_do_not_break_feeds(make_site):
    # YAML escapes ("\a") reach values even though sources refuse raw control characters.
    # Front matter and netsite.yaml refuse them after decoding escapes (the safety layer), so the
    # build stops at the line; xml_text stays as the feeds' own second layer.
    root = make_site({}, config='title: "Сеть \\a звонок"\nbase_url: https://x.org/\ntimezone: Europe/Moscow\n')
    assert ("config.character", "netsite.yaml", 1) in codes(diagnostics_of(root))
    entry = FeedEntry()
    entry.title("Сеть \a звонок")
    with pytest.raises(ValueError):  # why xml_text exists: feedgen (lxml) refuses them
        entry.rss_entry()


# ---- pure helpers --------------------------------------------------------------------------------

@pytest.mark.parametrize("fragment, expected", [
    ('<a href="/net/x/">x</a>', '<a href="https://x.org/net/x/">x</a>'),
    ('<img src="/net/a.jpg" alt="a">', '<img src="https://x.org/net/a.jpg" alt="a">'),
    ('<a href="#fn1">1</a>', '<a href="https://x.org/net/n/#fn1">1</a>'),
    ('<a href="https://other.org/">o</a>', '<a href="https://other.org/">o</a>'),
    ('<a href="mailto:a@b.ru">m</a>', '<a href="mailto:a@b.ru">m</a>'),
    ('<a title="a>b" href="/net/x/">x</a>', '<a title="a>b" href="https://x.org/net/x/">x</a>'),
    ('<code>&lt;a href="/net/x/"&gt;</code>', '<code>&lt;a href="/net/x/"&gt;</code>'),
    ('<p>src="/net/x/" в тексте</p>', '<p>src="/net/x/" в тексте</p>'),
])
def test_absolute_html(fragment, expected):
    assert absolute_html(fragment, "https://x.org", "https://x.org/net/n/") == expected


def test_xml_text_drops_only_what_xml_forbids():
    assert xml_text("a\x00b\x07c\td\ne\ufffff🎉") == "abc\td\nef🎉"


def test_each_feed_item_is_made_once_and_dropped_after_the_last_feed_that_carries_it(make_site, monkeypatch):
    # A big site's feed items (full text each) must not all be held at once (issue 15).
    from netsite import build
    from netsite.content import config as config_module
    from netsite.publish import feeds, render, theme

    files = {f"content/news/2026-11-{day:02d}-n{day}.md": f"---\ntitle: n{day}\ndate: 2026-11-{day:02d}\n"
             + ("institution: solnyshko\n" if day % 2 else "") + f"tags: [t{day % 3}]\n---\nТекст.\n"
             for day in range(1, 10)}
    root = make_site(files)
    site, _, _ = build.prepare(config_module.load(root), build.Options(now=NOW, cache=False))
    env = render.make_environment(site, theme.theme_dirs(root, site.config.theme))
    made: list[weakref.ref] = []
    real = feeds.feed_entry
    monkeypatch.setattr(feeds, "feed_entry", lambda item: made.append(weakref.ref(entry := real(item))) or entry)
    chosen = env.globals["feeds"].feeds
    kept = []
    for n, _ in enumerate(feeds.render_feeds(site, env)):
        if n % 2 == 0:  # the RSS file of feed n // 2: items of the feeds before it only are gone
            later = {site.links.absolute(e.path) for feed in chosen[n // 2:] for e in feed.entries}
            alive = {entry.id() for ref in made if (entry := ref()) is not None}
            assert alive <= later
            kept.append(len(alive))
    distinct = {e.path for feed in chosen for e in feed.entries}
    assert len(made) == len(distinct) == 9  # each item made once however many feeds carry it
    assert min(kept[1:]) < len(distinct)  # ... and some were let go before the end
