"""The pipeline: config → sources → entries → site → files → output. Read this to know the program."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import jinja2

from netsite import scaffold
from netsite.content import agenda, images, markup, pending, pictures, schema, sources
from netsite.content import config as config_module
from netsite.content.config import Config
from netsite.content.kinds import image_of
from netsite.content.models import Entry, OutputFile
from netsite.content.site import Site, assemble, find_collisions, is_published
from netsite.content.urls import Links, output_file, slug_from_filename
from netsite.diagnostics import ERROR, Diagnostic, NetsiteError, error, has_errors, sort_key
from netsite.publish import admin, catalogue, cyclepages, feeds, ical, lock, output, relative, render, search, theme
from netsite.rebuild import bodies, depends, outputs, parallel, readers
from netsite.rebuild import cache as cache_module


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
    relative: bool = False
    """Write links in pages relative to each page (publish/relative.py), for a site opened from disk."""
    progress: Callable[[str], None] | None = field(default=None, compare=False)
    """Told the name of each stage as it starts (the CLI shows it on a terminal); never affects output."""
    waiting: Callable[[Path, lock.Holder | None], None] | None = field(default=None, compare=False)
    """Told once when another build holds the lock this one waits for (see publish/lock.py)."""


def _stage(options: Options, name: str) -> None:
    if options.progress is not None:
        options.progress(name)


@dataclass(frozen=True, slots=True)
class Result:
    config: Config
    made: Site | Callable[[], Site] = field(repr=False)
    """The Site, or (for a build that had nothing to do) how to make it when asked: see `site`."""
    files: tuple[OutputFile, ...]
    diagnostics: tuple[Diagnostic, ...]
    """Warnings (errors stop the pipeline with NetsiteError)."""
    records: Mapping = field(default_factory=dict, compare=False)
    """How each page, feed and calendar was made (depends.Record by output path)."""
    rendered: frozenset[str] = field(default=frozenset(), compare=False)
    """Output paths of the pages, feeds and calendars rendered (the others were taken over)."""
    skipped: bool = False
    """Nothing had changed since the last build, so nothing was done."""

    @property
    def site(self) -> Site:
        """The Site; after a build that had nothing to do it is assembled from the sources on first use."""
        if not isinstance(self.made, Site):
            object.__setattr__(self, "made", self.made())
        return cast(Site, self.made)


def clock(options: Options, config: Config) -> datetime:
    """The one place the build reads the time."""
    if options.now:
        try:
            return agenda.parse_moment(options.now, config.zone).value
        except agenda.TimeError as exc:
            raise NetsiteError([error("--now", None, "usage.now", problem=exc.message)], 2) from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC).astimezone(config.zone)
        except ValueError:
            raise NetsiteError([error("SOURCE_DATE_EPOCH", None, "usage.now:epoch")], 2) from None
    return datetime.now(config.zone).replace(microsecond=0)


def run(root: Path, options: Options, reuse: Reuse | None = None,
        sink: Callable[[OutputFile], OutputFile] | None = None, *, config: Config | None = None,
        memo: Memo | None = None) -> Result:
    """The pipeline, everything but writing: returns the files, or raises NetsiteError with every problem.

    `build`, `check` and `serve` all call it. With `reuse`, files whose inputs are unchanged are
    taken over instead of rendered; `sink` receives each rendered file at once and returns what to
    keep of it (see output.Spool); `memo` keeps what serve read, parsed and rendered between calls;
    `config` is the configuration already loaded by the caller.
    """
    config = config or config_module.load(root)
    site, extra_files, problems = prepare(config, options, memo)
    _stage(options, f"rendering {len(site.entries)} entries")
    if options.relative:
        sink = relative.Linker(Links(config.base_url).base_path, sink)
        extra_files = [sink.page(file) for file in extra_files]
    rendered = render_site(site, parallel.jobs(options.jobs), reuse, sink)
    files = sorted(rendered.files + extra_files + admin.files(config), key=lambda f: f.path)
    check_files(files, options.strict, memo.photos if memo is not None else images.Memo())
    return Result(config, site, tuple(files), tuple(problems), rendered.records, rendered.made)


def check_files(files: list[OutputFile], strict: bool, memo: images.Memo) -> None:
    """The last checks on the finished files: no photo carries metadata, no two files share a path."""
    _stop_on_errors(images.scan(files, memo) + output.duplicates(files), strict)


@dataclass(slots=True)
class Memo:
    """What `serve` keeps between builds, so that a rebuild reads, parses and renders only what changed.

    Each step's result is reused only when its inputs are the very same objects as last time (a
    Document read again only when its file changed, see sources.read_all); a new configuration
    forgets everything.
    """

    config: Config | None = None
    documents: dict = field(default_factory=dict)
    """path → (file status, Document)."""
    parsed: dict = field(default_factory=dict)
    """path → (Document, (Parsed or None, problems))."""
    bodies: dict = field(default_factory=dict)
    """source → (Parsed, Entry with its body rendered, problems)."""
    links: dict | None = None
    """The URL of every published source when `bodies` were rendered (their links point there)."""
    steps: dict = field(default_factory=dict)
    """step → source → (entry, its files' status, result) of the per-entry steps (photos, assets)."""
    site: Site | None = None
    """The last Site: each part of the next that is the same is this one's object (readers.keep_same)."""
    photos: images.Memo = field(default_factory=images.Memo)
    """Photos encoded anew and checked, by their bytes (kept when the configuration changes)."""

    def fit(self, config: Config) -> None:
        if config != self.config:
            self.config, self.documents, self.parsed, self.bodies, self.links, self.steps, self.site = \
                config, {}, {}, {}, None, {}, None


def prepare(config: Config, options: Options, memo: Memo | None = None
            ) -> tuple[Site, list[OutputFile], list[Diagnostic]]:
    """Everything before rendering: the Site, the photos' files and the warnings, or NetsiteError."""
    root = config.root
    now = clock(options, config)
    if memo is not None:
        memo.fit(config)
    _stage(options, "reading content")
    documents, problems = sources.read_all(root, known=None if memo is None else memo.documents)
    problems += sources.theme_problems(root)
    parsed, broken = [], []
    for document in documents:
        item, found = _parse(document, config, memo)
        problems.extend(found)
        if item:
            parsed.append(item)
        elif has_errors(found):
            broken.append(pending.Withheld(document.kind, slug_from_filename(document.stem), document.shown,
                                           pending.BROKEN))
    del documents  # the sources' text is the largest thing a big build holds: keep only the bodies
    published = [p for p in parsed if is_published(p.entry, now, options.drafts, options.future)]
    shown = {(p.entry.kind, p.entry.slug) for p in published}
    withheld = broken + [_withheld(p.entry, options.drafts) for p in parsed
                         if not is_published(p.entry, now, options.drafts, options.future)]
    unpublished = pending.Unpublished.of(w for w in withheld if (w.kind, w.slug) not in shown)
    entries = [p.entry for p in published]
    problems += find_collisions(entries)
    for entry in entries:
        problems += schema.check_page_slug(entry)
    _stage(options, f"rendering Markdown of {len(published)} entries")
    entries, found = render_markdown(published, config, options, memo, unpublished)
    del parsed, published  # ... and not even those once they are HTML
    problems += found
    _stage(options, "processing photos")
    url = Links(config.base_url).url
    entries, picture_files, found = _each(memo, "pictures", entries, lambda batch: pictures.apply(batch, config.root, url))
    problems += found
    site, found = assemble(entries, config, now, unpublished)
    problems += found
    if memo is not None:  # incremental assembly: what did not change stays the same objects
        site = memo.site = readers.keep_same(memo.site, site)
    # photos re-encoded from pixels, never copied
    checked = memo.photos if memo is not None else images.Memo()
    _, assets, found = _each(memo, "assets", list(site.entries), lambda batch: (batch, *images.publish(batch, checked)))
    problems += found
    _stop_on_errors(problems, options.strict)
    return site, picture_files + assets, sorted(problems, key=sort_key)


def _withheld(entry: Entry, drafts: bool) -> pending.Withheld:
    if entry.draft and not drafts:
        return pending.Withheld(entry.kind, entry.slug, entry.source, pending.DRAFT)
    return pending.Withheld(entry.kind, entry.slug, entry.source, pending.FUTURE, entry.date)


def _each(memo: Memo | None, step: str, entries: list[Entry], apply: Callable) -> tuple[list, list, list]:
    """apply(entries) → (entries, files, problems); with a memo, entry by entry, each result kept
    while the entry is the same object and its files' sizes and times are the same."""
    if memo is None:
        return apply(entries)
    table = memo.steps.setdefault(step, {})
    results: list[Entry] = []
    files: dict[str, OutputFile] = {}
    problems: list[Diagnostic] = []
    for entry in entries:
        key = (id(entry), tuple((a.source, _status(a.source)) for a in entry.assets))
        hit = table.get(entry.source)
        if hit is None or hit[0] is not entry or hit[1] != key:
            hit = table[entry.source] = (entry, key, apply([entry]))
        done, made, found = hit[2]
        results.extend(done)
        files.update((f.path, f) for f in made)
        problems.extend(found)
    return results, [files[path] for path in sorted(files)], problems


def _status(path: Path) -> tuple:
    try:
        return sources.file_status(path.stat())
    except OSError:
        return ()


def _parse(document, config: Config, memo: Memo | None) -> tuple:
    hit = memo.parsed.get(document.path) if memo is not None else None
    if hit is not None and hit[0] is document:
        return hit[1]
    item, found = schema.parse(document, config)
    if item:
        found = [*found, *scaffold.leftovers(item)]  # `netsite new`'s instructions still in the text
    result = item, found
    if memo is not None:
        memo.parsed[document.path] = (document, result)
    return result


def build(root: Path, options: Options) -> Result:
    """run() and write the output; pages, feeds and calendars still in the output as written, and
    made from the same inputs, are neither rendered nor written again (outputs.OutputRecords).

    When every input is the same as at the last build and the output folder is as that build
    left it, there is nothing to do: its warnings are told again and nothing is touched.

    The whole build holds the site's and the output folder's locks (publish/lock.py): a second
    build waits for the first, or refuses with one line naming it; never two writers.
    """
    config = config_module.load(root)
    with lock.writer(root if options.cache else None, config.output_path, options.waiting):
        output.fault_point("locked")
        output.recover(config.output_path)  # an interrupted build's leftovers, before anything is read
        return _build_locked(root, config, options)


def _build_locked(root: Path, config: Config, options: Options) -> Result:
    out = config.output_path
    # A relative build renders every page: records of pages with root links must not be taken over.
    records = options.cache and not options.relative
    kept = outputs.OutputRecords.open(root, out, records)
    inputs = _inputs(root, config, options) if records else None
    warnings = kept.unchanged(inputs) if inputs else None
    if warnings is not None:
        _stage(options, "nothing changed since the last build")
        assert kept.last is not None, "unchanged() found the last build's row"
        # The files a build makes, as a build reports them: the search index written beside them is not one.
        made = (path for path in sorted(kept.last["files"]) if not (config.search and path.startswith("pagefind/")))
        files = tuple(OutputFile(path, b"", source=out.joinpath(*path.split("/"))) for path in made)
        return Result(config, lambda: prepare(config, options)[0], files,
                      tuple(cache_module.diagnostic(d) for d in warnings), skipped=True)
    with output.Spool(out) as spool:
        result = run(root, options, Reuse(kept.records(), kept.take) if records else None, spool.add,
                     config=config)
        _stage(options, f"writing {len(result.files)} files" + (" and the search index" if result.config.search else ""))
        index = (lambda folder: search.index(folder, pages=_released(search.entry_pages(result.site)), shown=out)) \
            if result.config.search else None
        output.write(result.files, out, index, spool=spool.folder)
    if records and options.fill_cache:
        kept.save(dict(result.records), inputs or "", [cache_module.plain_diagnostic(d) for d in result.diagnostics])
    return result


def _released(pages: list[str]) -> list[str]:
    """`pages`, once the memory this process freed is given back: Pagefind's peak comes on top of ours.

    Only for a site large enough to fork workers: a full collection costs 30–100 ms in a process with
    a large heap (`serve`, the test suite), more than a small site's whole index."""
    if len(pages) >= parallel.MIN_ITEMS:
        parallel.release()
    return pages


def _inputs(root: Path, config: Config, options: Options) -> str | None:
    """The digest of everything a build reads (outputs.inputs_digest), or None if it cannot be trusted."""
    settings = repr((_CODE, clock(options, config).isoformat(), options.drafts, options.future, options.strict))
    return outputs.inputs_digest(root, theme.theme_dirs(root, config.theme), settings)


def render_markdown(published: list[schema.Parsed], config: Config, options: Options = Options(),
                    memo: Memo | None = None, unpublished: pending.Unpublished = pending.NOTHING
                    ) -> tuple[list[Entry], list[Diagnostic]]:
    """Render every body once, with links to other content files resolved to their pages.

    Bodies come from `memo` (serve) or the cache when their inputs are unchanged, else are
    rendered on every core.
    """
    links = Links(config.base_url)
    pages = {source: withheld.mark for source, withheld in unpublished.by_source.items()}
    pages.update({p.entry.source: links.url(p.entry.path) for p in published})
    if memo is not None and memo.links != pages:
        memo.bodies, memo.links = {}, pages
    known = memo.bodies if memo is not None else {}
    todo = [item for item in published if known.get(item.entry.source, (None,))[0] is not item]
    jobs = [(item.markdown, markup.Context(
        source=item.entry.source, body_line=item.body_line, page_url=links.url(item.entry.path),
        assets=frozenset(a.name for a in item.entry.assets), resolve=pages.get, site_url=links.url))
        for item in todo]
    cache = cache_module.Cache.open(config.root, "markup", options.cache, options.fill_cache)
    try:
        results = bodies.render_all(jobs, cache, parallel.jobs(options.jobs), prune=memo is None)
    finally:
        cache.close()
    fresh = {}
    for item, rendered in zip(todo, results):
        entry = item.entry
        entry = replace(entry, body=rendered.html, summary=entry.summary or rendered.summary,
                        headings=rendered.headings, used_assets=rendered.assets)
        fresh[entry.source] = (item, entry, rendered.diagnostics)
    if memo is not None:
        memo.bodies.update(fresh)
    problems: list[Diagnostic] = []
    entries = []
    for item in published:
        _, entry, found = fresh.get(item.entry.source) or known[item.entry.source]
        problems.extend(found)
        entries.append(entry)
    return entries, problems


@dataclass(frozen=True, slots=True)
class Reuse:
    """What a build may take over from the previous one instead of rendering (see depends.py)."""

    records: Mapping[str, depends.Record] = field(default_factory=dict)
    """How each output file of the previous build was made, by output path."""
    take: Callable[[str], OutputFile | None] = lambda path: None
    """The previous build's file at a path, if it is still there as written; else None."""
    prints: depends.Fingerprints = field(default_factory=depends.Fingerprints)
    readers: readers.Readers | None = None
    """serve's index from each traced key to the outputs that read it: only their records are read
    again (None: every record is checked against the new site)."""


@dataclass(frozen=True, slots=True)
class Rendered:
    files: list[OutputFile]
    records: dict[str, depends.Record]
    """How each page, feed and calendar was made: the next build's `Reuse.records`."""
    made: frozenset[str]
    """Output paths rendered by this build (the others were taken over)."""


def render_site(site: Site, processes: int = 1, reuse: Reuse | None = None,
                sink: Callable[[OutputFile], OutputFile] | None = None) -> Rendered:
    """Every output file; a page, feed or calendar whose inputs are unchanged is taken over from `reuse`."""
    dirs = theme.theme_dirs(site.config.root, site.config.theme)
    reuse = reuse or Reuse()
    prints = reuse.prints
    base = depends.digest(_CODE, theme.theme_digest(dirs, ("i18n",)), prints.of(site.config))
    derived = _Derived(reuse.readers, depends.digest(base, prints.of(site.now)))
    kept_feeds = reuse.readers.feeds if reuse.readers is not None else None
    env = render.make_environment(site, dirs, lambda strings: feeds.feed_set(site, strings, kept_feeds))
    cyclepages.extend_environment(env, site)
    feed_set = cast(feeds.FeedSet, env.globals["feeds"])
    depends.instrument(env, site)
    resolve = depends.Resolver(site, prints, feed_set)
    template = theme.TemplateDigests(env, dirs)
    stale = reuse.readers.stale(resolve) if reuse.readers is not None else None
    plan = _Plan(reuse, resolve, sink or (lambda file: file), stale)
    pages = render.page_set(site) + cyclepages.page_set(site) + search.pages(site)
    tasks: list[tuple[str, Any, bytes | None]] = []
    for page in pages:
        context, given = depends.traced_context(page.context)
        parts = (base, page.path, template(page.template))
        fixed = readers.fixed_digest(parts, context, prints) if reuse.readers is None else \
            reuse.readers.fixed(page.path, parts, context, prints)
        if not plan.take(output_file(page.path), fixed):
            tasks.append(("page", replace(page, context=given), fixed))
    shared = depends.digest(prints.of(site.institutions), template.all)  # feeds show authors, use templates
    todo = [feed for feed in feed_set.feeds if not plan.take_all(
        (output_file(feed.rss), output_file(feed.atom)), depends.digest(base, prints.of(feed), shared,
                                                                        _enclosures(feed)))]
    # Two runs of feeds a worker, not a task each: a run keeps an entry's feed item only until the
    # last of its feeds that carries it (feeds.render_feeds), where a worker kept every item it made;
    # two, not one: at 10,000 entries the worker making a run's items held the peak (414 -> 394 MB).
    workers = parallel.workers(processes, len(tasks) + len(todo))
    size = max(1, -(-len(todo) // (2 * workers)))
    tasks += [("feeds", todo[i:i + size], None) for i in range(0, len(todo), size)]
    calendars = depends.digest(prints.of(site.now), prints.of(ical.zone_spans(site.events)))  # DTSTAMP, VTIMEZONEs
    tasks += [("calendar", spec, None) for spec in ical.calendar_specs(site) if not plan.take(
        spec[0], depends.digest(base, spec[0], spec[2], prints.of(spec[1]), calendars))]
    # Pages, feeds and calendars on every core; each worker spools its own files, so their bytes
    # never travel back to this process.
    make = _Maker(site, env, theme.strings_of(env), plan.sink)
    if parallel.workers(processes, len(tasks)) > 1:
        _compile_all(env)
    for (kind, _, traced), made in zip(tasks, parallel.map_ordered(make, tasks, processes)):
        for file, keys in made:
            if kind == "page":
                assert traced is not None and keys is not None, "a page is traced"
                plan.made(file, depends.record(traced, keys, resolve))
            else:
                plan.made(file, depends.Record(plan.wanted[file.path]))
    if reuse.readers is not None:
        reuse.readers.update(plan.records, plan.rendered, reuse.records, resolve, checked=stale is not None)
    files = plan.files
    files.append(render.sitemap(site, pages))
    files.append(render.robots(site))
    files.append(derived("catalogue", (site.practices, site.institutions), lambda: catalogue.index_file(site)))
    files.extend(derived("monitoring", (site.events, site.practices, site.institutions, site.cycle),
                         lambda: cyclepages.data_files(site, env)))
    files.extend(render.static_files(dirs))
    return Rendered(sorted(files, key=lambda f: f.path), plan.records, frozenset(plan.rendered))


def _compile_all(env: jinja2.Environment) -> None:
    """Compile the theme's templates here once, not again in every forked worker (parallel.LIFETIME)."""
    for name in env.list_templates():
        # Not a template (a stray file) or broken: a page that uses it reports it, as before.
        with contextlib.suppress(jinja2.TemplateError, UnicodeDecodeError, OSError):
            env.get_template(name)


class _Derived:
    """What is made from a few parts of the site (feeds, monitoring files…), kept by `serve` while
    those parts are the same objects (readers.Readers.derived); made every time in a build."""

    def __init__(self, readers: readers.Readers | None, head: bytes):
        self.readers, self.head = readers, head

    def __call__(self, name: str, inputs: tuple, make: Callable[[], Any]) -> Any:
        return make() if self.readers is None else self.readers.derived(name, self.head, inputs, make)


_CODE = depends.code_digest() + cache_module.fingerprint(outputs.LIBRARIES, ()) + sys.version
"""netsite's code, the versions of the libraries that shape output, and Python's: in every record."""


class _Plan:
    """Files taken over or rendered, with the record of each for the next build."""

    def __init__(self, reuse: Reuse, resolve: depends.Resolver, sink: Callable[[OutputFile], OutputFile],
                 stale: set[str] | None = None):
        self.reuse, self.resolve, self.sink, self.stale = reuse, resolve, sink, stale
        self.files: list[OutputFile] = []
        self.records: dict[str, depends.Record] = {}
        self.wanted: dict[str, bytes] = {}
        self.rendered: list[str] = []

    def take(self, path: str, fixed: bytes) -> bool:
        """Take the previous file at `path` if it was made from the same inputs; else note it is wanted."""
        record = self.reuse.records.get(path)  # take_all for one path: asked for every page after every save
        if record is not None and self._fresh(path, record, fixed):
            file = self.reuse.take(path)
            if file is not None:
                self.files.append(file)
                self.records[path] = record
                return True
        self.wanted[path] = fixed
        return False

    def take_all(self, paths: tuple[str, ...], fixed: bytes) -> bool:
        old = [record for path in paths if (record := self.reuse.records.get(path)) is not None]
        if len(old) == len(paths) and all(self._fresh(path, record, fixed) for path, record in zip(paths, old)):
            kept = [file for path in paths if (file := self.reuse.take(path)) is not None]
            if len(kept) == len(paths):
                self.files.extend(kept)
                self.records.update(zip(paths, old))
                return True
        self.wanted.update(dict.fromkeys(paths, fixed))
        return False

    def _fresh(self, path: str, record: depends.Record, fixed: bytes) -> bool:
        if self.stale is None:
            return record.fresh(fixed, self.resolve)
        return record.fixed == fixed and path not in self.stale  # its keys were checked by readers.stale

    def made(self, file: OutputFile, record: depends.Record) -> None:
        self.files.append(self.sink(file) if file.source is None and file.data else file)
        self.records[file.path] = record
        self.rendered.append(file.path)


class _Maker:
    """One task of render_site → [(file, keys read)]: a page (traced), a run of feeds' files or a calendar.

    What calendars share (VEVENT text, VTIMEZONEs) is kept in each process.
    """

    def __init__(self, site: Site, env, strings, sink: Callable[[OutputFile], OutputFile]):
        self.site, self.env, self.sink = site, env, sink
        self.calendars = ical.Calendars(site, strings)

    def __call__(self, task: tuple) -> list[tuple[OutputFile, set | None]]:
        kind, item, _ = task
        if kind == "page":
            with depends.tracing() as keys:
                file = render.render_pages(self.site, self.env, [item])[0]
            return [(self._spool(file), keys)]
        if kind == "feeds":
            return [(self._spool(f), None) for f in feeds.render_feeds(self.site, self.env, item)]
        return [(self._spool(self.calendars.file(item)), None)]

    def _spool(self, file: OutputFile) -> OutputFile:
        return self.sink(file) if file.data else file


def _enclosures(feed) -> str:
    """Sizes of the feed's enclosure files: the one input of a feed that is not in its entries."""
    return repr([(a.source.stat().st_size if a.source.is_file() else -1) for e in feed.entries
                 for a in e.assets if a.name == image_of(e)])


def _stop_on_errors(problems: list[Diagnostic], strict: bool) -> None:
    fatal = [p for p in problems if p.severity == ERROR or strict]
    if fatal:
        raise NetsiteError(sorted(problems, key=sort_key), 1)
