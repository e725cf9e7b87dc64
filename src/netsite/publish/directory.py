"""The institutions directory: /sveden/ links and the optional map, laid out at build time.

Design note: the map is plain HTML, computed here: tiles of the provider set in netsite.yaml
(`map_tiles`, off by default) as <img> in a grid, and each member a link pinned at its
Web Mercator position. No map library, no script, nothing from another host unless the site
asks for a tile server; the cards below the map are its text alternative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlsplit

from netsite.content.kinds import Institution

TILE = 256
WIDTH, HEIGHT = 768, 384
"""The map's design size in CSS pixels; narrower screens see its middle."""
EDUCATIONAL = frozenset({"kindergarten", "school", "sports"})
"""Kinds that Russian law obliges to keep the /sveden/ section on their official site."""


def sveden_url(entry: Institution) -> str | None:
    """The member's 'Сведения об образовательной организации' section, for educational kinds."""
    website = entry.website
    if not website or entry.institution_kind not in EDUCATIONAL:
        return None
    return website.rstrip("/") + "/sveden/"


@dataclass(frozen=True, slots=True)
class Pin:
    entry: Institution
    x: int
    y: int
    """Pixels from the map's top left corner."""


@dataclass(frozen=True, slots=True)
class Tile:
    url: str
    x: int
    y: int


@dataclass(frozen=True, slots=True)
class Map:
    host: str
    """The tile server, named to the reader under the map."""
    tiles: tuple[Tile, ...]
    pins: tuple[Pin, ...]


def _world(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel coordinates at `zoom`."""
    scale = TILE * 2 ** zoom
    sin = math.sin(math.radians(max(min(lat, 85.0), -85.0)))
    return (lon + 180) / 360 * scale, (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * scale


def _zoom(points: list[tuple[float, float]]) -> int:
    """The closest zoom (at most 16) at which every member fits in the map with a margin."""
    for zoom in range(16, 1, -1):
        xs, ys = zip(*(_world(lat, lon, zoom) for lat, lon in points))
        if max(xs) - min(xs) <= WIDTH - 160 and max(ys) - min(ys) <= HEIGHT - 80:
            return zoom
    return 2


def layout(template: str, institutions: tuple[Institution, ...]) -> Map | None:
    """The map of the members that have `geo`, or None when there is no tile server or no place."""
    placed = [(i, i.geo) for i in institutions if i.geo]
    if not template or not placed:
        return None
    zoom = _zoom([geo for _i, geo in placed])
    world = [_world(geo[0], geo[1], zoom) for _i, geo in placed]
    cx = (max(x for x, _ in world) + min(x for x, _ in world)) / 2
    cy = (max(y for _, y in world) + min(y for _, y in world)) / 2
    left, top = cx - WIDTH / 2, cy - HEIGHT / 2
    tiles = []
    for ty in range(int(top // TILE), int((top + HEIGHT) // TILE) + 1):
        for tx in range(int(left // TILE), int((left + WIDTH) // TILE) + 1):
            if 0 <= ty < 2 ** zoom:
                url = template.format(z=zoom, x=tx % 2 ** zoom, y=ty, s="a")
                tiles.append(Tile(url, round(tx * TILE - left), round(ty * TILE - top)))
    pins = tuple(Pin(i, round(x - left), round(y - top)) for (i, _geo), (x, y) in zip(placed, world))
    return Map(urlsplit(template).netloc, tuple(tiles), pins)
