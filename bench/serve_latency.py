"""Save-to-reload latency of `netsite serve`: from writing a news file to the new page being served.

    python bench/serve_latency.py 10000 [--edits 5] [--workdir /tmp/netsite-bench]

Starts the dev server in this process on a generated site (bench/generate.py; reused when it is
already there), appends a paragraph to one news item, and polls the served page every 10 ms
until the paragraph is in it; prints each latency and the median. The server's own debounce
(serve.QUIET) is part of what a reader waits for, so it is included.
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

from netsite import incremental, serve  # noqa: E402
from netsite.build import Options  # noqa: E402


def served(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/netsite-bench"))
    args = parser.parse_args()
    root = args.workdir / f"site-{args.n}"
    if not (root / "netsite.yaml").is_file():
        generate(args.n, root)
    started = time.perf_counter()
    server = serve.start(root, Options(now="2026-11-25 12:00", jobs=1), port=0, step=incremental.Stepper())
    print(f"first build: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    news = sorted((root / "content" / "news").glob("*.md"))[7]
    page = server.url + "news/" + news.stem.split("-", 3)[3] + "/"
    latencies = []
    try:
        for number in range(args.edits):
            mark = f"Правка для замера {time.time_ns()}-{number}."
            saved = time.perf_counter()
            with news.open("a", encoding="utf-8") as stream:
                stream.write(f"\n{mark}\n")
            while mark not in served(page):
                time.sleep(0.01)
            latencies.append(time.perf_counter() - saved)
            print(f"edit {number + 1}: {latencies[-1]:.2f} s", file=sys.stderr)
            time.sleep(0.5)
    finally:
        server.close()
    print(f"save-to-reload latency, {args.n:,} entries: median {statistics.median(latencies):.2f} s "
          f"(min {min(latencies):.2f}, max {max(latencies):.2f}, {len(latencies)} edits)")


if __name__ == "__main__":
    main()
