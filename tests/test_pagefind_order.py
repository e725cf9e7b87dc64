"""Pagefind's filter index, put in a stable order: reproducible bytes, same content."""

from __future__ import annotations

import gzip

import pytest

from netsite.publish import pagefind_order

from conftest import build_site


@pytest.mark.parametrize("value", [0, 23, 24, 255, 256, 70000, "", "Раздел", [], [1, ["a", [2, 3]]], list(range(30))])
def test_cbor_subset_round_trips(value):
    raw = pagefind_order.encode(value)
    assert pagefind_order.decode(raw) == (value, len(raw))


def test_unknown_cbor_is_refused():
    with pytest.raises(pagefind_order.Unknown):
        pagefind_order.decode(b"\xa1\x01\x02")  # a map: not in the subset


def test_two_builds_give_the_same_search_bundle(make_site, tmp_path):
    files = {f"content/news/n{i}.md": f"---\ntitle: Новость {i}\ndate: 2026-11-0{i}\ninstitution: solnyshko\n---\nТекст.\n"
             for i in range(1, 8)}
    files.update({f"content/institutions/i{i}.md": f"---\ntitle: Учреждение {i}\n---\nО нас.\n" for i in range(8)})
    root = make_site(files)
    bundles = []
    for _ in range(3):
        build_site(root)
        bundle = root / "public/pagefind"
        bundles.append({p.relative_to(bundle).as_posix(): p.read_bytes() for p in bundle.rglob("*") if p.is_file()})
    assert bundles[0] == bundles[1] == bundles[2]
    [filters] = [gzip.decompress(data) for name, data in bundles[0].items() if name.startswith("filter/")
                 and b"\xd0\xa3\xd1\x87" in gzip.decompress(data)[12:40]]  # the «Учреждение» filter
    name, values = pagefind_order.decode(filters, len(pagefind_order.MAGIC))[0]
    assert name == "Учреждение"
    assert [v[0] for v in values] == sorted(v[0] for v in values) and len(values) == 9


def test_a_site_without_filters_is_left_as_pagefind_wrote_it(make_site):
    root = make_site({"content/pages/about.md": "---\ntitle: О сети\n---\nТекст.\n"}, institution=False)
    build_site(root)
    assert (root / "public/pagefind/pagefind-entry.json").is_file()
