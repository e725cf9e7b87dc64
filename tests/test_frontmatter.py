"""Strict YAML front matter: values stay what authors wrote, attacks and surprises are refused."""

import pytest

from netsite.content.frontmatter import FrontMatterError, parse


def test_values_keep_their_lines_and_yaml11_surprises_stay_strings():
    front = parse("---\ntitle: Заголовок\nanswer: no\ntime: 12:30\nday: 2026-12-03\n"
                  "tags:\n  - один\n  - два\nflag: true\ncount: 3\n---\nТекст\n")
    assert front.data == {"title": "Заголовок", "answer": "no", "time": "12:30", "day": "2026-12-03",
                          "tags": ["один", "два"], "flag": True, "count": 3}
    assert front.lines["title"] == 2 and front.lines["tags"] == 6
    assert front.lines[("tags", 0)] == 7 and front.lines[("tags", 1)] == 8
    assert front.body == "Текст\n" and front.body_line == 12


@pytest.mark.parametrize("text, code, line", [
    ("title: x\n", "frontmatter.missing", 1),
    ("---\ntitle: x\n", "frontmatter.unclosed", 1),
    ("---\n---\n", "frontmatter.empty", 2),
    ("---\n- a\n- b\n---\n", "frontmatter.syntax", 2),
    ("---\na: &x 1\nb: *x\n---\n", "frontmatter.alias", 2),
    ("---\nt: !!python/object/apply:os.system ['true']\n---\n", "frontmatter.tag", 2),
    ("---\nt: !custom x\n---\n", "frontmatter.tag", 2),
    ("---\ntitle: a\ntitle: b\n---\n", "frontmatter.duplicate", 3),
    ("---\n1: a\n---\n", "frontmatter.key", 2),
    ("---\ntitle: a: b\n---\n", "frontmatter.syntax", 2),
    ("---\nx: " + "[" * 30 + "]" * 30 + "\n---\n", "frontmatter.depth", 2),
])
def test_bad_front_matter_is_refused_at_its_line(text, code, line):
    with pytest.raises(FrontMatterError) as info:
        parse(text)
    assert info.value.code == code
    assert info.value.line == line


def test_alias_bomb_is_refused_before_expansion():
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
           "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n"
    with pytest.raises(FrontMatterError) as info:
        parse(bomb)
    assert info.value.code == "frontmatter.alias"


def test_second_yaml_document_is_not_front_matter():
    # The block ends at the second '---': what follows is Markdown, not another document.
    front = parse("---\ntitle: a\n---\n---\nb: 2\n---\n")
    assert front.data == {"title": "a"}
