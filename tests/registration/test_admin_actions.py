"""Organizers act on a registration from its admin page, through the registration services:
bad input or a refusal by the service gives a clear message and changes nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from mail.models import OutboxEmail
from registration.enums import PaymentStatus, RegistrationStatus, WaiverStatus
from registration.models import Registration
from tests.registration.admin_helpers import registration, ticket_type, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(client):
    client.force_login(user("tokyo-organizer"))
    return client


def act(client, person, action, data=None):
    url = reverse("registration_admin_action", args=[person.edition.slug, person.pk, action])
    response = client.post(url, data or {}, follow=True)
    assert response.redirect_chain == [
        (reverse("registration_admin_detail", args=[person.edition.slug, person.pk]), 302)
    ]
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def snapshot(person) -> dict:
    return Registration.objects.filter(pk=person.pk).values()[0]


@pytest.fixture
def delegate(edition):
    return ticket_type(edition, "Delegate", capacity=1, requires_approval=True)


@pytest.fixture
def pending(edition, delegate):
    return registration(
        edition,
        delegate,
        name="Kim Min-jun",
        status=RegistrationStatus.PENDING_APPROVAL,
        fee=Decimal("200.00"),
    )


def test_approve_confirms_and_emails(organizer, pending):
    OutboxEmail.objects.all().delete()
    assert act(organizer, pending, "approve") == [("success", "Kim Min-jun is approved.")]
    pending.refresh_from_db()
    assert pending.status == RegistrationStatus.CONFIRMED
    assert pending.decided_by == user("tokyo-organizer")
    assert list(OutboxEmail.objects.values_list("to_email", "kind")) == [
        (pending.email, "registration_approved")
    ]


def test_approving_twice_is_refused_with_the_services_message(organizer, pending):
    act(organizer, pending, "approve")
    before = snapshot(pending)
    assert act(organizer, pending, "approve") == [
        ("error", "Only a registration awaiting approval can be approved.")
    ]
    assert snapshot(pending) == before


def test_refuse_with_a_reason(organizer, pending):
    messages = act(organizer, pending, "refuse", {"refuse-reason": "The hall is full."})
    assert messages == [("success", "Kim Min-jun is refused.")]
    pending.refresh_from_db()
    assert (pending.status, pending.decision_note) == (
        RegistrationStatus.REFUSED,
        "The hall is full.",
    )


def test_refuse_with_a_reason_too_long_changes_nothing(organizer, pending):
    before = snapshot(pending)
    messages = act(organizer, pending, "refuse", {"refuse-reason": "x" * 2001})
    assert messages == [
        (
            "error",
            "Reason (sent to the participant): Ensure this value has at most 2000 characters "
            "(it has 2001).",
        )
    ]
    assert snapshot(pending) == before


def test_record_payment_numbers_a_receipt(organizer, edition, delegate):
    person = registration(
        edition, delegate, name="Tanaka Hanako", fee=Decimal("200.00"), payment_status="due"
    )
    numbered = Registration.objects.filter(edition=edition, receipt_number__isnull=False).count()
    messages = act(
        organizer, person, "payment", {"payment-amount": "200.00", "payment-reference": "BANK-1"}
    )
    assert messages == [("success", "Payment of 200.00 JPY recorded for Tanaka Hanako.")]
    person.refresh_from_db()
    assert person.payment_status == PaymentStatus.PAID
    assert person.amount_paid == Decimal("200.00")
    assert person.payment_reference == "BANK-1"
    # Receipts are numbered per edition, after the demo's.
    assert person.receipt_number == f"2009-tokyo-R{numbered + 1:04d}"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("", "Amount received: This field is required."),
        ("abc", "Amount received: Enter a number."),
        ("-5", "Amount received: Ensure this value is greater than or equal to 0."),
        ("0", "Give an amount greater than zero."),
    ],
)
def test_bad_payment_is_refused_and_changes_nothing(organizer, edition, delegate, amount, message):
    person = registration(edition, delegate, fee=Decimal("200.00"), payment_status="due")
    before = snapshot(person)
    assert act(organizer, person, "payment", {"payment-amount": amount}) == [("error", message)]
    assert snapshot(person) == before


def test_grant_a_subsidy_and_refuse_a_waiver(organizer, edition, delegate):
    subsidy = registration(
        edition,
        delegate,
        name="Ram Thapa",
        fee=Decimal("200.00"),
        payment_status="due",
        waiver_kind="subsidy",
        waiver_status=WaiverStatus.REQUESTED,
        waiver_reason="Travel costs",
    )
    messages = act(
        organizer, subsidy, "waiver", {"waiver-decision": "grant", "waiver-amount": "150"}
    )
    assert messages == [("success", "The waiver of Ram Thapa is granted.")]
    subsidy.refresh_from_db()
    assert (subsidy.waiver_status, subsidy.waiver_amount, subsidy.amount_due) == (
        WaiverStatus.GRANTED,
        Decimal("150.00"),
        Decimal("50.00"),
    )
    waiver = registration(
        edition,
        delegate,
        name="Maria Santos",
        waiver_kind="waiver",
        waiver_status=WaiverStatus.REQUESTED,
    )
    assert act(organizer, waiver, "waiver", {"waiver-decision": "refuse"}) == [
        ("success", "The waiver of Maria Santos is refused.")
    ]
    waiver.refresh_from_db()
    assert waiver.waiver_status == WaiverStatus.REFUSED


def test_bad_waiver_decisions_change_nothing(organizer, edition, delegate):
    person = registration(
        edition,
        delegate,
        fee=Decimal("200.00"),
        waiver_kind="subsidy",
        waiver_status=WaiverStatus.REQUESTED,
    )
    before = snapshot(person)
    assert act(organizer, person, "waiver", {"waiver-decision": "maybe"}) == [
        ("error", "Decision: Select a valid choice. maybe is not one of the available choices.")
    ]
    assert act(
        organizer, person, "waiver", {"waiver-decision": "grant", "waiver-amount": "999"}
    ) == [("error", "The subsidy cannot exceed the fee.")]
    assert snapshot(person) == before


def test_move_to_another_ticket_type(organizer, edition, pending, delegate):
    press = ticket_type(edition, "Press", fee_high=Decimal("0"), is_public=False)
    pending.status = RegistrationStatus.CONFIRMED
    pending.save(update_fields=["status"])
    assert act(organizer, pending, "ticket-type", {"move-ticket_type": press.pk}) == [
        ("success", "Kim Min-jun moved to Press.")
    ]
    pending.refresh_from_db()
    assert pending.ticket_type == press


def test_move_to_another_editions_ticket_type_is_refused(
    organizer, edition, other_edition, pending
):
    foreign = ticket_type(other_edition, "Manila delegate")
    before = snapshot(pending)
    assert act(organizer, pending, "ticket-type", {"move-ticket_type": foreign.pk}) == [
        ("error", "Move to ticket type: This ticket type is not one of this edition's.")
    ]
    assert act(organizer, pending, "ticket-type", {"move-ticket_type": "abc"}) == [
        ("error", "Move to ticket type: This ticket type is not one of this edition's.")
    ]
    assert snapshot(pending) == before


def test_unknown_action_and_get_are_refused(organizer, pending):
    url = reverse("registration_admin_action", args=[pending.edition.slug, pending.pk, "delete"])
    assert organizer.post(url).status_code == 404
    url = reverse("registration_admin_action", args=[pending.edition.slug, pending.pk, "approve"])
    assert organizer.get(url).status_code == 405


def test_actions_need_the_change_permission(client, pending):
    client.force_login(user("tokyo-programme"))
    url = reverse("registration_admin_action", args=[pending.edition.slug, pending.pk, "approve"])
    response = client.post(url)
    assert response.status_code in (302, 403)
    pending.refresh_from_db()
    assert pending.status == RegistrationStatus.PENDING_APPROVAL


def test_more_seats_on_a_ticket_type_promote_its_waiting_list(organizer, edition):
    full = ticket_type(edition, "Visit", capacity=1)
    registration(edition, full, name="Seated")
    first = registration(edition, full, name="First waiting", status=RegistrationStatus.WAITLISTED)
    second = registration(
        edition, full, name="Second waiting", status=RegistrationStatus.WAITLISTED
    )
    Registration.objects.filter(pk=first.pk).update(waitlisted_at="2009-09-01T00:00:00Z")
    Registration.objects.filter(pk=second.pk).update(waitlisted_at="2009-09-02T00:00:00Z")
    data = {
        "edition": edition.pk,
        "name": "Visit",
        "position": "0",
        "description": "",
        "capacity": "2",
        "colour": "#1d5c4d",
        "is_public": "on",
        "fee_high": "200.00",
        "fee_upper_middle": "0",
        "fee_lower_middle": "0",
        "fee_low": "20.00",
    }
    response = organizer.post(reverse("tickettype:edit", args=[full.pk]), data, follow=True)
    assert response.redirect_chain == [(reverse("tickettype:index"), 302)], response.context[
        "form"
    ].errors
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any("1 person moved from the waiting list to confirmed." in m for m in shown), shown
