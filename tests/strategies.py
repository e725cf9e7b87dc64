"""Hypothesis strategies for hostile sources: front matter and Markdown built from the pieces that
parsers trip on, mixed with plain and random text (shared by the property tests and the fuzzer)."""

from __future__ import annotations

from hypothesis import strategies as st

KEYS = ["title", "date", "slug", "summary", "tags", "draft", "institution", "institutions", "image",
        "event", "audience", "start", "end", "rrule", "online", "registration", "menu", "layout", "<<", "?"]
YAML_PIECES = ["&a ", "*a", "!!python/object/apply:os.system ['id']", "!tag ", "!!str ", "!!binary ", "[", "]",
               "{", "}", ": ", "- ", "? ", "|", ">", "'", '"', "#", "%YAML 1.1", "---", "...", "\t", "~",
               "null", "yes", "no", "12:30", "2026-12-03", "2026-02-30 10:00", "1e999", "0x1F", "9" * 40,
               "\\u202e", "javascript:alert(1)", "data:text/html,x", "https://a.example/", "<script>", "\ufeff"]
MD_PIECES = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[a](javascript:alert(1))",
             "[a](JAVASCRIPT:x)", "![i](data:image/png;base64,AA)", "[r]: vbscript:x\n", "[a][r]", "<javascript:x>",
             '[t](https://a.example/ "t\\" onmouseover=x")', "```python\" onclick=\"x\n", "```\n", "# location\n",
             "> ", "- ", "1. ", "* ", "_", "**", "`", "~~", "|a|b|\n|-|-|\n", "[^1]", "[^1]: note\n", "- [ ] ",
             "&#106;", "&lt;", "&", "<", ">", "\\", "![", "](", "[", "]", "(", ")", "\n", "\n\n", "    ",
             "[link](../pages/x.md)", "[f](foto.jpg)", "//evil.example/", "<!-- x -->", "<a href=\"javascript:x\">",
             "Привет, мир", "ёжик"]
# Control and bidi characters are refused before parsing; the raw-bytes examples cover them.
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                                      exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
               max_size=20)


def _join(pieces: list[str], texts: st.SearchStrategy[str], max_size: int) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(pieces), texts), max_size=max_size).map("".join)


def yaml_line() -> st.SearchStrategy[str]:
    key = st.one_of(st.sampled_from(KEYS), TEXT)
    value = _join(YAML_PIECES, TEXT, 6)
    indent = st.sampled_from(["", "", "  ", "    ", "- "])
    return st.tuples(indent, key, value).map(lambda t: f"{t[0]}{t[1]}: {t[2]}")


# Escapes of YAML's double-quoted strings: they make characters the file itself may not hold.
ESCAPES = ["\\x00", "\\a", "\\e", "\\uFFFE", "\\u202E", "\\x85", "\\r\\n", "\\t", "\\N", "\\_", "\\L",
           "\\U0001F600", "\\\\", '\\"', "\\ud800", "\\x7f"]


def quoted_line() -> st.SearchStrategy[str]:
    key = st.sampled_from(["title", "summary", "location", "short_name", "address", "slug", "tags"])
    value = _join(ESCAPES + ["<script>", "]]>", "&", "END:VEVENT", "Зал"], TEXT.map(lambda t: t.replace('"', "")
                                                                                       .replace("\\", "")), 5)
    return st.tuples(key, value).map(lambda t: f'{t[0]}: "{t[1]}"')


def front_matter() -> st.SearchStrategy[str]:
    """Lines of mostly valid keys with hostile values, or raw YAML-ish noise."""
    good = st.sampled_from(["title: Новость", "date: 2026-11-01", "tags: [a, б]", "institution: solnyshko",
                            "start: 2026-12-03 10:00", "summary: >\n  текст"])
    lines = st.lists(st.one_of(good, yaml_line(), quoted_line(), _join(YAML_PIECES, TEXT, 8)), max_size=8)
    return lines.map("\n".join)


def markdown() -> st.SearchStrategy[str]:
    return _join(MD_PIECES, TEXT, 30)


VALID = {"news": "title: Новость\ndate: 2026-11-01", "events": "title: Семинар\nstart: 2026-12-03 10:00",
         "practices": "title: Практика\ndate: 2026-11-01\ninstitution: solnyshko", "pages": "title: Страница",
         "institutions": "title: Детский сад"}


def source(kind: str = "news") -> st.SearchStrategy[str]:
    """A whole source file of `kind`: valid front matter and a hostile body, hostile front matter,
    or anything at all."""
    good = st.tuples(st.lists(quoted_line(), max_size=2), markdown()).map(
        lambda t: "\n".join(["---", VALID[kind], *t[0], "---", t[1]]))
    framed = st.tuples(front_matter(), markdown()).map(lambda t: f"---\ntitle: x\n{t[0]}\n---\n{t[1]}")
    return st.one_of(good, framed, st.tuples(front_matter(), markdown()).map("\n".join))


def kind_and_source() -> st.SearchStrategy[tuple[str, str]]:
    return st.sampled_from(sorted(VALID)).flatmap(lambda kind: st.tuples(st.just(kind), source(kind)))
