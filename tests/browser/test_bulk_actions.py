"""Bulk actions in a real Chromium: tick rows in the admin list, choose an action in Wagtail's
footer, confirm on its page, read the result."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def log_in(page: Page, base_url: str) -> None:
    page.goto(base_url + "/admin/login/")
    page.locator("#id_username").fill("tokyo-organizer")
    page.locator("#id_password").fill("afse-demo-2009")
    page.locator("form button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_organizer_cancels_two_sessions_from_the_list(page, live_server):
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/session/")
    checkboxes = page.locator("tbody input[data-bulk-action-checkbox]")
    expect(checkboxes.first).to_be_visible()
    checkboxes.nth(0).check()
    checkboxes.nth(1).check()
    footer = page.locator("[data-bulk-action-footer]")
    expect(footer).to_be_visible()
    footer.get_by_role("link", name="Set the status of the selected sessions").click()

    expect(page.get_by_text("Give these sessions a new status:")).to_be_visible()
    expect(page.locator(".bulk-selection li")).to_have_count(2)
    page.get_by_label("New status").select_option("cancelled")
    page.get_by_role("button", name="Set the status").click()
    expect(page).to_have_url(re.compile(r"/admin/session/"))
    expect(page.get_by_text("2 sessions now have the status “Cancelled”.")).to_be_visible()


def test_the_registration_list_offers_the_bulk_actions_on_a_selection(page, live_server):
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/registration/2009-tokyo/")
    page.locator("tbody input[data-bulk-action-checkbox]").first.check()
    footer = page.locator("[data-bulk-action-footer]")
    expect(footer).to_be_visible()
    footer.get_by_role("link", name="Approve the selected registrations").click()
    expect(page.get_by_text("Approve these registrations?")).to_be_visible()
    expect(page.locator(".bulk-selection li")).to_have_count(1)
