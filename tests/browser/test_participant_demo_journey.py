"""The participant's journey on the demo, in Chromium, at phone and desktop sizes (issue 12):
the edition pages say where registration stands; the form shows the fees for one's country
without losing anything typed, with and without JavaScript, and asks for passport details
only with a visa letter; "My registration" says how to pay, and it, the session page and the
sign-up show the Tama visit on Tokyo's clock with its seats; no page scrolls sideways."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
TAMA = "/2009-tokyo/programme/sessions/fact-finding-visit-workers-cooperatives-in-tama/"
WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture
def tokyo_open(demo_site):
    """2009 Tokyo open for registration until a date (made before Playwright's loop starts)."""
    from forum.models import Edition
    from registration.models import RegistrationSettings

    edition = Edition.objects.get(slug="2009-tokyo")
    RegistrationSettings.objects.filter(edition=edition).update(
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=30),
    )
    return edition


WIDER = """(limit) => [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > limit)
    .map((el) => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}px`)
    .slice(0, 10)"""


def _fits(page, size) -> None:
    # Measured once the page has loaded: a click's navigation is only committed when it
    # returns, and a page measured half-parsed, before its stylesheet applies, is wider.
    page.wait_for_load_state("load")
    width = page.evaluate(WIDTH)
    assert width <= size["width"], (page.url, width, page.evaluate(WIDER, size["width"]))


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_participant_walks_the_demo(tokyo_open, page, live_server, browser, size):
    base = live_server.url
    page.set_viewport_size(size)

    # The edition pages say where registration stands.
    page.goto(base + "/2007-manila/")
    expect(page.locator(".registration-state")).to_have_text("Registration is closed.")
    page.goto(base + "/2011-malaysia/")
    expect(page.locator(".registration-state")).to_have_text("Registration has not opened yet.")
    page.goto(base + "/2009-tokyo/")
    expect(page.locator(".registration-state")).to_contain_text("Registration is open until")
    expect(page.locator(".registration-state")).to_contain_text("(Asia/Tokyo)")
    _fits(page, size)
    page.locator("#registration").get_by_role("link", name="Register", exact=True).click()
    expect(page).to_have_url(re.compile(r"/2009-tokyo/register/$"))

    # The fee table: every column on screen, seats left rather than capacity.
    _fits(page, size)
    low = page.locator(".fee-table td[data-group='low']").first
    seats = page.locator(".fee-table td.seats-left").first
    for cell in (low, seats):
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= size["width"]
    expect(seats).to_have_text(re.compile(r"^\d+ of 260$"))

    # With JavaScript: the fees follow the country, in place; nothing typed is lost.
    page.fill("#id_email", "amara@example.org")
    page.fill("#id_name", "Amara Okafor")
    page.get_by_role("radio", name=re.compile(r"Delegate")).check()
    expect(page.locator("#fee-button")).to_be_hidden()
    page.select_option("#id_country", "NP")
    expect(page.locator("#my-fees")).to_have_text(
        re.compile(r"Fees for your country: Delegate: 5,000 JPY")
    )
    expect(page.locator("#id_email")).to_have_value("amara@example.org")
    expect(page.locator("#id_name")).to_have_value("Amara Okafor")
    expect(page.get_by_role("radio", name=re.compile(r"Delegate"))).to_be_checked()
    expect(page.locator("#id_organization_kind")).to_have_value("")
    # Passport details only with a visa letter.
    expect(page.locator("#id_passport_number")).to_be_hidden()
    page.get_by_label("I need a visa invitation letter").check()
    expect(page.locator("#id_passport_number")).to_be_visible()
    page.get_by_label("I need a visa invitation letter").uncheck()
    expect(page.locator("#id_passport_number")).to_be_hidden()

    # Without JavaScript: the button sends the form back with the fees and everything kept.
    context = browser.new_context(locale="en-GB", viewport=size, java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(base + "/2009-tokyo/register/")
        expect(plain.get_by_text("Only needed if you ask for a visa letter.")).to_be_visible()
        expect(plain.locator("#id_passport_number")).to_be_visible()
        plain.fill("#id_email", "amara@example.org")
        plain.fill("#id_name", "Amara Okafor")
        plain.get_by_role("radio", name=re.compile(r"Delegate")).check()
        plain.select_option("#id_country", "NP")
        plain.get_by_role("button", name="Show the fees for my country").click()
        expect(plain.locator("#my-fees")).to_contain_text("Delegate: 5,000 JPY")
        expect(plain.locator("#id_email")).to_have_value("amara@example.org")
        expect(plain.locator("#id_name")).to_have_value("Amara Okafor")
        expect(plain.get_by_role("radio", name=re.compile(r"Delegate"))).to_be_checked()
        expect(plain.locator(".form-error")).to_have_count(0)
        _fits(plain, size)
    finally:
        context.close()

    # The demo participant: the Tama visit on Tokyo's clock, on "My registration" and on the
    # session's page with its seats.
    page.goto(base + "/2009-tokyo/register/me/")
    page.fill("#id_username", "tokyo-participant")
    page.fill("#id_password", "afse-demo-2009")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/2009-tokyo/register/me/$"))
    visit = page.locator("#sessions")
    expect(visit).to_contain_text("Sunday 8 November 2009, 09:00 (Asia/Tokyo)")
    expect(visit).to_contain_text("Main entrance, 08:45")
    # How to pay: the amount due, the registration's own payment reference, the bank.
    payment = page.locator(".payment-block")
    expect(payment.get_by_role("heading", name="How to pay")).to_be_visible()
    expect(payment.locator(".payment-block__reference")).to_have_text(
        re.compile(r"^AFSE09-[A-HJ-NP-Z2-9]{5}$")
    )
    expect(payment.locator(".payment-block__amount")).to_contain_text("JPY")
    expect(payment).to_contain_text("Mizuho Bank")
    _fits(page, size)
    page.goto(base + TAMA)
    expect(page.locator("#seats")).to_contain_text("All 25 seats are taken")
    expect(page.locator("#seats")).to_contain_text("You have a seat.")
    _fits(page, size)
    page.get_by_role("button", name="Give up my seat").click()
    expect(page).to_have_url(re.compile(re.escape(TAMA) + "#seats$"))
    expect(page.get_by_role("button", name="Join the waiting list")).to_be_visible()
