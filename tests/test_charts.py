"""SVG charts drawn for a phone (publish/charts.py): labels wrap rather than being cut, abbreviations
stay with their word, a chart of zeros counts as no data, the network map links agreements to parties."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from netsite.publish import charts

SVG = "{http://www.w3.org/2000/svg}"


def test_a_long_label_wraps_onto_lines_that_fit_and_loses_nothing():
    label = "Муниципальное бюджетное дошкольное образовательное учреждение «Детский сад № 112 «Родничок»"
    lines = charts.wrap(label, charts.WIDTH)
    assert len(lines) > 1 and " ".join(lines) == label
    assert all(len(line) * charts.LETTER <= charts.WIDTH for line in lines)


def test_abbreviations_and_initials_stay_with_the_next_word():
    assert charts.wrap("Детская библиотека им. А. П. Гайдара", 178, 2) == ["Детская библиотека", "им. А. П. Гайдара"]
    assert all(not line.endswith((" г.", " №")) for line in charts.wrap("учреждений сети г. Энска № 5 и № 7", 120))


def test_more_lines_than_allowed_end_in_an_ellipsis():
    lines = charts.wrap("слово " * 60, 100, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")


def test_a_chart_of_zeros_has_no_data():
    assert not charts.has_data([("Сентябрь", (0,)), ("Октябрь", (0, 0))]) and not charts.has_data([])
    assert charts.has_data([("Сентябрь", (0,)), ("Октябрь", (2,))])


def test_bars_are_drawn_at_13_px_in_a_340_px_box_with_labels_above():
    svg = ET.fromstring(str(charts.bar_chart("c", "Заголовок", [("Очень длинная подпись " * 4, (3,)), ("Б", (5,))])))
    assert svg.get("width") == "340" and svg.get("font-size") == "13"
    label = next(t for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label")
    assert len(list(label.iter(f"{SVG}tspan"))) >= 2  # wrapped, not cut
    widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect")]
    assert max(widths) <= charts.WIDTH - 40 and widths[0] < widths[1]


def test_the_network_map_draws_one_line_per_party_of_each_agreement():
    agreements = [("a", "Соглашение А", ("x", "y", "z")), ("b", "Договор Б", ("y", "z"))]
    svg = str(charts.network_map("m", "Схема", agreements, [("x", "Икс"), ("y", "Игрек"), ("z", "Зет")]))
    edges = re.findall(r'data-from="(\w)" data-to="(\w)"', svg)
    assert sorted(edges) == [("a", "x"), ("a", "y"), ("a", "z"), ("b", "y"), ("b", "z")]
    assert "1 — Соглашение А" in svg and "2 — Договор Б" in svg  # the key of the numbered nodes
