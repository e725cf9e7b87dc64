"""Front matter per kind: required keys, types, vocabularies and references at their lines."""

import pytest

from conftest import build_site, codes, diagnostics_of

EVENT = "content/events/seminar.md"


def test_every_kind_parses_into_typed_fields(make_site):
    root = make_site({
        "content/practices/2026-10-01-Мастер-класс «Весёлые ёжики».md": """
            ---
            title: Весёлые ёжики
            date: 2026-10-01
            institution: solnyshko
            authors: [Иванова Мария Петровна]
            age_groups: [senior, preparatory]
            areas: [artistic]
            format: master-class
            tags: [ТРИЗ, экология]
            ---
            Текст практики.
            """,
        "content/news/2026-11-01-news.md": "---\ntitle: Новость\ndate: 2026-11-01 09:30\ninstitutions: [solnyshko]\n---\nТекст.\n",
        EVENT: "---\ntitle: Семинар\nstart: \"2026-12-03 10:00\"\nend: \"2026-12-03 12:00\"\norganizers: [solnyshko]\naudience: [teachers]\nstatus: scheduled\n---\nТекст.\n",
        "content/pages/about.md": "---\ntitle: О сети\nmenu: 1\n---\nТекст.\n",
        "content/pages/plan.md": "---\ntitle: План работы сети на 2026/2027 год\nmenu: 2\nmenu_title: План\n---\n",
    })
    site = build_site(root).site
    [practice] = site.practices
    assert practice.slug == "master-klass-veselye-ezhiki" and practice.path == "/practices/master-klass-veselye-ezhiki/"
    assert practice.age_groups == ("senior", "preparatory") and practice.institutions == ("solnyshko",)
    assert practice.date.isoformat() == "2026-10-01T00:00:00+03:00"
    [news] = site.news
    assert news.date.isoformat() == "2026-11-01T09:30:00+03:00"
    [event] = site.events
    assert event.start.isoformat() == "2026-12-03T10:00:00+03:00" and event.end.hour == 12
    assert site.menu == (("О сети", "/about/"), ("План", "/plan/"))
    assert site.institution("solnyshko").get("kind") == "kindergarten"  # entry.kind is the content kind


def test_missing_and_unknown_keys(make_site):
    root = make_site({
        "content/news/a.md": "---\ntitle: A\ninstitutoin: solnyshko\n---\n",
        "content/practices/b.md": "---\ntitle: B\ndate: 2026-10-01\n---\n",
    })
    error = diagnostics_of(root)
    assert codes(error) >= {("field.unknown", "content/news/a.md", 3), ("field.required", "content/news/a.md", 2),
                            ("field.required", "content/practices/b.md", 2)}
    hint = [str(d.message) for d in error.diagnostics if d.code == "field.unknown"][0]
    assert "did you mean 'institution'" in hint


def test_vocabulary_values_and_types_are_checked_at_their_lines(make_site):
    root = make_site({EVENT: """
        ---
        title: Семинар
        start: "2026-12-03 10:00"
        audience: [teachers, parnets]
        format: seminar
        status: canceled
        registration: www.example.ru
        all_day: yes
        ---
        """})
    error = diagnostics_of(root)
    assert codes(error) == {("field.vocabulary", EVENT, 4), ("field.choice", EVENT, 6), ("field.url", EVENT, 7),
                            ("field.type", EVENT, 8)}
    messages = " ".join(str(d.message) for d in error.diagnostics)
    assert "did you mean 'parents'" in messages and "did you mean 'cancelled'" in messages


def test_unknown_institution_reference_gets_a_hint(make_site):
    root = make_site({"content/news/a.md": "---\ntitle: A\ndate: 2026-10-01\ninstitutions:\n  - solnyshko\n  - solnyshka\n---\n"})
    error = diagnostics_of(root)
    assert codes(error) == {("ref.institution", "content/news/a.md", 6)}
    assert "did you mean 'solnyshko'" in str(error.diagnostics[0].message)


def test_two_sources_on_one_url_name_both_files(make_site):
    root = make_site({
        "content/news/2026-10-01-itogi.md": "---\ntitle: A\ndate: 2026-10-01\n---\n",
        "content/news/itogi.md": "---\ntitle: B\ndate: 2026-10-02\n---\n",
        "content/pages/a.md": "---\ntitle: A\nslug: Itogi-Upper\n---\n",
    })
    error = diagnostics_of(root)
    [collision] = [d for d in error.diagnostics if d.code == "entry.collision"]
    assert "content/news/2026-10-01-itogi.md" in str(collision.message) + collision.location.path
    assert "content/news/itogi.md" in str(collision.message) + collision.location.path
    assert ("entry.slug", "content/pages/a.md", 3) in codes(error)


@pytest.mark.parametrize("slug", ["news", "rss.xml", "calendar", "institutions"])
def test_page_slugs_the_site_uses_are_reserved(make_site, slug):
    root = make_site({"content/pages/p.md": f"---\ntitle: P\nslug: {slug}\n---\n"})
    kinds = {c for c, _, _ in codes(diagnostics_of(root))}
    assert kinds & {"entry.reserved", "entry.slug"}


def test_event_times_are_checked(make_site):
    root = make_site({
        "content/events/a.md": "---\ntitle: A\nstart: \"2026-12-03 10:00\"\nend: \"2026-12-03 09:00\"\n---\n",
        "content/events/b.md": "---\ntitle: B\nstart: \"2026-13-03\"\n---\n",
        "content/events/c.md": "---\ntitle: C\nstart: 2026-12-03\ntimezone: Europe/Moskow\n---\n",
    })
    assert codes(diagnostics_of(root)) == {("event.dates", "content/events/a.md", 4),
                                          ("date.format", "content/events/b.md", 3),
                                          ("event.timezone", "content/events/c.md", 4)}


def test_unknown_kind_folder_and_stray_files(make_site):
    root = make_site({"content/novosti/a.md": "---\ntitle: A\n---\n", "content/news/photo.jpg": b"x"})
    assert {c for c, _, _ in codes(diagnostics_of(root))} == {"path.kind", "path.stray"}


@pytest.mark.parametrize("text, slug", [
    ("Мастер-класс «Весёлые ёжики»", "master-klass-veselye-ezhiki"),
    ("экология", "ekologiya"),
    ("Юный экономист", "yunyi-ekonomist"),
    ("ТРИЗ", "triz"),
])
def test_cyrillic_slugs_are_transliterated(text, slug):
    from netsite.content.urls import make_slug
    assert make_slug(text) == slug
