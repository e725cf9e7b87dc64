"""The practice catalogue's facets and its static JSON index."""

from __future__ import annotations

import json

from netsite.publish import catalogue

from conftest import build_site, check_site

PRACTICE = """\
---
title: {title}
date: 2026-10-0{n}
institution: solnyshko
age_groups: [{age}]
areas: [speech]
format: {fmt}
---
Текст практики.
"""


def site_with_practices(make_site):
    return make_site({
        "content/practices/a.md": PRACTICE.format(title="Игры со звуками", n=1, age="junior", fmt="club"),
        "content/practices/b.md": PRACTICE.format(title="Сказки", n=2, age="senior, preparatory", fmt="project"),
    })


def test_facets_list_only_values_in_use_in_vocabulary_order(make_site):
    site = check_site(site_with_practices(make_site)).site
    facets = {f.param: f for f in catalogue.facets(site)}
    assert list(facets) == ["age", "area", "institution", "format"]
    assert [c[0] for c in facets["age"].choices] == ["junior", "senior", "preparatory"]
    assert facets["age"].choices[0][1].startswith("Младшая")
    assert facets["institution"].choices == (("solnyshko", "Детский сад «Солнышко»"),)
    assert [c[0] for c in facets["format"].choices] == ["club", "project"]


def test_the_index_is_written_and_stable(make_site):
    root = site_with_practices(make_site)
    build_site(root)
    first = (root / "public/practices/index.json").read_bytes()
    data = json.loads(first)
    assert data["params"] == ["age", "area", "institution", "format"]
    rows = {row["url"]: row for row in data["practices"]}
    assert rows["/practices/b/"]["age"] == ["senior", "preparatory"]
    assert rows["/practices/a/"]["format"] == ["club"]
    build_site(root)
    assert (root / "public/practices/index.json").read_bytes() == first


def test_the_catalogue_page_has_a_hidden_filter_form(make_site):
    root = site_with_practices(make_site)
    build_site(root)
    page = (root / "public/practices/index.html").read_text(encoding="utf-8")
    assert '<form class="filters" id="catalogue-filters" data-index="/practices/index.json" hidden>' in page
    assert '<option value="preparatory">' in page
    assert "/static/js/catalogue.js" in page
