"""Lists in the order a reader expects (issue 14): an institution's events upcoming soonest first,
then past newest first; a project's news newest first, whatever order its author wrote them in."""

from __future__ import annotations

import re

from conftest import build_site


def event(title: str, start: str) -> str:
    return f"---\ntitle: {title}\nstart: {start}\norganizers: [solnyshko]\n---\nТекст.\n"


def news(title: str, date: str) -> str:
    return f"---\ntitle: {title}\ndate: {date}\ninstitutions: [solnyshko]\n---\nТекст.\n"


def order(html: str, prefix: str) -> list[str]:
    main = re.search(r"<main.*</main>", html, re.S).group(0)
    return list(dict.fromkeys(re.findall(rf'href="/{prefix}/([^/"]+)/"', main)))


def test_institution_events_upcoming_soonest_first_then_past_newest_first(make_site):
    root = make_site({"content/events/a-late.md": event("Поздно", "2027-03-01 10:00"),
                      "content/events/b-past-old.md": event("Давно", "2026-01-10 10:00"),
                      "content/events/c-soon.md": event("Скоро", "2026-12-01 10:00"),
                      "content/events/d-past-new.md": event("Недавно", "2026-11-01 10:00")})
    build_site(root)
    html = (root / "public/institutions/solnyshko/index.html").read_text(encoding="utf-8")
    assert order(html, "events") == ["c-soon", "a-late", "d-past-new", "b-past-old"]


def test_project_news_newest_first_whatever_the_order_written(make_site):
    project = ("---\ntitle: Проект\nparticipants: [solnyshko]\nstart: 2026-09-01\nend: 2027-05-31\n"
               "news: [first, third, second]\nevents: [later, sooner]\n---\nТекст.\n")
    root = make_site({"content/projects/proekt.md": project,
                      "content/news/first.md": news("Первая", "2026-09-05"),
                      "content/news/second.md": news("Вторая", "2026-10-05"),
                      "content/news/third.md": news("Третья", "2026-11-05"),
                      "content/events/later.md": event("Позже", "2027-02-01 10:00"),
                      "content/events/sooner.md": event("Раньше", "2026-12-01 10:00")})
    build_site(root)
    html = (root / "public/projects/proekt/index.html").read_text(encoding="utf-8")
    assert order(html, "news") == ["third", "second", "first"]
    assert order(html, "events") == ["sooner", "later"]


def test_an_audience_page_says_what_it_holds_and_explains_subscribing_in_plain_words(make_site):
    root = make_site({"content/events/e.md": event("Собрание", "2026-12-01 10:00").replace(
        "organizers:", "audience: [parents]\norganizers:")})
    build_site(root)
    html = (root / "public/audiences/parents/index.html").read_text(encoding="utf-8")
    assert '<p class="lead">События сети для этой аудитории.</p>' in html  # events only: no «практики, новости»
    assert "в календаре вашего телефона" in html and 'href="/audiences/parents/rss.xml"' in html


def test_lists_show_a_thumbnail_for_an_entry_with_a_photo_and_none_without(make_site):
    from test_pictures import photo_site

    root = photo_site(make_site, **{"content/news/bez-foto.md": news("Без фото", "2026-10-01")})
    build_site(root)
    html = (root / "public/news/index.html").read_text(encoding="utf-8")
    cards = dict(re.findall(r'<article class="card card-news">(.*?)href="/news/([^/"]+)/"', html, re.S))
    thumbs = {slug: "card-thumb" in before for before, slug in cards.items()}
    assert thumbs == {"vystavka": True, "bez-foto": False}
    assert re.search(r'<div class="card-thumb"><picture class="picture">.*?alt=""', html, re.S)
