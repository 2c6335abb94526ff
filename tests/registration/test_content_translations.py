"""Organizers' registration content in several languages: ticket types, questions and their
choices, payment instructions — on the form, the participant's pages and in mail, in the
reader's language, the source where a translation is missing (and marked)."""

# ruff: noqa: RUF001 - Japanese text and its full-width punctuation

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from registration.models import Answer, Question, Registration, TicketType
from registration.wagtail_hooks import TicketTypeViewSet
from tests.factories.registration import TicketTypeFactory
from tests.registration.admin_helpers import user

pytestmark = pytest.mark.django_db

BASE = "/2009-tokyo/register/"
VISITS = "Which fact-finding visit interests you most?"
UNTRANSLATED = "What do you hope to bring back to your organization?"


def form_data(ticket, **overrides) -> dict:
    data = {
        "ticket_type": str(ticket.pk),
        "email": "amara@example.org",
        "name": "Amara Okafor",
        "country": "PH",
        "organization_name": "Manila Women's Cooperative",
        "organization_kind": "cooperative",
        "language": "ja",
        "public_listing": "on",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_the_japanese_form_shows_translated_tickets_and_questions(client, open_edition):
    page = client.get("/ja" + BASE).content.decode()
    assert "代表参加者" in page
    assert "報道関係者" in page
    assert "最も関心のある視察はどれですか？" in page
    visits = Question.objects.get(edition=open_edition, label_en=VISITS)
    # Translated labels, source values: an answer is stored the same in every language.
    assert '<option value="An NPO bank">NPOバンク</option>' in page
    assert f'name="question_{visits.pk}"' in page
    # The question nobody translated: in English, marked.
    note = '<small class="source-note" lang="ja">（英語）</small>'
    assert f'<span lang="en">{UNTRANSLATED}</span> {note}' in page


def test_the_korean_form_falls_back_where_korean_is_missing(client, open_edition):
    page = client.get("/ko" + BASE).content.decode()
    assert "대표 참가자" in page
    assert "가장 관심 있는 현장 방문은 무엇입니까?" in page
    assert '<option value="An NPO bank">NPO 은행</option>' in page
    assert (
        '<span lang="en">Will you join the welcome dinner on 7 November?</span> '
        '<small class="source-note" lang="ko">(영어)</small>' in page
    )
    # Volunteer has no Korean name: shown in English, marked for screen readers.
    assert (
        '<span lang="en">Volunteer</span> <small class="source-note visually-hidden" lang="ko">'
        in (page)
    )


def test_a_translated_choice_is_stored_as_its_source(client, open_edition):
    visits = Question.objects.get(edition=open_edition, label_en=VISITS)
    ticket = TicketTypeFactory(edition=open_edition, name="Test delegate", capacity=5)
    response = client.post(
        "/ja" + BASE, form_data(ticket, **{f"question_{visits.pk}": "An NPO bank"})
    )
    assert response.status_code == 302
    registration = Registration.objects.get(email="amara@example.org")
    assert Answer.objects.get(registration=registration, question=visits).value == "An NPO bank"


def test_mail_and_my_registration_name_the_ticket_in_the_participants_language(
    client, open_edition, outbox
):
    ticket = TicketTypeFactory(
        edition=open_edition, name="Test delegate", name_ja="テスト代表", capacity=5
    )
    assert client.post("/ja" + BASE, form_data(ticket)).status_code == 302
    link = re.search(r"https?://[^/]+(/\S+/register/confirm/[-\w]+/)", outbox()[0].body_text)
    client.post(link.group(1))
    received = outbox()[-1]
    assert received.language == "ja"
    assert "テスト代表" in received.body_text
    assert "Test delegate" not in received.body_text
    page = client.get("/ja" + BASE + "me/").content.decode()
    assert "<dd>テスト代表</dd>" in page
    english = client.get(BASE + "me/").content.decode()
    assert "<dd>Test delegate</dd>" in english


def test_a_missing_translation_reads_as_the_source():
    ticket = TicketType(name_en="Observer", name_ja="オブザーバー")
    with translation.override("ko"):
        assert ticket.name == "Observer"
    with translation.override("ja"):
        assert ticket.name == "オブザーバー"


def test_the_admin_edits_translations_beside_the_source(client, open_edition):
    client.force_login(user("tokyo-organizer"))
    ticket = TicketType.objects.get(edition=open_edition, name_en="Press")
    page = client.get(reverse("tickettype:edit", args=[ticket.pk])).content.decode()
    assert 'name="name_ja"' in page
    assert 'name="name_ko"' in page
    assert 'name="description_vi"' in page
    assert 'name="name_en"' not in page  # the source is the `name` field itself


def test_an_admin_in_japanese_changes_the_source_and_the_translation_apart(open_edition):
    ticket = TicketType.objects.get(edition=open_edition, name_en="Press")
    form_class = TicketTypeViewSet.edit_handler.bind_to_model(TicketType).get_form_class()
    with translation.override("ja"):
        form = form_class(instance=ticket)
        assert form.initial["name"] == "Press"
        assert form.initial["name_ja"] == "報道関係者"
        data = {
            **{k: v for k, v in form.initial.items() if v is not None},
            "edition": open_edition.pk,
            "name": "Media",
            "name_ja": "メディア",
            "is_public": "on",
        }
        form = form_class(data, instance=ticket)
        assert form.is_valid(), form.errors
        form.save()
    ticket.refresh_from_db()
    assert (ticket.name_en, ticket.name_ja) == ("Media", "メディア")


def _form_queries(client) -> int:
    client.get("/ja" + BASE)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/ja" + BASE).status_code == 200
    return len(queries)


def test_form_queries_do_not_grow_with_translated_tickets_and_questions(client, open_edition):
    small = _form_queries(client)
    for i in range(20):
        TicketTypeFactory(edition=open_edition, name=f"Ticket {i}", name_ja=f"券 {i}")
        Question.objects.create(
            edition=open_edition,
            label=f"Question {i}",
            label_ja=f"質問 {i}",
            kind="choice",
            choices="Yes\nNo",
            choices_ja="はい\nいいえ",
        )
    assert _form_queries(client) == small


def test_an_announcement_goes_out_in_each_participants_language(edition):
    from mail.models import OutboxEmail
    from registration.mail.services.announcements import send_announcement
    from registration.models import Announcement
    from tests.factories.mail import MailRegistrationFactory, MailTicketTypeFactory

    delegate = MailTicketTypeFactory(edition=edition, name="Announcement delegate")
    people = {
        code: MailRegistrationFactory(
            ticket_type=delegate, email=f"{code}@example.org", language=code
        )
        for code in ("en", "ja", "ko")
    }
    announcement = Announcement.objects.create(
        edition=edition,
        subject="Bus times",
        body="The bus leaves at 8.",
        subject_ja="バスの時刻",
        body_ja="バスは8時に出発します。",
    )
    announcement.ticket_types.set([delegate])
    send_announcement(announcement=announcement)
    sent = {row.to_email: row for row in OutboxEmail.objects.filter(kind="announcement")}
    assert "バスの時刻" in sent[people["ja"].email].subject
    assert "バスは8時に出発します。" in sent[people["ja"].email].body_text
    # No Korean: the source.
    assert "Bus times" in sent[people["ko"].email].subject
    assert "The bus leaves at 8." in sent[people["en"].email].body_text


def test_the_announcement_form_offers_each_language(client):
    client.force_login(user("tokyo-organizer"))
    page = client.get(reverse("registration_announcement_new")).content.decode()
    assert 'name="subject_ja"' in page
    assert 'name="body_ko"' in page


def _admin_list_queries(client, edition) -> tuple[int, str]:
    url = reverse("registration_admin_list", args=[edition.slug])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
    return len(queries), response.content.decode()


def test_registration_list_queries_do_not_grow_with_translated_ticket_types(client, edition):
    from wagtail.users.models import UserProfile

    from tests.registration.admin_helpers import add_registrations, clear_registrations

    organizer = user("tokyo-organizer")
    profile = UserProfile.get_for_user(organizer)
    profile.preferred_language = "ja"  # the admin in Japanese: ticket types named in Japanese
    profile.save()
    client.force_login(organizer)
    clear_registrations(edition)
    tickets = [
        TicketTypeFactory(edition=edition, name=f"Ticket {i}", name_ja=f"券 {i}") for i in range(3)
    ]
    for ticket in tickets:
        add_registrations(edition, ticket, 2)
    small, page = _admin_list_queries(client, edition)
    assert "券 0" in page
    for ticket in tickets:
        add_registrations(edition, ticket, 20)
    large, page = _admin_list_queries(client, edition)
    assert page.count("券 ") >= 50
    assert large == small
