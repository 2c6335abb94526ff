"""Bulk actions of the registration list: approve, send a reminder, export a selection as CSV.
Each confirms first, goes through registration's services (mail through the outbox after
commit) and reaches only the editions the organizer runs."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.models import Edition
from mail.models import OutboxEmail
from registration.enums import RegistrationStatus
from registration.models import Registration
from tests.registration.admin_helpers import registration, ticket_type, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(client):
    client.force_login(user("tokyo-organizer"))
    return client


def bulk_url(action: str, people) -> str:
    query = "&".join(f"id={person.pk}" for person in people)
    base = reverse("wagtail_bulk_action", args=["registration", "registration", action])
    back = reverse("registration_admin_list", args=["2009-tokyo"])
    return f"{base}?{query}&next={back}"


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m).strip()) for m in response.context["messages"]]


@pytest.fixture
def delegate(edition):
    return ticket_type(edition, "Delegate", capacity=1, requires_approval=True)


@pytest.fixture
def two_pending(edition, delegate):
    return [
        registration(
            edition,
            delegate,
            name=name,
            status=RegistrationStatus.PENDING_APPROVAL,
            fee=Decimal("200.00"),
        )
        for name in ("Kim Min-jun", "Siti Aminah")
    ]


@pytest.fixture
def manila_pending():
    manila = Edition.objects.get(slug="2007-manila")
    return registration(
        manila,
        ticket_type(manila, "Manila delegate", requires_approval=True),
        name="Manila person",
        status=RegistrationStatus.PENDING_APPROVAL,
    )


def test_the_list_has_a_checkbox_per_registration_and_the_actions(organizer, two_pending):
    html = organizer.get(reverse("registration_admin_list", args=["2009-tokyo"])).content.decode()
    assert f'data-object-id="{two_pending[0].pk}" data-bulk-action-checkbox' in html
    for action in ("approve", "remind", "export-csv"):
        url = reverse("wagtail_bulk_action", args=["registration", "registration", action])
        assert url in html


def test_approve_confirms_then_goes_through_the_transition_service_and_the_outbox(
    organizer, two_pending, django_capture_on_commit_callbacks
):
    OutboxEmail.objects.all().delete()
    url = bulk_url("approve", two_pending)
    page = organizer.get(url).content.decode()
    assert "Approve these registrations?" in page
    assert f"{two_pending[0].reference}: Kim Min-jun (Awaiting approval)" in page
    assert Registration.objects.get(pk=two_pending[0].pk).status == "pending"

    with django_capture_on_commit_callbacks() as callbacks:
        response = organizer.post(url, follow=True)
    assert messages_of(response) == [("success", "2 registrations approved.")]
    statuses = dict(
        Registration.objects.filter(pk__in=[p.pk for p in two_pending]).values_list(
            "name", "status"
        )
    )
    # One seat: the first is confirmed, the second waits for a seat.
    assert statuses == {
        "Kim Min-jun": RegistrationStatus.CONFIRMED,
        "Siti Aminah": RegistrationStatus.WAITLISTED,
    }
    assert sorted(OutboxEmail.objects.values_list("to_email", "kind")) == sorted(
        [
            (two_pending[0].email, "registration_approved"),
            (two_pending[1].email, "registration_waitlisted"),
        ]
    )
    assert len(callbacks) >= 2  # the sending tasks wait for the commit
    assert Registration.objects.get(pk=two_pending[0].pk).decided_by == user("tokyo-organizer")


def test_approve_reports_each_refusal_and_approves_the_rest(organizer, two_pending, edition):
    confirmed = registration(edition, two_pending[0].ticket_type, name="Already in")
    response = organizer.post(bulk_url("approve", [confirmed, two_pending[0]]), follow=True)
    assert messages_of(response) == [
        (
            "warning",
            f"{confirmed.reference} · Already in: "
            "Only a registration awaiting approval can be approved.",
        ),
        ("success", "1 registration approved."),
    ]


def test_forged_ids_of_another_edition_are_never_approved(organizer, two_pending, manila_pending):
    assert organizer.get(bulk_url("approve", [manila_pending])).status_code == 404
    assert organizer.post(bulk_url("approve", [manila_pending])).status_code == 404
    page = organizer.get(bulk_url("approve", [two_pending[0], manila_pending])).content.decode()
    assert "Manila person" not in page
    assert "1 selected item is not yours to change and is left out." in page
    organizer.post(bulk_url("approve", [two_pending[0], manila_pending]))
    manila_pending.refresh_from_db()
    assert manila_pending.status == RegistrationStatus.PENDING_APPROVAL
    assert Registration.objects.get(pk=two_pending[0].pk).status == RegistrationStatus.CONFIRMED


def test_a_person_without_the_change_permission_cannot_approve(client, two_pending):
    client.force_login(user("tokyo-programme"))
    assert client.get(bulk_url("approve", two_pending)).status_code == 404


def test_remind_queues_one_reminder_per_confirmed_participant_and_day(
    organizer, edition, two_pending
):
    edition.start_date = timezone.localdate() + datetime.timedelta(days=10)
    edition.end_date = edition.start_date + datetime.timedelta(days=3)
    edition.save()
    confirmed = registration(edition, two_pending[0].ticket_type, name="Confirmed one")
    OutboxEmail.objects.all().delete()
    url = bulk_url("remind", [confirmed, two_pending[1]])
    assert "Send the reminder of the edition&#x27;s dates" in organizer.get(url).content.decode()
    response = organizer.post(url, follow=True)
    assert messages_of(response) == [
        (
            "warning",
            f"{two_pending[1].reference} · Siti Aminah: "
            "Only a confirmed participant gets a reminder.",
        ),
        ("success", "1 reminder queued."),
    ]
    email = OutboxEmail.objects.get()
    assert (email.to_email, email.kind, email.registration_id) == (
        confirmed.email,
        "reminder",
        confirmed.pk,
    )
    assert email.dedupe_key == f"reminder:{confirmed.pk}:manual:{timezone.localdate():%Y-%m-%d}"
    again = organizer.post(bulk_url("remind", [confirmed]), follow=True)
    assert messages_of(again) == [
        ("warning", f"{confirmed.reference} · Confirmed one: Already reminded today."),
        ("success", "0 reminders queued."),
    ]
    assert OutboxEmail.objects.count() == 1


def test_export_downloads_only_the_selection_of_the_organizers_edition(
    organizer, two_pending, manila_pending
):
    url = bulk_url("export-csv", [*two_pending, manila_pending])
    assert "Export these registrations" in organizer.get(url).content.decode()
    response = organizer.post(url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="registrations-2009-tokyo-'
    )
    lines = b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("Reference,")
    assert [line.split(",")[0] for line in lines[1:]] == [p.reference for p in two_pending]
    assert "Manila person" not in "\n".join(lines)
