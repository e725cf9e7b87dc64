"""Mapping a pure function over many items on every core, in order, or serially where it does not pay.

Workers are forked (Linux, macOS with care): they inherit the function, the items, its closure and
the whole Site copy-on-write, so only a chunk's bounds go to a worker and only its results come
back (sending the items themselves pickled every entry's body once more: +300 MB at 10k). Where
fork is missing (Windows), for small inputs, or with NETSITE_JOBS=1 the map is a plain loop, so
every platform gets the same output: results come back in item order either way.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 200
"""Below this a fork costs more than it saves (an edit in `serve`, a small site)."""
CHUNKS = 8
"""Chunks a worker: several, so that uneven pages even out."""
LIFETIME = 1
"""Chunks a worker makes before a fresh one is forked in its place (10k peak: 1 → 382 MB, 2 → 397-405).
A worker writes to the copy of the site it inherited (reference counts, the free slots of the
parent's allocator) and to its own caches, so its private memory grows with every chunk: at 10,000 entries two workers that lived
through the whole map held ~240 MB of their own. A fork costs milliseconds; what a new worker
makes again (templates are compiled before forking, see build.render_site) is small."""
_TASK: tuple[Callable, Sequence] | None = None
"""A worker's task, set in the worker by `_take` as it starts; never in the parent. A module global
because a pool sends its workers only what pickles (a function by name, a chunk's bounds), while
the task is a closure over the whole Site: a forked worker inherits it, and this is where it finds it."""


def jobs(requested: int | None = None) -> int:
    """How many processes to use: the request, else NETSITE_JOBS, else the cores we may run on."""
    if requested:
        return max(1, requested)
    if os.environ.get("NETSITE_JOBS", "").isdigit():
        return max(1, int(os.environ["NETSITE_JOBS"]))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def workers(processes: int, count: int) -> int:
    """How many processes map_ordered uses for `count` items: 1 where forking does not pay or exists."""
    return processes if processes > 1 and count >= MIN_ITEMS and can_fork() else 1


def _trimmer() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (Windows, macOS, musl): nothing to give back
        return None


_TRIM = _trimmer()


def release() -> None:
    """Give the memory freed so far back to the system (glibc keeps freed heap pages otherwise).

    Before forking, the pages freed by the steps before are then not inherited by every worker;
    in a worker, the pages of the files it made and dropped do not count as its own any longer.
    """
    gc.collect()
    if _TRIM is not None:
        _TRIM(0)


def _take(func: Callable, items: Sequence) -> None:
    """The pool's initializer, run in each forked worker (its arguments are inherited, not pickled)."""
    global _TASK
    _TASK = (func, items)


def _run_chunk(bounds: tuple[int, int]) -> list:
    assert _TASK is not None, "set by _take as the worker starts"
    func, items = _TASK
    try:
        return [func(item) for item in items[bounds[0]:bounds[1]]]
    finally:
        if _TRIM is not None:
            _TRIM(0)


def map_ordered(func: Callable[[T], R], items: Sequence[T], processes: int,
                then: Callable[[R], R] | None = None) -> list[R]:
    """[func(item) for item in items], spread over `processes` forked workers when it pays.

    `then` is applied in this process to each result as soon as it arrives, in order (the build
    writes each page out and keeps only its name, so the site is never held in memory whole).
    """
    then = then or (lambda result: result)
    if workers(processes, len(items)) == 1:
        return [then(func(item)) for item in items]
    size = max(1, len(items) // (processes * CHUNKS))
    chunks = [(i, i + size) for i in range(0, len(items), size)]
    release()
    gc.freeze()  # the inherited heap is not scanned by the workers' collector, so stays shared
    try:
        with multiprocessing.get_context("fork").Pool(processes, _take, (func, items),
                                                      maxtasksperchild=LIFETIME) as pool:
            return [then(result) for chunk in pool.imap(_run_chunk, chunks) for result in chunk]
    finally:
        gc.unfreeze()
        release()  # what the workers' results left behind, before the writing that follows
