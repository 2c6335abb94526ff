"""The participant's pages: the form, confirming, "My registration", sign-ups, the list."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.questions import QuestionKind
from mail.models import OutboxEmail
from registration.enums import (
    LetterStatus,
    RegistrationStatus,
    SignupStatus,
    WaiverStatus,
)
from registration.models import Answer, Registration, RegistrationSettings, SessionSignup
from sessions_app.enums import SessionKind
from tests.factories import UserFactory
from tests.factories.programme import SessionFactory
from tests.factories.registration import (
    QuestionFactory,
    RegistrationFactory,
    SessionCapacityFactory,
    TicketTypeFactory,
)

pytestmark = pytest.mark.django_db
S = RegistrationStatus
BASE = "/2009-tokyo/register/"


def form_data(ticket, **overrides) -> dict:
    data = {
        "ticket_type": str(ticket.pk),
        "email": "amara@example.org",
        "name": "Amara Okafor",
        "name_native": "",
        "country": "PH",
        "organization_name": "Manila Women's Cooperative",
        "organization_kind": "cooperative",
        "language": "en",
        "public_listing": "on",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def confirm_link(email: OutboxEmail) -> str:
    return re.search(r"https?://[^/]+(/\S+/register/confirm/[-\w]+/)", email.body_text).group(1)


def test_form_shows_public_ticket_types_with_fee_for_the_country_and_no_store(client, ticket):
    TicketTypeFactory(edition=ticket.edition, name="Staff only", is_public=False)
    response = client.get(BASE + "?country=PH")
    body = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Test delegate — fee 5,000 JPY" in body
    assert "Staff only" not in body
    fees = response.context["fee_data"]
    assert fees["currency"] == "JPY"
    assert fees["groups"]["PH"] == "lower_middle"
    assert {
        "name": "Test delegate",
        "fees": {"high": 20000.0, "upper_middle": 10000.0, "lower_middle": 5000.0, "low": 0.0},
    } in fees["tickets"]
    assert '<script id="fee-data" type="application/json">' in body
    assert "<script>" not in body  # no inline script (CSP)


def test_closed_registration_shows_a_clear_page_and_saves_nothing(client, ticket):
    RegistrationSettings.objects.filter(edition=ticket.edition).update(
        opens_at=timezone.now() + datetime.timedelta(days=2)
    )
    response = client.get(BASE)
    assert response.status_code == 200
    assert "Registration is closed" in response.content.decode()
    assert "opens on" in response.content.decode()
    response = client.post(BASE, form_data(ticket))
    assert "Registration is closed" in response.content.decode()
    assert not Registration.objects.filter(email="amara@example.org").exists()


def test_register_confirm_and_see_my_registration(client, ticket, outbox):
    response = client.post(BASE, form_data(ticket))
    assert response.status_code == 302
    assert response["Location"] == BASE + "?sent=1"
    assert "Check your inbox" in client.get(response["Location"]).content.decode()
    registration = Registration.objects.get(email="amara@example.org")
    assert registration.status == S.UNCONFIRMED
    link = confirm_link(outbox()[0])

    # A GET (a mail scanner) neither confirms nor logs in.
    page = client.get(link)
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session
    registration.refresh_from_db()
    assert registration.status == S.UNCONFIRMED

    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == BASE + "me/"
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED
    assert int(client.session["_auth_user_id"]) == registration.user_id

    body = client.get(BASE + "me/").content.decode()
    assert registration.reference in body
    assert "Confirmed" in body
    assert "5,000 JPY" in body or "5000 JPY" in body
    assert "choose a password" in body


def test_confirming_as_staff_does_not_log_in(client, ticket, outbox):
    UserFactory(username="boss", email="amara@example.org", is_staff=True)
    client.post(BASE, form_data(ticket))
    response = client.post(confirm_link(outbox()[0]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert Registration.objects.get(email="amara@example.org").status == S.CONFIRMED


def test_unknown_confirmation_token_is_404(client, ticket):
    assert client.get(BASE + "confirm/" + "x" * 43 + "/").status_code == 404


def test_bad_input_shows_errors_and_saves_nothing(client, ticket, outbox):
    response = client.post(
        BASE,
        form_data(ticket, email="nope", consent=None, needs_visa_letter="on", waiver_kind="waiver"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {
        "email",
        "consent",
        "full_name",
        "passport_number",
        "nationality",
        "date_of_birth",
        "waiver_reason",
    }
    assert Registration.objects.count() == Registration.objects.exclude(email="nope").count()
    assert outbox() == []


def test_forged_ticket_type_id_refused(client, ticket, other_edition):
    hidden = TicketTypeFactory(edition=ticket.edition, is_public=False)
    foreign = TicketTypeFactory(edition=other_edition)
    for forged in (hidden.pk, foreign.pk, 999999, "abc"):
        response = client.post(BASE, form_data(ticket, ticket_type=str(forged)))
        assert response.status_code == 200
        assert "ticket_type" in response.context["form"].errors
    assert not Registration.objects.filter(email="amara@example.org").exists()


@pytest.mark.parametrize("confirmed", [False, True])
def test_a_known_address_gets_the_same_answer_as_an_unknown_one_and_its_owner_an_email(
    client, ticket, outbox, confirmed
):
    first = client.post(BASE, form_data(ticket, language="ja"))
    owner = Registration.objects.get(email="amara@example.org")
    if confirmed:
        client.post(confirm_link(outbox()[0]))
        client.logout()
        owner.refresh_from_db()
        assert owner.status == S.CONFIRMED
    OutboxEmail.objects.all().delete()

    known = client.post(BASE, form_data(ticket, email="Amara@Example.org", name="Someone Else"))
    unknown = client.post(BASE, form_data(ticket, email="bola@example.org"))

    assert (known.status_code, known["Location"]) == (302, first["Location"])
    assert (unknown.status_code, unknown["Location"]) == (302, first["Location"])
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content
    assert Registration.objects.filter(email__iexact="amara@example.org").count() == 1
    owner_mail = outbox(to_email="amara@example.org")
    assert [(m.kind, m.language) for m in owner_mail] == [("registration_already_registered", "ja")]
    if confirmed:
        assert "/ja/2009-tokyo/register/me/" in owner_mail[0].body_text
    else:
        assert f"/ja/2009-tokyo/register/confirm/{owner.confirmation_token}/" in (
            owner_mail[0].body_text
        )
    assert owner.reference in owner_mail[0].body_text
    assert "Someone Else" not in owner_mail[0].body_text
    assert [m.kind for m in outbox(to_email="bola@example.org")] == ["registration_confirm_address"]


def test_a_delegation_of_50_registers_from_one_address_and_the_51st_waits(client, ticket, outbox):
    ticket.capacity = None
    ticket.save(update_fields=["capacity"])
    # Forms with errors use up nothing.
    for _ in range(3):
        assert client.post(BASE, form_data(ticket, name="")).status_code == 200
    statuses = [
        client.post(
            BASE, form_data(ticket, email=f"d{index}@example.org"), REMOTE_ADDR="192.0.2.50"
        ).status_code
        for index in range(50)
    ]
    assert statuses == [302] * 50
    response = client.post(
        BASE, form_data(ticket, email="d50@example.org"), REMOTE_ADDR="192.0.2.50"
    )
    assert response.status_code == 429
    assert "Too many registrations from this address or network" in response.content.decode()
    assert not Registration.objects.filter(email="d50@example.org").exists()
    other = client.post(BASE, form_data(ticket, email="d50@example.org"), REMOTE_ADDR="192.0.2.51")
    assert other.status_code == 302


def test_registrations_for_one_email_address_are_limited_known_or_not(client, ticket, outbox):
    for index in range(5):
        response = client.post(
            BASE, form_data(ticket, email="amara@example.org"), REMOTE_ADDR=f"192.0.2.{index}"
        )
        assert response.status_code == 302
    sixth = client.post(BASE, form_data(ticket), REMOTE_ADDR="192.0.2.99")
    assert sixth.status_code == 429
    assert [m.kind for m in outbox(to_email="amara@example.org")] == [
        "registration_confirm_address"
    ] + ["registration_already_registered"] * 4


def test_questions_visa_and_waiver_through_the_form(client, ticket):
    text = QuestionFactory(edition=ticket.edition, label="Why?", required=True)
    choice = QuestionFactory(
        edition=ticket.edition, kind=QuestionKind.CHOICE, choices="Bus\nTrain", label="How?"
    )
    box = QuestionFactory(edition=ticket.edition, kind=QuestionKind.CHECKBOX, label="Photos?")
    response = client.post(BASE, form_data(ticket))
    assert f"question_{text.pk}" in response.context["form"].errors
    data = form_data(
        ticket,
        **{
            f"question_{text.pk}": "To learn",
            f"question_{choice.pk}": "Train",
            f"question_{box.pk}": "on",
            "needs_visa_letter": "on",
            "full_name": "AMARA OKAFOR",
            "passport_number": "P7654321",
            "nationality": "PH",
            "date_of_birth": "1980-05-17",
            "waiver_kind": "subsidy",
            "waiver_reason": "Travel is expensive",
        },
    )
    response = client.post(BASE, data)
    assert response.status_code == 302
    registration = Registration.objects.get(email="amara@example.org")
    assert registration.passport.passport_number == "P7654321"
    assert registration.visa_letter.status == LetterStatus.REQUESTED
    assert registration.waiver_status == WaiverStatus.REQUESTED
    assert dict(
        Answer.objects.filter(registration=registration).values_list("question", "value")
    ) == {
        text.pk: "To learn",
        choice.pk: "Train",
        box.pk: "yes",
    }


def login_as(client, registration):
    user = UserFactory(email=registration.email)
    registration.user = user
    registration.save()
    client.force_login(user)
    return user


def test_my_registration_needs_login(client, ticket):
    response = client.get(BASE + "me/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/2009-tokyo/register/me/"


def test_my_registration_without_one(client, ticket):
    client.force_login(UserFactory())
    body = client.get(BASE + "me/").content.decode()
    assert "You have no registration for AFSE 2009." in body


def test_edit_details(client, ticket):
    registration = RegistrationFactory(ticket_type=ticket)
    login_as(client, registration)
    response = client.get(BASE + "me/edit/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = form_data(ticket, name="New Name", country="NZ")
    response = client.post(BASE + "me/edit/", data)
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.name, registration.country.code) == ("New Name", "NZ")


def test_cancel_with_confirmation_promotes_the_first_waiting(client, ticket, outbox):
    registration = RegistrationFactory(ticket_type=ticket)
    RegistrationFactory(ticket_type=ticket)
    waiting = RegistrationFactory(
        ticket_type=ticket, status=S.WAITLISTED, waitlisted_at=timezone.now()
    )
    login_as(client, registration)
    page = client.get(BASE + "me/cancel/")
    assert "Do you really want to cancel" in page.content.decode()
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED
    response = client.post(BASE + "me/cancel/")
    assert response.status_code == 302
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == S.CANCELLED
    assert waiting.status == S.CONFIRMED
    assert client.post(BASE + "me/cancel/").status_code == 404


def test_ask_for_support(client, ticket):
    registration = RegistrationFactory(ticket_type=ticket, fee=5000)
    login_as(client, registration)
    response = client.post(BASE + "me/support/", {"waiver_kind": "waiver", "waiver_reason": ""})
    assert "waiver_reason" in response.context["form"].errors
    response = client.post(
        BASE + "me/support/", {"waiver_kind": "waiver", "waiver_reason": "Small coop"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.waiver_status == WaiverStatus.REQUESTED


@pytest.mark.parametrize(
    ("changes", "offered", "refusal"),
    [
        ({"fee": 5000}, True, None),
        ({"fee": 0}, False, "There is no fee to waive."),
        ({"fee": 5000, "payment_status": "paid"}, False, "Your fee is already paid."),
        (
            {"fee": 5000, "waiver_status": WaiverStatus.REQUESTED},
            False,
            "You have already asked for support.",
        ),
    ],
)
def test_the_support_link_and_the_service_follow_one_rule(
    client, ticket, changes, offered, refusal
):
    """My registration offers the request exactly when the service would take it."""
    registration = RegistrationFactory(ticket_type=ticket, **changes)
    login_as(client, registration)
    page = client.get(BASE + "me/").content.decode()
    assert ("Ask for a fee waiver or a subsidy" in page) is offered
    response = client.post(
        BASE + "me/support/", {"waiver_kind": "waiver", "waiver_reason": "Small coop"}
    )
    registration.refresh_from_db()
    if offered:
        assert response.status_code == 302
        assert registration.waiver_status == WaiverStatus.REQUESTED
    else:
        assert response.status_code == 200
        assert refusal in response.content.decode()
        assert registration.waiver_status == changes.get("waiver_status", "")


@pytest.fixture
def visit(open_edition):
    session = SessionFactory(edition=open_edition, kind=SessionKind.VISIT, title="Farm visit")
    SessionCapacityFactory(session=session, capacity=1)
    return session


def test_sign_up_for_a_visit_then_waiting_list_position(client, ticket, visit):
    holder = RegistrationFactory(ticket_type=ticket)
    SessionSignup.objects.create(registration=holder, session=visit)
    registration = RegistrationFactory(ticket_type=ticket)
    login_as(client, registration)
    body = client.get(BASE + "me/").content.decode()
    assert "Farm visit" in body
    assert "0 of 1 seats left" in body
    response = client.post(BASE + "me/sessions/", {"session": visit.pk, "action": "sign_up"})
    assert response.status_code == 302
    signup = SessionSignup.objects.get(registration=registration)
    assert signup.status == SignupStatus.WAITLISTED
    body = client.get(BASE + "me/").content.decode()
    assert "You are number 1 on the waiting list." in body
    client.post(BASE + "me/sessions/", {"session": visit.pk, "action": "cancel"})
    signup.refresh_from_db()
    assert signup.status == SignupStatus.CANCELLED


def test_forged_or_foreign_session_ids_are_404(client, ticket, visit, other_edition):
    foreign = SessionFactory(edition=other_edition)
    SessionCapacityFactory(session=foreign)
    no_seats = SessionFactory(edition=ticket.edition)
    registration = RegistrationFactory(ticket_type=ticket)
    login_as(client, registration)
    for session_id in (foreign.pk, no_seats.pk, 999999, "abc", ""):
        response = client.post(BASE + "me/sessions/", {"session": session_id, "action": "sign_up"})
        assert response.status_code == 404
    assert not SessionSignup.objects.filter(registration=registration).exists()


def test_someone_elses_signup_cannot_be_cancelled(client, ticket, visit):
    other = RegistrationFactory(ticket_type=ticket)
    theirs = SessionSignup.objects.create(registration=other, session=visit)
    registration = RegistrationFactory(ticket_type=ticket)
    login_as(client, registration)
    response = client.post(BASE + "me/sessions/", {"session": visit.pk, "action": "cancel"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == SignupStatus.CONFIRMED


def test_my_registration_shows_only_my_own(client, ticket):
    other = RegistrationFactory(ticket_type=ticket, name="Someone Else")
    mine = RegistrationFactory(ticket_type=ticket, name="Me Myself")
    login_as(client, mine)
    body = client.get(BASE + "me/").content.decode()
    assert "Me Myself" in body
    assert "Someone Else" not in body
    assert other.reference not in body


def test_registration_of_another_edition_is_not_mine_here(client, ticket, other_edition):
    foreign = RegistrationFactory(ticket_type=TicketTypeFactory(edition=other_edition))
    login_as(client, foreign)
    body = client.get(BASE + "me/").content.decode()
    assert "You have no registration for AFSE 2009." in body
    assert client.get(BASE + "me/edit/").status_code == 404
    assert client.post(BASE + "me/cancel/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == S.CONFIRMED


def test_participants_list_shows_consenting_confirmed_with_native_script(client, ticket):
    RegistrationFactory(
        ticket_type=ticket,
        name="Aiko Abe",
        name_native="阿部 愛子",
        name_native_language="ja",
        public_listing=True,
    )
    RegistrationFactory(ticket_type=ticket, name="Hidden Person", public_listing=False)
    RegistrationFactory(
        ticket_type=ticket, name="Waiting Person", public_listing=True, status=S.WAITLISTED
    )
    body = client.get(BASE + "participants/").content.decode()
    assert '<span lang="ja">阿部 愛子</span>' in body
    assert "Hidden Person" not in body
    assert "Waiting Person" not in body


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _bulk(ticket, count, **fields):
    Registration.objects.bulk_create(
        RegistrationFactory.build(ticket_type=ticket, public_listing=True, **fields)
        for _ in range(count)
    )


def test_query_counts_constant_at_10_and_5000(client, ticket, visit):
    ticket.capacity = None
    ticket.save()
    registration = RegistrationFactory(ticket_type=ticket)
    login_as(client, registration)
    SessionSignup.objects.create(registration=registration, session=visit)
    _bulk(ticket, 10)
    # Warm the site and locale caches, and route both addresses (the route and the header are
    # then kept until a page changes: cms/routing.py, cms/chrome.py).
    _queries(client, BASE + "me/")
    _queries(client, BASE + "participants/")
    small_me = _queries(client, BASE + "me/")
    small_list = _queries(client, BASE + "participants/")
    _bulk(ticket, 4990)
    pks = list(Registration.objects.filter(ticket_type=ticket).values_list("pk", flat=True)[:300])
    SessionSignup.objects.bulk_create(
        SessionSignup(
            registration_id=pk,
            session=visit,
            status=SignupStatus.WAITLISTED,
            waitlisted_at=timezone.now(),
        )
        for pk in pks
        if pk != registration.pk
    )
    assert _queries(client, BASE + "me/") == small_me
    assert _queries(client, BASE + "participants/") == small_list
    assert Registration.objects.filter(edition=ticket.edition).count() >= 5001


def test_form_in_japanese(client, ticket):
    response = client.get("/ja/2009-tokyo/register/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "2009への参加登録" in body
    assert "ビザ招へい状が必要です" in body


def test_confirmation_token_of_another_edition_is_404(client, ticket, other_edition, outbox):
    client.post(BASE, form_data(ticket))
    token = Registration.objects.get(email="amara@example.org").confirmation_token
    response = client.post(f"/2007-manila/register/confirm/{token}/")
    assert response.status_code == 404
    assert Registration.objects.get(email="amara@example.org").status == S.UNCONFIRMED


def _tables(captured) -> list[str]:
    """Each query as its verb and its first table, e.g. 'SELECT registration_registration'
    (the savepoints that stand for transactions inside the test's own left out)."""
    found = []
    for query in captured:
        sql = query["sql"]
        if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            continue
        table = re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', sql)
        found.append(f"{sql.split(' ', 1)[0]} {table.group(1) if table else '?'}")
    return found


def test_submitting_the_form_makes_its_three_queries(client, ticket, outbox):
    """The route and the form's parts are kept (cms/routing.py, registration/public/form_cache.py);
    what is left is the registration's own: whether its new payment reference is taken, the
    registration and its email in the outbox. The rate limits are in Redis, not the database."""
    assert client.get(BASE).status_code == 200  # the route and the parts kept
    client.post(BASE, form_data(ticket, email="first@example.org"))
    with CaptureQueriesContext(connection) as captured:
        response = client.post(BASE, form_data(ticket), REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302
    assert _tables(captured) == [
        "SELECT registration_registration",
        "INSERT registration_registration",
        "INSERT registration_outboxemail",
    ]


def test_confirming_makes_its_twelve_queries_and_logs_in(client, ticket, outbox):
    """A confirmation link opened in a fresh browser: the address is routed from the register
    page's entry in the route cache (none of Wagtail's routing queries), then confirming
    (registration's eight), then the login: last_login, axes (one look for the attempts to
    delete, the access log) and the session, written once."""
    assert client.get(BASE).status_code == 200  # the register page's route kept
    client.post(BASE, form_data(ticket))
    link = confirm_link(outbox()[0])
    client.cookies.clear()
    client.cookies["csrftoken"] = "c" * 32  # the token of the page with the button
    with CaptureQueriesContext(connection) as captured:
        response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == BASE + "me/"
    assert _tables(captured) == [
        "SELECT registration_registration",  # the link's registration (the few fields needed)
        "SELECT registration_tickettype",  # locked
        "SELECT registration_registration",  # locked, read again
        "SELECT auth_user",  # an account with the address, or the user name taken?
        "INSERT auth_user",
        "SELECT registration_registration",  # the seats: confirmed and waiting, one count
        "UPDATE registration_registration",
        "INSERT registration_outboxemail",
        "UPDATE auth_user",  # last_login
        "SELECT axes_accessattempt",  # expired, this account's and this address's: none
        "INSERT django_session",
        "INSERT axes_accesslog",
    ]
    registration = Registration.objects.get(email="amara@example.org")
    assert registration.status == S.CONFIRMED
    # Logged in with a new session and a new CSRF token.
    session_key = response.cookies["sessionid"].value
    assert int(client.session["_auth_user_id"]) == registration.user_id
    assert client.session.session_key == session_key
    assert response.cookies["csrftoken"].value not in ("", "c" * 32)
    assert "Confirmed" in client.get(BASE + "me/").content.decode()
