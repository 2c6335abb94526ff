"""A participant's journey through the programme in Chromium: read it on a phone, filter it,
log in, star sessions, and find them with their overlap in "My programme"."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_participant_builds_their_own_programme(page, live_server, tmp_path):
    base = live_server.url + "/2009-tokyo/programme/"
    page.goto(base)
    expect(page.locator("h1")).to_have_text("Programme of AFSE 2009")

    page.select_option("#filter-track", "fair-trade")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"track=fair-trade"))
    expect(page.get_by_role("status")).to_have_text("1 session matches.")

    page.get_by_role("link", name="Log in to keep your own programme").click()
    page.fill("#id_username", "tokyo-drafting")
    page.fill("#id_password", "afse-demo-2009")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/2009-tokyo/programme/$"))

    for title in (
        "Fair trade from producer to consumer",
        "Socially responsible investment in Asia",
    ):
        page.get_by_role("button", name=f"Add “{title}” to my programme").first.click()
        expect(
            page.get_by_role("button", name=f"Remove “{title}” from my programme").first
        ).to_be_visible()

    page.get_by_role("link", name="My programme").click()
    expect(page.locator("h1")).to_have_text("My programme")
    expect(page.get_by_role("status")).to_have_text(
        "Some of your sessions overlap: they are marked below."
    )
    page.get_by_role("button", name="Create a private calendar address").click()
    expect(page.locator(".calendar-url")).to_contain_text("/2009-tokyo/programme/mine/")
    page.screenshot(path=str(tmp_path / "my-programme.png"), full_page=True)
    assert (tmp_path / "my-programme.png").stat().st_size > 0


def test_programme_reads_as_a_list_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/2009-tokyo/programme/")
    expect(page.locator(".programme-grid").first).to_be_hidden()
    expect(page.locator(".programme-list").first).to_be_visible()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
