"""Fuzz front matter and Markdown for a time budget; run by hand, not by pytest.

    python tests/fuzz/fuzz_sources.py --minutes 10

Every example goes through the source layers (decode → front matter → schema → Markdown render →
the oracle's HTML rules); every 10th also through the whole pipeline on a tiny site. A crash is any
exception that is not a diagnostic, or HTML that breaks the oracle. Hypothesis shrinks each crash
and prints it; the run then goes on with fresh examples and prints its figures at the end.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parents[1] / "src")]

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netsite.build import Options, run
from netsite.content import config as config_module
from netsite.content import markup, schema, sources
from netsite.content.models import Document
from netsite.diagnostics import NetsiteError

import oracle
from conftest import BASE_CONFIG, INSTITUTION, NOW, write_site
from strategies import kind_and_source

KINDS = ["news", "events", "practices", "pages", "institutions"]
COUNT = {"examples": 0, "built": 0, "refused": 0, "pipeline": 0}
ROOT = Path(tempfile.mkdtemp(prefix="netsite-fuzz-"))
CONFIG = config_module.load(write_site(ROOT / "config", {}, BASE_CONFIG))
NO_SCRIPT = lambda src, text: False  # noqa: E731 - Markdown bodies may hold no script at all


def source_layers(kind: str, raw: bytes) -> None:
    text, problem = sources.decode(raw)
    if problem:
        COUNT["refused"] += 1
        return
    document = Document(ROOT / "x.md", f"content/{kind}/x.md", kind, "x", text)
    parsed, problems = schema.parse(document, CONFIG)
    if parsed is None:
        assert problems, "no entry and no diagnostic"
        COUNT["refused"] += 1
    else:
        COUNT["built"] += 1
        texts = oracle.strings_of(parsed.entry)
        unsafe = [t for t in texts if oracle.UNSAFE_TEXT.search(t)]
        assert not unsafe, f"an accepted entry carries control or bidi characters: {unsafe[:3]!r}"
    # The Markdown layer sees every text, whether or not its front matter was accepted.
    ctx = markup.Context(source=document.shown, body_line=parsed.body_line if parsed else 1, page_url="/x/")
    rendered = markup.render(parsed.markdown if parsed else text, ctx)
    problems_found = oracle.html_problems(rendered.html, NO_SCRIPT)
    assert not problems_found, problems_found


def pipeline(kind: str, raw: bytes) -> None:
    COUNT["pipeline"] += 1
    with tempfile.TemporaryDirectory(dir=ROOT) as folder:
        root = write_site(Path(folder), {"content/institutions/solnyshko.md": INSTITUTION})
        (root / "content" / kind).mkdir(exist_ok=True)
        (root / "content" / kind / "x.md").write_bytes(raw)
        try:
            result = run(root, Options(now=NOW))
        except NetsiteError as exc:
            assert exc.diagnostics
            return
        theme = oracle.theme_scripts(__import__("netsite.publish.theme").publish.theme.theme_dirs(root, "default"))
        for file in result.files:
            if file.source is None:
                assert oracle.file_problems(file.path, file.data, theme) == [], file.path


RAW = st.one_of(kind_and_source().map(lambda t: (t[0], t[1].encode("utf-8"))),
                st.tuples(st.sampled_from(KINDS), st.binary(max_size=200)))


@settings(max_examples=2000, deadline=None, database=None, derandomize=False, print_blob=True,
          suppress_health_check=list(HealthCheck))
@given(item=RAW)
def target(item: tuple[str, bytes]) -> None:
    kind, raw = item
    COUNT["examples"] += 1
    source_layers(kind, raw)
    if COUNT["examples"] % 10 == 0:
        pipeline(kind, raw)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    budget = parser.parse_args().minutes * 60
    started = time.monotonic()
    crashes = 0
    rounds = 0
    while time.monotonic() - started < budget:
        rounds += 1
        try:
            target()
        except Exception:  # a crash: Hypothesis has shrunk it; print it and go on
            crashes += 1
            traceback.print_exc()
    elapsed = time.monotonic() - started
    print(f"fuzz: {COUNT['examples']} examples in {elapsed:.0f} s ({rounds} rounds): {COUNT['built']} accepted, "
          f"{COUNT['refused']} refused with diagnostics (every text also rendered as Markdown), {COUNT['pipeline']} whole-pipeline builds; "
          f"{crashes} crash(es)")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
