"""Save-to-reload latency of `netsite serve`: from writing a news file to the new page being served.

    python bench/serve_latency.py 10000 [--edits 5] [--workdir /tmp/netsite-bench]

Starts the dev server in this process on a generated site (bench/generate.py; reused when it is
already there), appends a paragraph to one news item, and polls the served page every 5 ms until
the paragraph is in it; prints each latency, the median, and where the time went:

- wait: from the save to the rebuild starting (the watcher's event and the debounce, serve.SETTLE
  after a close event on Linux, serve.QUIET elsewhere);
- step: the build step (incremental.Stepper);
- publish: the new snapshot made and swapped in (copied files checked, the search bundle added);
- seen: from the swap to the poll that got the new page (at most the 5 ms poll and one request).

With search on (the generated site's default), the /pagefind/ index is made in the background
after the page is served; each edit waits for it before the next save, and its time from the
save is printed apart ("index"); with --during-index the next save comes while it is being made
(what an author saving often sees on a large site), and "index" is nan.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "src")]
from generate import generate  # noqa: E402

from netsite.build import Options  # noqa: E402
from netsite.server import incremental, serve  # noqa: E402


def served(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/netsite-bench"))
    parser.add_argument("--during-index", action="store_true",
                        help="save again 2 s after each reload, while the search index is still being made")
    args = parser.parse_args()
    root = args.workdir / f"site-{args.n}"
    if not (root / "netsite.yaml").is_file():
        generate(args.n, root)
    started = time.perf_counter()
    server = serve.start(root, Options(now="2026-11-25 12:00", jobs=1), port=0, step=incremental.Stepper())
    print(f"first build: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    builder = server.builder
    news = sorted((root / "content" / "news").glob("*.md"))[7]
    page = server.url + "news/" + news.stem.split("-", 3)[3] + "/"
    rows: list[tuple[float, float, float, float, float, float]] = []
    try:
        builder.wait_index(600)
        for number in range(args.edits):
            mark = f"Правка для замера {time.time_ns()}-{number}."
            saved = time.perf_counter()
            with news.open("a", encoding="utf-8") as stream:
                stream.write(f"\n{mark}\n")
            while mark not in served(page):
                time.sleep(0.005)
            seen = time.perf_counter()
            timing = builder.timing
            indexed = builder.wait_index(2.0 if args.during_index else 600)
            index = time.perf_counter() - saved if indexed.search == "current" else float("nan")
            rows.append((seen - saved, timing.started - saved, timing.stepped - timing.started,
                         timing.published - timing.stepped, seen - timing.published, index))
            print(f"edit {number + 1}: {rows[-1][0]:.3f} s = wait {rows[-1][1]:.3f} + step {rows[-1][2]:.3f} "
                  f"+ publish {rows[-1][3]:.3f} + seen {rows[-1][4]:.3f}; index ready {index:.1f} s after the save",
                  file=sys.stderr)
            time.sleep(0.5)
    finally:
        server.close()
    median = [statistics.median(column) for column in zip(*rows)]
    print(f"save-to-reload latency, {args.n:,} entries: median {median[0]:.3f} s "
          f"(min {min(r[0] for r in rows):.3f}, max {max(r[0] for r in rows):.3f}, {len(rows)} edits); "
          f"medians: wait {median[1]:.3f} s, step {median[2]:.3f} s, publish {median[3]:.3f} s, "
          f"seen {median[4]:.3f} s; search index ready {median[5]:.1f} s after the save")


if __name__ == "__main__":
    main()
