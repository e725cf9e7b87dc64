"""netsite's benchmark: cold, warm and one-edit builds of generated sites, side by side with Hugo.

    python bench/run.py                       # N = 1,000 and 10,000, 3 runs each, medians
    python bench/run.py --sizes 1000 --runs 5

For each N the corpus is generated (bench/generate.py), exported for Hugo when `hugo` is on PATH,
and built alternately: netsite cold (no cache, no output), Hugo (no output), netsite warm (cache
and output present, nothing changed), netsite after editing one news item. Wall time is measured
around the process; peak memory is the largest sum of the proportional set sizes (PSS) of the
build's process tree, sampled from /proc every 20 ms, and the kernel's ru_maxrss of the tree
(largest single process) from wait4(). Figures are medians of the runs.

The corpus has `search: false`, so the "cold" column does the work Hugo's build does; "cold +
search" builds it again with `search: true` (Pagefind included, as `netsite build` runs it), to
compare with "Hugo + Pagefind": Hugo followed by Pagefind over Hugo's whole output, what a Hugo
user runs for the same site. Pagefind is also timed apart on the cold build's output, twice: over
the entry pages only (what netsite shows it, see netsite.publish.search) and over every page (what
it was shown before). Output size is the bytes of every file of the cold build (no search index)
and of Hugo's, per entry. Without the Pagefind binary (`pip install 'pagefind[bin]'`) those
columns are "–".
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402
from hugo_export import export  # noqa: E402

REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))
from netsite.publish.search import executable as pagefind_executable  # noqa: E402

NOW = "2026-11-25 12:00"


@dataclass(frozen=True, slots=True)
class Sample:
    seconds: float
    pss_mb: float
    """Peak of the sum of PSS over the process tree (fork children share pages: PSS splits them)."""
    maxrss_mb: float
    """ru_maxrss from wait4(): the largest single process of the tree."""
    pages: int
    cpu: float = 0.0
    """User + system seconds of the tree: less disturbed than wall time on a shared machine."""


def tree(pid: int) -> list[int]:
    """The process and its descendants (Linux /proc)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                text = Path(f"/proc/{current}/task/{task}/children").read_text()
                queue.extend(int(c) for c in text.split())
        except OSError:
            pass
    return found


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float, float]:
    """(seconds, peak PSS MB of the tree, ru_maxrss MB, CPU seconds) of one command; exit != 0 fails."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.02):
            peak = max(peak, sum(pss_kb(p) for p in tree(process.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr.decode(errors='replace')}")
    return seconds, peak / 1024, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def count_pages(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html"))


def pagefind_command(site: Path) -> list[str] | None:
    """The command that indexes the built output as `netsite build` did before it showed Pagefind
    only the entry pages, or None when Pagefind is not installed."""
    binary = pagefind_executable()
    return [str(binary), "--site", str(site / "public"), "--silent"] if binary else None


def output_bytes(out: Path) -> int:
    return sum(p.stat().st_size for p in out.rglob("*") if p.is_file() and not p.is_symlink())


def entry_mirror(out: Path, mirror: Path) -> Path:
    """Hard links to the pages that carry data-pagefind-body, as netsite.publish.search shows Pagefind."""
    shutil.rmtree(mirror, ignore_errors=True)
    for page in out.rglob("*.html"):
        if b"data-pagefind-body" in page.read_bytes():
            target = mirror / page.relative_to(out)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(page, target)
    return mirror


class Bench:
    """The builds of one corpus size."""

    def __init__(self, n: int, workdir: Path, jobs: str | None):
        self.n = n
        self.site = generate(n, workdir / f"site-{n}")
        self.hugo = export(self.site, workdir / f"hugo-{n}") if shutil.which("hugo") else None
        self.env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
        if jobs:
            self.env["NETSITE_JOBS"] = jobs
        self.samples: dict[str, list[Sample]] = {}
        self.edits = 0
        self.pagefind = pagefind_command(self.site)
        self.bytes: dict[str, int] = {}
        """Output bytes of the last cold build and of Hugo's."""

    def netsite(self, label: str) -> None:
        command = [sys.executable, "-m", "netsite", "build", "--root", str(self.site), "--now", NOW]
        seconds, pss, maxrss, cpu = measure(command, REPO, self.env)
        self.samples.setdefault(label, []).append(
            Sample(seconds, pss, maxrss, count_pages(self.site / "public"), cpu))

    def hugo_build(self) -> None:
        shutil.rmtree(self.hugo / "public", ignore_errors=True)
        shutil.rmtree(self.hugo / "resources", ignore_errors=True)
        seconds, pss, maxrss, cpu = measure(["hugo", "--quiet"], self.hugo, dict(os.environ))
        self.samples.setdefault("hugo", []).append(
            Sample(seconds, pss, maxrss, count_pages(self.hugo / "public"), cpu))
        self.bytes["hugo"] = output_bytes(self.hugo / "public")

    def cold(self) -> None:
        shutil.rmtree(self.site / ".netsite-cache", ignore_errors=True)
        shutil.rmtree(self.site / "public", ignore_errors=True)
        self.netsite("cold")
        self.bytes["netsite"] = output_bytes(self.site / "public")
        if self.pagefind:
            self.index()

    def cold_search(self) -> None:
        """A cold build with `search: true`: Pagefind included, as `netsite build` runs it."""
        config = self.site / "netsite.yaml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("search: false", "search: true"), encoding="utf-8")
        try:
            shutil.rmtree(self.site / ".netsite-cache", ignore_errors=True)
            shutil.rmtree(self.site / "public", ignore_errors=True)
            self.netsite("cold+search")
        finally:
            config.write_text(text, encoding="utf-8")

    def index(self) -> None:
        """Pagefind over the cold build's output apart: its entry pages (as netsite runs it) and
        every page; the bundles are removed again, so the warm and edit builds below see the
        output folder netsite wrote."""
        public = self.site / "public"
        mirror = entry_mirror(public, self.site.parent / f"entries-{self.n}")
        runs = {"pagefind": [*self.pagefind[:2], str(mirror), "--output-path", str(mirror / "pagefind"),
                             "--silent"], "pagefind-all": self.pagefind}
        for label, command in runs.items():
            shutil.rmtree(public / "pagefind", ignore_errors=True)
            seconds, pss, maxrss, cpu = measure(command, REPO, dict(os.environ))
            self.samples.setdefault(label, []).append(Sample(seconds, pss, maxrss, 0, cpu))
        shutil.rmtree(public / "pagefind", ignore_errors=True)
        shutil.rmtree(mirror, ignore_errors=True)

    def hugo_pagefind(self) -> None:
        """Hugo, then Pagefind over all of Hugo's output: one process tree, measured as one."""
        shutil.rmtree(self.hugo / "public", ignore_errors=True)
        shutil.rmtree(self.hugo / "resources", ignore_errors=True)
        script = f"hugo --quiet && '{self.pagefind[0]}' --site public --silent"
        seconds, pss, maxrss, cpu = measure(["sh", "-c", script], self.hugo, dict(os.environ))
        self.samples.setdefault("hugo+pagefind", []).append(Sample(seconds, pss, maxrss, 0, cpu))

    def edit_one_news(self) -> None:
        news = sorted((self.site / "content" / "news").glob("*.md"))[len(self.site.name) % 7]
        self.edits += 1
        with news.open("a", encoding="utf-8") as stream:
            stream.write(f"\nДополнение № {self.edits}: родители благодарят воспитателей.\n")
        self.netsite("edit")

    def run(self, runs: int) -> None:
        for _ in range(runs):
            if self.pagefind:
                self.cold_search()
            self.cold()
            if self.hugo:
                self.hugo_build()
                if self.pagefind:
                    self.hugo_pagefind()
            self.netsite("warm")
            self.edit_one_news()

    def median(self, label: str, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in self.samples[label])


def report(benches: list[Bench], runs: int) -> str:
    lines = [f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}, {platform.system()} {platform.release()}; "
             f"medians of {runs} runs; --now '{NOW}'; load average at the end: "
             f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}", "",
             "Wall seconds (CPU seconds, user + system, in brackets):", "",
             "| entries | pages | cold | cold + search | warm | one edit | Hugo | Hugo + Pagefind "
             "| cold / Hugo | cold + search / Hugo + Pagefind | warm / Hugo |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for b in benches:
        time = {k: _cell(b, k, "seconds", "{:.2f}") + " (" + _cell(b, k, "cpu", "{:.1f}") + ")"
                for k in ("cold", "cold+search", "warm", "edit", "hugo", "hugo+pagefind")}
        lines.append(f"| {b.n:,} | {b.samples['cold'][0].pages:,} | " + " | ".join(time.values()) + " | "
                     + " | ".join(_ratio(b, a, c) for a, c in (("cold", "hugo"), ("cold+search", "hugo+pagefind"),
                                                              ("warm", "hugo"))) + " |")
    lines += ["", "Peak memory (PSS of the process tree, MB; max RSS of one process in brackets), Pagefind "
              "apart (seconds and peak MB) and output bytes per entry:", "",
              "| entries | cold | cold + search | Hugo | Hugo + Pagefind | Pagefind, entry pages "
              "| Pagefind, every page | bytes / entry | Hugo bytes / entry |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for b in benches:
        memory = [_cell(b, k, "pss_mb", "{:.0f}") + " (" + _cell(b, k, "maxrss_mb", "{:.0f}") + ")"
                  for k in ("cold", "cold+search", "hugo", "hugo+pagefind")]
        pagefind = [_cell(b, k, "seconds", "{:.1f} s") + ", " + _cell(b, k, "pss_mb", "{:.0f} MB")
                    for k in ("pagefind", "pagefind-all")]
        size = [f"{b.bytes[k] / b.n:,.0f}" if k in b.bytes else "–" for k in ("netsite", "hugo")]
        lines.append(f"| {b.n:,} | " + " | ".join(memory + pagefind + size) + " |")
    if len(benches) > 1:
        small, big = benches[0], benches[-1]
        ratio = big.median("cold", "seconds") / small.median("cold", "seconds")
        lines.append(f"\ncold {big.n:,} / {small.n:,} time ratio: {ratio:.1f} "
                     f"(entries ×{big.n // small.n})")
    return "\n".join(lines)


def _cell(bench: Bench, label: str, attr: str, form: str) -> str:
    return form.format(bench.median(label, attr)) if label in bench.samples else "–"


def _ratio(bench: Bench, label: str, against: str) -> str:
    if label not in bench.samples or against not in bench.samples:
        return "–"
    return f"{bench.median(label, 'seconds') / bench.median(against, 'seconds'):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/netsite-bench"))
    parser.add_argument("--jobs", help="NETSITE_JOBS for the builds (default: netsite decides)")
    args = parser.parse_args()
    benches = []
    for n in args.sizes:
        bench = Bench(n, args.workdir, args.jobs)
        bench.run(args.runs)
        benches.append(bench)
        print(f"{n}: done", file=sys.stderr)
    if not shutil.which("hugo"):
        print("hugo is not installed (apt-get install hugo): no Hugo column", file=sys.stderr)
    if pagefind_executable() is None:
        print("Pagefind is not installed (pip install 'pagefind[bin]'): no Pagefind column", file=sys.stderr)
    print(report(benches, args.runs))
    print("\nsave-to-reload latency in `netsite serve`: " + serve_note())


def serve_note() -> str:
    if not (REPO / "src" / "netsite" / "server" / "serve.py").exists():
        return "not measured (netsite serve is not on this branch yet)"
    return "run python bench/serve_latency.py N (in-process dev server, polls the edited page)"


if __name__ == "__main__":
    main()
