"""Registration in the Wagtail admin: organizers of an edition run its registration and never
reach another edition's; the list filters and searches; a registration's page shows passport
details only to those allowed."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.enums import EditionRoleKind
from forum.models import EditionGroup
from mail.models import OutboxEmail
from registration.enums import LetterStatus, RegistrationStatus, WaiverStatus
from registration.models import (
    Answer,
    CountryIncomeGroup,
    PassportDetails,
    Question,
    SessionCapacity,
    SessionSignup,
    TicketType,
    VisaLetter,
)
from sessions_app.models import Session
from tests.factories import UserFactory
from tests.factories.programme import SessionFactory
from tests.registration.admin_helpers import (
    add_registrations,
    clear_registrations,
    registration,
    ticket_type,
    user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(client):
    client.force_login(user("tokyo-organizer"))
    return client


def assert_denied(response):
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


def list_url(edition, **query):
    from urllib.parse import urlencode

    url = reverse("registration_admin_list", args=[edition.slug])
    return f"{url}?{urlencode(query)}" if query else url


def listed(response) -> list[str]:
    return [r.reference for r in response.context["page"].object_list]


# Permissions --------------------------------------------------------------------------------


def test_organizer_group_gets_registration_permissions_but_not_passports(edition):
    group = EditionGroup.objects.get(edition=edition, role=EditionRoleKind.ORGANIZER).group
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {
        "view_registration",
        "change_registration",
        "check_in_registration",
        "add_tickettype",
        "change_tickettype",
        "add_question",
        "change_registrationsettings",
        "add_sessioncapacity",
        "change_countryincomegroup",
    } <= codenames
    assert "view_passport_details" not in codenames
    programme = EditionGroup.objects.get(
        edition=edition, role=EditionRoleKind.PROGRAMME_COMMITTEE
    ).group
    assert not programme.permissions.filter(content_type__app_label="registration").exists()


def test_menu_has_registration_for_organizers_only(client):
    client.force_login(user("tokyo-organizer"))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Registration" in home
    assert "?go=checkin" in home
    client.force_login(user("tokyo-programme"))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "?go=checkin" not in home


def test_programme_committee_has_no_registration_access(client, edition):
    client.force_login(user("tokyo-programme"))
    assert_denied(client.get(list_url(edition)))
    assert_denied(client.get(reverse("registration_admin_home")))
    assert_denied(client.get(reverse("tickettype:index")))


def test_home_goes_straight_to_the_only_edition(organizer, edition):
    response = organizer.get(reverse("registration_admin_home") + "?go=checkin")
    assert response.status_code == 302
    assert response["Location"] == reverse("registration_admin_checkin", args=[edition.slug])


def test_home_lists_every_edition_for_a_superuser(client, edition, other_edition):
    client.force_login(user("organizer"))
    response = client.get(reverse("registration_admin_home") + "?go=list")
    assert response.status_code == 200
    names = [e.name for e in response.context["editions"]]
    assert edition.name in names
    assert other_edition.name in names


# Viewsets of the configuration --------------------------------------------------------------


TICKET_FORM = {
    "edition": "",
    "name": "Community guest",
    "position": "2",
    "description": "",
    "capacity": "40",
    "colour": "#224488",
    "is_public": "on",
    "fee_high": "150.00",
    "fee_upper_middle": "100.00",
    "fee_lower_middle": "50.00",
    "fee_low": "0.00",
}


def test_organizer_adds_a_ticket_type_for_their_edition_only(organizer, edition, other_edition):
    form = organizer.get(reverse("tickettype:add")).context["form"]
    assert list(form.fields["edition"].queryset) == [edition]
    response = organizer.post(reverse("tickettype:add"), {**TICKET_FORM, "edition": edition.pk})
    assert response.status_code == 302
    observer = TicketType.objects.get(edition=edition, name="Community guest")
    assert (observer.capacity, observer.fee_high, observer.fee_low) == (
        40,
        Decimal("150.00"),
        Decimal("0.00"),
    )
    response = organizer.post(
        reverse("tickettype:add"),
        {**TICKET_FORM, "edition": other_edition.pk, "name": "Manila press"},
    )
    assert response.status_code == 200
    assert "edition" in response.context["form"].errors
    assert not TicketType.objects.filter(name="Manila press").exists()


def test_bad_ticket_type_input_is_refused_with_a_message(organizer, edition):
    count = TicketType.objects.count()
    response = organizer.post(
        reverse("tickettype:add"),
        {**TICKET_FORM, "edition": edition.pk, "colour": "red", "capacity": "-3"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["colour"] == ["Use a colour such as #1d5c4d."]
    assert "capacity" in errors
    assert TicketType.objects.count() == count


def test_organizer_cannot_reach_another_editions_ticket_types(organizer, other_edition):
    foreign = ticket_type(other_edition, "Manila delegate")
    assert_denied(organizer.get(reverse("tickettype:edit", args=[foreign.pk])))
    assert_denied(organizer.post(reverse("tickettype:delete", args=[foreign.pk])))
    assert TicketType.objects.filter(pk=foreign.pk).exists()
    listing = organizer.get(reverse("tickettype:index")).content.decode()
    assert "Manila delegate" not in listing


def test_organizer_adds_a_choice_question_and_a_bad_one_is_refused(organizer, edition):
    data = {
        "edition": edition.pk,
        "label": "Which visit?",
        "help_text": "",
        "kind": "choice",
        "choices": "Only one",
        "position": "1",
    }
    response = organizer.post(reverse("question:add"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["choices"] == [
        "Give at least two choices, one per line."
    ]
    response = organizer.post(reverse("question:add"), {**data, "choices": "Farm\nBank"})
    assert response.status_code == 302
    assert Question.objects.get(edition=edition, label="Which visit?").choice_list == [
        "Farm",
        "Bank",
    ]


def test_session_seats_offer_only_the_organizers_sessions(organizer, edition, other_edition):
    foreign = SessionFactory(edition=other_edition, title="Manila visit")
    form = organizer.get(reverse("sessioncapacity:add")).context["form"]
    editions = set(form.fields["session"].queryset.values_list("edition_id", flat=True))
    assert editions == {edition.pk}
    response = organizer.post(
        reverse("sessioncapacity:add"),
        {"session": foreign.pk, "capacity": "10", "signup_open": "on"},
    )
    assert response.status_code == 200
    assert "session" in response.context["form"].errors
    own = Session.objects.filter(edition=edition).exclude(seats__isnull=False).first()
    response = organizer.post(
        reverse("sessioncapacity:add"), {"session": own.pk, "capacity": "0", "signup_open": "on"}
    )
    assert response.status_code == 200
    assert "capacity" in response.context["form"].errors
    response = organizer.post(
        reverse("sessioncapacity:add"), {"session": own.pk, "capacity": "12", "signup_open": "on"}
    )
    assert response.status_code == 302
    assert SessionCapacity.objects.get(session=own).capacity == 12
    seats = SessionCapacity.objects.create(session=foreign, capacity=5)
    assert_denied(organizer.get(reverse("sessioncapacity:edit", args=[seats.pk])))


def test_raising_a_full_sessions_seats_promotes_exactly_the_first_waiting(
    organizer, edition, outbox
):
    from registration.enums import SignupStatus
    from registration.services.signups import sign_up_for_session
    from sessions_app.enums import SessionKind

    visit = SessionFactory(edition=edition, kind=SessionKind.VISIT, title="Tama visit")
    seats = SessionCapacity.objects.create(session=visit, capacity=25)
    ticket = ticket_type(edition, "Visitors", capacity=None)
    people = add_registrations(edition, ticket, 41)
    signups = [sign_up_for_session(registration=r, session=visit) for r in people]
    assert [s.status for s in signups] == ["confirmed"] * 25 + ["waitlisted"] * 16
    waiting = signups[25:]
    OutboxEmail.objects.all().delete()

    form = {"session": visit.pk, "capacity": "30", "signup_open": "on"}
    response = organizer.post(reverse("sessioncapacity:edit", args=[seats.pk]), form)
    assert response.status_code == 302
    statuses = {
        s.pk: s.status for s in SessionSignup.objects.filter(pk__in=[w.pk for w in waiting])
    }
    assert [statuses[w.pk] for w in waiting] == [SignupStatus.CONFIRMED] * 5 + [
        SignupStatus.WAITLISTED
    ] * 11
    promoted_mail = [(m.kind, m.to_email) for m in outbox()]
    assert promoted_mail == [
        ("registration_session_promoted", w.registration.email) for w in waiting[:5]
    ]
    # Saving again (nothing changed) promotes nobody and mails nobody twice.
    organizer.post(reverse("sessioncapacity:edit", args=[seats.pk]), form)
    assert [(m.kind, m.to_email) for m in outbox()] == promoted_mail
    assert SessionSignup.objects.filter(session=visit, status=SignupStatus.CONFIRMED).count() == 30


def test_registration_settings_refuse_a_close_before_the_opening(organizer, edition):
    response = organizer.post(
        reverse("registrationsettings:add"),
        {
            "edition": edition.pk,
            "opens_at": "2009-06-01 09:00",
            "closes_at": "2009-05-01 09:00",
            "currency": "JPY",
            "contact_email": "",
            "payment_instructions": "",
            "reminder_days_before": "7",
            "passport_retention_days": "30",
            "letterhead": "",
            "letter_signatory": "",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["closes_at"] == [
        "Registration must close after it opens."
    ]


def test_organizer_changes_a_countrys_income_group(organizer):
    nepal = CountryIncomeGroup.objects.get(country="NP")
    response = organizer.post(
        reverse("countryincomegroup:edit", args=[nepal.pk]),
        {"country": "NP", "income_group": "lower_middle"},
    )
    assert response.status_code == 302
    nepal.refresh_from_db()
    assert nepal.income_group == "lower_middle"


# The list -----------------------------------------------------------------------------------


@pytest.fixture
def people(edition):
    """A few registrations of Tokyo that differ in each filtered field."""
    clear_registrations(edition)
    delegate = ticket_type(edition, "Delegate", capacity=100)
    press = ticket_type(edition, "Press")
    made = {
        "tanaka": registration(
            edition,
            delegate,
            name="Tanaka Hanako",
            name_native="田中花子",
            name_native_language="ja",
            email="hanako@coop.example.jp",
            organization_name="Seikatsu Club",
            organization_kind="cooperative",
            payment_status="paid",
        ),
        "santos": registration(
            edition,
            delegate,
            name="Maria Santos",
            country="PH",
            organization_name="Manila Fair Trade",
            organization_kind="fair_trade",
            status=RegistrationStatus.WAITLISTED,
            waiver_kind="waiver",
            waiver_status=WaiverStatus.REQUESTED,
            payment_status="due",
        ),
        "kim": registration(
            edition,
            press,
            name="Kim Min-jun",
            country="KR",
            organization_kind="nonprofit",
            status=RegistrationStatus.PENDING_APPROVAL,
            needs_visa_letter=True,
            checked_in_at=None,
        ),
    }
    made["tanaka"].checked_in_at = datetime.datetime(2009, 11, 7, 0, 30, tzinfo=datetime.UTC)
    made["tanaka"].save(update_fields=["checked_in_at"])
    VisaLetter.objects.create(registration=made["kim"], status=LetterStatus.REQUESTED)
    made["delegate"], made["press"] = delegate, press
    return made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["kim", "santos", "tanaka"]),
        ({"status": "waitlisted"}, ["santos"]),
        ({"country": "KR"}, ["kim"]),
        ({"organization_kind": "fair_trade"}, ["santos"]),
        ({"payment_status": "paid"}, ["tanaka"]),
        ({"waiver": "requested"}, ["santos"]),
        ({"waiver": "none"}, ["kim", "tanaka"]),
        ({"visa_letter": "requested"}, ["kim"]),
        ({"visa_letter": "no"}, ["santos", "tanaka"]),
        ({"checked_in": "yes"}, ["tanaka"]),
        ({"checked_in": "no"}, ["kim", "santos"]),
        ({"q": "田中"}, ["tanaka"]),
        ({"q": "HANAKO@coop"}, ["tanaka"]),
        ({"q": "fair trade"}, ["santos"]),
        ({"q": "nobody-at-all"}, []),
    ],
)
def test_list_filters_and_search(organizer, edition, people, query, expected):
    response = organizer.get(list_url(edition, **query))
    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(people[k].reference for k in expected)


def test_list_filters_by_ticket_type_and_reference(organizer, edition, people):
    response = organizer.get(list_url(edition, ticket_type=people["press"].pk))
    assert listed(response) == [people["kim"].reference]
    response = organizer.get(list_url(edition, q=people["santos"].reference.lower()))
    assert listed(response) == [people["santos"].reference]


def test_list_shows_native_names_with_their_language(organizer, edition, people):
    html = organizer.get(list_url(edition)).content.decode()
    assert '<span lang="ja">田中花子</span>' in html


def test_bad_filters_list_nothing_and_say_why(organizer, edition, other_edition, people):
    foreign = ticket_type(other_edition, "Manila delegate")
    response = organizer.get(list_url(edition, ticket_type=foreign.pk, status="bogus"))
    assert response.status_code == 200
    assert listed(response) == []
    errors = response.context["form"].errors
    assert errors["ticket_type"] == ["This ticket type is not one of this edition's."]
    assert errors["status"] == ["Select a valid choice. bogus is not one of the available choices."]


def test_list_of_another_edition_is_refused(organizer, other_edition):
    assert_denied(organizer.get(list_url(other_edition)))
    response = organizer.get(reverse("registration_admin_list", args=["no-such-edition"]))
    assert response.status_code == 404


def test_another_editions_registration_is_not_found(organizer, edition, other_edition):
    manila = registration(other_edition, ticket_type(other_edition, "Manila delegate"))
    # Through Tokyo's address: not found; through Manila's: refused.
    response = organizer.get(reverse("registration_admin_detail", args=[edition.slug, manila.pk]))
    assert response.status_code == 404
    assert_denied(
        organizer.get(reverse("registration_admin_detail", args=[other_edition.slug, manila.pk]))
    )
    response = organizer.post(
        reverse("registration_admin_action", args=[edition.slug, manila.pk, "approve"])
    )
    assert response.status_code == 404


def _list_queries(client, edition) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(list_url(edition, status="confirmed", q="Participant"))
        assert response.status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_the_edition(organizer, edition):
    clear_registrations(edition)
    delegate = ticket_type(edition)
    add_registrations(edition, delegate, 10)
    small = _list_queries(organizer, edition)
    add_registrations(edition, delegate, 4990)
    response = organizer.get(list_url(edition, status="confirmed", q="Participant"))
    assert response.context["page"].paginator.count == 5000
    assert len(response.context["page"].object_list) == 50
    assert _list_queries(organizer, edition) == small


# A registration's page ----------------------------------------------------------------------


@pytest.fixture
def visa_applicant(edition):
    delegate = ticket_type(edition)
    person = registration(edition, delegate, name="Ram Thapa", country="NP", needs_visa_letter=True)
    PassportDetails.objects.create(
        registration=person,
        full_name="RAM BAHADUR THAPA",
        passport_number="PA1234567",
        nationality="NP",
        date_of_birth=datetime.date(1970, 3, 1),
    )
    question = Question.objects.create(edition=edition, label="Which visit?", kind="text")
    Answer.objects.create(registration=person, question=question, value="The farm <b>co-op</b>")
    return person


def test_detail_shows_answers_but_passport_only_with_the_permission(
    organizer, edition, visa_applicant
):
    url = reverse("registration_admin_detail", args=[edition.slug, visa_applicant.pk])
    response = organizer.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Which visit?" in html
    assert "The farm &lt;b&gt;co-op&lt;/b&gt;" in html
    assert "PA1234567" not in html
    assert "Passport details are shown only to people allowed to see them." in html
    assert "no-store" in response["Cache-Control"]

    person = user("tokyo-organizer")
    person.user_permissions.add(
        Permission.objects.get(
            codename="view_passport_details", content_type__app_label="registration"
        )
    )
    organizer.force_login(user("tokyo-organizer"))
    html = organizer.get(url).content.decode()
    assert "PA1234567" in html
    assert "RAM BAHADUR THAPA" in html


def test_a_new_organizer_of_manila_sees_manilas_registrations_only(client, edition, other_edition):
    from forum.services import grant_edition_role

    manila_person = registration(other_edition, ticket_type(other_edition, "Manila delegate"))
    tokyo_person = registration(edition, ticket_type(edition))
    someone = UserFactory(username="manila-organizer")
    grant_edition_role(edition=other_edition, user=someone, role=EditionRoleKind.ORGANIZER)
    grant_edition_role(edition=edition, user=someone, role=EditionRoleKind.MODERATOR)
    client.force_login(someone)
    response = client.get(list_url(other_edition))
    assert listed(response) == [manila_person.reference]
    assert_denied(client.get(list_url(edition)))
    assert_denied(
        client.get(reverse("registration_admin_detail", args=[edition.slug, tokyo_person.pk]))
    )
