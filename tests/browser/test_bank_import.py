"""An organizer imports a CSV bank statement in the admin: maps its columns, confirms the line
matched to a registration, and reviews the line that did not match by assigning it to a
registration found by search."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def statement(demo_site, tmp_path):
    """Two registrations with a fee due and a statement paying both, only one with its
    reference (made before Playwright's event loop starts)."""
    from decimal import Decimal

    from forum.models import Edition
    from registration.enums import PaymentStatus
    from registration.models import Registration
    from tests.registration.admin_helpers import ticket_type

    edition = Edition.objects.get(slug="2009-tokyo")
    ticket = ticket_type(edition, "Bank test")
    people = [
        Registration.objects.create(
            edition=edition,
            ticket_type=ticket,
            reference=f"TB{n:08d}",
            email=f"bank{n}@example.org",
            name=name,
            country="JP",
            organization_kind="cooperative",
            fee=Decimal("20000"),
            currency="JPY",
            payment_status=PaymentStatus.DUE,
            status="confirmed",
        )
        for n, name in enumerate(["Tanaka Hanako", "Sato Nozomi-Testpayer"])
    ]
    path = tmp_path / "november.csv"
    path.write_text(
        "Datum;Betrag;Währung;Verwendungszweck\n"
        f"03.11.2009;20.000,00;JPY;Furikomi {people[0].transfer_reference.lower()}\n"
        "04.11.2009;20.000,00;JPY;SATO NOZOMI registration\n",
        encoding="utf-8",
    )
    return path, people[0].transfer_reference


def test_organizer_imports_a_statement_and_reviews_an_unmatched_line(statement, page, live_server):
    path, reference = statement
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "tokyo-organizer")
    page.fill("#id_password", "afse-demo-2009")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(live_server.url + "/admin/registration/?go=payments")
    expect(page).to_have_url(re.compile(r"/admin/registration/2009-tokyo/payments/$"))
    page.get_by_label("Bank statement", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Read the statement").click()

    # The column mapping: the semicolon and the decimal comma are recognised from the file.
    expect(page).to_have_url(re.compile(r"/payments/imports/\d+/columns/$"))
    expect(page.get_by_label("Columns separated by")).to_have_value("semicolon")
    expect(page.get_by_label("Amounts use a decimal comma (1.234,50)")).to_be_checked()
    page.get_by_label("Date format").select_option("dmy_dot")
    page.get_by_role("button", name="Read the lines").click()

    expect(page).to_have_url(re.compile(r"/payments/imports/\d+/$"))
    expect(page.locator("[data-bank-confirm]")).to_contain_text(f"Tanaka Hanako · {reference}")
    unmatched = page.locator("[data-bank-unmatched]")
    expect(unmatched).to_contain_text("SATO NOZOMI registration")
    expect(unmatched).to_contain_text("No payment reference of this edition in the text.")
    page.get_by_role("button", name="Record the chosen payments").click()
    expect(page.get_by_text("1 payment recorded.")).to_be_visible()

    unmatched.get_by_role("link", name="Review").click()
    page.get_by_label("Search registrations").fill("Testpayer")
    page.locator("#main").get_by_role("button", name="Search", exact=True).click()
    candidates = page.locator("[data-bank-candidates]")
    expect(candidates).to_contain_text("Sato Nozomi-Testpayer")
    candidates.get_by_role("button", name=re.compile("Record as their payment")).click()
    expect(page.get_by_text("Payment recorded for Sato Nozomi-Testpayer.")).to_be_visible()
    expect(page.locator("[data-bank-unmatched]")).to_contain_text("Nothing to review.")
    done = page.locator("#ra-done").locator("xpath=..")
    expect(done).to_contain_text("Recorded as paid: Tanaka Hanako")
    expect(done).to_contain_text("Recorded as paid: Sato Nozomi-Testpayer")
