"""Rebuilding after an edit: item pages that cannot show anything that changed keep their bytes.

For `serve`: `start()` builds once and `rebuild()` builds again from the sources, reusing the
previous result. The Markdown of unchanged entries comes from the cache; lists, terms, calendars,
feeds, the home page and the sitemap are always rendered again (they are few and show many
entries). An item page of a news item, practice or event is reused when its entry and every
entry it shows are unchanged; what it shows beyond itself is written down in `related()`:

- a news item shows the title and path of the events it reports on (`event:`);
- an event shows the news that report on it (`site.reports`);
- every page shows institutions' names and the menu (pages), so any change to an institution,
  a page, a kind this module does not know (the network cycle), netsite.yaml, the theme, the
  clock or the options, or an entry added or removed, renders everything again.

The rules are checked by comparing with a full build (tests/test_incremental.py): nothing stale.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from netsite import build, parallel, render
from netsite.models import Entry
from netsite.site import Site
from netsite.urls import output_file

REUSABLE = ("news", "practices", "events")
"""Kinds whose item pages may be reused; any other kind's change renders everything."""


@dataclass(frozen=True, slots=True)
class State:
    root: Path
    options: build.Options
    result: build.Result
    theme: str
    """Digest of every file of the theme folders in use."""
    rendered: tuple[str, ...] = ()
    """Output paths of the HTML pages this build rendered (the others kept their bytes)."""


def theme_digest(root: Path, theme: str) -> str:
    digest = hashlib.sha256()
    for folder in render.theme_dirs(root, theme):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def start(root: Path, options: build.Options) -> State:
    """A full build (raises NetsiteError like build.run)."""
    result = build.run(root, options)
    pages = tuple(f.path for f in result.files if f.path.endswith(".html"))
    return State(root, options, result, theme_digest(root, result.config.theme), pages)


def rebuild(state: State) -> State:
    """Build again from the sources; item pages whose inputs are unchanged keep their bytes."""
    options = state.options
    config, site, picture_files, problems = build.prepare(state.root, options)
    theme = theme_digest(state.root, config.theme)
    keep = reusable(state.result.site, site) if theme == state.theme and config == state.result.config else {}
    previous = {f.path: f.data for f in state.result.files}
    reuse = {path: previous[path] for path in keep if path in previous}
    files = sorted(build.render_site(site, parallel.jobs(options.jobs), reuse) + picture_files,
                   key=lambda f: f.path)
    rendered = tuple(f.path for f in files if f.path.endswith(".html") and f.path not in reuse)
    result = build.Result(config, site, tuple(files), tuple(problems))
    return replace(state, result=result, theme=theme, rendered=rendered)


def reusable(old: Site, new: Site) -> set[str]:
    """Output paths of item pages that show nothing that changed between `old` and `new`."""
    if old.now != new.now or _others(old) != _others(new):
        return set()
    before = {e.source: e for e in old.entries}
    after = {e.source: e for e in new.entries}
    if before.keys() != after.keys():
        return set()
    changed = {source for source, entry in after.items() if before[source] != entry}
    touched = set(changed)
    for source in changed:  # what showed the entry before the edit, and what shows it now
        touched |= related(before[source], old) | related(after[source], new)
    return {output_file(e.path) for e in new.entries if e.kind in REUSABLE and e.source not in touched}


def related(entry: Entry, site: Site) -> set[str]:
    """Sources of the entries whose item page shows something of `entry`."""
    if entry.kind == "news":
        events = site.by_slug.get("events", {})
        return {events[slug].source for slug in entry.get("event", ()) if slug in events}
    if entry.kind == "events":
        return {item.source for item in site.reports.get(entry.slug, ())}
    return set()


def _others(site: Site) -> tuple:
    """Everything every page may show: institutions, pages (the menu), kinds not in REUSABLE."""
    return (site.institutions, site.pages, site.menu,
            tuple(e for e in site.entries if e.kind not in REUSABLE + ("institutions", "pages")))


class Stepper:
    """The build step of `serve`: a full build first (or after the options change), then rebuilds.

    A failed rebuild raises and keeps the last good state, so the next one compares with it.
    """

    def __init__(self) -> None:
        self.state: State | None = None

    def __call__(self, root: Path, options: build.Options) -> build.Result:
        if self.state is None or (self.state.root, self.state.options) != (root, options):
            self.state = start(root, options)
        else:
            self.state = rebuild(self.state)
        return self.state.result

