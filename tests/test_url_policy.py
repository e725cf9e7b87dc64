"""The one URL policy (urls.url_problem) shared by Markdown, URL-typed front matter and menus."""

from __future__ import annotations

import pytest

from netsite.content.urls import url_problem


@pytest.mark.parametrize("url", ["https://a.example/x?y=1#z", "http://a.example", "mailto:sad@example.org",
                                 "tel:+74951234567", "webcal://a.example/calendar.ics", "/news/", "../pages/plan.md",
                                 "foto.jpg", "#section", "?page=2"])
def test_allowed(url):
    assert url_problem(url) is None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "java\tscript:alert(1)",
                                 " javascript:alert(1)", "data:text/html,x", "vbscript:msgbox", "file:///etc/passwd",
                                 "//evil.example/", "http://[::1", "a b", "x\x00y", "jar:x", "c:/windows",
                                 "https://a.example/\u0085"])
def test_refused(url):
    assert url_problem(url) is not None


@pytest.mark.parametrize("url", ["/news/", "mailto:a@b.org", "tel:123", "webcal://a.example/x.ics", "https://"])
def test_absolute_asks_for_a_full_web_address(url):
    assert url_problem(url, absolute=True) is not None
    assert url_problem("https://a.example/", absolute=True) is None
