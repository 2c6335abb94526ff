"""The visa letter queue in the Wagtail admin: scoped to the organizer's editions, passport
details only with their permission, issue and refuse, view the letter."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mail.models import OutboxEmail
from registration.enums import LetterStatus
from registration.models import VisaLetter
from tests.factories.documents import (
    PassportDetailsFactory,
    RegistrationFactory,
    TicketTypeFactory,
    VisaLetterFactory,
)
from tests.registration.conftest import pdf_text

pytestmark = pytest.mark.django_db

QUEUE = "/admin/registration-documents/letters/"


def login(client, username: str):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


def letter_for(ticket_type, name: str, **fields) -> VisaLetter:
    registration = RegistrationFactory(ticket_type=ticket_type, name=name, needs_visa_letter=True)
    PassportDetailsFactory(
        registration=registration, full_name=name.upper(), passport_number=f"PN-{name[:3]}-42"
    )
    return VisaLetterFactory(registration=registration, **fields)


def queue_html(client, params=None) -> str:
    """The queue's HTML, every page of it joined (the demo's letters, older, come first)."""
    params = dict(params or {})
    first = client.get(QUEUE, params)
    assert first.status_code == 200
    pages = [first.content.decode()]
    for number in range(2, first.context["page"].paginator.num_pages + 1):
        response = client.get(QUEUE, {**params, "p": number})
        assert response.status_code == 200
        pages.append(response.content.decode())
    return "\n".join(pages)


@pytest.fixture
def manila_letter(other_edition):
    return letter_for(TicketTypeFactory(edition=other_edition), "Manila Person")


def test_organizer_sees_the_requests_of_their_edition_only(client, delegate, manila_letter):
    login(client, "tokyo-organizer")
    letter_for(delegate, "Ram Shrestha")
    letter_for(delegate, "Issued Person", status=LetterStatus.ISSUED, number="AFSE2009-0001")

    response = client.get(QUEUE)

    assert response.status_code == 200
    first_page = response.content.decode()
    html = queue_html(client)
    assert "Ram Shrestha" in html
    assert "Issued Person" not in html  # the queue shows requests by default
    assert "Manila Person" not in html
    # No passport details without the permission.
    assert "PN-Ram-42" not in html
    assert "RAM SHRESTHA" not in html
    assert "<script>" not in first_page.split("</head>", 1)[1].replace("<script src", "")


def test_passport_details_need_their_permission(client, delegate):
    user = login(client, "tokyo-organizer")
    letter_for(delegate, "Ram Shrestha")
    user.user_permissions.add(
        Permission.objects.get(
            codename="view_passport_details", content_type__app_label="registration"
        )
    )
    html = queue_html(client)
    # The row of the test's letter (the demo's letters have passport details of their own).
    [row] = [row for row in html.split("<tr>") if "Ram Shrestha" in row]
    assert "PN-Ram-42" in row
    assert "RAM SHRESTHA" in row
    assert "Nepal" in row


def test_filter_by_status_and_edition(client, delegate, manila_letter):
    login(client, "organizer")  # a superuser: every edition
    letter_for(delegate, "Issued Person", status=LetterStatus.ISSUED, number="AFSE2009-0001")
    html = client.get(QUEUE, {"status": "issued", "edition": "2009-tokyo"}).content.decode()
    assert "Issued Person" in html
    assert "AFSE2009-0001" in html
    assert "Manila Person" not in html
    html = client.get(QUEUE, {"status": "", "edition": "2007-manila"}).content.decode()
    assert "Manila Person" in html
    assert "Issued Person" not in html


def test_issue_from_the_queue(client, delegate):
    user = login(client, "tokyo-organizer")
    letter = letter_for(delegate, "Ram Shrestha")
    response = client.post(f"{QUEUE}{letter.pk}/issue/", {"next": f"{QUEUE}?status=requested"})
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?status=requested"
    letter.refresh_from_db()
    assert (letter.status, letter.number, letter.decided_by) == (
        LetterStatus.ISSUED,
        "AFSE2009-0001",
        user,
    )
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Letter AFSE2009-0001 issued to Ram Shrestha."]


def test_refuse_needs_a_reason(client, delegate):
    login(client, "tokyo-organizer")
    letter = letter_for(delegate, "Ram Shrestha")
    response = client.post(f"{QUEUE}{letter.pk}/refuse/", {"reason": ""})
    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Give the reason for refusing the letter."
    ]
    letter.refresh_from_db()
    assert letter.status == LetterStatus.REQUESTED

    client.post(f"{QUEUE}{letter.pk}/refuse/", {"reason": "Dates outside the forum."})
    letter.refresh_from_db()
    assert (letter.status, letter.refusal_reason) == (
        LetterStatus.REFUSED,
        "Dates outside the forum.",
    )
    assert OutboxEmail.objects.get(registration=letter.registration).kind == "letter_refused"


def test_an_off_site_next_is_not_followed(client, delegate):
    login(client, "tokyo-organizer")
    letter = letter_for(delegate, "Ram Shrestha")
    response = client.post(f"{QUEUE}{letter.pk}/issue/", {"next": "https://evil.test/"})
    assert response["Location"] == QUEUE


def test_another_editions_letter_is_out_of_reach(client, manila_letter):
    login(client, "tokyo-organizer")
    for url in (f"{QUEUE}{manila_letter.pk}/issue/", f"{QUEUE}{manila_letter.pk}/refuse/"):
        assert client.post(url, {"reason": "x"}).status_code == 404
    manila_letter.status, manila_letter.number = LetterStatus.ISSUED, "AFSE2007-0001"
    manila_letter.save()
    assert client.get(f"{QUEUE}{manila_letter.pk}/letter.pdf").status_code == 404
    manila_letter.refresh_from_db()
    assert manila_letter.decided_by is None
    assert OutboxEmail.objects.count() == 0


@pytest.mark.parametrize("username", ["tokyo-programme", "tokyo-drafting"])
def test_other_roles_have_no_letter_queue(client, delegate, username):
    login(client, username)
    letter = letter_for(delegate, "Ram Shrestha")
    assert client.get(QUEUE).status_code in (302, 403)
    assert client.post(f"{QUEUE}{letter.pk}/issue/").status_code in (302, 403)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.REQUESTED


def test_anonymous_is_sent_to_the_admin_login(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_decisions_are_posted(client, delegate):
    login(client, "tokyo-organizer")
    letter = letter_for(delegate, "Ram Shrestha")
    assert client.get(f"{QUEUE}{letter.pk}/issue/").status_code == 405


def test_view_an_issued_letter(client, delegate):
    login(client, "tokyo-organizer")
    letter = letter_for(delegate, "Ram Shrestha")
    assert client.get(f"{QUEUE}{letter.pk}/letter.pdf").status_code == 404
    client.post(f"{QUEUE}{letter.pk}/issue/")
    response = client.get(f"{QUEUE}{letter.pk}/letter.pdf")
    assert response.status_code == 200
    # (The admin adds its own never-cache directives.)
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert response["Content-Disposition"] == 'inline; filename="AFSE2009-0001.pdf"'
    assert "Passport number PN-Ram-42" in " ".join(pdf_text(response.content))


@pytest.mark.parametrize("passport", [False, True])
def test_queue_runs_a_constant_number_of_queries(client, delegate, passport):
    user = login(client, "tokyo-organizer")
    if passport:
        user.user_permissions.add(
            Permission.objects.get(
                codename="view_passport_details", content_type__app_label="registration"
            )
        )
        user = get_user_model().objects.get(pk=user.pk)
        client.force_login(user)

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(QUEUE, {"status": ""})
        assert response.status_code == 200
        return len(queries.captured_queries)

    for i in range(3):
        letter_for(delegate, f"Small {i}")
    small = count()
    for i in range(60):
        letter_for(delegate, f"Large {i}")
    assert count() == small
