"""The projector follows the drafting committee: a plenary view left open in one browser moves
its highlight when the committee puts another paragraph on the projector from another."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PLENARY = "/2009-tokyo/statement/plenary/"


@pytest.fixture
def committee_login(demo_site, settings):
    return {"username": "tokyo-drafting", "password": settings.DEMO_ADMIN_PASSWORD}


def test_projector_highlight_follows_the_committee(page, browser, live_server, committee_login):
    base = live_server.url
    # The projector: a visitor's browser on the adopted text, nothing highlighted yet.
    page.goto(base + PLENARY)
    expect(page.locator(".plenary__paragraph--current")).to_have_count(0)
    state = page.request.get(base + PLENARY + "current/")
    assert state.json() == {"key": None, "number": None, "version": 2, "poll": 3}
    assert "<script>" not in page.content()

    committee = browser.new_context(locale="en-GB")
    try:
        cpage = committee.new_page()
        cpage.goto(base + "/accounts/login/?next=" + PLENARY)
        cpage.fill("#id_username", committee_login["username"])
        cpage.fill("#id_password", committee_login["password"])
        cpage.get_by_role("button", name="Log in").click()
        expect(cpage).to_have_url(re.compile(re.escape(PLENARY) + "$"))
        # Key 6 is printed as paragraph 5 in the adopted version.
        cpage.get_by_role("button", name="Discuss paragraph 5 now").click()
        expect(cpage.locator("#p6")).to_have_class(re.compile("plenary__paragraph--current"))

        # The projector follows within a few seconds, without anyone touching it.
        expect(page.locator("#p6")).to_have_class(
            re.compile("plenary__paragraph--current"), timeout=10_000
        )
        expect(page.locator(".plenary__paragraph--current")).to_have_count(1)
        expect(page).to_have_url(re.compile(re.escape(PLENARY) + r"\?p=6#p6$"))

        cpage.get_by_role("button", name="Discuss paragraph 9 now").click()
        expect(page.locator("#p10")).to_have_class(
            re.compile("plenary__paragraph--current"), timeout=10_000
        )
        expect(page.locator("#p6")).not_to_have_class(re.compile("plenary__paragraph--current"))
    finally:
        committee.close()
