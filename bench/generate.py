"""A deterministic N-entry site in netsite's content format, and the same corpus for Hugo.

Every kind is present (about 2 % institutions, 25 % practices, 20 % events, 50 % news, a few
pages, and the network's cycle: agreements, meetings, work plans and projects, ~2.5 % in all);
bodies are ~600 words of Russian with headings, lists, some tables, fenced code, links to other
entries and a few bundle images; some events recur (RRULE with COUNT). The cycle entries carry
what the real ones do (content/ of the repository): parties and participants, plan items that
name events, meeting decisions linked to plan items, projects listing events, practices and news.
The same seed and N always give the same bytes, so figures from two machines describe the same
work. Search is off (`search: false`): Pagefind indexing is timed on its own by bench/run.py,
so the build columns compare with Hugo's build, which has no search index.

    python bench/generate.py 1000 /tmp/bench-1000 [--hugo /tmp/bench-1000-hugo]
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

WORDS = ["дети", "воспитатель", "занятие", "группа", "игра", "развитие", "речь", "родители", "проект", "праздник", "музыка", "рисование", "книга", "сказка", "педагог", "методика", "наблюдение", "природа", "осень", "зима", "весна", "лето", "прогулка", "экскурсия", "музей", "библиотека", "школа", "преемственность", "конструирование", "математика", "счёт", "буквы", "звуки", "чтение", "театр", "песня", "танец", "спорт", "здоровье", "эстафета", "семья", "традиция", "город", "улица", "безопасность", "дорога", "опыт", "эксперимент", "вода", "песок", "глина", "краски", "бумага", "листья", "снег", "ветер", "солнце", "птицы", "животные", "растения", "огород", "цветы", "выставка", "конкурс", "фестиваль", "мастер-класс", "семинар", "консультация", "встреча", "сотрудничество", "партнёр", "коллектив", "успех", "радость", "интерес", "внимание", "память", "мышление", "фантазия", "творчество", "самостоятельность", "дружба", "помощь", "забота", "уважение", "культура", "история", "край", "Энск"]
VERBS = ("играют", "рисуют", "узнают", "обсуждают", "создают", "исследуют", "читают", "поют",
         "строят", "наблюдают", "готовят", "показывают", "придумывают", "собирают")
TAGS = ("экология", "театр", "чтение", "музыка", "спорт", "ПДД", "логопедия", "ТРИЗ", "робототехника",
        "патриотическое воспитание", "финансовая грамотность", "адаптация", "здоровье", "краеведение",
        "родителям", "наставничество", "конкурс", "игра", "творчество", "безопасность")
AUDIENCE = ("teachers", "parents", "children")
AGES = ("early", "junior", "middle", "senior", "preparatory")
AREAS = ("social", "cognitive", "speech", "artistic", "physical")
FORMATS = ("seminar", "master-class", "round-table", "conference", "festival", "contest", "excursion",
           "holiday", "club", "webinar", "consultation", "project", "other")
NOW = date(2026, 11, 25)
STEMS = {"practices": "praktika", "events": "sobytie", "news": "novost", "meetings": "zasedanie"}
CYCLE = ("agreements", "meetings", "plans", "projects")
CONFIG = """\
title: Сеть ДОУ г. Энска (бенчмарк)
description: Синтетический сайт сетевого сообщества для замеров скорости.
base_url: https://bench.example.org/
language: ru
timezone: Europe/Moscow
search: false
"""


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 13))]
    words.insert(rng.randint(1, len(words) - 1), rng.choice(VERBS))
    return " ".join(words).capitalize() + rng.choice(".....!?")


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(4, 7)))


def body(rng: random.Random, links: list[str], image: str | None) -> str:
    """About 600 words: paragraphs, headings, a list, sometimes a table, code, a link, an image."""
    parts = [paragraph(rng), paragraph(rng)]
    if image:
        parts.append(f"![Дети на занятии: {rng.choice(WORDS)}]({image})")
    parts += ["## Цели и задачи", paragraph(rng),
              "\n".join(f"- **{rng.choice(WORDS)}** — {sentence(rng)}" for _ in range(4)),
              "## Ход работы", paragraph(rng), paragraph(rng)]
    if rng.random() < 0.3:
        rows = "\n".join(f"| {i} | {rng.choice(WORDS)} | {rng.randint(5, 30)} |" for i in range(1, 6))
        parts.append("| № | Тема | Детей |\n|---|---|---:|\n" + rows)
    if rng.random() < 0.1:
        parts.append("```python\nfor child in group:\n    print(child.name, 'молодец!')\n```")
    if links and rng.random() < 0.5:
        parts.append(f"Подробнее — в [материале по теме]({rng.choice(links)}).")
    parts += ["## Итоги", paragraph(rng), paragraph(rng), paragraph(rng)]
    return "\n\n".join(parts) + "\n"


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def title(rng: random.Random, index: int) -> str:
    return f"{rng.choice(WORDS).capitalize()} и {rng.choice(WORDS)}: {rng.choice(WORDS)} №{index}"


def cycle_counts(n: int) -> dict[str, int]:
    """The network's cycle at N entries: ~2.5 % in all (a plan a year of every 1,000 entries, a
    meeting per 100, an agreement and a project per 150), at least one of each."""
    return {"agreements": max(1, n // 150), "meetings": max(1, n // 100), "plans": max(1, n // 1000),
            "projects": max(1, n // 150)}


def plan(n: int) -> list[tuple[str, int]]:
    """(kind, index) for every entry, in a fixed order: the cycle last, as it names the others."""
    institutions = max(5, n // 50)
    pages = 5
    cycle = cycle_counts(n)
    rest = n - institutions - pages - sum(cycle.values())
    practices, events = rest * 25 // 93, rest * 20 // 93
    news = rest - practices - events
    counts = (("institutions", institutions), ("pages", pages), ("practices", practices),
              ("events", events), ("news", news)) + tuple(cycle.items())
    return [(kind, i) for kind, count in counts for i in range(count)]


def tiny_jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (250, 200, 90)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def generate(n: int, root: Path, seed: int = 8) -> Path:
    """Write the site folder (netsite.yaml and content/) for N entries; returns root."""
    if root.exists():
        shutil.rmtree(root)
    (root / "content").mkdir(parents=True)
    (root / "netsite.yaml").write_text(CONFIG, encoding="utf-8")
    rng = random.Random(seed)
    jpeg = tiny_jpeg()
    entries = plan(n)
    slugs = {kind: [slug_of(kind, i) for k, i in entries if k == kind]
             for kind in ("institutions", "practices", "events", "news", "plans")}
    for kind, index in entries:
        write_entry(root, rng, kind, index, slugs, jpeg)
    return root


def slug_of(kind: str, index: int) -> str:
    """The slug netsite gives the entry (a file name's leading date is dropped)."""
    if kind == "institutions":
        return f"dou-{index:04d}"
    if kind == "plans":
        return f"plan-{NOW.year - index}-{NOW.year - index + 1}"
    return f"{STEMS[kind]}-{index:05d}"


def write_entry(root: Path, rng: random.Random, kind: str, index: int, slugs: dict[str, list[str]],
                jpeg: bytes) -> None:
    day = NOW - timedelta(days=rng.randint(1, 6 * 365))
    front = [f"title: {quoted(title(rng, index))}"]
    links: list[str] = []
    institutions = slugs["institutions"]
    if kind in CYCLE:
        stem = f"{day:%Y-%m-%d}-{slug_of(kind, index)}" if kind == "meetings" else cycle_stem(kind, index)
        front += cycle_front(rng, kind, index, day, slugs)
        links = ["../pages/stranica-0.md"]
    elif kind == "institutions":
        stem = f"dou-{index:04d}"
        front = [f"title: {quoted('МБДОУ «Детский сад № ' + str(index + 1) + '»')}",
                 f"short_name: {quoted('Детский сад № ' + str(index + 1))}", "kind: kindergarten",
                 f"address: {quoted('г. Энск, ул. Садовая, д. ' + str(index + 1))}"]
    elif kind == "pages":
        stem = f"stranica-{index}"
        front.append(f"menu: {index + 1}" if index < 2 else "slug: " + stem)
    else:
        stem = f"{day:%Y-%m-%d}-{STEMS[kind]}-{index:05d}"
        tags = rng.sample(TAGS, rng.randint(1, 3))
        front.append("tags: [" + ", ".join(quoted(t) for t in tags) + "]")
        owners = rng.sample(institutions, rng.randint(1, 2))
        front += kind_front(rng, kind, day, owners)
        links = ["../pages/stranica-0.md"]
        if kind == "events":  # plan items name an event of their own month (cycle.item_status)
            start = next(line for line in front if line.startswith("start:"))
            slugs.setdefault(f"month:{start[8:15]}", []).append(slug_of(kind, index))
    image = "foto.jpg" if kind == "news" and index % 50 == 0 else None
    if image:  # a bundle's index.md is one folder deeper
        links = ["../" + link for link in links]
    text = "---\n" + "\n".join(front) + "\n---\n\n" + body(rng, links, image)
    folder = root / "content" / kind
    if image:
        (folder / stem).mkdir(parents=True, exist_ok=True)
        (folder / stem / "index.md").write_text(text, encoding="utf-8")
        (folder / stem / "foto.jpg").write_bytes(jpeg)
    else:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{stem}.md").write_text(text, encoding="utf-8")


def kind_front(rng: random.Random, kind: str, day: date, owners: list[str]) -> list[str]:
    refs = "[" + ", ".join(owners) + "]"
    if kind == "practices":
        return [f"date: {day.isoformat()}", f"institutions: {refs}",
                f"age_groups: [{rng.choice(AGES)}]", f"areas: [{rng.choice(AREAS)}]",
                f"format: {rng.choice(FORMATS)}", "authors: [Иванова А. П.]"]
    if kind == "events":
        start = day + timedelta(days=rng.randint(0, 400))
        lines = [f'start: "{start.isoformat()} {rng.randint(9, 17)}:00"', f"organizers: {refs}",
                 f"audience: [{rng.choice(AUDIENCE)}]", f"format: {rng.choice(FORMATS)}",
                 f"location: {quoted('г. Энск, ул. Садовая, д. ' + str(rng.randint(1, 90)))}"]
        if rng.random() < 0.15:
            lines.append(f'rrule: "FREQ=WEEKLY;COUNT={rng.randint(3, 12)}"')
        return lines
    return [f"date: {day.isoformat()}", f"institutions: {refs}", f"audience: [{rng.choice(AUDIENCE)}]"]


def cycle_stem(kind: str, index: int) -> str:
    return slug_of(kind, index) if kind == "plans" else {"agreements": "soglashenie",
                                                          "projects": "proekt"}[kind] + f"-{index:04d}"


def flow(slugs: list[str]) -> str:
    return "[" + ", ".join(slugs) + "]"


def cycle_front(rng: random.Random, kind: str, index: int, day: date, slugs: dict[str, list[str]]) -> list[str]:
    """Front matter of an agreement, meeting, plan or project, naming entries that exist."""
    institutions = slugs["institutions"]
    partners = flow(rng.sample(institutions, min(len(institutions), rng.randint(2, 5))))
    if kind == "agreements":
        until = day + timedelta(days=rng.randint(365, 3 * 365))
        return [f"parties: {partners}", f'signed: "{day.isoformat()}"', f'valid_until: "{until.isoformat()}"',
                f"subject: {quoted(sentence(rng))}"]
    if kind == "plans":
        return plan_front(rng, NOW.year - index, slugs)
    if kind == "projects":
        end = day + timedelta(days=rng.randint(60, 300))
        lines = [f"participants: {partners}", f'start: "{day.isoformat()}"', f'end: "{end.isoformat()}"',
                 "goals:"] + [f"  - {quoted(sentence(rng))}" for _ in range(3)]
        for key in ("events", "practices", "news"):
            if slugs[key]:
                lines.append(f"{key}: " + flow(rng.sample(slugs[key], min(len(slugs[key]), rng.randint(1, 3)))))
        return lines
    return meeting_front(rng, day, partners, slugs)


def plan_front(rng: random.Random, year: int, slugs: dict[str, list[str]]) -> list[str]:
    """A school year's plan: two items a month, September to May, most carried out by an event."""
    lines = [f'period_start: "{year}-09-01"', f'period_end: "{year + 1}-05-31"', "items:"]
    for number in range(18):
        month = date(year + (number // 2 + 8) // 12, (number // 2 + 8) % 12 + 1, 1)
        lines += [f"  - id: punkt-{number + 1:02d}", f"    month: {month:%Y-%m}",
                  f"    title: {quoted(sentence(rng))}",
                  f"    responsible: {flow(rng.sample(slugs['institutions'], 2))}"]
        same_month = slugs.get(f"month:{month:%Y-%m}")
        if slugs["events"] and rng.random() < 0.7 and same_month:
            lines.append(f"    event: {rng.choice(same_month)}")
    return lines


def meeting_front(rng: random.Random, day: date, participants: str, slugs: dict[str, list[str]]) -> list[str]:
    """A council meeting: problems and decisions, some linked to an item of a plan."""
    lines = [f'date: "{day.isoformat()} 15:00"', f"participants: {participants}",
             f"location: {quoted('г. Энск, методический кабинет № ' + str(rng.randint(1, 20)))}", "problems:"]
    lines += [f"  - {quoted(sentence(rng))}" for _ in range(rng.randint(1, 3))]
    lines.append("decisions:")
    due = day + timedelta(days=rng.randint(15, 90))
    school_year = day.year if day.month >= 9 else day.year - 1
    plan = f"plan-{school_year}-{school_year + 1}"  # the plan of the meeting's school year, if any
    for _ in range(rng.randint(2, 4)):
        lines += [f"  - text: {quoted(sentence(rng))}",
                  f"    responsible: {flow(rng.sample(slugs['institutions'], 1))}", f"    due: {due:%Y-%m}"]
        if plan in slugs["plans"] and rng.random() < 0.5:
            lines += [f"    plan: {plan}", f"    item: punkt-{rng.randint(1, 18):02d}"]
    return lines


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("root", type=Path)
    parser.add_argument("--hugo", type=Path, help="also write the corpus as a Hugo site here")
    args = parser.parse_args()
    generate(args.n, args.root)
    if args.hugo:
        from hugo_export import export

        export(args.root, args.hugo)
