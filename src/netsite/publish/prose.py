"""The entry body as its own page shows it: responsive pictures and wide tables a keyboard can scroll.

Design note: `entry.body` stays the sanitized Markdown HTML; feeds take it with pictures only
(`pictures.body_html`), and what only the page needs is added here, at render time. A table wider
than a phone scrolls inside its own box (WCAG 1.4.10 lets data tables scroll), and that box takes
focus and has a name, so keyboard and screen reader users can scroll it too.
"""

from __future__ import annotations

import html
import re

from netsite.content import pictures
from netsite.content.models import Entry

_TABLE = re.compile(r"<table>(.*?)</table>", re.S)


def body_html(entry: Entry, url, table_label: str) -> str:
    """The body for the entry's page; `url` turns site paths into public URLs."""
    body = pictures.body_html(entry, url)
    wrapper = f'<div class="table-scroll" tabindex="0" role="region" aria-label="{html.escape(table_label)}">'
    return _TABLE.sub(lambda m: f"{wrapper}{m.group(0)}</div>", body)
