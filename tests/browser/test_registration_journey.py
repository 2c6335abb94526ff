"""The whole registration journey in Chromium: a participant registers, confirms the address
from the email they receive, signs up for a fact-finding visit and downloads the badge; an
organizer checks them in at the door."""

import datetime
import io
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser


def _in_thread(function):
    """Run a database query outside Playwright's event loop (Django refuses synchronous
    queries inside a running loop)."""

    def run():
        try:
            return function()
        finally:
            connections.close_all()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@pytest.fixture
def open_registration(demo_site):
    """2009 Tokyo open for registration, with a ticket type of free seats and a visit with
    seats (made before Playwright's event loop starts)."""
    from forum.models import Edition
    from registration.models import RegistrationSettings, SessionCapacity, TicketType
    from sessions_app.enums import SessionKind
    from sessions_app.models import Session

    edition = Edition.objects.get(slug="2009-tokyo")
    RegistrationSettings.objects.update_or_create(
        edition=edition,
        defaults={
            "opens_at": timezone.now() - datetime.timedelta(days=1),
            "closes_at": timezone.now() + datetime.timedelta(days=30),
        },
    )
    TicketType.objects.create(
        edition=edition,
        name="Journey delegate",
        capacity=5,
        allows_drafting=True,
        fee_high=20000,
        fee_lower_middle=5000,
        position=0,
    )
    visit = Session.objects.filter(edition=edition, kind=SessionKind.VISIT).first()
    SessionCapacity.objects.update_or_create(session=visit, defaults={"capacity": 400})
    mail.outbox = []
    return visit.title


def test_participant_registers_confirms_signs_up_downloads_badge_and_is_checked_in(
    open_registration, page, live_server, browser
):
    visit_title = open_registration
    page.goto(live_server.url + "/2009-tokyo/register/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Register")
    page.get_by_label("Journey delegate").check()
    page.get_by_label("Email address").fill("dewi@example.org")
    page.get_by_label("Name (in Latin script)").fill("Dewi Lestari")
    page.locator("#id_country").select_option("ID")
    page.get_by_label("Organization", exact=True).fill("Koperasi Wanita Sejahtera")
    page.get_by_label("Kind of organization").select_option("cooperative")
    page.get_by_label(re.compile(r"^I agree")).check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")

    # The email arrives (the outbox task ran after commit); its link confirms the address.
    messages = [m for m in mail.outbox if "dewi@example.org" in m.to]
    assert len(messages) == 1
    link = re.search(r"https?://[^/\s]+(/\S*/register/confirm/[-\w]+/)", messages[0].body)
    page.goto(live_server.url + link.group(1))
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page).to_have_url(re.compile(r"/2009-tokyo/register/me/$"))
    expect(page.locator(".status--confirmed").first).to_have_text("Confirmed")

    # A seat on a fact-finding visit.
    visit = page.locator(".seat-list__item", has_text=visit_title)
    visit.get_by_role("button", name=re.compile(r"^Sign up")).click()
    expect(page.locator(".seat-list__item", has_text=visit_title)).to_contain_text(
        "You have a seat."
    )

    # The badge, as a PDF with the participant's name (fetched with the page's session).
    href = page.get_by_role("link", name="Badge (PDF)").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    badge = PdfReader(io.BytesIO(response.body()))
    assert len(badge.pages) == 1
    assert "Dewi Lestari" in badge.pages[0].extract_text()

    # An organizer at the door types the badge's code.
    from registration.models import Registration

    code = _in_thread(lambda: Registration.objects.get(email="dewi@example.org").badge_code)
    door = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    door.goto(live_server.url + "/admin/login/")
    door.fill("#id_username", "tokyo-organizer")
    door.fill("#id_password", "afse-demo-2009")
    door.get_by_role("button", name="Sign in").click()
    door.goto(live_server.url + "/admin/registration/2009-tokyo/check-in/")
    door.get_by_label("Badge code").fill(code)
    door.get_by_role("button", name="Check in", exact=True).click()
    expect(door.locator("[data-checkin-result]")).to_contain_text("Dewi Lestari is checked in")
    checked_in = _in_thread(
        lambda: Registration.objects.get(email="dewi@example.org").checked_in_at
    )
    assert checked_in is not None
