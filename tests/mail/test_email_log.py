"""The email log in the admin: an organizer's editions only, with status, attempts and the
last error, filtered by status and kind, and a resend action."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mail.enums import EmailStatus
from mail.models import OutboxEmail
from tests.registration.mail_admin_helpers import edition_with_organizer

pytestmark = pytest.mark.django_db

LOG = "mail_email_log"


def email(edition, n, **fields) -> OutboxEmail:
    values = {
        "kind": "reminder",
        "to_email": f"person{n}@example.org",
        "subject": f"Subject {n}",
        "body_text": f"Body {n}\n",
        "message_id": f"<log-{edition.slug}-{n}@example.org>",
        "edition": edition,
    }
    values.update(fields)
    return OutboxEmail.objects.create(**values)


@pytest.fixture
def bangkok():
    return edition_with_organizer(name="AFSE 2031", year=2031, slug="2031-bangkok")


@pytest.fixture
def log_rows(bangkok):
    edition, _ = bangkok
    return {
        "sent": email(edition, 1, status=EmailStatus.SENT, attempts=1),
        "failed": email(
            edition,
            2,
            kind="announcement",
            status=EmailStatus.FAILED,
            attempts=7,
            last_error="SMTPDataError: (451, b'4.3.0 Try again later')",
        ),
        "pending": email(edition, 3),
    }


def test_organizer_reads_the_log_of_their_edition_only(client, bangkok, log_rows):
    _edition, organizer = bangkok
    other, _ = edition_with_organizer()
    email(other, 9, subject="Another edition's secret")
    client.force_login(organizer)
    response = client.get(reverse(LOG))
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [r["subject"] for r in rows] == ["Subject 3", "Subject 2", "Subject 1"]
    content = response.content.decode()
    assert "Another edition&#x27;s secret" not in content
    assert "SMTPDataError: (451, b&#x27;4.3.0 Try again later&#x27;)" in content
    assert "<td>7</td>" in content
    assert response.context["kinds"] == ["announcement", "reminder"]


@pytest.mark.parametrize(
    ("query", "subjects"),
    [
        ({"status": "failed"}, ["Subject 2"]),
        ({"status": "sent"}, ["Subject 1"]),
        ({"kind": "reminder"}, ["Subject 3", "Subject 1"]),
        ({"kind": "reminder", "status": "pending"}, ["Subject 3"]),
        ({"q": "PERSON2@"}, ["Subject 2"]),
        ({"status": "bogus"}, ["Subject 3", "Subject 2", "Subject 1"]),  # ignored
        ({"edition": "not-a-number"}, ["Subject 3", "Subject 2", "Subject 1"]),
    ],
)
def test_log_filters(client, bangkok, log_rows, query, subjects):
    client.force_login(bangkok[1])
    response = client.get(reverse(LOG), query)
    assert [r["subject"] for r in response.context["page"].object_list] == subjects


def test_filtering_by_another_editions_id_shows_nothing(client, bangkok, log_rows):
    other, _ = edition_with_organizer()
    email(other, 9)
    client.force_login(bangkok[1])
    response = client.get(reverse(LOG), {"edition": other.pk})
    assert list(response.context["page"].object_list) == []


def test_resend_makes_a_new_copy_and_sends_it(
    client, bangkok, log_rows, django_capture_on_commit_callbacks
):
    client.force_login(bangkok[1])
    failed = log_rows["failed"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mail_email_resend", args=[failed.pk]))
    assert response.status_code == 302
    copy = OutboxEmail.objects.get(resend_of=failed)
    assert (copy.to_email, copy.subject, copy.status, copy.attempts) == (
        "person2@example.org",
        "Subject 2",
        EmailStatus.SENT,
        1,
    )
    failed.refresh_from_db()
    assert failed.status == EmailStatus.FAILED  # the log keeps what happened to it
    assert [m.to for m in mail.outbox] == [["person2@example.org"]]
    page = client.get(response["Location"])
    assert "A new copy of “Subject 2” to person2@example.org is on its way." in (
        page.content.decode()
    )


def test_resending_another_editions_email_is_not_found(client, bangkok, log_rows):
    _other, other_organizer = edition_with_organizer()
    client.force_login(other_organizer)
    url = reverse("mail_email_resend", args=[log_rows["sent"].pk])
    assert client.post(url).status_code == 404
    assert client.post(reverse("mail_email_resend", args=[999999])).status_code == 404
    client.force_login(bangkok[1])
    assert client.get(url).status_code == 405  # a resend is a POST
    assert OutboxEmail.objects.filter(resend_of__isnull=False).count() == 0


def test_series_admin_sees_every_edition(client, bangkok, log_rows, admin_user):
    other, _ = edition_with_organizer()
    email(other, 9)
    client.force_login(admin_user)
    response = client.get(reverse(LOG))
    assert response.context["page"].paginator.count == 4


def test_log_runs_a_constant_number_of_queries(client, bangkok):
    edition, organizer = bangkok
    client.force_login(organizer)
    url = reverse(LOG)
    for n in range(5):
        email(edition, n)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    OutboxEmail.objects.bulk_create(
        [
            OutboxEmail(
                kind="reminder",
                to_email=f"many{n}@example.org",
                subject=f"Many {n}",
                body_text="x",
                message_id=f"<many-{n}@example.org>",
                edition=edition,
                status=EmailStatus.SENT,
            )
            for n in range(400)
        ]
    )
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.context["page"].paginator.count == 405
    assert len(response.context["page"].object_list) == 50
    assert len(small) == len(large)


def test_failing_mail_shows_in_the_log_and_on_the_admin_home(client, bangkok, log_rows):
    import datetime

    from django.utils import timezone

    edition, organizer = bangkok
    due = timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=4)
    email(
        edition,
        4,
        attempts=3,
        next_attempt_at=due,
        last_error="SMTPDataError: (451, b'4.3.0 Try again later')",
    )
    client.force_login(organizer)
    response = client.get(reverse(LOG), {"status": "retrying"})
    assert [r["subject"] for r in response.context["page"].object_list] == ["Subject 4"]
    assert f"Failed for now; next attempt at {due:%Y-%m-%d %H:%M}" in response.content.decode()

    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Email that is not getting through" in home
    assert "1 email failed for now and will be tried again" in home
    assert "1 email failed for good this week" in home
    assert f'href="{reverse(LOG)}?status=retrying"' in home

    OutboxEmail.objects.filter(status__in=[EmailStatus.PENDING, EmailStatus.FAILED]).update(
        status=EmailStatus.SENT
    )
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Email that is not getting through" not in home


def test_the_logs_old_addresses_still_answer(client, bangkok, log_rows):
    """The log lived under registration's admin URLs: its page answers a permanent redirect
    with the filters kept, and a resend posted to the old address still resends."""
    client.force_login(bangkok[1])
    response = client.get("/admin/registration-mail/emails/?status=failed&kind=announcement")
    assert response.status_code == 301
    assert response["Location"] == reverse(LOG) + "?status=failed&kind=announcement"
    failed = log_rows["failed"]
    response = client.post(f"/admin/registration-mail/emails/{failed.pk}/resend/")
    assert response.status_code == 302
    assert OutboxEmail.objects.filter(resend_of=failed).count() == 1


def test_the_mail_menu_holds_the_log_and_the_features_mail_pages(client, bangkok):
    """The core's mail menu lists the email log and what features hook into it (registration's
    announcements)."""
    client.force_login(bangkok[1])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(LOG) in page
    assert reverse("registration_announcements") in page
