"""Time the Markdown patterns that are quadratic in other parsers; run by hand.

    python bench/pathological.py

For each pattern one block is rendered at a quarter of the block cap (markup.MAX_BLOCK_CHARS) and
at the cap: a ratio near 4 means linear time, near 16 quadratic. Then the worst whole body: such
blocks, separated by blank lines, up to the body cap (markup.MAX_BODY_CHARS). That last column is
the most one source file can cost. The report is for reading, never an assertion.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from netsite.content import markup

PATTERNS = {
    "emphasis *a": lambda n: "*a" * (n // 2),
    "open stars then underscores": lambda n: "*" * (n // 2) + "a" + "_" * (n // 2),
    "nested brackets [[[": lambda n: "[" * (n // 2) + "a" + "]" * (n // 2),
    "unclosed links [a](": lambda n: "[a](" * (n // 4),
    "unclosed images ![": lambda n: "![" * (n // 2),
    "backtick runs": lambda n: "".join("`" * (i % 50 + 1) + "a" for i in range(n // 27)),
    "entities &#": lambda n: "&#" * (n // 2),
    "less-than <": lambda n: "<" * n,
    "*_ alternating": lambda n: "*_" * (n // 2),
    "reference definitions": lambda n: "".join(f"[r{i}]: /u{i}\n" for i in range(n // 12)) + "[r1]",
    "deep blockquote": lambda n: ">" * n + " x",
    "wide table": lambda n: "|a" * 100 + "|\n" + "|-" * 100 + "|\n" + ("|x" * 100 + "|\n") * (n // 201),
    "long line in a fence": lambda n: "```python\n" + "a=" * (n // 2) + "\n```",
    "footnotes": lambda n: "".join(f"[^{i}]" for i in range(n // 20)) + "\n\n"
                           + "".join(f"[^{i}]: x\n" for i in range(n // 20)),
}
CTX = markup.Context(source="content/news/x.md", body_line=5, page_url="/news/x/")


def seconds(text: str) -> float:
    started = time.perf_counter()
    markup.render(text, CTX)
    return time.perf_counter() - started


def main() -> None:
    n = markup.MAX_BLOCK_CHARS - 16
    blocks = markup.MAX_BODY_CHARS // (n + 2)
    print(f"{'pattern':28} {'n/4 s':>7} {'n s':>7} {'ratio':>6} {'whole body s':>13}   (n = {n} chars)")
    for name, make in PATTERNS.items():
        small, large = make(n // 4), make(n)
        a, b = seconds(small), seconds(large)
        whole = seconds("\n\n".join([large[:n]] * blocks))
        print(f"{name:28} {a:7.3f} {b:7.3f} {b / max(a, 1e-6):6.1f} {whole:13.3f}")


if __name__ == "__main__":
    main()
