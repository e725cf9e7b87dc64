"""The Russian catalogue of diagnostic messages: for each code, (English pattern → Russian template).

Read netsite.messages for how a rule is applied. When you change an English message at its call
site, change its pattern here too: tests/test_messages.py builds every bad input and fails on any
message that has no Russian rule. Placeholders keep the quotes of the English, so that what the
author wrote ('slug', a path, a value) stands out the same way in both languages.
"""

from __future__ import annotations

import re

H = r"(?P<hint>(?: \(did you mean '.*'\?\))?)"
"""A "did you mean" hint from diagnostics.did_you_mean, or nothing."""
Q = r"'(?P<{}>.*?)'"  # a quoted placeholder: Q.format("key")


def _rules(*pairs: tuple[str, str]) -> tuple:
    return tuple((re.compile(english, re.S), russian) for english, russian in pairs)


# ---- fragments, translated wherever a group of their name appears ---------------------------------

HINT = _rules(
    (r" \(did you mean '(?P<word>.*)'\?\)", " (может быть, вы имели в виду '{word}'?)"),
)

URL = _rules(  # urls.url_problem, after an address
    (r"must not contain spaces or control characters \(write %20 for a space\)",
     "не должен содержать пробелов и управляющих символов (пробел пишется как %20)"),
    (r"is not a valid address", "— недопустимый адрес"),
    (r"must be a full web address starting with https://", "должен быть полным адресом, начинающимся с https://"),
    (r"uses '(?P<scheme>[^']*):', which is not allowed \(only https, http, mailto, tel, webcal and relative "
     r"links\)", "начинается с '{scheme}:', а так нельзя (можно только https, http, mailto, tel, webcal и "
                 "ссылки внутри сайта)"),
    (r"has no scheme: write https://", "— без схемы: напишите https://"),
)

SLUG = _rules(  # urls.slug_problem and scaffold's empty slug, after "не подходит:"
    (r"must be lowercase latin letters, digits and '-' \(such as '(?P<example>[^']*)'\)",
     "нужны только строчные латинские буквы, цифры и '-' (например, '{example}')"),
    (r"'(?P<name>.*)' is a reserved device name on Windows", "'{name}' — зарезервированное имя устройства в Windows"),
    (r"is empty: write the title with letters or digits", "он пустой: в названии должны быть буквы или цифры"),
)

NAME = _rules(  # sources.name_problem, after "имя … не подходит:"
    (r"has a character Windows does not allow in file names \(< > : \" \| \? \* \\\)",
     "в нём есть знак, недопустимый в именах файлов Windows (< > : \" | ? * \\)"),
    (r"ends with a dot or a space, which Windows drops", "оно кончается точкой или пробелом, а Windows их отбрасывает"),
    (r"'(?P<name>.*)' is a reserved device name on Windows", "'{name}' — зарезервированное имя устройства в Windows"),
)

TIME = _rules(  # agenda.TimeError: standalone, or after "значение 'key':"
    (r"'(?P<value>.*)' is not a date: write 2026-12-03 or \"2026-12-03 10:00\"",
     "'{value}' — не дата: пишите 2026-12-03 или \"2026-12-03 10:00\""),
    (r"'(?P<value>.*)' is not a real date or time \((?P<detail>.*)\)",
     "'{value}' — такой даты или времени не бывает ({detail})"),
    (r"(?P<when>\S+ \S+) does not exist in (?P<zone>\S+) \(the clocks are moved forward then\): pick another time",
     "{when} не бывает в поясе {zone} (в это время часы переводят вперёд): выберите другое время"),
    (r"(?P<when>\S+ \S+) happens twice in (?P<zone>\S+) \(the clocks are moved back then\): write the offset, "
     r"such as \"(?P<example>[^\"]*)\"",
     "{when} бывает дважды в поясе {zone} (в это время часы переводят назад): укажите смещение, "
     "например \"{example}\""),
    (r"'(?P<value>.*)' is not an IANA time zone such as Europe/Moscow" + H,
     "'{value}' — не часовой пояс IANA (например, Europe/Moscow){hint}"),
    (r"'(?P<later>[^']*)' is before '(?P<earlier>[^']*)'", "'{later}' раньше, чем '{earlier}'"),
    (r"'end' equals 'start'", "'end' совпадает со 'start': конец должен быть позже начала"),
    (r"'all_day: false' needs a time in 'start', such as \"(?P<example>[^\"]*)\"",
     "при 'all_day: false' в 'start' нужно время, например \"{example}\""),
    (r"'end' needs a time when 'start' has one, such as \"(?P<example>[^\"]*)\"",
     "в 'end' нужно время, раз оно есть в 'start', например \"{example}\""),
    (r"'(?P<part>.*)' is not supported in rrule \(use (?P<parts>.*)\)",
     "'{part}' не поддерживается в rrule (можно: {parts})"),
    (r"rrule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY", "в rrule нужен FREQ=DAILY, WEEKLY, MONTHLY или YEARLY"),
    (r"rrule needs COUNT=… or UNTIL=… so that the series ends",
     "в rrule нужен COUNT=… или UNTIL=…, чтобы повторения закончились"),
    (r"rrule names a day that no chosen month has \(such as February 30\): it never happens",
     "rrule называет день, которого нет ни в одном выбранном месяце (например, 30 февраля): событие "
     "не случится ни разу"),
    (r"a repeating event needs a named zone, not an offset: write 'timezone: (?P<zone>[^']*)' \(or your zone\) "
     r"and the time without the offset",
     "повторяющемуся событию нужен часовой пояс по имени, а не смещение: напишите 'timezone: {zone}' "
     "(или ваш пояс) и время без смещения"),
    (r"rrule and exdates leave no occurrence", "после rrule и exdates не остаётся ни одной даты события"),
    (r"rrule is not valid: (?P<detail>.*)", "rrule записано с ошибкой ({detail})"),
    (r"rrule gives more than (?P<n>\d+) occurrences: lower COUNT or UNTIL",
     "rrule даёт больше {n} {n|повторения|повторений|повторений}: уменьшите COUNT или UNTIL"),
    (r"rrule gives no occurrence: check UNTIL and the BY… parts",
     "rrule не даёт ни одной даты: проверьте UNTIL и части BY…"),
    (r"'start' (?P<start>\S+ \S+) is not a date of the rrule \(the first would be (?P<first>\S+ \S+)\): "
     r"move 'start' to the first date",
     "'start' {start} — не дата этого rrule (первая была бы {first}): перенесите 'start' на первую дату"),
    (r"UNTIL=(?P<value>.*) is not a date such as 20270531 or 20270531T235959Z",
     "UNTIL={value} — не дата: пишите так: 20270531 или 20270531T235959Z"),
    (r"must be whole seconds since 1970", "должно быть целым числом секунд с 1970 года"),
)

VALUE = _rules(  # the problem of one value, after "значение 'key'" (schema, records, config)
    (r"must be a text", "должно быть текстом"),
    (r"must be a non-empty text", "должно быть непустым текстом"),
    (r"must not be empty", "не может быть пустым"),
    (r"is longer than (?P<n>\d+) characters", "длиннее {n} {n|символа|символов|символов}: сократите его"),
    (r"must be true or false", "должно быть true (да) или false (нет)"),
    (r"must be a whole number", "должно быть целым числом"),
    (r"must be a whole number from 1 to 1000", "должно быть целым числом от 1 до 1000"),
    (r"must be \[latitude, longitude\], such as \[55\.75, 37\.62\]",
     "должно быть [широта, долгота], например [55.75, 37.62]"),
    (r"latitude must be within ±90 and longitude within ±180", "широта должна быть в пределах ±90, а долгота — ±180"),
    (r"must list photos as \{file: foto\.jpg, alt: Дети рисуют осень\}",
     "должно перечислять фото так: {{file: foto.jpg, alt: Дети рисуют осень}}"),
    (r"must be a list whose items start with '- ' on their own lines",
     "должно быть списком: каждый пункт на своей строке, начиная с '- '"),
    (r"'(?P<value>.*)' is not one of: (?P<options>.*?)" + H,
     "'{value}' — нет среди допустимых значений: {options}{hint}"),
    (r"'(?P<value>.*)' (?P<clause_url>(?:must|is not|uses|has) .*)", "'{value}' {clause_url}"),
    (r"'(?P<value>.*)' is not an e-mail address", "'{value}' — не адрес электронной почты"),
    (r"'(?P<value>.*)' is not a phone number such as (?P<example>.*)",
     "'{value}' — не номер телефона; пишите так: {example}"),
    (r"'(?P<name>.*)' is not a photo: use a JPEG, PNG, WebP or GIF file",
     "'{name}' — не фотография: нужен файл JPEG, PNG, WebP или GIF"),
    (r"the file '(?P<name>.*)' is not found" + H + r"; put it (?P<clause_where>.*)",
     "файл '{name}' не найден{hint}; {clause_where}"),
    (r"slug (?P<clause_slug>.*)", "не подходит как адрес: {clause_slug}"),
    (r"(?P<clause_slug>must be lowercase .*|'.*' is a reserved device name on Windows)",
     "не подходит: {clause_slug}"),
    (r"'(?P<value>.*)' is not a month: write it as 2026-12", "'{value}' — не месяц: пишите так: 2026-12"),
    # config.py
    (r"must be an absolute http\(s\) URL such as (?P<example>\S+)",
     "должно быть полным адресом http(s), например {example}"),
    (r"must not have a query or a fragment", "не должно содержать '?' и '#'"),
    (r"must be one of (?P<options>.*?)" + H, "должно быть одним из: {options}{hint}"),
    (r"must be a plain folder name", "должно быть простым именем папки (без / и ..)"),
    (r"must be a list of \{label: \.\.\., url: \.\.\.\}", "должно быть списком {{label: ..., url: ...}}"),
    (r"each item must have exactly 'label' and 'url'", "у каждого пункта должны быть ровно 'label' и 'url'"),
    (r"menu url '(?P<url>.*)' (?P<clause_url>.*)", "адрес пункта меню '{url}' {clause_url}"),
    (r"must map a vocabulary name to \{id: label\}", "должно сопоставлять имени словаря {{id: название}}"),
    (r"unknown vocabulary '(?P<name>.*)'" + H, "неизвестный словарь '{name}'{hint}"),
    (r"vocabulary '(?P<name>.*)' must map ids to labels",
     "словарь '{name}' должен сопоставлять идентификаторам названия: {{id: название}}"),
    (r"'replace' must be true or false", "'replace' должно быть true или false"),
    (r"vocabulary id '(?P<id>.*)' must be lowercase ASCII letters, digits, '-'",
     "идентификатор '{id}' в словаре должен состоять из строчных латинских букв, цифр и '-'"),
    (r"must be an https tile address with \{z\}, \{x\} and \{y\}, such as (?P<example>\S+)",
     "должно быть адресом плиток карты на https с {{z}}, {{x}} и {{y}}, например {example}"),
    (r"may use only \{z\}, \{x\}, \{y\} and \{s\} in braces",
     "может содержать в фигурных скобках только {{z}}, {{x}}, {{y}} и {{s}}"),
    # config.py, editor:
    (r"must be keys such as backend: gitlab, repo: group/site, branch: main",
     "должно состоять из ключей, например backend: gitlab, repo: group/site, branch: main"),
    (r"has an unknown key '(?P<key>.*?)'" + H, "неизвестный ключ '{key}'{hint}"),
    (r"needs '(?P<key>.*)'", "нужен ключ '{key}'"),
    (r"backend must be one of (?P<options>.*?)" + H, "backend должен быть одним из: {options}{hint}"),
    (r"repo must be the project's path on the git host, such as (?P<example>\S+)",
     "repo должен быть путём проекта на git-сервере, например {example}"),
    (r"(?P<key>\w+) must be an address starting with https://",
     "{key} должен быть адресом, начинающимся с https://"),
) + TIME

WHERE = _rules(  # schema._files: where the file belongs
    (r"beside index\.md", "положите его рядом с index.md"),
    (r"in a folder: make the entry a folder with index\.md and put the file beside it",
     "сделайте запись папкой с index.md и положите файл рядом с ним"),
)

KIND = _rules(  # images.kind_problem: why a file beside index.md is not published
    (r"HEIC photos \(iPhone\) are not shown by most browsers: export the photo as JPEG "
     r"\(on iPhone: Settings → Camera → Formats → Most Compatible\)",
     "фото HEIC (iPhone) не показываются в большинстве браузеров: сохраните фото как JPEG "
     "(на iPhone: Настройки → Камера → Форматы → Наиболее совместимый)"),
    (r"HEIF photos are not shown by most browsers: export the photo as JPEG",
     "фото HEIF не показываются в большинстве браузеров: сохраните фото как JPEG"),
    (r"SVG drawings can carry scripts: export the picture as PNG", "в рисунке SVG могут быть скрипты: сохраните его как PNG"),
    (r"TIFF is not shown by browsers: save the picture as JPEG or PNG",
     "браузеры не показывают TIFF: сохраните картинку как JPEG или PNG"),
    (r"BMP is not compressed: save the picture as PNG", "BMP не сжат: сохраните картинку как PNG"),
    (r"only photos \((?P<photos>[^)]*)\) and documents \((?P<documents>[^)]*)\) are published beside index\.md",
     "рядом с index.md публикуются только фото ({photos}) и документы ({documents})"),
)

OUTPUT = _rules(  # config._output_problem and the symbolic-link case
    (r": it exists and is not a folder", ": так называется файл, а не папка"),
    (r": it holds files but no index\.html, so it is not a site netsite built \(it would be deleted\)",
     ": в ней есть файлы, но нет index.html, значит это не сайт, собранный netsite (всё в ней было бы удалено)"),
    (r": it is a symbolic link, and netsite never writes or deletes through one",
     ": это символическая ссылка, а netsite никогда не пишет и не удаляет через них"),
)

YAML = _rules(  # PyYAML's own words, the commonest; others are shown as PyYAML wrote them
    (r"mapping values are not allowed here", "двоеточие с пробелом здесь не на месте"),
    (r"mapping values are not allowed in this context", "двоеточие с пробелом здесь не на месте"),
    (r"found character '\\t' that cannot start any token", "здесь табуляция, а она в YAML недопустима"),
    (r"found character '(?P<char>.*)' that cannot start any token", "значение не может начинаться со знака '{char}'"),
    (r"only one YAML document is allowed in front matter", "в блоке сведений может быть только один документ YAML"),
    (r"found unexpected end of stream", "не закрыта кавычка или скобка"),
    (r"expected ',' or '\]', but got '(?P<got>.*)'", "ожидалась ',' или ']', а стоит '{got}': не закрыта скобка?"),
    (r"expected ',' or '\}', but got '(?P<got>.*)'", "ожидалась ',' или '}}', а стоит '{got}': не закрыта скобка?"),
    (r"found character that cannot start any token", "здесь знак, с которого не может начинаться значение "
     "(например, табуляция, @ или `)"),
    (r"did not find expected <document start>", "строка с % или лишнее '---' внутри блока сведений"),
    (r"found undefined tag handle '(?P<tag>.*)'", "неизвестный тег '{tag}'"),
    (r"expected '<document start>', but found '(?P<got>.*)'",
     "после директивы YAML (строка с %) ожидалось начало документа, а стоит '{got}'"),
    (r"expected <block end>, but found '(?P<got>.*)'", "отступ не совпадает с соседними строками (стоит '{got}')"),
    (r"could not find expected ':'", "не найдено ожидаемое двоеточие после ключа"),
    (r"found unexpected ':'", "лишнее двоеточие"),
    (r"found a tab character that violates indentation", "табуляция в отступе: в YAML отступы делаются пробелами"),
    (r"found unknown escape character '(?P<char>.*)'", "неизвестная последовательность '\\{char}' в кавычках"),
    (r"found unexpected end of stream while scanning a quoted scalar", "не закрыта кавычка"),
)

YAML_HINT = _rules(
    (r"; put a value that contains ': ' in quotes", "; значение, в котором есть ': ', возьмите в кавычки"),
    (r"; use spaces, not tabs, for indentation", "; для отступов используйте пробелы, а не табуляцию"),
)

DETAIL = _rules(  # third-party details in parentheses: translated when known, else kept
    (r"day is out of range for month", "в этом месяце нет такого дня"),
    (r"month must be in 1\.\.12", "месяц должен быть от 1 до 12"),
    (r"hour must be in 0\.\.23", "час должен быть от 0 до 23"),
    (r"minute must be in 0\.\.59", "минуты должны быть от 0 до 59"),
    (r"second must be in 0\.\.59", "секунды должны быть от 0 до 59"),
    (r"year (?P<year>-?\d+) is out of range", "год {year} вне допустимых пределов"),
    (r"damaged", "файл повреждён"),
    (r"Permission denied", "нет прав"),
    (r"No such file or directory", "нет такого файла или папки"),
    (r"Address already in use", "адрес уже занят"),
    (r"Is a directory", "это папка"),
    (r"image file is truncated \((?P<n>\d+) bytes not processed\)", "файл обрезан, не прочитано байт: {n}"),
    (r"image file is truncated", "файл обрезан"),
    (r"unsupported property: (?P<part>.*)", "неизвестная часть '{part}'"),
    (r"broken data stream when reading image file", "данные картинки испорчены"),
)

THEME_WHERE = _rules(  # audit: a broken URL in the theme's HTML
    (r" \(in the theme's HTML, on this page\)", " (в HTML темы, на этой странице)"),
    (r" \(in the theme's HTML, on (?P<n>\d+) pages\)", " (в HTML темы, на {n} {n|странице|страницах|страницах})"),
)

EXAMPLE = _rules(  # records: how a record is written
    (r"'- id: \.\.\.' then 'month: 2026-12', 'title: \.\.\.'", "'- id: ...', затем 'month: 2026-12', 'title: ...'"),
    (r"'- text: \.\.\.'", "'- text: ...'"),
)

OF_KIND = _rules(  # cycle._missing: what is missing, in the genitive
    (r"institution", "учреждения"), (r"event", "события"), (r"practice", "практики"),
    (r"news item", "новости"), (r"plan", "плана"),
)

WHAT_FILE = _rules(  # frontmatter.load_mapping: which file
    (r"netsite\.yaml", "netsite.yaml"), (r"theme strings", "файле строк темы"), (r"file", "файле"),
)

NEEDS = _rules(  # scaffold: how many institutions a kind needs
    (r"at least two institutions", "нужны хотя бы два учреждения"), (r"an institution", "нужно учреждение"),
)

GROUPS = {
    "hint": HINT, "clause_url": URL, "clause_slug": SLUG, "clause_name": NAME, "clause_where": WHERE,
    "clause_kind": KIND, "clause_output": OUTPUT, "clause_value": VALUE, "clause_time": TIME,
    "detail_yaml": YAML, "yaml_hint": YAML_HINT, "detail": DETAIL, "theme": THEME_WHERE, "example_record": EXAMPLE,
    "of_kind": OF_KIND, "needs": NEEDS, "what_file": WHAT_FILE,
}
"""Group-name prefixes whose text is itself English to translate (longest prefixes first)."""

# ---- the rules of each code -----------------------------------------------------------------------

_FRONTMATTER = _rules(
    (r"no front matter: the file must start with a line '---', then 'title: \.\.\.', then '---'",
     "нет блока сведений: файл должен начинаться строкой '---', затем 'title: ...', затем снова '---'"),
    (r"the first line must be exactly '---'", "первая строка должна быть ровно '---'"),
    (r"front matter is not closed: did you forget the second '---' line after it\?",
     "блок сведений не закрыт: может быть, вы забыли вторую строку '---' после него?"),
    (r"front matter is larger than (?P<n>\d+) KiB", "блок сведений больше {n} КБ: сократите его"),
    (r"front matter is empty: it needs at least 'title:'", "блок сведений пуст: нужен хотя бы 'title:'"),
    (r"front matter must be 'key: value' lines", "блок сведений должен состоять из строк 'ключ: значение'"),
    (r"the (?P<what_file>.*) must be 'key: value' lines", "в {what_file} должны быть только строки 'ключ: значение'"),
    (r"front matter is nested more than (?P<n>\d+) levels deep",
     "в блоке сведений больше {n} {n|уровня|уровней|уровней} вложенности: упростите его"),
    (r"front matter is nested too deeply", "блок сведений вложен слишком глубоко: упростите его"),
    (r"invalid YAML: (?P<detail_yaml>.*?)(?P<yaml_hint>(?:; put a value that contains ': ' in quotes"
     r"|; use spaces, not tabs, for indentation)?)",
     "строка не читается: {detail_yaml}{yaml_hint}"),
    (r"YAML anchors and aliases \(& and \*\) are not allowed; write the value out",
     "якоря и ссылки YAML (& и *) не разрешены: напишите значение полностью"),
    (r"keys must be plain words", "ключи должны быть простыми словами, например title"),
    (r"key (?P<key>.*) must be a word, not a number or a value",
     "ключ {key} должен быть словом, а не числом или значением: ключи пишутся латиницей, например title"),
    (r"duplicate key '(?P<key>.*)'", "ключ '{key}' написан дважды: оставьте одну строку"),
    (r"the value holds the invisible character (?P<char>U\+[0-9A-F]+) \(a control or text-direction character, "
     r"here written as an escape\); delete it",
     "в значении невидимый символ {char} (управляющий или меняющий направление текста, записанный здесь "
     "кодом): удалите его"),
    (r"the number (?P<number>.*)… is too long: put it in quotes if it is a text",
     "число {number}… слишком длинное: если это текст, возьмите его в кавычки"),
    (r"YAML tags such as '(?P<tag>.*)' are not allowed", "теги YAML, такие как '{tag}', не разрешены: удалите тег"),
)

_KEY_VALUE = r"'(?P<key>[^']*)' (?P<clause_value>.*)"
_VALUE = _rules((r"'(?P<key>[^']*)' (?P<clause_value>(?:must|is|may|slug) .*)", "значение '{key}' {clause_value}"),
                (_KEY_VALUE, "'{key}': {clause_value}"))
_TIME = _rules((r"(?P<clause_time>.*)", "{clause_time}"))
_NO_ENTRY = _rules(
    (r"no (?P<of_kind>institution|event|practice|news item|plan) '(?P<slug>.*)' in (?P<folder>content/\w+/)" + H,
     "в {folder} нет {of_kind} '{slug}'{hint}"),
)
_ANY = r"(?P<detail>.*)"

CATALOGUE: dict[str, tuple] = {
    # files, folders and names
    "file.encoding": _rules(
        (r"the file is saved as UTF-16: save it as UTF-8 \(in Notepad: Save as → Encoding: UTF-8\)",
         "файл сохранён в UTF-16: сохраните его в UTF-8 (в Блокноте: «Сохранить как» → «Кодировка: UTF-8»)"),
        (r"the file is not valid UTF-8: save it as UTF-8",
         "файл сохранён не в UTF-8 (например, в Windows-1251): сохраните его в кодировке UTF-8"),
    ),
    "file.character": _rules(
        (r"invalid character (?P<char>U\+[0-9A-F]+) \(a control or text-direction character\); delete it",
         "недопустимый символ {char} (управляющий или меняющий направление текста): удалите его"),
    ),
    "file.size": _rules((r"the file is larger than (?P<n>\d+) MiB",
                         "файл больше {n} МБ: разделите текст на несколько записей")),
    "io": _rules((_ANY, "файл не удалось прочитать или записать ({detail})")),
    "content.missing": _rules((r"no content/ folder in the site folder",
                               "в папке сайта нет папки content/: запускайте netsite в папке сайта или укажите --root")),
    "content.placeholder": _rules(
        (r"the draft still has the template's text '(?P<text>.*)': write your own, then remove 'draft: true'",
         "в черновике остался текст шаблона '{text}': напишите свой, потом удалите строку 'draft: true'"),
        (r"the template's text '(?P<text>.*)' would be published: replace it with your own",
         "на сайт попал бы текст шаблона '{text}': замените его своим"),
    ),
    "path.kind": _rules(
        (r"files directly in content/ are not read: put them in a kind folder such as (?P<example>\S+)",
         "файлы прямо в content/ не читаются: положите файл в папку вида, например {example}"),
        (r"unknown content kind '(?P<kind>.*)' \(the kinds are (?P<kinds>.*)\)",
         "неизвестный вид записей '{kind}' (виды: {kinds}): переименуйте папку"),
    ),
    "path.bundle": _rules((r"a folder in a kind folder must hold index\.md \(the entry\) beside its images and "
                           r"attachments",
                           "в папке записи должен быть index.md (сам текст записи) рядом с её картинками и файлами")),
    "path.stray": _rules((r"only \.md files belong here; put images and attachments in a folder beside index\.md",
                          "здесь место только .md-файлам: картинки и документы положите в папку записи рядом "
                          "с index.md")),
    "path.symlink": _rules(
        (r"symbolic links are not allowed in content/ and themes/: copy the file in instead",
         "символические ссылки в content/ и themes/ не разрешены: положите туда сам файл"),
        (r"content/ must not be a symbolic link", "content/ не может быть символической ссылкой: сделайте её папкой"),
    ),
    "path.windows": _rules((r"the name '(?P<name>.*?)' (?P<clause_name>.*): rename it",
                            "имя '{name}' не подходит: {clause_name}; переименуйте")),
    "path.special": _rules((r"not a regular file \(a pipe or a device\?\): remove it",
                            "это не обычный файл (канал или устройство?): удалите его")),
    "entry.slug": _rules(
        (r"slug (?P<clause_slug>.*): rename the file or set 'slug:'",
         "адрес (slug) не подходит: {clause_slug}; переименуйте файл или задайте 'slug:'"),
        (r"the file name gives an empty slug: rename it or set 'slug:'",
         "из имени файла получается пустой адрес: переименуйте файл или задайте 'slug:'"),
    ) + _VALUE,
    "entry.reserved": _rules((r"the slug '(?P<slug>.*)' is used by the site itself: rename the file or set "
                              r"another 'slug:'",
                              "адрес '{slug}' занят самим сайтом: переименуйте файл или задайте другой 'slug:'")),
    "entry.collision": _rules((r"this entry and (?P<other>.*) are both published at (?P<path>\S+): rename one file "
                               r"or set 'slug:'",
                               "эта запись и {other} получают один адрес {path}: переименуйте один из файлов "
                               "или задайте 'slug:'")),
    "output.collision": _rules((r"two files would be written to (?P<path>.*) \(also (?P<other>.*)\): rename the "
                                r"entry or the file",
                                "два файла попали бы в один адрес {path} (ещё {other}): переименуйте запись или файл")),
    # front matter and fields
    **{code: _FRONTMATTER for code in ("frontmatter.missing", "frontmatter.unclosed", "frontmatter.size",
                                       "frontmatter.empty", "frontmatter.syntax", "frontmatter.depth",
                                       "frontmatter.alias", "frontmatter.key", "frontmatter.duplicate",
                                       "frontmatter.character", "frontmatter.number", "frontmatter.tag",
                                       "yaml.syntax", "theme.strings", "config.syntax", "config.depth",
                                       "config.alias", "config.duplicate", "config.character",
                                       "config.number", "config.tag")},
    "field.unknown": _rules((r"unknown key '(?P<key>.*)' for (?P<kind>\w+)" + H,
                             "неизвестный ключ '{key}' в записи вида {kind}{hint}")),
    "field.empty": _rules((r"'(?P<key>.*)' has no value",
                           "у '{key}' нет значения: напишите его после двоеточия или удалите строку")),
    "field.required": _rules(
        (r"'(?P<key>.*)' is required for (?P<kind>\w+)",
         "'{key}' обязательно в записи вида {kind}: добавьте строку '{key}: …'"),
        (r"'institution' \(or 'institutions'\) is required for practices",
         "в практике обязательно 'institution' (или 'institutions'): напишите адрес (slug) учреждения"),
    ),
    "field.conflict": _rules((r"write either 'institution' or 'institutions', not both",
                              "напишите что-то одно: 'institution' или 'institutions'")),
    **{code: _VALUE for code in ("field.type", "field.size", "field.url", "field.email", "field.phone",
                                 "field.gallery", "field.image", "field.file", "field.vocabulary", "field.choice",
                                 "record.value", "config.value")},
    "date.format": _VALUE + _TIME,
    "date.nonexistent": _VALUE + _TIME,
    "date.ambiguous": _VALUE + _TIME,
    "event.dates": _TIME,
    "event.timezone": _VALUE + _TIME,
    "event.rrule": _TIME + _rules(
        (r"the rrule skips the months that lack its day of month; use BYMONTHDAY=-1 for the last day",
         "rrule пропускает месяцы, в которых нет такого числа; для последнего дня месяца напишите BYMONTHDAY=-1"),
    ),
    "event.exdates": _rules((r"the exdate '(?P<date>.*)' is not a date of the event: check the day and the time",
                             "исключённая дата '{date}' не совпадает ни с одной датой события: проверьте день "
                             "и время")),
    "usage.now": _TIME,
    **{f"{kind}.dates": _TIME for kind in ("agreement", "plan", "project")},
    "field.list": _rules((r"'(?P<key>.*)' is one text with commas, read as a list of (?P<n>\d+): write it as "
                          r"(?P<example>\[.*\])",
                          "'{key}' записано одной строкой через запятую и прочитано как список из {n} "
                          "{n|значения|значений|значений}: пишите в квадратных скобках, {example}")),
    # records and references
    "record.shape": _rules((r"each of '(?P<key>.*)' must be keys and values, such as (?P<example_record>.*)",
                            "каждый пункт '{key}' должен состоять из строк 'ключ: значение', например "
                            "{example_record}")),
    "record.unknown": _rules((r"unknown key '(?P<sub>.*)' in (?P<key>\w+)" + H,
                              "неизвестный ключ '{sub}' в пункте {key}{hint}")),
    "record.required": _rules(
        (r"'(?P<sub>.*)' is required in each of '(?P<key>.*)'", "'{sub}' обязательно в каждом пункте '{key}'"),
        (r"a decision linked to the plan needs both 'plan:' \(the plan's slug\) and 'item:' \(the id of its item\)",
         "решению, связанному с планом, нужны оба ключа: 'plan:' (адрес плана) и 'item:' (идентификатор "
         "его пункта)"),
    ),
    "record.duplicate": _rules((r"the id '(?P<id>.*)' is used by another item of this plan: give each item its own id",
                                "идентификатор '{id}' уже есть у другого пункта этого плана: дайте каждому пункту "
                                "свой")),
    **{code: _NO_ENTRY for code in ("ref.institution", "ref.event", "ref.practice", "ref.news", "ref.plan")},
    "ref.plan_item": _rules((r"the plan '(?P<plan>.*)' has no item '(?P<item>.*?)'" + H,
                             "в плане '{plan}' нет пункта '{item}'{hint}")),
    "agreement.parties": _rules(
        (r"an agreement needs at least two parties: list the slugs of the institutions that signed it",
         "в соглашении нужны хотя бы две стороны: перечислите адреса (slug) учреждений, подписавших его"),
        (r"'(?P<slug>.*)' is listed twice in 'parties': name each institution that signed the agreement once",
         "учреждение '{slug}' дважды указано в 'parties': назовите каждое учреждение, подписавшее соглашение, один раз"),
    ),
    "ref.unpublished": _rules(
        (r"'(?P<slug>.*)' \((?P<source>\S+)\) is a draft \('draft: true'\): it will appear here once it is published",
         "запись '{slug}' ({source}) — черновик ('draft: true'): появится здесь, когда запись опубликуют"),
        (r"'(?P<slug>.*)' \((?P<source>\S+)\) is dated (?P<day>[\d: -]+), after the build date: it will appear "
         r"here from that day",
         "запись '{slug}' ({source}) датирована {day}, позже даты сборки: появится здесь с этого дня"),
        (r"the link '(?P<url>.*)' points to (?P<target>\S+), a draft \('draft: true'\): its text is shown without "
         r"the link until the entry is published",
         "ссылка '{url}' ведёт на {target}, а это черновик ('draft: true'): до публикации записи текст ссылки "
         "показан без ссылки"),
        (r"the link '(?P<url>.*)' points to (?P<target>\S+), dated (?P<day>[\d: -]+), after the build date: its text "
         r"is shown without the link until that day",
         "ссылка '{url}' ведёт на {target}, датированную {day}, позже даты сборки: до этого дня текст ссылки "
         "показан без ссылки"),
    ),
    "ref.broken": _rules(
        (r"'(?P<slug>.*)' \((?P<source>\S+)\) has an error in its front matter, reported at that file: fix it there",
         "в блоке сведений файла {source} ('{slug}') ошибка, о ней сказано у того файла: исправьте её там"),
        (r"the link '(?P<url>.*)' points to (?P<target>\S+), whose front matter has an error, reported at that file: "
         r"fix it there",
         "ссылка '{url}' ведёт на {target}, а в блоке сведений этого файла ошибка, о ней сказано у того файла: "
         "исправьте её там"),
    ),
    "plan.month": _rules((r"the event '(?P<slug>.*)' has no meeting in (?P<month>\d{4}-\d{2}), the month of this "
                          r"item, so the item cannot be done: check the month, the event and its 'exdates'",
                          "у события '{slug}' нет встречи в месяце {month}, на который стоит этот пункт, поэтому "
                          "пункт не может быть выполнен: проверьте месяц, событие и его 'exdates'")),
    # configuration
    "config.missing": _rules((r"no netsite\.yaml here: netsite looks for it in the site folder \(run netsite there, "
                              r"or pass --root\)",
                              "здесь нет netsite.yaml: netsite ищет его в папке сайта (запустите netsite в ней "
                              "или укажите --root)")),
    "config.encoding": _rules((r"netsite\.yaml must be saved as UTF-8",
                               "netsite.yaml должен быть сохранён в кодировке UTF-8")),
    "config.key": _rules((r"unknown key '(?P<key>.*?)'" + H, "неизвестный ключ '{key}'{hint}")) + _FRONTMATTER,
    "editor.script": _rules((r"'editor' needs the editor's script, which is not installed: run 'npm ci' in "
                             r"netsite's source folder \(see docs/redaktor-nastrojka\.md\)",
                             "для 'editor' нужен скрипт редактора, а он не установлен: выполните 'npm ci' в папке "
                             "исходников netsite (см. docs/redaktor-nastrojka.md)")),
    "config.required": _rules((r"'(?P<key>.*)' is required", "'{key}' обязательно: добавьте строку '{key}: …'")),
    "config.output_dir": _rules((r"'output_dir' must be a folder of its own inside the site \(such as '(?P<example>"
                                 r"[^']*)'\), not '(?P<value>.*?)'(?P<clause_output>(?:: .*)?)",
                                 "'output_dir' должна быть отдельной папкой внутри сайта (например, '{example}'), "
                                 "а не '{value}'{clause_output}")),
    # Markdown
    "markdown.size": _rules(
        (r"the text is longer than (?P<n>\d+) KiB: split it into several entries",
         "текст больше {n} КБ: разделите его на несколько записей"),
        (r"a paragraph, list or table is longer than (?P<n>\d+) KiB: put blank lines between its parts or split it",
         "абзац, список или таблица больше {n} КБ: разделите части пустыми строками или разбейте на несколько"),
    ),
    "markdown.nesting": _rules((r"lists or quotes are nested too deeply \(at most about (?P<n>\d+) levels\): the "
                                r"text inside would be lost",
                                "списки или цитаты вложены слишком глубоко (можно примерно до {n} "
                                "{n|уровня|уровней|уровней}): текст внутри потерялся бы; уменьшите вложенность")),
    "markdown.alt": _rules((r"the image has no description: write it in the brackets, (?P<example>.*)",
                            "у картинки нет описания: напишите его в квадратных скобках, {example}")),
    "markdown.link": _rules((r"'(?P<url>.*)' has no scheme: write https://",
                             "у адреса '{url}' нет схемы: напишите https://")),
    "markdown.missing-link": _rules((r"the link '(?P<url>.*)' points to (?P<target>.*), which does not exist or is "
                                     r"not published",
                                     "ссылка '{url}' ведёт на {target}, а такой записи нет или она не опубликована")),
    "markdown.image-type": _rules((r"'(?P<url>.*)' is not a photo: only JPEG, PNG, WebP and GIF files can be shown as "
                                   r"images; link to it instead: (?P<example>.*)",
                                   "'{url}' — не фотография: картинкой можно показать только файлы JPEG, PNG, WebP и "
                                   "GIF; вместо этого дайте на него ссылку: {example}")),
    "markdown.missing-file": _rules(
        (r"the image '(?P<url>.*)' is not found: put it in the entry's folder beside index\.md",
         "картинка '{url}' не найдена: положите её в папку записи рядом с index.md"),
        (r"the file '(?P<url>.*)' is not found: put it in the entry's folder beside index\.md",
         "файл '{url}' не найден: положите его в папку записи рядом с index.md"),
    ),
    # images and attachments
    "asset.type": _rules((r"'(?P<name>.*?)' cannot be published: (?P<clause_kind>.*)",
                          "'{name}' нельзя опубликовать: {clause_kind}")),
    "asset.unused": _rules((r"'(?P<name>.*)' is not used by (?P<source>\S+) \(no !\[…\]\((?P=name)\), link or "
                            r"'image:'\), so it is not published",
                            "'{name}' не используется в {source} (нет ни ![…]({name}), ни ссылки, ни 'image:'), "
                            "поэтому файл не публикуется")),
    "asset.size": _rules((r"the file is larger than (?P<n>\d+) MB", "файл больше {n} МБ: уменьшите его или "
                                                                    "разделите на части")),
    "asset.content": _rules((r"the file's content is not a (?P<type>\w+) document: save it again from its program, "
                             r"or give it its real extension",
                             "содержимое файла — не документ {type}: сохраните его заново из своей программы "
                             "или дайте ему настоящее расширение")),
    "image.size": _rules((r"the image is larger than (?P<n>\d+) MB: save it smaller \(2000 pixels wide is plenty "
                          r"for the site\)",
                          "картинка больше {n} МБ: сохраните её поменьше (для сайта достаточно 2000 пикселей "
                          "в ширину)")),
    "image.pixels": _rules(
        (r"the image has too many pixels \(over (?P<n>\d+) megapixels\)",
         "в картинке слишком много пикселей (больше {n} {n|мегапикселя|мегапикселей|мегапикселей}): сохраните её "
         "поменьше"),
        (r"the image is (?P<width>\d+)×(?P<height>\d+) pixels: save it at most (?P<n>\d+) pixels wide",
         "картинка размером {width}×{height} пикселей: сохраните её не шире {n} пикселей"),
    ),
    "image.format": _rules(
        (r"the file is not an image Pillow can read: save it again as JPEG or PNG",
         "файл не читается как картинка: сохраните его заново как JPEG или PNG"),
        (r"the file is a (?P<format>\w+) image but its name says (?P<expected>\w+): give it its real extension",
         "файл — картинка {format}, а по имени — {expected}: дайте ему настоящее расширение"),
    ),
    "image.damaged": _rules((r"the image is damaged \((?P<detail>.*)\): save it again from a photo editor",
                             "картинка повреждена ({detail}): сохраните её заново в графическом редакторе")),
    "image.decode": _rules((r"the image cannot be read: (?P<detail>.*); save it again as JPEG or PNG",
                            "картинку не удаётся прочитать ({detail}): сохраните её заново как JPEG или PNG")),
    "image.animated": _rules((r"'(?P<name>.*)' is an animated GIF: only its first frame is published, as a still "
                              r"picture; show a still photo \(JPEG or PNG\) instead, or put the animation on a "
                              r"video hosting as a video and link to it",
                              "'{name}' — анимированный GIF: на сайте будет только его первый кадр, неподвижной "
                              "картинкой; покажите вместо него фото (JPEG или PNG) или загрузите ролик как видео "
                              "на видеохостинг и дайте на него ссылку")),
    "image.metadata": _rules((r"the published image (?P<path>.*) carries metadata \((?P<keys>.*)\): it must not be "
                              r"published",
                              "в публикуемой картинке {path} есть метаданные ({keys}): её нельзя публиковать")),
    # netsite check
    "check.link": _rules((r"the link '(?P<url>.*)' leads to no page or file of the site"
                          r"(?P<theme>(?: \(in the theme's HTML, .*\))?)",
                          "ссылка '{url}' не ведёт ни на одну страницу или файл сайта{theme}")),
    "check.anchor": _rules((r"the link '(?P<url>.*)' points to an anchor that is not on that page"
                            r"(?P<theme>(?: \(in the theme's HTML, .*\))?)",
                            "ссылка '{url}' ведёт на якорь (#…), которого нет на той странице{theme}")),
    "check.external": _rules((r"'(?P<url>.*)' is loaded from another site: readers' browsers would contact it; put "
                              r"the file in the entry's folder(?P<theme>(?: \(in the theme's HTML, .*\))?)",
                              "'{url}' загружается с другого сайта: браузеры читателей обращались бы к нему; "
                              "положите файл в папку записи{theme}")),
    "check.image": _rules((r"the image cannot be read: it may be damaged, or another kind of file with an image's "
                           r"name; save it again as JPEG or PNG",
                           "картинку не удаётся прочитать: она повреждена или это файл другого типа с именем "
                           "картинки; сохраните её заново как JPEG или PNG")),
    "check.size": _rules((r"the file is (?P<size>[\d.]+) MiB: parents read the site on phones; make it smaller than "
                          r"(?P<n>\d+) MiB",
                          "файл весит {size} МБ, а родители читают сайт с телефонов: уменьшите его до {n} МБ")),
    "check.unreferenced": _rules((r"no entry of the site names '(?P<slug>.*)' yet: its page lists nothing",
                                  "ни одна запись сайта пока не называет '{slug}': на странице учреждения пусто")),
    # netsite new
    "new.institution": _NO_ENTRY + _rules(
        (r"(?P<kind>\w+) name institutions, and there is none yet: first run (?P<command>.*)",
         "в записях {kind} называют учреждения, а их пока нет: сначала выполните {command}"),
        (r"(?P<kind>\w+) need (?P<needs>at least two institutions|an institution): (?P<repeat>.*) \(of: "
         r"(?P<known>.*)\)",
         "записям {kind} {needs}: {repeat} (из: {known})"),
    ),
    "new.slug": _rules(
        (r"the title gives the slug '(?P<slug>.*)', which (?P<clause_slug>.*)",
         "из названия получается адрес '{slug}', а он не подходит: {clause_slug}"),
        (r"the slug '(?P<slug>.*)' is used by the site itself: choose another title",
         "адрес '{slug}' занят самим сайтом: выберите другое название"),
    ),
    "new.exists": _rules(
        (r"(?P<path>.*) already exists with the slug '(?P<slug>.*)': open it, or choose another title",
         "{path} уже есть с адресом '{slug}': откройте его или выберите другое название"),
        (r"the file already exists: netsite new never overwrites",
         "такой файл уже есть: netsite new никогда не перезаписывает файлы"),
    ),
    "new.title": _rules((r"the title is empty", "название пустое: напишите его в кавычках после вида записи")),
    # search, themes, the dev server
    "search.index": _rules(
        (r"Pagefind is not installed: run pip install '(?P<package>.*)', or set 'search: false' in netsite\.yaml",
         "Pagefind не установлен: выполните pip install '{package}' или напишите 'search: false' в netsite.yaml"),
        (r"Pagefind could not run: (?P<detail>.*)", "Pagefind не удалось запустить ({detail})"),
        (r"Pagefind failed to index the site: (?P<detail>.*)", "Pagefind не смог построить поиск по сайту ({detail})"),
    ),
    "theme.syntax": _rules((_ANY, "ошибка в шаблоне темы ({detail})")),
    "theme.render": _rules((_ANY, "шаблон темы не удалось отрисовать ({detail})")),
    "serve.listen": _rules((r"cannot listen there \((?P<detail>.*)\): pass another --port, or --port 0 for any free one",
                            "не удаётся открыть этот адрес ({detail}): укажите другой --port или --port 0 — "
                            "тогда netsite выберет свободный")),
    "internal": _rules((r"internal error, please report it: (?P<detail>.*)",
                        "внутренняя ошибка netsite, сообщите о ней разработчикам: {detail}")),
}
