"""The organizer's day on the demo, at desktop and phone sizes: the schedule grid, publishing a
release (the browser comes back at once to the progress page), the registration dashboard with
the fees per currency, and checking a participant in at the door, warned that the fee is not
paid — no page scrolling sideways on the phone."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def guest(demo_site):
    """A confirmed participant of 2009 Tokyo who has not paid yet (made before Playwright's
    event loop starts)."""
    from forum.models import Edition
    from tests.registration.admin_helpers import registration, ticket_type

    edition = Edition.objects.get(slug="2009-tokyo")
    return registration(
        edition,
        ticket_type(edition, "Door test"),
        name="Lim Wei Ling",
        fee=Decimal("20000.00"),
        payment_status="due",
        transfer_reference="AFSE09-D00R7",
    )


def _fits(page) -> None:
    page.wait_for_load_state("load")  # not half-parsed, before the stylesheet applies
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_demo_organizer_journey(guest, held_tasks, page, live_server, size):
    page.set_viewport_size(SIZES[size])
    base = live_server.url
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "tokyo-organizer")
    page.fill("#id_password", "afse-demo-2009")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # The schedule grid of the edition, with the demo's sessions.
    page.goto(base + "/admin/programme/2009-tokyo/grid/")
    expect(page.get_by_text("Tama", exact=False).first).to_be_visible()

    # Publishing comes back at once (the exports are queued, not rendered in the request).
    page.goto(base + "/admin/release/new/")
    page.get_by_label("Edition").select_option(label="AFSE 2009")
    page.get_by_label("Title").fill(f"v3 — {size}")
    page.locator("main form[method=post] button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/admin/programme/2009-tokyo/releases/3/$"))
    expect(page.locator("#release-progress")).to_contain_text("exports ready")
    expect(page.locator("[data-release-status] tbody tr")).to_have_count(7)  # every language
    assert held_tasks() >= 1  # the warming task, waiting for a worker

    # The dashboard: fees due, paid and waived per currency.
    page.goto(base + "/admin/registration/2009-tokyo/dashboard/")
    expect(page.locator("[data-fee-totals]")).to_contain_text("JPY")
    if size == "phone":
        _fits(page)

    # At the door: the participant's code typed in.
    page.goto(base + "/admin/registration/2009-tokyo/check-in/")
    page.get_by_label("Badge code").fill(guest.badge_code)
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.locator("[data-checkin-result]")).to_contain_text("Lim Wei Ling is checked in (")
    # …with a warning: the fee is still due.
    expect(page.locator("[data-checkin-unpaid]")).to_have_text(
        re.compile(r"^Not paid: 20,?000\.00 JPY is due \(payment reference AFSE09-D00R7\)\.$")
    )
    if size == "phone":
        _fits(page)
