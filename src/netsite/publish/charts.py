"""Inline SVG drawn at build time: horizontal bar charts and the partnership graph.

No JavaScript and no third-party host: the SVG is text in the page, readable by a screen reader
through role="img", <title> and <desc>, and every figure is also in a table beside it. Numbers are
rounded to one decimal before formatting, so the output is byte-stable on every platform.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

from markupsafe import Markup

WIDTH = 640
LABEL_WIDTH = 250
BAR_HEIGHT = 18
GAP = 10
COLORS = ("#1f5f99", "#c2410c", "#4d7c0f", "#7e22ce")
MAX_LABEL = 32


def _n(value: float) -> str:
    text = f"{round(value, 1):.1f}"
    return text[:-2] if text.endswith(".0") else text


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1].rstrip() + "…"


def _open(ident: str, title: str, desc: str, height: float, css: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" role="img" '
            f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc" '
            f'viewBox="0 0 {WIDTH} {_n(height)}" '
            f'width="100%" preserveAspectRatio="xMinYMin meet" font-family="sans-serif" font-size="13">',
            f'<title id="{ident}-title">{escape(title)}</title>',
            f'<desc id="{ident}-desc">{escape(desc)}</desc>']


def bar_chart(ident: str, title: str, rows: Sequence[tuple[str, Sequence[int]]],
              series: Sequence[str] = (), colors: Sequence[str] = COLORS) -> Markup:
    """Horizontal bars, one group per row and one bar per series; the legend when series > 1."""
    count = max(1, len(series))
    top = 28 if count > 1 else 6
    group = count * BAR_HEIGHT + GAP
    height = top + max(1, len(rows)) * group + 6
    peak = max([v for _, values in rows for v in values] + [1])
    scale = (WIDTH - LABEL_WIDTH - 40) / peak
    desc = "; ".join(f"{label}: " + ", ".join(
        f"{name} {v}" if series and count > 1 else str(v) for name, v in zip(series or ("",), values))
        for label, values in rows) or "—"
    out = _open(ident, title, desc, height, "chart chart-bars")
    out += _legend(series, colors) if count > 1 else []
    for index, (label, values) in enumerate(rows):
        y = top + index * group
        out.append(f'<g class="bar-row"><title>{escape(label)}</title>')
        out.append(f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{_n(y + count * BAR_HEIGHT / 2 + 4)}" '
                   f'text-anchor="end" fill="#222">{escape(_short(label))}</text>')
        for k, value in enumerate(values):
            by = y + k * BAR_HEIGHT
            out.append(f'<rect x="{LABEL_WIDTH}" y="{_n(by + 2)}" width="{_n(value * scale)}" '
                       f'height="{BAR_HEIGHT - 4}" fill="{colors[k % len(colors)]}"/>')
            out.append(f'<text class="chart-value" x="{_n(LABEL_WIDTH + value * scale + 6)}" '
                       f'y="{_n(by + BAR_HEIGHT / 2 + 4)}" fill="#222">{value}</text>')
        out.append("</g>")
    out.append("</svg>")
    return Markup("\n".join(out))


def _legend(series: Sequence[str], colors: Sequence[str]) -> list[str]:
    out, x = [], 8
    for k, name in enumerate(series):
        out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colors[k % len(colors)]}"/>'
                   f'<text class="chart-legend" x="{x + 18}" y="16" fill="#222">{escape(name)}</text>')
        x += 18 + 8 * len(name) + 20  # about 8 px a character at 13 px
    return out


def network_graph(ident: str, title: str, nodes: Sequence[tuple[str, str]],
                  edges: Sequence[tuple[str, str]]) -> Markup:
    """Nodes (slug, label) on a circle, a line for each pair bound by an agreement.

    No links inside: role="img" makes its content presentational, so the table beside the graph
    carries the links to the institutions."""
    radius = WIDTH / 2 - 190
    centre, cy = WIDTH / 2, radius + 50  # room above and below the circle for the labels
    where = {}
    for index, (slug, _) in enumerate(nodes):
        angle = 2 * math.pi * index / max(1, len(nodes)) - math.pi / 2
        where[slug] = (centre + radius * math.cos(angle), cy + radius * math.sin(angle))
    label = dict(nodes)
    desc = "; ".join(f"{label[a]} — {label[b]}" for a, b in edges) or "—"
    out = _open(ident, title, desc, 2 * cy, "chart chart-network")
    for a, b in edges:
        (x1, y1), (x2, y2) = where[a], where[b]
        out.append(f'<line class="edge" data-from="{a}" data-to="{b}" x1="{_n(x1)}" y1="{_n(y1)}" '
                   f'x2="{_n(x2)}" y2="{_n(y2)}" stroke="#7a8ca3" stroke-width="2">'
                   f'<title>{escape(label[a])} — {escape(label[b])}</title></line>')
    for slug, text in nodes:
        x, y = where[slug]
        anchor = "middle" if abs(x - centre) < 20 else ("start" if x > centre else "end")
        dx = 0 if anchor == "middle" else (14 if anchor == "start" else -14)
        dy = -16 if y < cy and anchor == "middle" else (26 if anchor == "middle" else 5)
        out.append(f'<g class="node" data-slug="{slug}"><circle cx="{_n(x)}" '
                   f'cy="{_n(y)}" r="9" fill="#1f5f99"/><text class="chart-label" x="{_n(x + dx)}" '
                   f'y="{_n(y + dy)}" text-anchor="{anchor}" fill="#222">{escape(_short(text))}</text></g>')
    out.append("</svg>")
    return Markup("\n".join(out))
