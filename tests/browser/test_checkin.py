"""An organizer at the door checks a participant in on a phone with the manual code field,
and is refused the second time with the time of the first."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def guest(demo_site):
    """A confirmed participant of 2009 Tokyo (made before Playwright's event loop starts)."""
    from forum.models import Edition
    from tests.registration.admin_helpers import registration, ticket_type

    edition = Edition.objects.get(slug="2009-tokyo")
    person = registration(
        edition,
        ticket_type(edition, "Door test"),
        name="Tanaka Hanako",
        name_native="田中花子",
        name_native_language="ja",
    )
    return person.badge_code


def test_organizer_checks_a_participant_in_once(guest, page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "tokyo-organizer")
    page.fill("#id_password", "afse-demo-2009")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(live_server.url + "/admin/registration/?go=checkin")
    expect(page).to_have_url(re.compile(r"/admin/registration/2009-tokyo/check-in/$"))
    field = page.get_by_label("Badge code")
    expect(field).to_be_focused()
    # A phone browser with a camera API gets the scanner; the typed code works regardless.
    expect(page.get_by_role("button", name="Start the camera")).to_be_visible()

    field.fill(guest.lower())
    page.get_by_role("button", name="Check in", exact=True).click()
    result = page.locator("[data-checkin-result]")
    expect(result).to_contain_text("Tanaka Hanako is checked in (")
    expect(result.locator('[lang="ja"]')).to_have_text("田中花子")

    page.get_by_label("Badge code").fill(guest)
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(result).to_contain_text(
        re.compile(
            r"Tanaka Hanako was already checked in at \d+ \w+ \d{4}, \d\d:\d\d \(Asia/Tokyo\)\."
        )
    )
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
