"""The pipeline: config → sources → entries → site → files → output. Read this to know the program."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Mapping

from netsite import (agenda, cache as cache_module, catalogue, config as config_module, cyclepages, feeds, ical,
                     images, markup, output, parallel, pictures, render, schema, search, sources)
from netsite.config import Config
from netsite.diagnostics import ERROR, Diagnostic, NetsiteError, error, sort_key
from netsite.models import Entry, OutputFile
from netsite.site import Site, assemble, find_collisions, is_published
from netsite.urls import Links, output_file


@dataclass(frozen=True, slots=True)
class Options:
    now: str | None = None
    """ISO date-time for the build's clock; else SOURCE_DATE_EPOCH; else the wall clock."""
    drafts: bool = False
    future: bool = False
    strict: bool = False
    jobs: int | None = None
    """Processes for rendering; None: NETSITE_JOBS, else every core (see parallel.py)."""
    cache: bool = True
    """Use .netsite-cache/ (output is byte-identical either way)."""
    fill_cache: bool = True
    """Store new results in it; `check` only reads, since it writes nothing."""
    progress: Callable[[str], None] | None = field(default=None, compare=False)
    """Told the name of each stage as it starts (the CLI shows it on a terminal); never affects output."""


def _stage(options: Options, name: str) -> None:
    if options.progress is not None:
        options.progress(name)


@dataclass(frozen=True, slots=True)
class Result:
    config: Config
    site: Site
    files: tuple[OutputFile, ...]
    diagnostics: tuple[Diagnostic, ...]
    """Warnings (errors stop the pipeline with NetsiteError)."""


def clock(options: Options, config: Config) -> datetime:
    """The one place the build reads the time."""
    if options.now:
        try:
            return agenda.parse_moment(options.now, config.zone).value
        except agenda.TimeError as exc:
            raise NetsiteError([error("--now", None, str(exc), "usage.now")], 2) from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), timezone.utc).astimezone(config.zone)
        except ValueError:
            raise NetsiteError([error("SOURCE_DATE_EPOCH", None, "must be whole seconds since 1970",
                                      "usage.now")], 2) from None
    return datetime.now(config.zone).replace(microsecond=0)


def run(root: Path, options: Options) -> Result:
    """Everything but writing: returns the files, or raises NetsiteError with every problem."""
    config, site, extra_files, problems = prepare(root, options)
    _stage(options, f"rendering {len(site.entries)} entries")
    files = sorted(render_site(site, parallel.jobs(options.jobs)) + extra_files, key=lambda f: f.path)
    _stop_on_errors(images.scan(files) + output.duplicates(files), options.strict)
    return Result(config, site, tuple(files), tuple(problems))


def prepare(root: Path, options: Options) -> tuple[Config, Site, list[OutputFile], list[Diagnostic]]:
    """Everything before rendering: the Site, the photos' files and the warnings, or NetsiteError."""
    config = config_module.load(root)
    now = clock(options, config)
    _stage(options, "reading content")
    documents, problems = sources.read_all(root)
    problems += sources.theme_problems(root)
    parsed = []
    for document in documents:
        item, found = schema.parse(document, config)
        problems.extend(found)
        if item:
            parsed.append(item)
    del documents  # the sources' text is the largest thing a big build holds: keep only the bodies
    published = [p for p in parsed if is_published(p.entry, now, options.drafts, options.future)]
    entries = [p.entry for p in published]
    problems += find_collisions(entries)
    for entry in entries:
        problems += schema.check_page_slug(entry)
    _stage(options, f"rendering Markdown of {len(published)} entries")
    entries, found = render_markdown(published, config, options)
    del parsed, published  # ... and not even those once they are HTML
    problems += found
    _stage(options, "processing photos")
    entries, picture_files, found = pictures.apply(entries, config.root, Links(config.base_url).url)
    problems += found
    site, found = assemble(entries, config, now)
    problems += found
    assets, found = images.publish(site.entries)  # photos re-encoded from pixels, never copied
    problems += found
    _stop_on_errors(problems, options.strict)
    return config, site, picture_files + assets, sorted(problems, key=sort_key)


def build(root: Path, options: Options) -> Result:
    result = run(root, options)
    _stage(options, f"writing {len(result.files)} files" + (" and the search index" if result.config.search else ""))
    output.write(result.files, result.config.output_path, search.index if result.config.search else None)
    return result


def render_markdown(published: list[schema.Parsed], config: Config,
                    options: Options = Options()) -> tuple[list[Entry], list[Diagnostic]]:
    """Render every body once, with links to other content files resolved to their pages.

    Bodies come from the cache when their inputs are unchanged, else are rendered on every core.
    """
    from netsite.urls import Links

    links = Links(config.base_url)
    pages = {p.entry.source: links.url(p.entry.path) for p in published}
    jobs = [(item.markdown, markup.Context(
        source=item.entry.source, body_line=item.body_line, page_url=links.url(item.entry.path),
        assets=frozenset(a.name for a in item.entry.assets), resolve=pages.get, site_url=links.url))
        for item in published]
    cache = cache_module.Cache.open(config.root, "markup", options.cache, options.fill_cache)
    try:
        results = cache_module.render_all(jobs, cache, parallel.jobs(options.jobs))
    finally:
        cache.close()
    problems: list[Diagnostic] = []
    entries = []
    for item, rendered in zip(published, results):
        entry = item.entry
        problems.extend(rendered.diagnostics)
        entries.append(replace(entry, body=rendered.html, summary=entry.summary or rendered.summary,
                               headings=rendered.headings, used_assets=rendered.assets))
    return entries, problems


def render_site(site: Site, processes: int = 1, reuse: Mapping[str, bytes] = MappingProxyType({})) -> list[OutputFile]:
    """Every output file; pages first, so that sitemap.xml lists every HTML page.

    `reuse` maps output paths of pages known to be unchanged to their bytes (see incremental.py).
    """
    dirs = render.theme_dirs(site.config.root, site.config.theme)
    env = render.make_environment(site, dirs)
    cyclepages.extend_environment(env, site)
    pages = render.page_set(site) + cyclepages.page_set(site) + search.pages(site)
    todo = [page for page in pages if output_file(page.path) not in reuse]
    files = parallel.map_ordered(lambda page: render.render_pages(site, env, [page])[0], todo, processes)
    files += [OutputFile(output_file(page.path), reuse[output_file(page.path)]) for page in pages
              if output_file(page.path) in reuse]
    files.extend(ical.calendar_files(site, render.load_strings(dirs, site.config.language)))
    files.append(render.sitemap(site, pages))
    files.append(render.robots(site))
    files.append(catalogue.index_file(site))
    files.extend(cyclepages.data_files(site, env))
    files.extend(feeds.render_feeds(site, env))
    files.extend(render.static_files(dirs))
    return sorted(files, key=lambda f: f.path)


def _stop_on_errors(problems: list[Diagnostic], strict: bool) -> None:
    fatal = [p for p in problems if p.severity == ERROR or strict]
    if fatal:
        raise NetsiteError(sorted(problems, key=sort_key), 1)
