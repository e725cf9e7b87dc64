"""Rebuilding after an edit (for `serve`): only what the edit can change is read, parsed and rendered.

`start()` builds once; `rebuild()` builds again from the sources, keeping what did not change:
- a source file is read again only when its status changed (`sources.read_all(known=…)`), parsed
  again only when it was read again, and its Markdown rendered again only when it was parsed again
  or a link target moved (`build.Memo`);
- a page, feed or calendar is rendered again only when something it read changed: its template,
  its context, the configuration, or any part of the site its templates reached (`depends.py`
  records what each read). Everything else keeps its bytes from the previous build.

The clock is read once, when serving starts (or taken from --now): a clock that moved on every
save would change every page that shows "upcoming" and every calendar's DTSTAMP. Restart `serve`
to move it. Correctness is checked against a full build for every kind of edit
(tests/test_incremental.py): nothing stale, and fewer pages rendered.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from netsite import build
from netsite.rebuild import depends, readers


@dataclass(frozen=True, slots=True)
class State:
    root: Path
    options: build.Options
    """As the caller gave them."""
    result: build.Result | None
    """None only before the first build."""
    rendered: frozenset[str]
    """Output paths this build rendered (the others kept their bytes)."""
    records: dict
    """How each page, feed and calendar was made (depends.Record by output path)."""
    memo: build.Memo
    prints: depends.Fingerprints
    readers: readers.Readers
    """Which outputs read each traced key of `records` (rebuild/readers.py)."""
    clock: build.Options
    """The options with the clock fixed at the first build."""


def frozen_clock(options: build.Options) -> build.Options:
    """The options with `now` fixed to this moment, unless --now or SOURCE_DATE_EPOCH fix it already."""
    if options.now or os.environ.get("SOURCE_DATE_EPOCH"):
        return options
    return replace(options, now=datetime.now(UTC).replace(microsecond=0).isoformat())


def start(root: Path, options: build.Options) -> State:
    """A full build (raises NetsiteError like build.run)."""
    empty = State(root, options, None, frozenset(), {}, build.Memo(), depends.Fingerprints(),
                  readers.Readers(), frozen_clock(options))
    return rebuild(empty)


def rebuild(state: State) -> State:
    """Build again from the sources, reusing every result whose inputs are unchanged."""
    previous = {} if state.result is None else {f.path: f for f in state.result.files}
    reuse = build.Reuse(state.records, previous.get, state.prints, state.readers)
    try:
        result = build.run(state.root, state.clock, reuse, memo=state.memo)
    except BaseException:
        state.readers.forget()  # it may hold this failed build's records: the next checks every record
        raise
    state.prints.keep_only(result.site.entries)
    return replace(state, result=result, rendered=result.rendered, records=dict(result.records))


class Stepper:
    """The build step of `serve`: a full build first (or after the options change), then rebuilds.

    A failed rebuild raises and keeps the last good state, so the next one compares with it.
    """

    def __init__(self) -> None:
        self.state: State | None = None

    def __call__(self, root: Path, options: build.Options) -> build.Result:
        # The cyclic collector would walk the whole kept site (millions of objects) several times
        # a rebuild, a third of its time; what a rebuild leaves is freed by reference counting,
        # and the collector runs again between saves.
        gc.disable()
        try:
            if self.state is None or (self.state.root, self.state.options) != (root, options):
                self.state = start(root, options)
            else:
                self.state = rebuild(self.state)
        finally:
            gc.enable()
        assert self.state.result is not None, "start and rebuild always build"
        return self.state.result

