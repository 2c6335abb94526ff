"""The public form's cached parts (registration/public/form_cache.py) and the emails the worker
renders: a constant number of queries, an organizer's change shown at once, selects drawn as
Django draws them, and each email rendered in its reader's language and sent once."""

import re

import pytest
from django import forms
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.questions import QuestionKind
from mail.enums import EmailStatus
from mail.models import OutboxEmail
from mail.services.outbox import send_outbox_email
from registration.enums import RegistrationStatus
from registration.models import Registration
from registration.public.forms import RegistrationForm
from registration.services.registrations import confirm_email
from tests.factories.registration import QuestionFactory, RegistrationFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db
BASE = "/2009-tokyo/register/"


def form_data(ticket, **overrides) -> dict:
    data = {
        "ticket_type": str(ticket.pk),
        "email": "amara@example.org",
        "name": "Amara Okafor",
        "country": "PH",
        "organization_kind": "cooperative",
        "language": "en",
        "consent": "on",
    }
    data.update(overrides)
    return data


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_form_queries_do_not_grow_with_ticket_types_and_questions(client, ticket):
    client.get(BASE)  # the site, the locale and the form's parts are read once and kept
    small = _queries(client, BASE + "?country=PH")
    for number in range(12):
        TicketTypeFactory(edition=ticket.edition, name=f"Kind {number}", capacity=10)
    for number in range(10):
        QuestionFactory(
            edition=ticket.edition,
            label=f"Question {number}",
            kind=QuestionKind.CHOICE,
            choices="Yes\nNo",
        )
    client.get(BASE)
    large = _queries(client, BASE + "?country=PH")
    body = client.get(BASE + "?country=PH").content.decode()
    assert "Kind 11 — fee" in body
    assert 'name="question_' in body
    assert large == small


def test_a_warm_form_reads_only_the_seats_of_the_form_itself(client, ticket):
    client.get(BASE)
    with CaptureQueriesContext(connection) as queries:
        client.get(BASE)
    registration_queries = [
        q["sql"]
        for q in queries.captured_queries
        if re.search(r'FROM "registration_(?!registrationpage)', q["sql"])
    ]
    # The seats left in the fee table: one count, everything else from the cache.
    assert len(registration_queries) == 1
    assert "COUNT(" in registration_queries[0]


def test_an_organizers_change_shows_at_once(client, ticket):
    assert "Test delegate — fee 5,000 JPY" in client.get(BASE + "?country=PH").content.decode()
    ticket.fee_lower_middle = 4500
    ticket.save()
    body = client.get(BASE + "?country=PH").content.decode()
    assert "Test delegate — fee 4,500 JPY" in body
    question = QuestionFactory(edition=ticket.edition, label="Your favourite <dish>")
    assert "Your favourite &lt;dish&gt;" in client.get(BASE).content.decode()
    question.delete()
    assert "Your favourite" not in client.get(BASE).content.decode()
    settings_row = ticket.edition.registration_settings
    settings_row.currency = "USD"
    settings_row.save()
    assert "Test delegate — fee 4,500 USD" in client.get(BASE + "?country=PH").content.decode()
    ticket.is_public = False
    ticket.save()
    assert "Test delegate" not in client.get(BASE).content.decode()


def test_the_seats_left_are_counted_on_each_request(client, ticket):
    assert "2 of 2" in client.get(BASE).content.decode()
    Registration.objects.create(
        edition=ticket.edition,
        ticket_type=ticket,
        reference="RBENCH0001",
        email="seat@example.org",
        name="Seat Taker",
        country="JP",
        status=RegistrationStatus.CONFIRMED,
    )
    assert "1 of 2" in client.get(BASE).content.decode()


def test_each_visitor_gets_a_csrf_token_of_their_own(client, ticket):
    from django.test import Client

    def token(c):
        body = c.get(BASE).content.decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)

    other = Client()
    token(client), token(other)
    assert client.cookies["csrftoken"].value != other.cookies["csrftoken"].value
    response = other.post(BASE, form_data(ticket, csrfmiddlewaretoken=token(other)))
    assert response.status_code == 302


def test_errors_are_not_kept_for_the_next_visitor(client, ticket):
    response = client.post(BASE, form_data(ticket, email="not an address", name=""))
    body = response.content.decode()
    assert "Enter a valid email address." in body
    assert 'value="not an address"' in body
    fresh = client.get(BASE).content.decode()
    assert "Enter a valid email address." not in fresh
    assert "not an address" not in fresh


def test_the_choice_of_country_and_the_japanese_form_are_kept_apart(client, ticket):
    philippines = client.get(BASE + "?country=PH").content.decode()
    assert '<option value="PH" selected>' in philippines
    plain = client.get(BASE).content.decode()
    countries = plain.split('id="id_country"')[1].split("</select>")[0]
    # Nothing chosen: the empty choice is the selected one, as Django's own Select draws it.
    assert re.findall(r'<option value="([^"]*)" selected>', countries) == [""]
    japanese = client.get("/ja/2009-tokyo/register/").content.decode()
    assert "ビザ招へい状が必要です" in japanese
    assert '<option value="ja" selected>' in japanese


class DjangoSelects(forms.Form):
    """The same choices drawn by Django's own Select, for comparison."""

    organization_kind = forms.ChoiceField(choices=[])
    language = forms.ChoiceField(choices=[])
    waiver_kind = forms.ChoiceField(choices=[], required=False)
    country = forms.ChoiceField(choices=[])


def _options(html: str) -> list[tuple[str, str, bool]]:
    return [
        (value, label, bool(selected))
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html
        )
    ]


@pytest.mark.parametrize("name", ["organization_kind", "language", "waiver_kind", "country"])
def test_selects_draw_the_options_django_draws(ticket, name):
    data = {
        "organization_kind": "cooperative",
        "language": "ja",
        "waiver_kind": "",
        "country": "KR",
    }
    ours = RegistrationForm(data, ticket_types=[ticket])
    theirs = DjangoSelects(data)
    theirs.fields[name].choices = ours.fields[name].choices
    assert _options(str(ours[name])) == _options(str(theirs[name]))
    assert sum(selected for *_rest, selected in _options(str(ours[name]))) == 1


def test_a_questions_choices_are_escaped_and_the_answer_selected(ticket):
    question = QuestionFactory(
        edition=ticket.edition,
        label="Session",
        kind=QuestionKind.CHOICE,
        choices='Fish & chips\n<b>Bold</b>\nSay "hi"',
    )
    field = f"question_{question.pk}"
    form = RegistrationForm({field: 'Say "hi"'}, ticket_types=[ticket], questions=[question])
    html = str(form[field])
    assert '<option value="Fish &amp; chips">Fish &amp; chips</option>' in html
    assert '<option value="&lt;b&gt;Bold&lt;/b&gt;">&lt;b&gt;Bold&lt;/b&gt;</option>' in html
    assert '<option value="Say &quot;hi&quot;" selected>Say &quot;hi&quot;</option>' in html


def test_a_ticket_type_of_another_edition_is_refused_by_the_form(ticket, other_edition):
    foreign = TicketTypeFactory(edition=other_edition, name="Elsewhere")
    form = RegistrationForm(form_data(ticket, ticket_type=str(foreign.pk)), ticket_types=[ticket])
    assert not form.is_valid()
    assert form.errors["ticket_type"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


def test_the_confirmation_email_is_rendered_by_the_worker_in_the_readers_language(
    client, ticket, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxEmail.objects.all().delete()
    response = client.post(BASE, form_data(ticket, language="ja"))
    assert response.status_code == 302
    row = OutboxEmail.objects.get(kind="registration_confirm_address")
    # The request wrote the row only: the worker renders it.
    assert (row.subject, row.body_text, row.template) == (
        "",
        "",
        "registration/email/confirm_address",
    )
    assert send_outbox_email(email_id=row.pk) == "sent"
    assert send_outbox_email(email_id=row.pk) == "already sent"
    row.refresh_from_db()
    registration = Registration.objects.get(email="amara@example.org")
    assert row.status == EmailStatus.SENT
    assert row.template == ""
    assert "/ja/2009-tokyo/register/confirm/" + registration.confirmation_token in row.body_text
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", row.subject)  # in Japanese
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == row.subject
    assert mail.outbox[0].body == row.body_text


def test_the_waiting_list_email_gives_the_position_it_had_when_written(client, ticket, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ticket.capacity = 0
    ticket.save()
    for number in (1, 2):
        client.post(BASE, form_data(ticket, email=f"w{number}@example.org", language="en"))
    mine = Registration.objects.filter(email__in=["w1@example.org", "w2@example.org"])
    for registration in mine.order_by("pk"):
        confirm_email(registration=registration, token=registration.confirmation_token)
    rows = list(OutboxEmail.objects.filter(kind="registration_waitlisted").order_by("pk"))
    assert [row.body_text for row in rows] == ["", ""]
    assert [send_outbox_email(email_id=row.pk) for row in rows] == ["sent", "sent"]
    bodies = [mail_.body for mail_ in mail.outbox]
    assert "Your position on the waiting list: 1." in bodies[0]
    assert "Your position on the waiting list: 2." in bodies[1]


def test_the_received_email_is_rendered_with_what_to_pay_when_it_is_sent(client, ticket):
    from mail.services.outbox import render_outbox_email

    client.post(BASE, form_data(ticket, country="PH"))
    registration = Registration.objects.get(email="amara@example.org")
    confirm_email(registration=registration, token=registration.confirmation_token)
    row = OutboxEmail.objects.get(kind="registration_received")
    assert row.body_text == ""
    render_outbox_email(row)
    row.refresh_from_db()
    assert row.template == ""
    assert row.context == {}
    assert "Amount due: 5" in row.body_text
    assert "JPY" in row.body_text
    assert "Your registration for " in row.body_text
    assert "Test delegate" in row.body_text


def test_an_email_whose_registration_is_gone_fails_and_is_never_sent(client, ticket, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(BASE, form_data(ticket))
    row = OutboxEmail.objects.get(kind="registration_confirm_address")
    Registration.objects.all().delete()
    assert send_outbox_email(email_id=row.pk) == "failed"
    row.refresh_from_db()
    assert row.status == EmailStatus.FAILED
    assert "no longer exists" in row.last_error
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("field", "value", "valid"),
    [
        ("country", "JP", True),
        ("country", "XX", False),
        ("nationality", "XX", False),
        ("country", "jp", False),
    ],
)
def test_a_country_is_checked_by_its_code(ticket, field, value, valid):
    data = form_data(ticket, **{field: value})
    form = RegistrationForm(data, ticket_types=[ticket], questions=[], currency="JPY")
    assert form.is_valid() is valid
    if not valid:
        assert field in form.errors


def test_the_fee_table_is_kept_but_the_seats_left_are_written_in_per_request(client, ticket):
    ticket.capacity = 2
    ticket.save()
    before = client.get(BASE).content.decode()
    assert '<td data-label="Seats left" class="seats-left">2 of 2</td>' in before
    RegistrationFactory(ticket_type=ticket, edition=ticket.edition, status="confirmed")
    after = client.get(BASE).content.decode()
    assert '<td data-label="Seats left" class="seats-left">1 of 2</td>' in after
    assert "<!--seats:" not in after
