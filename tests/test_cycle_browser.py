"""The cycle's pages in Debian's Chromium (Playwright) on a phone: charts named, nothing overflows."""

from __future__ import annotations

import functools
import http.server
import threading
from urllib.parse import urlsplit

import pytest

from conftest import new_context

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # access logs would only hide failures
        pass


@pytest.fixture(scope="module")
def page(example_site, chromium):
    handler = functools.partial(Quiet, directory=str(example_site / "public"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    foreign: list[str] = []
    context = new_context(chromium, viewport=PHONE)
    tab = context.new_page()
    tab.on("request", lambda r: foreign.append(r.url) if not r.url.startswith((origin, "data:")) else None)
    tab.origin = origin
    yield tab
    context.close()
    httpd.shutdown()
    httpd.server_close()
    assert foreign == [], "requests to another host"


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_monitoring_charts_are_named_images_that_fit_a_phone(page):
    page.goto(page.origin + "/monitoring/")
    headings = page.locator("section.figure h2").all_inner_texts()
    assert len(headings) == 8
    for heading in headings:
        chart = page.get_by_role("img", name=heading, exact=True)
        assert chart.count() == 1
        box = chart.bounding_box()
        assert 0 < box["width"] <= PHONE["width"] and box["height"] > 0
    assert fits_the_phone(page)


def test_members_graph_is_named_and_its_table_leads_to_institution_pages(page):
    page.goto(page.origin + "/network/")
    graph = page.get_by_role("img", name="Схема соглашений между участниками сети", exact=True)
    assert graph.count() == 1 and graph.locator("a").count() == 0
    assert fits_the_phone(page)
    page.locator('.network-table a[href="/institutions/museum-kraeved/"]').first.click()
    page.wait_for_url("**/institutions/museum-kraeved/")
    assert urlsplit(page.url).path == "/institutions/museum-kraeved/"
    assert page.locator('#cycle-projects + ul a[href="/projects/malenkie-kraevedy/"]').count() == 1


@pytest.mark.parametrize("path", ["/plans/plan-2026-2027/", "/agreements/", "/projects/malenkie-kraevedy/",
                                  "/meetings/sovet-seti-itogi-trimestra/", "/audiences/parents/"])
def test_cycle_pages_fit_a_phone(page, path):
    page.goto(page.origin + path)
    assert page.locator("h1").count() == 1
    assert fits_the_phone(page)
