"""A repeating event's rule in Russian words: «каждую среду в 17:00, до 31 марта, кроме 12 января».

Written from the event's RRULE (the parts content/agenda.py accepts), its start and the exdates
that matched. The wording is Russian grammar (cases and genders of weekdays, ordinals, the plural
forms of Babel's CLDR rules), so it is given for Russian sites; for another language, or a rule
this module has no words for (say BYSETPOS over several weekdays), `describe` returns None and
the theme shows the number of meetings instead. Times are the event's own wall clock, the one the
rule repeats; an event held in another zone names its city as the time lines do (when.py).
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from babel import Locale
from babel.dates import format_date, format_time

from netsite.content import agenda
from netsite.content.kinds import Event
from netsite.publish.when import zone_city


@dataclass(frozen=True, slots=True)
class Day:
    """A weekday's forms: «каждую среду», «по средам»; `gender` picks «каждый/каждую/каждое»."""

    accusative: str
    dative_plural: str
    gender: str


DAYS = {
    "MO": Day("понедельник", "понедельникам", "m"), "TU": Day("вторник", "вторникам", "m"),
    "WE": Day("среду", "средам", "f"), "TH": Day("четверг", "четвергам", "m"),
    "FR": Day("пятницу", "пятницам", "f"), "SA": Day("субботу", "субботам", "f"),
    "SU": Day("воскресенье", "воскресеньям", "n"),
}
DAY_CODES = tuple(DAYS)  # Monday first, as datetime.weekday() counts
EVERY = {"m": "каждый", "f": "каждую", "n": "каждое"}
ORDINALS = {  # (masculine, feminine, neuter) in the accusative, as after «каждый» or «в»
    1: ("первый", "первую", "первое"), 2: ("второй", "вторую", "второе"), 3: ("третий", "третью", "третье"),
    4: ("четвёртый", "четвёртую", "четвёртое"), 5: ("пятый", "пятую", "пятое"),
    -1: ("последний", "последнюю", "последнее"), -2: ("предпоследний", "предпоследнюю", "предпоследнее"),
}
GENDER_INDEX = {"m": 0, "f": 1, "n": 2}
# «раз в две недели»: the unit's forms for 1 / 2–4 / 5+ (CLDR one/few/many) and the words for 2–4.
UNITS = {
    "DAILY": (("день", "дня", "дней"), ("два", "три", "четыре")),
    "WEEKLY": (("неделю", "недели", "недель"), ("две", "три", "четыре")),
    "MONTHLY": (("месяц", "месяца", "месяцев"), ("два", "три", "четыре")),
    "YEARLY": (("год", "года", "лет"), ("два", "три", "четыре")),
}
EVERY_UNIT = {"DAILY": "каждый день", "WEEKLY": "каждую неделю", "MONTHLY": "каждый месяц", "YEARLY": "каждый год"}
MEETINGS = {"one": "встреча", "few": "встречи", "many": "встреч", "other": "встречи"}
_RU = Locale.parse("ru")


def describe(event: Event, site_zone: zoneinfo.ZoneInfo, language: str) -> str | None:
    """The event's repetition in words, or None (no rule, another language, words missing)."""
    rule = event.rrule
    if not rule or not language.startswith("ru"):
        return None
    parts = agenda.parse_rrule(rule)
    start = event.start
    pattern = _pattern(parts, start)
    if pattern is None:
        return None
    text = pattern
    if not event.all_day:
        text += " в " + _hm(start)
        own = start.tzinfo
        if isinstance(own, zoneinfo.ZoneInfo) and own.key != site_zone.key \
                and start.replace(tzinfo=None) != start.astimezone(site_zone).replace(tzinfo=None):
            text += f" ({zone_city(own, language)})"
    pieces = [text]
    if "UNTIL" in parts:  # the rule's last date, even when an exdate removed that meeting
        last = max([agenda.occurrences(event)[-1].start, *event.exdates])
        pieces.append("до " + _day(last, with_year=last.year != start.year))
    else:
        pieces.append(meetings(len(agenda.occurrences(event))))
    if event.exdates:
        pieces.append("кроме " + _and([_day(d, with_year=False) for d in event.exdates]))
    return ", ".join(pieces)


def meetings(n: int) -> str:
    """«1 встреча», «3 встречи», «8 встреч», «21 встреча» by CLDR's plural rules."""
    return f"{n} {MEETINGS[_RU.plural_form(n)]}"


def _pattern(parts: dict[str, str], start: datetime) -> str | None:
    """What repeats, without time and end: «каждую среду», «каждый второй вторник месяца»."""
    if set(parts) - {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYSETPOS", "BYMONTH", "WKST"}:
        return None
    freq = parts["FREQ"]
    interval = int(parts.get("INTERVAL", "1") or 1)
    days = [d.strip() for d in parts.get("BYDAY", "").split(",") if d.strip()]
    if "BYSETPOS" in parts:  # BYDAY=TH;BYSETPOS=3 is the third Thursday, as 3TH
        if len(days) != 1 or not days[0].isalpha() or "," in parts["BYSETPOS"] or freq != "MONTHLY":
            return None
        days = [parts["BYSETPOS"].lstrip("+") + days[0]]
    if ("BYMONTH" in parts and freq != "YEARLY") or (days and "BYMONTHDAY" in parts):
        return None  # Friday the 13th and the like: no plain words
    if freq in ("DAILY", "WEEKLY") or (freq == "MONTHLY" and days and all(d.isalpha() for d in days)):
        if freq == "MONTHLY" and interval > 1:
            return None
        return _weekly(freq, interval, days, start)
    if freq == "MONTHLY":
        return _monthly(interval, days, parts.get("BYMONTHDAY"), start)
    if freq == "YEARLY" and not days and "BYMONTHDAY" not in parts:
        months = parts.get("BYMONTH", str(start.month))
        if "," in months:
            return None
        day = format_date(start.replace(month=int(months)), "d MMMM", locale="ru")
        return f"{_every('YEARLY', interval)} {day}"
    return None


def _weekly(freq: str, interval: int, days: list[str], start: datetime) -> str | None:
    if not days:
        if freq == "DAILY":
            return _every("DAILY", interval)
        days = [DAY_CODES[start.weekday()]]
    if not all(d in DAYS for d in days):
        return None
    if freq == "DAILY" and interval > 1:
        return None  # «every other day, on Mondays» has no plain words
    ordered = [d for d in DAY_CODES if d in days]
    if ordered == list(DAY_CODES[:5]):
        text = "по будням"
    elif len(ordered) == 1 and interval == 1:
        return f"{EVERY[DAYS[ordered[0]].gender]} {DAYS[ordered[0]].accusative}"
    else:
        text = "по " + _and([DAYS[d].dative_plural for d in ordered])
    return f"{_every('WEEKLY', interval)} {text}" if interval > 1 else text


def _monthly(interval: int, days: list[str], monthdays: str | None, start: datetime) -> str | None:
    prefix = _every("MONTHLY", interval)
    if days:
        parsed = [(int(d[:-2] or 0), d[-2:]) for d in days if d[-2:] in DAYS and d[:-2].lstrip("+-").isdigit()]
        weekdays = {w for _, w in parsed}
        if len(parsed) != len(days) or len(weekdays) != 1 or any(n not in ORDINALS for n, _ in parsed):
            return None
        day = DAYS[weekdays.pop()]
        ordinals = _and([ORDINALS[n][GENDER_INDEX[day.gender]] for n, _ in sorted(parsed, key=_ordinal_order)])
        if interval == 1 and len(parsed) == 1:
            every = EVERY[day.gender]
            return f"{every} {ordinals} {day.accusative} месяца"
        return f"{prefix}, {_in(ordinals)} {day.accusative}"
    numbers = [int(n) for n in (monthdays or str(start.day)).split(",")]
    if any(n < 0 for n in numbers):
        if numbers != [-1]:
            return None
        return "в последний день месяца" if interval == 1 else f"{prefix}, в последний день"
    return f"{prefix} " + _and([f"{n}-го" for n in sorted(numbers)]) + " числа"


def _ordinal_order(item: tuple[int, str]) -> int:
    return item[0] if item[0] > 0 else 100 + item[0]  # «первый и последний»


def _every(freq: str, interval: int) -> str:
    """«каждую неделю», «раз в две недели», «раз в 5 недель»."""
    if interval == 1:
        return EVERY_UNIT[freq]
    forms, words = UNITS[freq]
    form = {"one": 0, "few": 1}.get(_RU.plural_form(interval), 2)
    number = words[interval - 2] if 2 <= interval <= 4 else str(interval)
    return f"раз в {number} {forms[form]}"


def _in(word: str) -> str:
    """«в первый», «во второй», «во вторник»: «во» before «вт» as Russian says it."""
    return ("во " if word.startswith("вт") else "в ") + word


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " и " + items[-1]


def _day(moment: datetime, with_year: bool) -> str:
    return format_date(moment, "d MMMM y г." if with_year else "d MMMM", locale="ru")


def _hm(moment: datetime) -> str:
    return format_time(moment, "HH:mm", locale="ru")
