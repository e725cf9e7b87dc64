"""ICS DESCRIPTION (issue 13): the first paragraph once, numbered lists with their numbers; read
back with icalendar and recurring-ical-events as a calendar app would."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from netsite.content.markup import to_plain

from conftest import build_site

BODY = """\
Приходите с детьми: будем рисовать песком.

Что взять:

1. фартук;
2. влажные салфетки;
3. хорошее настроение.

Порядок:

3. сбор в холле;
4. занятие.

- первый пункт
  - вложенный пункт
- второй пункт
"""


def event(summary: str = "") -> str:
    return ("---\ntitle: Мастер-класс\nstart: 2026-12-02 17:00\nend: 2026-12-02 18:00\n"
            "rrule: FREQ=WEEKLY;COUNT=3\norganizers: [solnyshko]\n" + summary + "---\n" + BODY)


def description(root, slug: str = "m") -> str:
    cal = icalendar.Calendar.from_ical((root / f"public/events/{slug}/event.ics").read_bytes())
    found = recurring_ical_events.of(cal).between(datetime(2026, 12, 1, tzinfo=ZoneInfo("UTC")),
                                                 datetime(2027, 1, 1, tzinfo=ZoneInfo("UTC")))
    assert len(found) == 3
    texts = {str(item["DESCRIPTION"]) for item in found}
    assert len(texts) == 1  # every occurrence says the same
    return texts.pop()


def test_a_summary_taken_from_the_body_is_not_repeated(make_site):
    build_site(root := make_site({"content/events/m.md": event()}))
    text = description(root)
    assert text.count("Приходите с детьми") == 1
    assert text.startswith("Повторяется: каждую среду в 17:00, 3 встречи\n\n"
                           "Приходите с детьми: будем рисовать песком.\n\nЧто взять:")
    assert text.endswith("https://net.example.org/events/m/")


def test_a_summary_of_its_own_comes_first(make_site):
    build_site(root := make_site({"content/events/m.md": event("summary: Для семей с детьми 4–7 лет.\n")}))
    assert description(root).startswith("Для семей с детьми 4–7 лет.\n\n"
                                        "Повторяется: каждую среду в 17:00, 3 встречи\n\nПриходите с детьми")


def test_numbered_lists_keep_their_numbers_and_bullets_their_nesting(make_site):
    build_site(root := make_site({"content/events/m.md": event()}))
    text = description(root)
    assert "Что взять:\n\n1. фартук;\n2. влажные салфетки;\n3. хорошее настроение.\n\nПорядок:" in text
    assert "Порядок:\n\n3. сбор в холле;\n4. занятие." in text  # a list may start at any number
    assert "• первый пункт\n   • вложенный пункт\n• второй пункт" in text


@pytest.mark.parametrize(("html", "plain"), [
    ("<p>a &amp; b</p>\n<p>c</p>", "a & b\n\nc"),
    ("<p>строка<br>\nещё</p>", "строка\nещё"),
    ('<ol start="7">\n<li>семь</li>\n<li>восемь</li>\n</ol>\n<p>дальше</p>', "7. семь\n8. восемь\n\nдальше"),
    ("<ul>\n<li><p>свободный</p>\n</li>\n<li><p>список</p>\n</li>\n</ul>", "• свободный\n\n• список"),
    ("<p>код:</p>\n<pre><code>  отступ\nсохранён</code></pre>", "код:\n\n  отступ\nсохранён"),
    ("<p>Текст <strong>жирный</strong> и <em>курсив</em>.</p>", "Текст жирный и курсив."),
])
def test_to_plain(html, plain):
    assert to_plain(html) == plain
