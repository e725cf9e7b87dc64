"""A deterministic N-entry site in netsite's content format, and the same corpus for Hugo.

Every kind is present (about 2 % institutions, 25 % practices, 20 % events, 50 % news, a few
pages); bodies are ~600 words of Russian with headings, lists, some tables, fenced code, links
to other entries and a few bundle images; some events recur (RRULE with COUNT). The same seed
and N always give the same bytes, so figures from two machines describe the same work.

    python bench/generate.py 1000 /tmp/bench-1000 [--hugo /tmp/bench-1000-hugo]
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

WORDS = (
    "дети воспитатель занятие группа игра развитие речь родители проект праздник музыка рисование "
    "книга сказка педагог методика наблюдение природа осень зима весна лето прогулка экскурсия "
    "музей библиотека школа преемственность конструирование математика счёт буквы звуки чтение "
    "театр песня танец спорт здоровье эстафета семья традиция город улица безопасность дорога "
    "опыт эксперимент вода песок глина краски бумага листья снег ветер солнце птицы животные "
    "растения огород цветы выставка конкурс фестиваль мастер-класс семинар консультация встреча "
    "сотрудничество партнёр коллектив успех радость интерес внимание память мышление фантазия "
    "творчество самостоятельность дружба помощь забота уважение культура история край Энск"
).split()
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
STEMS = {"practices": "praktika", "events": "sobytie", "news": "novost"}
CONFIG = """\
title: Сеть ДОУ г. Энска (бенчмарк)
description: Синтетический сайт сетевого сообщества для замеров скорости.
base_url: https://bench.example.org/
language: ru
timezone: Europe/Moscow
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


def plan(n: int) -> list[tuple[str, int]]:
    """(kind, index) for every entry, in a fixed order."""
    institutions = max(5, n // 50)
    pages = 5
    rest = n - institutions - pages
    practices, events = rest * 25 // 93, rest * 20 // 93
    news = rest - practices - events
    counts = (("institutions", institutions), ("pages", pages), ("practices", practices),
              ("events", events), ("news", news))
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
    institutions = [f"dou-{i:04d}" for kind, i in entries if kind == "institutions"]
    for kind, index in entries:
        write_entry(root, rng, kind, index, institutions, jpeg)
    return root


def write_entry(root: Path, rng: random.Random, kind: str, index: int, institutions: list[str],
                jpeg: bytes) -> None:
    day = NOW - timedelta(days=rng.randint(1, 6 * 365))
    front = [f"title: {quoted(title(rng, index))}"]
    links: list[str] = []
    if kind == "institutions":
        name, stem = f"dou-{index:04d}", f"dou-{index:04d}"
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
