"""The generated corpus as a Hugo site: same Markdown, same front matter, comparable templates.

Hugo gets what netsite renders: an item page per entry with title, date, tags and body in a
base layout, paginated section lists (10 a page), tag pages and a home page with the latest
entries. Front matter keys Hugo does not know are kept (they become .Params); events get a
`date` from `start` so that Hugo sorts them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

CONFIG = """\
baseURL = "https://bench.example.org/"
languageCode = "ru"
title = "Сеть ДОУ г. Энска (бенчмарк)"
timeZone = "Europe/Moscow"
paginate = 10
disableKinds = ["RSS"]
[taxonomies]
tag = "tags"
[markup.goldmark.renderer]
unsafe = false
[markup.highlight]
noClasses = false
"""

LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Title }} — {{ site.Title }}{{ end }}</title>
<link rel="canonical" href="{{ .Permalink }}"><link rel="stylesheet" href="/css/site.css"></head>
<body><header><a href="/">{{ site.Title }}</a><nav><ul>
{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></nav></header><main>{{ block "main" . }}{{ end }}</main>
<footer><p>© {{ now.Year }} {{ site.Title }}</p></footer></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
{{ with .Date }}{{ if not .IsZero }}<p><time datetime="{{ .Format "2006-01-02T15:04:05-07:00" }}">{{ .Format "2 January 2006" }}</time></p>{{ end }}{{ end }}
<div class="prose">{{ .Content }}</div>
{{ with .Params.tags }}<p class="tags">{{ range . }}<a href="{{ "tags/" | relURL }}{{ . | urlize }}/">#{{ . }}</a> {{ end }}</p>{{ end }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><div class="cards">
{{ range .Paginator.Pages }}<article class="card"><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<p>{{ .Date.Format "2 January 2006" }}</p><p>{{ .Summary | plainify | truncate 240 }}</p></article>{{ end }}
</div>{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ site.Title }}</h1>
{{ range first 10 (where site.RegularPages "Section" "news") }}<article class="card"><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3><p>{{ .Summary | plainify | truncate 240 }}</p></article>{{ end }}
{{ end }}
""",
}
_START = re.compile(r'^start: "([0-9-]+) ([0-9]+):00"$', re.M)


def export(source: Path, target: Path) -> Path:
    """Write the Hugo site for the netsite site at `source`; returns target."""
    if target.exists():
        shutil.rmtree(target)
    (target / "content").mkdir(parents=True)
    (target / "config.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        path = target / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for path in sorted((source / "content").rglob("*")):
        relative = path.relative_to(source / "content")
        out = target / "content" / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            out.write_text(_front(path.read_text(encoding="utf-8")), encoding="utf-8")
        elif path.is_file():
            shutil.copyfile(path, out)
    return target


def _front(text: str) -> str:
    """Events get `date` from `start` (Hugo sorts by date)."""
    return _START.sub(lambda m: f'{m.group(0)}\ndate: "{m.group(1)}T{int(m.group(2)):02d}:00:00+03:00"', text, 1)
