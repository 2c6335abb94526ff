"""No page scrolls sideways on a 360 px phone: every public page of the demo's sitemap, plus
the organizer pages used on phones (check-in and the registration dashboard)."""

import html
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
# The page's width, and the widest right edge of a visible table: a table cut off by a wrapper
# that hides what overflows would not widen the page, yet hide columns all the same.
WIDTH = """() => Math.max(
    document.documentElement.scrollWidth,
    ...[...document.querySelectorAll("table")].map(
        (table) => Math.ceil(table.getBoundingClientRect().right),
    ),
)"""
# Public pages the sitemap does not list, with tables that used to be too wide.
MORE_PUBLIC = ["/2009-tokyo/statement/responses/"]


def _sitemap_paths(page, base: str) -> list[str]:
    response = page.request.get(base + "/sitemap.xml")
    assert response.status == 200
    paths = []
    for loc in re.findall(r"<loc>([^<]+)</loc>", response.text()):
        parts = urlsplit(html.unescape(loc.strip()))
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def _too_wide(page, base: str, paths: list[str]) -> dict[str, int]:
    wide = {}
    for path in paths:
        page.goto(base + path)
        width = page.evaluate(WIDTH)
        if width > PHONE["width"]:
            wide[path] = width
    return wide


def test_no_public_page_of_the_sitemap_scrolls_sideways_on_a_phone(page, live_server):
    page.set_viewport_size(PHONE)
    paths = _sitemap_paths(page, live_server.url)
    # The sitemap of the demo: home pages, editions, their programme, sessions and speakers,
    # registration, statement, call, news and standard pages, in English and Japanese.
    assert len(paths) > 50
    assert "/2009-tokyo/register/" in paths
    assert _too_wide(page, live_server.url, paths + MORE_PUBLIC) == {}


def test_check_in_and_the_dashboard_fit_a_phone(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "tokyo-organizer")
    page.fill("#id_password", "afse-demo-2009")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    base = "/admin/registration/2009-tokyo/"
    paths = [base + "check-in/", base + "dashboard/"]
    assert _too_wide(page, live_server.url, paths) == {}
