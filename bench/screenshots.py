"""Screenshots of the main pages at 375 px and 1280 px, for reviewing the theme by eye.

    python bench/screenshots.py [SITE] [--out DIR] [--now "2026-11-25 12:00"]
    python bench/screenshots.py --readme    # docs/screenshot.png and docs/screenshot-phone.png

SITE defaults to the repository's example network. The site is built into a temporary folder,
served from 127.0.0.1 and opened in Debian's Chromium (chromium-headless-shell, else chromium)
through Playwright; one PNG per page and width goes to DIR (default /tmp/netsite-screenshots),
full page. For each shot the script prints where the page's <h1> starts and the smallest text
drawn, in CSS pixels. `--readme` makes the README's two pictures instead: the example's home page
as the first screen of a 1280×800 window and of a 375×740 phone.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from netsite.build import Options, build

REPO = Path(__file__).resolve().parents[1]
PAGES = ["/", "/news/", "/events/", "/calendar/", "/practices/", "/institutions/", "/network/",
         "/monitoring/", "/search/", "/about/", "/404.html"]
WIDTHS = (375, 1280)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
README_SHOTS = {"screenshot.png": {"width": 1280, "height": 800}, "screenshot-phone.png": {"width": 375, "height": 740}}


def chromium() -> str:
    found = shutil.which("chromium-headless-shell") or shutil.which("chromium")
    if found is None:
        sys.exit("screenshots.py needs Chromium: run scripts/test-deps")
    return found

# The smallest text as drawn: HTML text by its computed size, SVG text by its box on the screen.
SMALLEST_TEXT = """() => {
  let least = Infinity;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('[hidden], .visually-hidden, details:not([open]) > :not(summary)')) continue;
    if (el.closest('svg')) {
      const svg = el.closest('svg'), box = svg.getBoundingClientRect(), view = svg.viewBox.baseVal;
      const scale = view && view.width ? box.width / view.width : 1;
      least = Math.min(least, parseFloat(style.fontSize) * scale);
    } else {
      least = Math.min(least, parseFloat(style.fontSize));
    }
  }
  return least;
}"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(folder: Path):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def shoot(public: Path, out: Path, pages: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with serving(public) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=ARGS)
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 667 if width < 800 else 800})
            page = context.new_page()
            for path in pages:
                if not (public / path.lstrip("/")).exists() and not (public / path.lstrip("/") / "index.html").exists():
                    continue
                page.goto(url + path, wait_until="load")
                name = (path.strip("/").replace("/", "-").removesuffix(".html") or "home") + f"-{width}.png"
                page.screenshot(path=str(out / name), full_page=True)
                h1 = page.evaluate("(() => { const h = document.querySelector('h1'); "
                                   "return h ? Math.round(h.getBoundingClientRect().top + scrollY) : null; })()")
                wide = page.evaluate("document.documentElement.scrollWidth")
                print(f"{width:>5} {path:<16} h1 at {h1} px, smallest text {page.evaluate(SMALLEST_TEXT):.1f} px,"
                      f" width {wide} px -> {out / name}")
            context.close()
        browser.close()


def readme(public: Path, docs: Path) -> None:
    """The README's pictures: the home page's first screen on a desktop and on a phone."""
    with serving(public) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=ARGS)
        for name, viewport in README_SHOTS.items():
            context = browser.new_context(viewport=viewport)
            page = context.new_page()
            page.goto(url + "/", wait_until="load")
            page.screenshot(path=str(docs / name))
            print(f"{viewport['width']}x{viewport['height']} -> {docs / name}")
            context.close()
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=REPO)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "netsite-screenshots")
    parser.add_argument("--now", default="2026-11-25 12:00")
    parser.add_argument("--page", action="append", help="a site path to shoot (repeatable); default: the main pages")
    parser.add_argument("--readme", action="store_true", help="write the README's two pictures into docs/")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "site"
        shutil.copytree(args.site, root, ignore=shutil.ignore_patterns(
            "public", "node_modules", ".git", "tests", "src", "bench", ".netsite-cache"))
        result = build(root, Options(now=args.now))
        if args.readme:
            readme(result.config.output_path, REPO / "docs")
        else:
            shoot(result.config.output_path, args.out, args.page or PAGES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
