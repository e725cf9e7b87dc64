"""Faults: builds killed at chosen points, two builds at once, a full disk, Pagefind leaving a broken index.

Each promise of publish/output.py and publish/lock.py is checked on a generated site of 150
entries, some 450 output files (bench/generate.py), built by real `python -m netsite build` subprocesses that
are killed with SIGKILL where NETSITE_FAULT stops them: `public/` must be exactly the old build
or exactly the new one, nothing temporary inside it, and the next build must equal a fresh one.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from netsite.build import Options, build
from netsite.diagnostics import NetsiteError
from netsite.publish import lock, output, search

from conftest import NOW, build_site

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
sys.path.insert(0, str(REPO / "bench"))
from generate import generate

ENTRIES = 150
"""Enough for hundreds of output files and a build that lasts well beyond a process's start; each
kill point is reached by its hook, whatever the size (300 entries cost a third more time per build)."""
WAIT = 60.0
"""Seconds a subprocess may take to reach a point or to end: a bound, not a timing assertion."""
KILL = getattr(signal, "SIGKILL", signal.SIGTERM)
# Run first and in one piece on one worker under `pytest -n auto` (see pytest_collection_modifyitems
# in conftest.py): the corpus and the served site are made once, not once per worker.
pytestmark = pytest.mark.xdist_group("faults")
INSTITUTION = "content/institutions/dou-0000.md"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    """What a build left beside public/ besides its spare tree: nothing (locks are removed too)."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".public") and p.name != ".public.spare")


def retitle(root: Path) -> None:
    """A title change of an institution: rewrites every page that names it (hundreds of files)."""
    path = root / INSTITUTION
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'^title: "(.*)"$', r'title: "\1 (изм.)"', text, count=1, flags=re.M),
                    encoding="utf-8")


def command(root: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "netsite", "build", "--root", str(root), "--now", NOW, "--jobs", "1", *extra]


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (output.FAULT, output.EXCHANGE, "NETSITE_LOCK_WAIT")}
    return {**env, "PYTHONPATH": str(SRC), "PYTHONUNBUFFERED": "1", **extra}


def run_cli(root: Path, *extra: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(command(root, *extra), env=environment(**env), capture_output=True, text=True,
                          encoding="utf-8", timeout=300)


def start(root: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(command(root), env=environment(**env), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8")


def kill_at(root: Path, point: str, **env: str) -> str:
    """Run a build that stops at `point`, kill -9 it there; returns what it printed."""
    process = start(root, NETSITE_FAULT=point, **env)
    seen: list[str] = []
    reached = threading.Event()

    def read() -> None:
        for line in process.stderr:
            seen.append(line)
            if line.startswith(f"netsite: fault point {point}"):
                reached.set()
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert reached.wait(WAIT), f"the build never reached {point}: {''.join(seen)}"
    finally:
        process.send_signal(KILL)
        process.wait(WAIT)
        reader.join(WAIT)
    return "".join(seen)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """(a built site of ENTRIES entries, its output, the output of a fresh build after `retitle`)."""
    base = tmp_path_factory.mktemp("faults")
    old = generate(ENTRIES, base / "old")
    assert run_cli(old).returncode == 0
    fresh = base / "fresh"
    shutil.copytree(old / "content", fresh / "content")
    shutil.copy(old / "netsite.yaml", fresh / "netsite.yaml")
    retitle(fresh)
    assert run_cli(fresh, "--no-cache").returncode == 0
    old_tree, new_tree = tree(old / "public"), tree(fresh / "public")
    assert old_tree != new_tree and len(new_tree) > 300
    return old, old_tree, new_tree


@pytest.fixture
def site(corpus, tmp_path):
    """A copy of the built site (output and cache too) with the title changed: the next build is warm."""
    root = tmp_path / "site"
    shutil.copytree(corpus[0], root, symlinks=True)
    retitle(root)
    return root


# ---- kill -9 at chosen points ------------------------------------------------------------------

@pytest.mark.parametrize(("point", "exchange", "expected"), [
    ("spooling", "1", "old"),          # rendering: files go to the spool beside public/
    ("filling", "1", "old"),           # half the new tree is linked or written
    ("staged", "1", "old"),            # the new tree is complete, not yet swapped
    ("swapped", "1", "new"),           # exchanged, the old tree not yet removed
    ("swapped", "0", "new"),           # the two-rename fallback, after the second rename
])
def test_a_build_killed_at_any_point_leaves_old_or_new_and_the_next_build_equals_a_fresh_one(
        corpus, site, point, exchange, expected):
    _, old_tree, new_tree = corpus
    kill_at(site, point, NETSITE_RENAME_EXCHANGE=exchange)
    assert tree(site / "public") == (old_tree if expected == "old" else new_tree)
    done = run_cli(site)
    assert done.returncode == 0, done.stderr
    assert tree(site / "public") == new_tree
    assert leftovers(site) == []


def test_killed_between_the_two_renames_the_old_site_is_put_back_even_by_a_failing_build(corpus, site):
    _, old_tree, new_tree = corpus
    kill_at(site, "between-renames", NETSITE_RENAME_EXCHANGE="0")
    assert not (site / "public").exists()  # the fallback's one window: the old site is whole beside it
    [kept] = [p for p in site.iterdir() if p.name.startswith(".public.old-")]
    assert tree(kept) == old_tree
    broken = site / "content/news/broken.md"
    broken.write_text("---\ntitle: [\n---\n", encoding="utf-8")
    failed = run_cli(site)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert tree(site / "public") == old_tree  # put back, not deleted: it was the only good copy
    broken.unlink()
    assert run_cli(site).returncode == 0
    assert tree(site / "public") == new_tree
    assert leftovers(site) == []


def test_kill_at_measured_moments_never_leaves_a_mix(corpus, site):
    """Without the hook: SIGKILL after a fraction of a warm build's own measured duration."""
    _, old_tree, new_tree = corpus
    spare = site.with_name("spare")
    shutil.copytree(site, spare, symlinks=True)
    started = time.monotonic()
    assert run_cli(spare).returncode == 0
    duration = time.monotonic() - started
    for fraction in (0.3, 0.6, 0.8, 0.9, 0.97):
        process = start(site)
        time.sleep(duration * fraction)
        process.send_signal(KILL)
        process.communicate(timeout=WAIT)
        assert tree(site / "public") in (old_tree, new_tree), fraction
    assert run_cli(site).returncode == 0
    assert tree(site / "public") == new_tree
    assert leftovers(site) == []


def test_search_killed_after_indexing_keeps_the_old_site(make_site):
    root = make_site({"content/news/2026-11-01-a.md": "---\ntitle: Праздник\ndate: 2026-11-01\n"
                      "institution: solnyshko\n---\nПрошёл праздник.\n"},
                     config="title: Сеть\nbase_url: https://net.example.org/\ntimezone: Europe/Moscow\nsearch: true\n")
    assert run_cli(root).returncode == 0
    before = tree(root / "public")
    assert any(path.startswith("pagefind/") for path in before)
    (root / "content/news/2026-11-01-a.md").write_text(
        "---\ntitle: Другой праздник\ndate: 2026-11-01\ninstitution: solnyshko\n---\nИ ещё.\n", encoding="utf-8")
    kill_at(root, "indexed")
    assert tree(root / "public") == before
    assert run_cli(root).returncode == 0
    assert "Другой праздник" in (root / "public/index.html").read_text(encoding="utf-8")
    assert leftovers(root) == []


# ---- two builds at once --------------------------------------------------------------------------

@pytest.mark.parametrize("apart", [0.0, 0.4])  # at once (a race for the lock); once the first holds it
def test_two_builds_started_apart_end_with_a_fresh_output_and_one_waits(corpus, site, apart):
    _, _, new_tree = corpus
    shutil.rmtree(site / ".netsite-cache")  # cold builds: long enough that the two overlap
    first = start(site)
    time.sleep(apart)
    second = start(site)
    outcomes = [process.communicate(timeout=300) for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outcomes
    waited = [err for _, err in outcomes if "здесь уже идёт другая сборка" in err]
    assert len(waited) == 1, outcomes
    assert re.search(r"процесс \d+ на компьютере .+, начата \S+ UTC\); ждём её конца", waited[0])
    assert "Traceback" not in "".join(err for _, err in outcomes)
    assert tree(site / "public") == new_tree
    assert leftovers(site) == []


def test_a_second_build_that_may_not_wait_refuses_with_one_line_naming_the_first(corpus, site):
    old_tree = corpus[1]
    holder = start(site, NETSITE_FAULT="locked")
    try:
        line = holder.stderr.readline()
        assert line.startswith("netsite: fault point locked"), line
        refused = run_cli(site, NETSITE_LOCK_WAIT="0")
    finally:
        holder.send_signal(KILL)
        holder.communicate(timeout=WAIT)
    assert refused.returncode == 1
    lines = refused.stderr.splitlines()
    assert len(lines) == 1, lines
    assert re.fullmatch(rf"\S+lock: error: здесь уже идёт другая сборка \(процесс {holder.pid} на компьютере "
                        rf"{re.escape(socket.gethostname())}, начата \S+ UTC\): дождитесь её конца или "
                        r"остановите её \[build\.locked\]", lines[0]), lines[0]
    assert tree(site / "public") == old_tree
    assert run_cli(site, NETSITE_LOCK_WAIT="0").returncode == 0  # the killed holder's lock is gone with it


def test_a_stale_lock_file_left_by_a_dead_build_is_taken_over(make_site):
    root = make_site({})
    dead = {"pid": 2 ** 22 + 17, "host": socket.gethostname(), "started": "2026-01-01T00:00:00Z"}
    for path in (lock.site_lock(root), lock.output_lock((root / "public").resolve())):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(dead), encoding="utf-8")
    assert run_cli(root, NETSITE_LOCK_WAIT="0").returncode == 0
    assert leftovers(root) == [] and not lock.site_lock(root).exists()


def test_the_lock_waits_then_is_taken_and_names_its_holder(tmp_path):
    path = tmp_path / "x.lock"
    told = []
    with lock.Lock(path, wait=0):
        holder = lock.read_holder(path)
        assert holder == lock.Holder(os.getpid(), socket.gethostname(), holder.started)
        with pytest.raises(NetsiteError) as info, lock.Lock(path, wait=0):
            pass
        assert info.value.diagnostics[0].code == "build.locked"
        assert f"PID {os.getpid()} on {socket.gethostname()}" in str(info.value.diagnostics[0].message)
    # released: a waiter gets it; while held by a thread that lets go, the waiter is told once
    held = threading.Event()
    done = threading.Event()

    def hold() -> None:
        with lock.Lock(path, wait=0):
            held.set()
            done.wait(WAIT)
    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(WAIT)
    threading.Timer(0.3, done.set).start()
    with lock.Lock(path, wait=WAIT, waiting=lambda p, h: told.append((p, h))):
        assert lock.read_holder(path).pid == os.getpid()
    thread.join(WAIT)
    assert len(told) == 1 and told[0][0] == path and told[0][1].pid == os.getpid()
    assert not path.exists()


def test_serve_rebuilds_take_the_site_lock(make_site):
    from netsite.server import serve

    root = make_site({})
    builder = serve.Builder(root, Options(now=NOW, jobs=1))
    with lock.Lock(lock.site_lock(root), wait=0), pytest.MonkeyPatch.context() as patch:
        patch.setenv("NETSITE_LOCK_WAIT", "0")
        snapshot = builder.rebuild()
    try:
        assert snapshot.failed and [d.code for d in snapshot.problems] == ["build.locked"]
        assert not builder.rebuild().failed
    finally:
        builder.close()


# ---- a full disk and other I/O errors ----------------------------------------------------------

FULL_DISK = """\
import builtins, errno, io, os, sys
from netsite.cli import main
real, calls = io.open, [0]
class Full(io.BufferedWriter):
    def write(self, data):  # part of it, as a disk that fills up mid-file
        super().write(bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
def full_open(file, mode="r", *args, **kwargs):
    if {where!r} in os.fspath(file) and "w" in mode:
        calls[0] += 1
        if calls[0] == {nth}:
            return Full(real(file, "wb", buffering=0))
    return real(file, mode, *args, **kwargs)
io.open = builtins.open = full_open
sys.argv = ["netsite", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize(("where", "nth"), [(".public.spool-", 1), (".public.spool-", 40), (".public.tmp-", 1),
                                            (".public.tmp-", 30)])
def test_a_full_disk_is_one_line_naming_the_file_and_the_old_output_stays(corpus, site, where, nth):
    old_tree = corpus[1]
    # Rendered pages reach the new tree by a rename from the spool (no bytes written there); files
    # that are not spooled (a site's own static files, photos) are written into it: give it some.
    for number in range(40):
        own = site / "themes" / "default" / "static" / f"extra-{number}.txt"
        own.parent.mkdir(parents=True, exist_ok=True)
        own.write_text(f"файл {number}\n", encoding="utf-8")
    script = FULL_DISK.format(where=where, nth=nth)
    done = subprocess.run([sys.executable, "-c", script, *command(site)[3:]], env=environment(),
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 1, lines
    assert re.fullmatch(r".*/public/\S+: error: файл не удалось прочитать или записать \("
                        + re.escape(os.strerror(errno.ENOSPC)) + r"\): проверьте, что диск не переполнен, .* \[io\]",
                        lines[0]), lines[0]
    assert tree(site / "public") == old_tree
    assert leftovers(site) == []


def _can_mount_tmpfs() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                            "mount -t tmpfs -o size=1m tmpfs /mnt && echo yes"],
                           capture_output=True, text=True, timeout=30)
    return probe.stdout.strip() == "yes"


TMPFS = """\
set -e
mount -t tmpfs -o size={size} tmpfs "$1/www"
cp -a "$2/." "$1/www/"
"$3" -c "import os, sys; s = os.statvfs(sys.argv[1]); \\
  open(sys.argv[1] + '/filler', 'wb').write(bytes(max(0, s.f_bavail * s.f_frsize - {room})))" "$1/www"
"$3" -m netsite build --root "$1" --now "{now}" --jobs 1 2> "$1/stderr" && echo "exit 0" || echo "exit $?"
cat "$1/stderr" >&2
mkdir -p "$1/after" && cp -a "$1/www/public/." "$1/after/"
ls -a "$1/www" > "$1/beside"
"""

# A real full disk as an extra where a tmpfs can be mounted (user namespaces on Linux); the
# fault injection above runs everywhere, so no case is ever skipped.
REAL_DISK = [pytest.param("tmpfs", id="tmpfs")] if _can_mount_tmpfs() else []


@pytest.mark.parametrize("kind", REAL_DISK)
def test_a_real_full_tmpfs_is_one_line_and_the_old_output_stays(corpus, site, kind):
    old_tree = corpus[1]
    config = site / "netsite.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "output_dir: www/public\n", encoding="utf-8")
    staged = site.with_name("staged")
    (staged).mkdir()
    shutil.move(site / "public", staged / "public")
    (site / "www").mkdir()
    used = sum(len(data) for data in old_tree.values())
    size = used * 2 + 4 * 1024 * 1024  # room for the old site, its folders and a little more
    done = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                           TMPFS.format(size=size, room=256 * 1024, now=NOW), "sh", str(site), str(staged), sys.executable],
                          env=environment(), capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert "exit 1" in done.stdout, (done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].endswith("[io]") and "/www/public" in lines[0], lines
    assert tree(site / "after") == old_tree
    assert [name for name in (site / "beside").read_text().split() if name.startswith(".public")] == []


# ---- Pagefind failures --------------------------------------------------------------------------

FAKE_PAGEFIND = """\
import pathlib, sys
bundle = pathlib.Path(sys.argv[sys.argv.index("--output-path") + 1])  # build names it: it reads entry pages only
bundle.mkdir(exist_ok=True)
mode = {mode!r}
if mode == "exit":
    print("Error: failed to write fragment", file=sys.stderr)
    sys.exit(3)
if mode == "empty":
    (bundle / "pagefind-entry.json").write_bytes(b"")
elif mode == "no-meta":
    (bundle / "pagefind-entry.json").write_text('{{"version":"1","languages":{{"ru":{{"hash":"ru_1"}}}}}}')
elif mode == "truncated":
    import gzip
    (bundle / "pagefind-entry.json").write_text('{{"version":"1","languages":{{"ru":{{"hash":"ru_1"}}}}}}')
    (bundle / "pagefind.ru_1.pf_meta").write_bytes(gzip.compress(b"pagefind_dcd" + b"x" * 100)[:20])
"""


@pytest.mark.parametrize(("mode", "named", "reason"), [
    ("exit", "netsite.yaml", "Error: failed to write fragment"),
    ("empty", "pagefind/pagefind-entry.json", "pagefind-entry.json is empty or not what Pagefind writes"),
    ("no-meta", "pagefind/pagefind.ru_1.pf_meta", "pagefind.ru_1.pf_meta is missing"),
    ("truncated", "pagefind/pagefind.ru_1.pf_meta", "pagefind.ru_1.pf_meta is truncated"),
])
def test_pagefind_failures_are_one_line_and_the_old_output_stays(make_site, tmp_path, monkeypatch,
                                                                  mode, named, reason):
    root = make_site({}, config="title: Сеть\nbase_url: https://net.example.org/\ntimezone: Europe/Moscow\n")
    build_site(root)
    before = tree(root / "public")
    (root / "netsite.yaml").write_text("title: Сеть\nbase_url: https://net.example.org/\n"
                                       "timezone: Europe/Moscow\nsearch: true\n", encoding="utf-8")
    fake = tmp_path / "pagefind.py"
    fake.write_text(FAKE_PAGEFIND.format(mode=mode), encoding="utf-8")
    launcher = tmp_path / ("pagefind.cmd" if os.name == "nt" else "pagefind")
    launcher.write_text(f'@"{sys.executable}" "{fake}" %*\n' if os.name == "nt" else
                        f'#!/bin/sh\nexec "{sys.executable}" "{fake}" "$@"\n', encoding="utf-8")
    launcher.chmod(0o755)
    monkeypatch.setattr(search, "executable", lambda: launcher)
    with pytest.raises(NetsiteError) as info:
        build(root, Options(now=NOW))
    [problem] = info.value.diagnostics
    assert problem.code == "search.index" and reason in str(problem.message)
    assert problem.location.path.replace("\\", "/").endswith(named)
    assert ".tmp-" not in problem.location.path
    assert tree(root / "public") == before
    assert leftovers(root) == []


# ---- the output module on its own ----------------------------------------------------------------

def test_unchanged_files_are_linked_from_the_previous_build_and_keep_their_time(tmp_path):
    from netsite.content.models import OutputFile

    out = tmp_path / "public"
    output.write([OutputFile("a/index.html", b"A"), OutputFile("b.txt", b"B")], out)
    before = {p: (out / p).stat() for p in ("a/index.html", "b.txt")}
    time.sleep(0.01)
    output.write([OutputFile("a/index.html", b"A"), OutputFile("b.txt", b"B2"), OutputFile("c.txt", b"C")], out)
    assert tree(out) == {"a/index.html": b"A", "b.txt": b"B2", "c.txt": b"C"}
    same = (out / "a/index.html").stat()
    assert same.st_mtime_ns == before["a/index.html"].st_mtime_ns
    assert (same.st_dev, same.st_ino) == (before["a/index.html"].st_dev, before["a/index.html"].st_ino)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public.spare", "public"]


def test_the_spare_tree_is_reused_and_never_trusted(tmp_path):
    """The tree of the build before last becomes the next new tree; whatever is in it, the output is exact."""
    from netsite.content.models import OutputFile

    out, spare = tmp_path / "public", tmp_path / ".public.spare"
    first = [OutputFile("a/index.html", b"A"), OutputFile("b/index.html", b"B"), OutputFile("c/d/e.txt", b"E")]
    output.write(first, out)
    folder = (out / "a").stat().st_ino
    output.write(first, out)
    assert tree(spare) == tree(out)
    (spare / "a/index.html").unlink()
    (spare / "a/index.html").write_bytes(b"stale")  # same name, other bytes
    (spare / "b/index.html").unlink()
    (spare / "b/index.html").symlink_to(tmp_path / "elsewhere")
    shutil.rmtree(spare / "c/d")
    (spare / "c/d").write_bytes(b"a file where a folder goes")
    (spare / "junk.html").write_bytes(b"junk")
    output.write([*first, OutputFile("f.txt", b"F")], out)
    assert tree(out) == {"a/index.html": b"A", "b/index.html": b"B", "c/d/e.txt": b"E", "f.txt": b"F"}
    assert not (out / "b/index.html").is_symlink()
    assert (out / "a").stat().st_ino == folder  # made once, two builds ago: the spare's folders are reused
    output.write([OutputFile("a/index.html", b"A2")], out)
    assert tree(out) == {"a/index.html": b"A2"}
    assert tree(spare)["a/index.html"] == b"A"  # writing A2 did not go through the shared file


def test_recover_puts_back_the_only_copy_and_removes_the_rest(tmp_path):
    out = tmp_path / "public"
    old = tmp_path / ".public.old-4242"
    (old / "news").mkdir(parents=True)
    (old / "news/index.html").write_text("old", encoding="utf-8")
    (tmp_path / ".public.tmp-4242").mkdir()
    (tmp_path / ".public.spool-4243").mkdir()
    output.recover(out)
    assert tree(out) == {"news/index.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_recover_keeps_an_old_copy_when_the_output_is_a_file(tmp_path):
    (tmp_path / "public").write_text("not a folder", encoding="utf-8")
    (tmp_path / ".public.old-4242").mkdir()
    output.recover(tmp_path / "public")
    assert (tmp_path / ".public.old-4242").is_dir()


def test_exchange_swaps_two_folders_or_says_it_cannot(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a", encoding="utf-8")
    (b / "x").write_text("b", encoding="utf-8")
    if sys.platform.startswith("linux"):
        assert output._exchange_call() is not None  # glibc's renameat2 (the suite runs on Linux CI)
    swapped = output.exchange(a, b)
    assert (b / "x").read_text(encoding="utf-8") == ("a" if swapped else "b")


def test_an_io_error_without_a_file_name_is_named_by_the_output_file(tmp_path):
    exc = output.named(OSError(errno.ENOSPC, "No space left on device"), tmp_path / "public/x.html")
    assert (exc.errno, exc.filename) == (errno.ENOSPC, str(tmp_path / "public/x.html"))
    inside = output.named(OSError(errno.EACCES, "Permission denied", str(tmp_path / ".public.tmp-1/a/b.html")),
                          tmp_path / "public", tmp_path / ".public.tmp-1", tmp_path / "public")
    assert inside.filename == str(tmp_path / "public/a/b.html")


def test_docs_describe_the_guarantees_and_the_lock():
    text = (REPO / "docs/output.md").read_text(encoding="utf-8")
    for words in ("RENAME_EXCHANGE", "NETSITE_LOCK_WAIT", "NETSITE_FAULT", ".public.old-", "build.locked"):
        assert words in text, words
    assert textwrap.dedent(text).strip()


# ---- serve under idle, half-sent and rude clients ------------------------------------------------

def serving(tmp_path_factory, before: str = ""):
    from test_serve import Running

    from conftest import INSTITUTION as ONE
    from conftest import write_site

    root = write_site(tmp_path_factory.mktemp("served") / "site", {"content/institutions/solnyshko.md": ONE})
    server = Running(root, before=before)
    yield server
    server.stop()
    assert not [line for line in server.errors if "Traceback" in line or "Error" in line], server.errors


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    yield from serving(tmp_path_factory)


@pytest.fixture
def impatient(tmp_path_factory):
    """A server whose read timeout is 1.5 s instead of preview.READ_TIMEOUT's 10 s: the same code path,
    for a test that must wait it out on every connection."""
    yield from serving(tmp_path_factory, "from netsite.server import preview\npreview._Handler.timeout = 1.5")


def raw(server, data: bytes, linger: bool = False) -> socket.socket:
    connection = socket.create_connection((server.host, server.port), timeout=WAIT)
    if linger:  # close with a reset, as a client that vanishes does
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    connection.sendall(data)
    return connection


def answer(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (b'' when it just closes it)."""
    received = b""
    while True:
        try:
            chunk = connection.recv(65536)
        except ConnectionResetError:
            return received
        if not chunk:
            return received
        received += chunk


def test_serve_drops_forty_half_sent_connections(impatient):
    host = f"{impatient.host}:{impatient.port}".encode()
    half = [raw(impatient, b"GET / HTTP/1.1\r\nHost: " + host + b"\r\nAccept: text/") for _ in range(40)]
    for connection in half:  # each recv gives up after WAIT seconds: a bound, not a timing assertion
        assert answer(connection) == b""
        connection.close()
    assert impatient.request("/")[0] == 200


def test_serve_refuses_connections_beyond_its_threads_with_503_at_once(served):
    from netsite.server import serve

    idle = [raw(served, b"") for _ in range(serve.MAX_CONNECTIONS)]
    time.sleep(0.5)  # let the server accept them all
    extra = raw(served, b"")
    try:
        assert answer(extra).startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
    finally:
        for connection in [*idle, extra]:
            connection.close()
    assert until_ok(served)  # the slots are free again once the idle ones are closed


def until_ok(server) -> bool:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if server.request("/")[0] == 200:
            return True
        time.sleep(0.2)
    return False


def test_clients_that_hang_up_mid_response_print_no_traceback(served):
    host = f"{served.host}:{served.port}".encode()
    many = b"".join(b"GET / HTTP/1.1\r\nHost: " + host + b"\r\n\r\n" for _ in range(300))
    for _ in range(5):
        raw(served, many, linger=True).close()  # a reset while the server writes the answers
    time.sleep(1)
    assert served.request("/")[0] == 200
    assert not [line for line in served.errors if "Traceback" in line or "BrokenPipe" in line], served.errors


@pytest.mark.parametrize(("target", "status"), [
    ("http://evil.example/", 400),
    ("https://evil.example/__netsite/status", 400),
    ("//evil.example/", 404),  # http.server makes it the path /evil.example/ (Python ≥ 3.11.4), else 400 here
    ("*", 400),
    ("http://{host}/", 200),
])
def test_absolute_form_targets_are_served_only_for_this_server(served, target, status):
    got = served.request(target.format(host=f"{served.host}:{served.port}"))[0]
    assert got == status or (target.startswith("//") and got == 400)


@pytest.mark.parametrize("query", ["v=" + "9" * 5000, "v=abc", "v=", "", "v=1&v=2", "v=%ZZ", "v=%D9%A1%D9%A2"])
def test_every_malformed_live_reload_query_is_a_400(served, query):
    status, _, body = served.request(f"/__netsite/events?{query}")
    assert status == 400 and b"v=" in body


def test_a_connection_slot_is_given_back_once_whichever_path_frees_it():
    """A request thread can finish before Ctrl+C or SIGTERM reaches the accepting thread: both
    paths free the slot, and the second must not release the semaphore again (a traceback at exit)."""
    import http.server

    from netsite.server import serve as dev

    server = dev._Server(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    try:
        request = object()
        assert server._slots.acquire(blocking=False)
        server._held.add(id(request))
        server._free(request)  # the request thread's `finally`
        server._free(request)  # then process_request's `except BaseException`
        assert all(server._slots.acquire(blocking=False) for _ in range(dev.MAX_CONNECTIONS))
        assert not server._slots.acquire(blocking=False)
    finally:
        server.server_close()
