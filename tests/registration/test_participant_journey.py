"""The participant's journey on the demo (issue 12): times on the venue's clock, the fee for
one's country without losing input, the registration state on the edition page, seats left,
the sign-up from a session's page, and a shorter form."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from forum.models import Edition
from mail.models import OutboxEmail
from registration.enums import RegistrationStatus, SignupStatus
from registration.models import Registration, RegistrationSettings, SessionSignup, TicketType
from registration.services.signups import sign_up_for_session
from sessions_app.models import Session
from tests.factories import UserFactory
from tests.factories.registration import RegistrationFactory

pytestmark = pytest.mark.django_db
BASE = "/2009-tokyo/register/"
TAMA = "fact-finding-visit-workers-cooperatives-in-tama"
TAMA_PAGE = f"/2009-tokyo/programme/sessions/{TAMA}/"


@pytest.fixture
def participant(client):
    client.force_login(get_user_model().objects.get(username="tokyo-participant"))
    return client


def form_data(ticket, **overrides) -> dict:
    data = {
        "ticket_type": str(ticket.pk),
        "email": "amara@example.org",
        "name": "Amara Okafor",
        "country": "NP",
        "organization_name": "Kathmandu Savings Cooperative",
        "organization_kind": "cooperative",
        "language": "en",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_my_registration_shows_the_visit_on_tokyo_time_with_its_meeting_point(participant):
    body = participant.get(BASE + "me/").content.decode()
    assert '<time datetime="2009-11-08T09:00:00+09:00">Sunday 8 November 2009, 09:00</time>' in body
    assert "09:00</time> (Asia/Tokyo)" in body
    assert "Meeting point: Main entrance, 08:45" in body
    assert "midnight" not in body


def test_the_waiting_list_email_gives_the_visit_on_tokyo_time(edition):
    tama = Session.objects.get(edition=edition, slug=TAMA)
    ticket = TicketType.objects.filter(edition=edition).first()
    newcomer = RegistrationFactory(ticket_type=ticket, email="newcomer@example.org")
    signup = sign_up_for_session(registration=newcomer, session=tama)
    assert signup.status == SignupStatus.WAITLISTED  # the demo's visit is full
    email = OutboxEmail.objects.get(to_email="newcomer@example.org")
    assert "When: Sunday 8 November 2009, 09:00 (Asia/Tokyo)" in email.body_text
    assert "Meeting point: Main entrance, 08:45" in email.body_text
    assert "09:00</time> (Asia/Tokyo)" in email.body_html


def test_showing_the_fees_keeps_everything_typed_and_judges_nothing(client, ticket):
    before = Registration.objects.count()
    data = form_data(ticket, email="amara@example.org", consent="", show_fees="1")
    response = client.post(BASE, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="amara@example.org"' in body
    assert 'value="Amara Okafor"' in body
    chosen = re.search(rf'<input type="radio" name="ticket_type" value="{ticket.pk}"[^>]*>', body)
    assert "checked" in chosen.group(0)
    assert "form-error" not in body  # the missing consent is not judged yet
    assert "Fees for your country:" in body
    assert 'class="is-mine"' in body  # Nepal's column of the fee table is marked
    assert Registration.objects.count() == before


def test_the_form_starts_without_a_kind_of_organization_and_requires_one(client, ticket):
    body = client.get(BASE).content.decode()
    start = body.index('id="id_organization_kind"')
    assert '<option value="" selected>---------</option>' in body[start : start + 300]
    response = client.post(BASE, form_data(ticket, organization_kind=""))
    assert response.status_code == 200
    assert 'id="id_organization_kind_error"' in response.content.decode()


def test_passport_fields_come_with_a_note_for_browsers_without_javascript(client, ticket):
    body = client.get(BASE).content.decode()
    assert 'id="passport-fields"' in body
    assert "Only needed if you ask for a visa letter." in body
    assert 'src="/static/js/registration.js"' in body


def test_the_ticket_table_shows_seats_left_not_capacity(client, open_edition):
    delegate = TicketType.objects.get(edition=open_edition, name="Delegate")
    taken = Registration.objects.filter(
        ticket_type=delegate, status=RegistrationStatus.CONFIRMED
    ).count()
    body = client.get(BASE).content.decode()
    assert f"{delegate.capacity - taken} of {delegate.capacity}" in body
    assert "Seats left" in body


def _registration_section(client, path: str) -> str:
    body = client.get(path).content.decode()
    start = body.index('id="registration"')
    return body[start : body.index("</section>", start)]


def test_the_edition_page_says_whether_registration_is_closed_or_not_open(client):
    manila = _registration_section(client, "/2007-manila/")
    assert "Registration is closed." in manila
    assert 'class="button"' not in manila
    malaysia = _registration_section(client, "/2011-malaysia/")
    assert "Registration has not opened yet." in malaysia
    assert 'class="button"' not in malaysia


def test_the_edition_page_says_until_when_registration_is_open(client, open_edition):
    closes = RegistrationSettings.objects.get(edition=open_edition).closes_at
    local = timezone.localtime(closes, datetime.timezone(datetime.timedelta(hours=9)))
    section = _registration_section(client, "/2009-tokyo/")
    assert "Registration is open until" in section
    assert f"{local:%Y}" in section
    assert "(Asia/Tokyo)" in section
    assert f'<a class="button" href="{BASE}">Register</a>' in section


def test_the_edition_page_says_when_registration_opens(client, edition):
    RegistrationSettings.objects.filter(edition=edition).update(
        opens_at=datetime.datetime(2030, 4, 1, 9, 0, tzinfo=datetime.UTC), closes_at=None
    )
    section = _registration_section(client, "/2009-tokyo/")
    assert "Registration opens on April 1, 2030, 6 p.m. (Asia/Tokyo)." in section
    assert 'class="button"' not in section


def test_the_edition_page_offers_the_waiting_list_when_every_seat_is_taken(client, open_edition):
    for ticket in TicketType.objects.filter(edition=open_edition, is_public=True).annotate(
        taken=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED))
    ):
        ticket.capacity = ticket.taken
        ticket.save(update_fields=["capacity"])
    section = _registration_section(client, "/2009-tokyo/")
    assert "Every seat is taken: register to join the waiting list." in section
    assert "Join the waiting list</a>" in section


def test_the_session_page_shows_seats_left_and_asks_a_visitor_to_log_in(client):
    response = client.get(TAMA_PAGE)
    body = response.content.decode()
    assert "All 25 seats are taken: you may join the waiting list." in body
    assert "Registered participants sign up here." in body
    assert not response.has_header("ETag")  # live seats: never stored by the page cache
    assert client.get("/2009-tokyo/programme/sessions/coffee-break/").has_header("ETag")


def test_a_participant_with_a_seat_may_give_it_up_from_the_session_page(participant):
    body = participant.get(TAMA_PAGE).content.decode()
    assert "You have a seat." in body
    assert "Give up my seat" in body


def test_a_registered_participant_joins_the_waiting_list_from_the_session_page(client, edition):
    user = UserFactory(username="newcomer")
    ticket = TicketType.objects.filter(edition=edition).first()
    registration = RegistrationFactory(ticket_type=ticket, user=user, email=user.email)
    client.force_login(user)
    body = client.get(TAMA_PAGE).content.decode()
    assert "Join the waiting list</button>" in body
    tama = Session.objects.get(edition=edition, slug=TAMA)
    response = client.post(
        BASE + "me/sessions/", {"session": tama.pk, "action": "sign_up", "next": TAMA_PAGE}
    )
    assert response.status_code == 302
    assert response["Location"] == TAMA_PAGE + "#seats"
    signup = SessionSignup.objects.get(registration=registration, session=tama)
    assert signup.status == SignupStatus.WAITLISTED
    waiting = SessionSignup.objects.filter(session=tama, status=SignupStatus.WAITLISTED).count()
    body = client.get(TAMA_PAGE).content.decode()
    assert f"You are number {waiting} on the waiting list." in body


def test_the_sign_up_never_sends_back_to_another_site(client, edition):
    user = UserFactory(username="newcomer")
    ticket = TicketType.objects.filter(edition=edition).first()
    RegistrationFactory(ticket_type=ticket, user=user, email=user.email)
    client.force_login(user)
    tama = Session.objects.get(edition=edition, slug=TAMA)
    for evil in ("https://evil.example/", "//evil.example/x"):
        response = client.post(
            BASE + "me/sessions/", {"session": tama.pk, "action": "sign_up", "next": evil}
        )
        assert response["Location"] == BASE + "me/#sessions"


def test_the_session_page_makes_as_many_queries_whoever_has_signed_up(participant, edition):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    participant.get(TAMA_PAGE)
    with CaptureQueriesContext(connection) as small:
        participant.get(TAMA_PAGE)
    tama = Session.objects.get(edition=edition, slug=TAMA)
    ticket = TicketType.objects.filter(edition=edition).first()
    for registration in RegistrationFactory.create_batch(20, ticket_type=ticket):
        SessionSignup.objects.create(
            registration=registration,
            session=tama,
            status=SignupStatus.WAITLISTED,
            waitlisted_at=timezone.now(),
        )
    with CaptureQueriesContext(connection) as large:
        participant.get(TAMA_PAGE)
    assert len(large) == len(small)


def test_the_edition_zone_is_active_only_while_its_page_is_served(client):
    client.get("/2009-tokyo/")
    assert timezone.get_current_timezone_name() == "UTC"
    assert Edition.objects.get(slug="2009-tokyo").time_zone == "Asia/Tokyo"
