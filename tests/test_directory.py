"""The institutions directory: /sveden/ links and the optional map laid out at build time."""

from __future__ import annotations

import pytest

from netsite.content.kinds import Institution
from netsite.publish import directory

from conftest import BASE_CONFIG, build_site, diagnostics_of

TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def member(slug: str, **fields) -> Institution:
    return Institution(kind="institutions", slug=slug, title=slug, source=f"content/institutions/{slug}.md",
                       path=f"/institutions/{slug}/", **fields)


@pytest.mark.parametrize("kind, website, expected", [
    ("kindergarten", "https://dou12.example.ru", "https://dou12.example.ru/sveden/"),
    ("school", "https://school5.example.ru/", "https://school5.example.ru/sveden/"),
    ("library", "https://lib.example.ru", None),
    ("kindergarten", None, None),
])
def test_sveden_link_for_educational_organisations(kind, website, expected):
    fields = {"institution_kind": kind, **({"website": website} if website else {})}
    assert directory.sveden_url(member("x", **fields)) == expected


def test_no_map_without_a_tile_server_or_places():
    assert directory.layout("", (member("a", geo=(55.75, 37.6)),)) is None
    assert directory.layout(TILES, (member("a"),)) is None


def test_the_map_pins_every_member_inside_its_frame():
    members = (member("a", geo=(55.7512, 37.6021)), member("b", geo=(55.7601, 37.6305)),
               member("c", geo=(55.7402, 37.5811)))
    found = directory.layout(TILES, members)
    assert found.host == "tile.openstreetmap.org"
    for pin in found.pins:
        assert 0 < pin.x < directory.WIDTH and 0 < pin.y < directory.HEIGHT
    zoom = found.tiles[0].url.split("/")[3]
    assert 10 <= int(zoom) <= 16
    # The tiles cover the frame without gaps.
    assert min(t.x for t in found.tiles) <= 0 and max(t.x for t in found.tiles) + 256 >= directory.WIDTH


def test_the_directory_page_shows_contacts_and_links(make_site):
    root = make_site({"content/institutions/rosinka.md": """\
        ---
        title: МБДОУ «Росинка»
        kind: kindergarten
        website: https://rosinka.example.ru
        phone: +7 (495) 000-00-01
        email: rosinka@example.ru
        geo: [55.75, 37.62]
        ---
        """})
    build_site(root)
    page = (root / "public/institutions/index.html").read_text(encoding="utf-8")
    assert 'href="https://rosinka.example.ru/sveden/"' in page
    assert 'href="tel:+74950000001"' in page and 'href="mailto:rosinka@example.ru"' in page
    assert "openstreetmap" not in page  # no map unless netsite.yaml asks for one


def test_a_map_appears_when_netsite_yaml_names_a_tile_server(make_site):
    root = make_site({"content/institutions/rosinka.md": "---\ntitle: Росинка\ngeo: [55.75, 37.62]\n---\n"},
                     config=BASE_CONFIG + f"map_tiles: {TILES}\nmap_attribution: © OpenStreetMap\n")
    build_site(root)
    page = (root / "public/institutions/index.html").read_text(encoding="utf-8")
    assert 'class="map-pin" href="#member-rosinka"' in page
    assert "tile.openstreetmap.org/" in page and "© OpenStreetMap" in page


@pytest.mark.parametrize("value", ["http://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org/{z}/{x}.png",
                                   "https://tiles.example.org/{z}/{x}/{y}.png?key={apikey}"])
def test_a_bad_tile_template_is_a_config_error(make_site, value):
    root = make_site({}, config=BASE_CONFIG + f"map_tiles: '{value}'\n")
    error = diagnostics_of(root)
    assert {(d.code, d.location.line) for d in error.diagnostics} == {("config.value", 4)}
    assert error.exit_code == 2
