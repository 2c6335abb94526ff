"""Announcements: organizers write one message and send it to a filtered group of their
edition's participants, each in their language's frame, the organizer's text escaped in HTML;
the admin page previews the count and sends, limited to the organizer's editions."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from mail.enums import EmailStatus
from mail.models import OutboxEmail
from registration.enums import RegistrationStatus, SignupStatus
from registration.mail.services.announcements import (
    AnnouncementError,
    preview_recipients,
    recipients,
    send_announcement,
)
from registration.models import Announcement, SessionCapacity, SessionSignup
from tests.factories import UserFactory
from tests.factories.mail import MailRegistrationFactory, MailTicketTypeFactory
from tests.factories.programme import SessionFactory
from tests.registration.mail_admin_helpers import edition_with_organizer

pytestmark = pytest.mark.django_db


@pytest.fixture
def bangkok():
    return edition_with_organizer(name="AFSE 2031", year=2031, slug="2031-bangkok")


@pytest.fixture
def edition(bangkok):
    return bangkok[0]


@pytest.fixture
def organizer(bangkok):
    return bangkok[1]


@pytest.fixture
def people(edition):
    """Delegates and press, in several countries and statuses, one signed up for a visit."""
    delegate = MailTicketTypeFactory(edition=edition, name="Delegate")
    press = MailTicketTypeFactory(edition=edition, name="Press")
    visit = SessionFactory(edition=edition, title="Visit to a workers' cooperative")
    SessionCapacity.objects.create(session=visit, capacity=10)
    made = {
        "ana": MailRegistrationFactory(
            ticket_type=delegate, name="Ana", email="ana@example.org", country="PH"
        ),
        "kenji": MailRegistrationFactory(
            ticket_type=delegate, name="山田 健二", email="kenji@example.org", language="ja"
        ),
        "lee": MailRegistrationFactory(
            ticket_type=press, name="Lee", email="lee@example.org", country="KR"
        ),
        "waiting": MailRegistrationFactory(
            ticket_type=delegate,
            name="Wait",
            email="wait@example.org",
            status=RegistrationStatus.WAITLISTED,
        ),
        "unconfirmed": MailRegistrationFactory(
            ticket_type=delegate, email="new@example.org", status=RegistrationStatus.UNCONFIRMED
        ),
        "cancelled": MailRegistrationFactory(
            ticket_type=delegate, email="gone@example.org", status=RegistrationStatus.CANCELLED
        ),
    }
    SessionSignup.objects.create(registration=made["ana"], session=visit)
    SessionSignup.objects.create(
        registration=made["lee"], session=visit, status=SignupStatus.WAITLISTED
    )
    made["delegate"], made["press"], made["visit"] = delegate, press, visit
    return made


def emails_of(queryset) -> list[str]:
    return sorted(queryset.values_list("email", flat=True))


def test_filters_choose_the_group(edition, people):
    every = ["ana@example.org", "kenji@example.org", "lee@example.org", "wait@example.org"]
    assert emails_of(recipients(edition=edition)) == every
    assert emails_of(recipients(edition=edition, ticket_type_ids=[people["press"].pk])) == [
        "lee@example.org"
    ]
    assert emails_of(recipients(edition=edition, statuses=["confirmed"])) == every[:3]
    assert emails_of(recipients(edition=edition, statuses=["cancelled", "unconfirmed"])) == [
        "gone@example.org",
        "new@example.org",
    ]
    assert emails_of(recipients(edition=edition, countries=["PH", "KR"])) == [
        "ana@example.org",
        "lee@example.org",
    ]
    # Signed up for the visit: confirmed seats only (Lee is on its waiting list).
    assert emails_of(recipients(edition=edition, session=people["visit"])) == ["ana@example.org"]
    assert (
        emails_of(
            recipients(edition=edition, ticket_type_ids=[people["press"].pk], countries=["PH"])
        )
        == []
    )


def test_one_email_per_address(edition, people):
    MailRegistrationFactory(
        ticket_type=people["delegate"], email="ANA@example.org", status=RegistrationStatus.REFUSED
    )
    chosen = recipients(edition=edition, statuses=["confirmed", "refused"])
    assert emails_of(chosen) == [
        "ANA@example.org",  # the newer registration of Ana's address
        "kenji@example.org",
        "lee@example.org",
    ]


def test_send_writes_one_email_per_recipient_in_their_language(
    edition, organizer, people, django_capture_on_commit_callbacks
):
    announcement = Announcement.objects.create(
        edition=edition,
        subject="Bring your own cup <3",
        body="Dear all,\n\nThe venue is <b>plastic-free</b> & proud.\nSee you soon.",
        statuses=["confirmed"],
        countries=[],
    )
    announcement.ticket_types.set([people["delegate"]])
    assert preview_recipients(announcement=announcement).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert send_announcement(announcement=announcement, actor=organizer) == 2

    announcement.refresh_from_db()
    assert announcement.recipient_count == 2
    assert announcement.sent_at is not None
    assert announcement.created_by == organizer
    rows = {e.to_email: e for e in OutboxEmail.objects.filter(kind="announcement")}
    assert sorted(rows) == ["ana@example.org", "kenji@example.org"]
    ana, kenji = rows["ana@example.org"], rows["kenji@example.org"]
    assert ana.subject == kenji.subject == "Bring your own cup <3"
    assert ana.dedupe_key == f"announcement:{announcement.pk}:{people['ana'].pk}"
    assert ana.body_text.startswith(
        "Dear Ana,\n\nDear all,\n\nThe venue is <b>plastic-free</b> & proud.\nSee you soon.\n"
    )
    assert "You receive this message because you registered for AFSE 2031." in ana.body_text
    assert (
        "<p>Dear all,</p>\n\n<p>The venue is &lt;b&gt;plastic-free&lt;/b&gt; &amp; proud."
        "<br>See you soon.</p>" in ana.body_html
    )
    assert "<b>" not in ana.body_html
    assert kenji.body_text.startswith("山田 健二 様\n\nDear all,")
    assert "AFSE 2031に参加登録されているため、このメッセージをお送りしています。" in (
        kenji.body_text
    )
    assert '<html lang="ja">' in kenji.body_html
    assert {e.status for e in rows.values()} == {EmailStatus.SENT}
    assert len(mail.outbox) == 2

    with pytest.raises(AnnouncementError, match="already been sent"):
        send_announcement(announcement=announcement)
    assert OutboxEmail.objects.filter(kind="announcement").count() == 2


def test_an_announcement_that_reaches_nobody_is_refused(edition, people):
    announcement = Announcement.objects.create(
        edition=edition, subject="Hello", body="Hi", countries=["FR"]
    )
    with pytest.raises(AnnouncementError, match="No participant matches"):
        send_announcement(announcement=announcement)
    announcement.refresh_from_db()
    assert announcement.sent_at is None
    assert not OutboxEmail.objects.exists()


# The admin page


def form_data(edition, **changes) -> dict:
    data = {
        "edition": edition.pk,
        "subject": "Visa letters are ready",
        "body": "Download yours from your registration page.",
        "statuses": ["confirmed"],
        "action": "preview",
    }
    data.update(changes)
    return data


def test_organizer_previews_then_sends(
    client, edition, organizer, people, django_capture_on_commit_callbacks
):
    client.force_login(organizer)
    url = reverse("registration_announcement_new")
    page = client.get(url)
    assert page.status_code == 200
    assert "Visit to a workers&#x27; cooperative" in page.content.decode()

    preview = client.post(url, form_data(edition, ticket_types=[people["delegate"].pk]))
    assert preview.status_code == 200
    content = preview.content.decode()
    assert "2 participants will get it" in content
    assert "Ana &lt;ana@example.org&gt; (en)" in content
    assert not Announcement.objects.exists()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sent = client.post(url, form_data(edition, action="send", countries=["PH"]))
    assert sent.status_code == 302
    # Saved, its emails written by a task after commit (a large group takes a while).
    assert Announcement.objects.get().sent_at is None
    assert "Being sent…" in client.get(reverse("registration_announcements")).content.decode()
    assert not OutboxEmail.objects.exists()
    for callback in callbacks:
        callback()
    assert sent["Location"] == reverse("registration_announcements")
    announcement = Announcement.objects.get()
    assert (announcement.subject, announcement.recipient_count, announcement.created_by) == (
        "Visa letters are ready",
        1,
        organizer,
    )
    assert announcement.countries == ["PH"]
    assert list(OutboxEmail.objects.values_list("to_email", flat=True)) == ["ana@example.org"]
    listing = client.get(reverse("registration_announcements")).content.decode()
    assert "Visa letters are ready" in listing


def test_sending_to_nobody_shows_the_error_and_saves_nothing(client, edition, organizer, people):
    client.force_login(organizer)
    response = client.post(
        reverse("registration_announcement_new"),
        form_data(edition, action="send", countries=["FR"]),
    )
    assert response.status_code == 200
    assert "No participant matches these filters: nothing was sent." in response.content.decode()
    assert not Announcement.objects.exists()


def test_organizer_cannot_reach_another_editions_people(client, edition, organizer, people):
    other, _other_organizer = edition_with_organizer()
    foreign_ticket = MailTicketTypeFactory(edition=other)
    client.force_login(organizer)
    url = reverse("registration_announcement_new")

    response = client.post(url, form_data(other, action="send"))
    assert response.status_code == 200
    assert response.context["form"].errors["edition"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    response = client.post(url, form_data(edition, action="send", ticket_types=[foreign_ticket.pk]))
    assert response.context["form"].errors["ticket_types"] == [
        f"Select a valid choice. {foreign_ticket.pk} is not one of the available choices."
    ]
    assert not Announcement.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_the_other_editions_organizer_does_not_see_these_announcements(
    client, edition, organizer, people
):
    announcement = Announcement.objects.create(edition=edition, subject="Tokyo only", body="x")
    send_announcement(announcement=announcement)
    _other, other_organizer = edition_with_organizer()
    client.force_login(other_organizer)
    listing = client.get(reverse("registration_announcements"))
    assert listing.status_code == 200
    assert "Tokyo only" not in listing.content.decode()


@pytest.mark.parametrize("name", ["registration_announcements", "registration_announcement_new"])
def test_people_who_organize_nothing_are_refused(client, name):
    url = reverse(name)
    assert client.get(url)["Location"].startswith("/admin/login/")  # anonymous
    client.force_login(UserFactory())  # no admin access at all
    assert client.get(url)["Location"].startswith("/admin/login/")
    # Admin access (the programme committee), but organizes nothing: Wagtail turns the
    # refusal into a redirect to the dashboard.
    client.force_login(get_user_model().objects.get(username="tokyo-programme"))
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_announcement_list_runs_a_constant_number_of_queries(
    client, edition, organizer, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(organizer)
    url = reverse("registration_announcements")
    Announcement.objects.bulk_create(
        [Announcement(edition=edition, subject=f"A{n}", body="x") for n in range(3)]
    )
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    Announcement.objects.bulk_create(
        [Announcement(edition=edition, subject=f"B{n}", body="x") for n in range(60)]
    )
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)


def test_the_task_sends_once_and_skips_what_is_gone_or_sent(edition, people):
    from registration.mail.tasks import task_send_announcement

    announcement = Announcement.objects.create(
        edition=edition, subject="Hello", body="Hi", statuses=["confirmed"]
    )
    assert task_send_announcement.delay(announcement_id=announcement.pk).get() == 3
    assert task_send_announcement.delay(announcement_id=announcement.pk).get() == 0  # sent
    assert task_send_announcement.delay(announcement_id=999999).get() == 0  # gone
    assert OutboxEmail.objects.filter(kind="announcement").count() == 3
