"""CPU seconds of one `netsite serve` rebuild step after a save, without the server around it.

    python bench/serve_step.py 10000 [--edits 7] [--workdir /tmp/netsite-bench] [--profile]

On a shared machine wall seconds mostly measure the other processes; the CPU seconds of this
process are what the step costs. Builds the generated site once (bench/generate.py; reused when
it is there), then appends a paragraph to one news item `--edits` times, rebuilding after each
(incremental.Stepper, as `serve` does), and prints each step's wall and CPU seconds, the pages
rendered and the medians; --profile adds cProfile's table of the last step.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "src")]
from generate import generate  # noqa: E402

from netsite.build import Options  # noqa: E402
from netsite.server import incremental  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/netsite-bench"))
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    root = args.workdir / f"site-{args.n}"
    if not (root / "netsite.yaml").is_file():
        generate(args.n, root)
    options = Options(now="2026-11-25 12:00", jobs=1)
    step = incremental.Stepper()
    started = time.perf_counter()
    step(root, options)
    print(f"first build: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    news = sorted((root / "content" / "news").glob("*.md"))[7]
    walls, cpus = [], []
    profile = cProfile.Profile()
    for number in range(args.edits):
        with news.open("a", encoding="utf-8") as stream:
            stream.write(f"\nПравка для замера {time.time_ns()}-{number}.\n")
        time.sleep(0.2)  # past the file system's tick, as the watcher's debounce is
        last = args.profile and number == args.edits - 1
        wall, cpu = time.perf_counter(), time.process_time()
        if last:
            profile.enable()
        step(root, options)
        if last:
            profile.disable()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        assert step.state is not None, "the stepper built"
        print(f"edit {number + 1}: wall {walls[-1]:.3f} s, CPU {cpus[-1]:.3f} s, "
              f"{len(step.state.rendered)} files rendered", file=sys.stderr)
    print(f"serve step, {args.n:,} entries: median CPU {statistics.median(cpus):.3f} s "
          f"(min {min(cpus):.3f}, max {max(cpus):.3f}), wall {statistics.median(walls):.3f} s, {len(cpus)} edits")
    if args.profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
