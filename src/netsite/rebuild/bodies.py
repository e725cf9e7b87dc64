"""Rendering every Markdown body once, on every core, with results kept in the cache by content hash."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from netsite.content import markup, urls
from netsite.rebuild import parallel
from netsite.rebuild.cache import Cache, diagnostic, fingerprint, plain_diagnostic


def markup_fingerprint() -> str:
    return fingerprint(("markdown-it-py", "mdit-py-plugins", "pygments", "nh3", "python-slugify",
                        "text-unidecode"), (Path(markup.__file__), Path(urls.__file__)))


def render_all(jobs: list[tuple[str, markup.Context]], cache: Cache, processes: int,
               prune: bool = True) -> list[markup.Rendered]:
    """markup.render of every (text, ctx), in order: hits from the cache, misses on every core.

    The key holds every input of the step but `ctx.resolve` (the other pages' URLs): the answers
    a render got from it are stored with the value and asked again on a hit, so a renamed or
    unpublished link target is a miss.
    """
    stamp = markup_fingerprint()
    keys = [Cache.key("markup", stamp, text, ctx.source, str(ctx.body_line), ctx.page_url,
                      ctx.site_url("/"), *sorted(ctx.assets)) for text, ctx in jobs]
    hits = cache.get_many(keys)
    results: list[markup.Rendered | None] = []
    for key, (_, ctx) in zip(keys, jobs):
        hit = hits.get(key)
        fresh = hit is not None and all(ctx.resolve(target) == url for target, url in hit["resolved"])
        results.append(_rendered(hit) if hit is not None and fresh else None)
    misses = [index for index, result in enumerate(results) if result is None]
    rendered = parallel.map_ordered(lambda index: _render_recording(*jobs[index]), misses, processes)
    for index, (result, _) in zip(misses, rendered):
        results[index] = result
    cache.put_many({keys[index]: plain for index, (_, plain) in zip(misses, rendered)})
    if prune:  # only a build that rendered every body knows which entries are still used
        cache.prune(set(keys))
    return [result for result in results if result is not None]  # every miss was rendered above


def _render_recording(text: str, ctx: markup.Context) -> tuple[markup.Rendered, dict]:
    """Render, noting every link target asked about and its answer; → (result, cache value)."""
    asked: dict[str, str | None] = {}

    def resolve(target: str) -> str | None:
        asked[target] = ctx.resolve(target)
        return asked[target]

    result = markup.render(text, replace(ctx, resolve=resolve))
    return result, _plain(result, asked)


def _plain(rendered: markup.Rendered, asked: dict[str, str | None]) -> dict:
    return {"html": rendered.html, "summary": rendered.summary, "headings": rendered.headings,
            "images": rendered.images, "assets": rendered.assets, "resolved": sorted(asked.items()),
            "diagnostics": [plain_diagnostic(d) for d in rendered.diagnostics]}


def _rendered(value: dict) -> markup.Rendered:
    return markup.Rendered(value["html"], value["summary"], tuple(tuple(h) for h in value["headings"]),
                    tuple(diagnostic(d) for d in value["diagnostics"]),
                    tuple(value["images"]), tuple(value["assets"]))
