"""Inline SVG drawn at build time: horizontal bar charts and the map of agreements and parties.

No JavaScript and no third-party host: the SVG is text in the page, readable by a screen reader
through role="img", <title> and <desc>, and every figure is also in a table beside it. Numbers are
rounded to one decimal before formatting, so the output is byte-stable on every platform.

Drawn for a phone (issue 14): 340 units wide at 13 units a letter, and the theme sizes the SVG in
rem (340 px at the normal text size), so text is drawn at 13 px and never below 11 px on a 375 px
screen, and grows with the version for the visually impaired. Labels wrap onto lines of their own
above the bars instead of being cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape

from markupsafe import Markup

WIDTH = 340
FONT = 13
LINE = 16
"""The height of one line of label text."""
BAR_HEIGHT = 16
GAP = 12
COLORS = ("#1f5f99", "#c2410c", "#4d7c0f", "#7e22ce")
LETTER = 7.6
"""The width of an average Cyrillic letter at 13 px in a sans-serif face, generously rounded up."""
MAX_LINES = 3


def _n(value: float) -> str:
    text = f"{round(value, 1):.1f}"
    return text[:-2] if text.endswith(".0") else text


def wrap(label: str, width: float, max_lines: int = MAX_LINES) -> list[str]:
    """The label in lines that fit `width` units, by words; a last line that would overflow ends in «…»."""
    room = max(4, int(width / LETTER))
    lines: list[str] = []
    for word in _tokens(label):
        if lines and len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    lines = [line if len(line) <= room else line[:room - 1] + "…" for line in lines] or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:room - 1].rstrip() + "…"
    return lines


GLUED = re.compile(r"^(№|§|г\.|гг\.|им\.|ул\.|[А-ЯЁA-Z]\.)$")
"""Words that stay on a line with the word after them («г. Энска», «А. П. Гайдара»), as in typography.py."""


def _tokens(label: str) -> list[str]:
    tokens: list[str] = []
    for word in label.split():
        if tokens and GLUED.match(tokens[-1].rsplit(" ", 1)[-1]):
            tokens[-1] += " " + word
        else:
            tokens.append(word)
    return tokens


def _text(x: float, y: float, lines: Sequence[str], css: str, anchor: str = "start") -> str:
    """A <text> of one or more lines (tspans), its first baseline at y."""
    if len(lines) == 1:
        body = escape(lines[0])
    else:
        body = "".join(f'<tspan x="{_n(x)}" dy="{0 if i == 0 else LINE}">{escape(line)}</tspan>'
                       for i, line in enumerate(lines))
    return f'<text class="{css}" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" fill="#222">{body}</text>'


def _open(ident: str, title: str, desc: str, height: float, css: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" role="img" '
            f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc" '
            f'viewBox="0 0 {WIDTH} {_n(height)}" width="{WIDTH}" height="{_n(height)}" '
            f'font-family="sans-serif" font-size="{FONT}">',
            f'<title id="{ident}-title">{escape(title)}</title>',
            f'<desc id="{ident}-desc">{escape(desc)}</desc>']


def has_data(rows: Sequence[tuple[str, Sequence[int]]]) -> bool:
    """A chart of nothing but zeros would look like data: the page says there is none instead."""
    return any(v for _, values in rows for v in values)


def bar_chart(ident: str, title: str, rows: Sequence[tuple[str, Sequence[int]]],
              series: Sequence[str] = (), colors: Sequence[str] = COLORS) -> Markup:
    """Horizontal bars, one group per row under its label and one bar per series; a legend when
    series > 1."""
    count = max(1, len(series))
    out, y = [], 4.0
    if count > 1:
        legend, y = _legend(series, colors, y)
        out += legend
    peak = max([v for _, values in rows for v in values] + [1])
    scale = (WIDTH - 40) / peak
    for label, values in rows:
        lines = wrap(label, WIDTH)
        out.append(f'<g class="bar-row"><title>{escape(label)}</title>')
        out.append(_text(0, y + FONT, lines, "chart-label"))
        y += len(lines) * LINE + 4
        for k, value in enumerate(values):
            out.append(f'<rect x="0" y="{_n(y)}" width="{_n(value * scale)}" '
                       f'height="{BAR_HEIGHT - 2}" fill="{colors[k % len(colors)]}"/>')
            out.append(f'<text class="chart-value" x="{_n(value * scale + 6)}" '
                       f'y="{_n(y + BAR_HEIGHT - 4)}" fill="#222">{value}</text>')
            y += BAR_HEIGHT
        out.append("</g>")
        y += GAP
    desc = "; ".join(f"{label}: " + ", ".join(
        f"{name} {v}" if series and count > 1 else str(v) for name, v in zip(series or ("",), values))
        for label, values in rows) or "—"
    return Markup("\n".join(_open(ident, title, desc, y, "chart chart-bars") + out + ["</svg>"]))


def _legend(series: Sequence[str], colors: Sequence[str], y: float) -> tuple[list[str], float]:
    """Swatches and names in rows that wrap at the chart's width; returns them and the next y."""
    out, x = [], 0.0
    for k, name in enumerate(series):
        width = 18 + LETTER * len(name) + 14
        if x and x + width > WIDTH:
            x, y = 0.0, y + LINE + 4
        out.append(f'<rect x="{_n(x)}" y="{_n(y + 2)}" width="12" height="12" fill="{colors[k % len(colors)]}"/>'
                   f'<text class="chart-legend" x="{_n(x + 18)}" y="{_n(y + FONT)}" fill="#222">{escape(name)}</text>')
        x += width
    return out, y + LINE + 12


def network_map(ident: str, title: str, agreements: Sequence[tuple[str, str, Sequence[str]]],
                institutions: Sequence[tuple[str, str]]) -> Markup:
    """Agreements (slug, title, party slugs) as numbered nodes on the left, linked to the nodes of
    their parties on the right; the numbers' key below. A line stands for «is a party to», so an
    agreement of five parties is five lines, not the ten pairs among them.

    No links inside: role="img" makes its content presentational, so the table beside the map
    carries the links to the agreements and the institutions."""
    party_x, agreement_x, label_x = 150, 24, 162
    where, y = {}, 8.0
    nodes = []
    for slug, label in institutions:
        lines = wrap(label, WIDTH - label_x, 2)
        where[slug] = y + 8
        nodes.append(f'<g class="node" data-slug="{slug}"><title>{escape(label)}</title>'
                     f'<circle cx="{party_x}" cy="{_n(y + 8)}" r="7" fill="#1f5f99"/>'
                     f'{_text(label_x, y + 12, lines, "chart-label")}</g>')
        y += max(28, len(lines) * LINE + 12)
    height = max(y, 30 * len(agreements) + 8)  # room for the agreements' numbered circles
    edges, marks = [], []
    for number, (slug, label, parties) in enumerate(agreements, 1):
        ay = (number - 0.5) * height / len(agreements)
        for party in parties:
            if party in where:
                edges.append(f'<line class="edge" data-from="{slug}" data-to="{party}" x1="{agreement_x}" '
                             f'y1="{_n(ay)}" x2="{party_x}" y2="{_n(where[party])}" stroke="#7a8ca3" '
                             f'stroke-width="2"/>')
        marks.append(f'<g class="agreement" data-slug="{slug}"><title>{escape(label)}</title>'
                     f'<circle cx="{agreement_x}" cy="{_n(ay)}" r="12" fill="#c2410c"/>'
                     f'<text x="{agreement_x}" y="{_n(ay + 5)}" text-anchor="middle" fill="#fff" '
                     f'font-weight="bold">{number}</text></g>')
    key, y = [], height + 8
    for number, (_, label, _) in enumerate(agreements, 1):
        lines = wrap(f"{number} — {label}", WIDTH)
        key.append(_text(0, y + FONT, lines, "chart-key"))
        y += len(lines) * LINE + 6
    labels = dict(institutions)
    desc = "; ".join(f"{number} — {text}: " + ", ".join(labels[p] for p in parties if p in labels)
                     for number, (_, text, parties) in enumerate(agreements, 1)) or "—"
    return Markup("\n".join(_open(ident, title, desc, y + 4, "chart chart-network")
                            + edges + marks + nodes + key + ["</svg>"]))
