"""Notices when a new programme release moves or cancels a session in a participant's agenda
(starred) or sign-ups: one email per participant per release, listing their sessions."""

import pytest
from django.conf import settings

from mail.models import OutboxEmail
from registration.enums import RegistrationStatus, SignupStatus
from registration.models import SessionSignup
from registration.services.notices import changed_sessions, notify_session_changes
from sessions_app.models import AgendaItem, Release, Session
from sessions_app.services.releases import publish_release
from tests.factories import EditionFactory, UserFactory
from tests.factories.mail import MailRegistrationFactory, MailTicketTypeFactory

pytestmark = pytest.mark.django_db

MOVED = "a-solidarity-tax-levy"
CANCELLED = "side-event-cooperative-film-evening"


@pytest.fixture
def ticket(edition):
    return MailTicketTypeFactory(edition=edition, name="Mail delegate")


@pytest.fixture
def v2(edition):
    return Release.objects.get(edition=edition, number=2)


def session(edition, slug) -> Session:
    return Session.objects.get(edition=edition, slug=slug)


def star(user, edition, slug) -> None:
    AgendaItem.objects.create(user=user, edition=edition, session_guid=session(edition, slug).guid)


def participant(ticket, **fields):
    user = UserFactory()
    return MailRegistrationFactory(ticket_type=ticket, user=user, **fields)


def test_changes_of_a_release_are_its_moves_and_cancellations(edition, v2):
    changes = changed_sessions(v2)
    assert sorted((c["title"], c["change"]) for c in changes.values()) == [
        ("A solidarity tax levy", "moved"),
        ("Side event: cooperative film evening", "cancelled"),
    ]
    moved = changes[str(session(edition, MOVED).guid)]
    assert (moved["previous_room"], moved["room"]) == ("Room C", "Room B")
    assert moved["start"].isoformat() == moved["previous_start"].isoformat()
    assert str(moved["start"].tzinfo) == "Asia/Tokyo"
    first = Release.objects.get(edition=edition, number=1)
    assert changed_sessions(first) == {}


def test_each_affected_participant_gets_one_email_listing_their_sessions(edition, ticket, v2):
    both = participant(ticket, name="Ana Cruz", email="ana@example.org")
    star(both.user, edition, MOVED)
    star(both.user, edition, CANCELLED)
    SessionSignup.objects.create(registration=both, session=session(edition, CANCELLED))
    signed_up = participant(ticket, name="Kenji", email="kenji@example.org", language="ja")
    SessionSignup.objects.create(registration=signed_up, session=session(edition, CANCELLED))
    unaffected = participant(ticket)
    star(unaffected.user, edition, "ethics-in-cooperative-finance")
    cancelled = participant(ticket, status=RegistrationStatus.CANCELLED)
    star(cancelled.user, edition, MOVED)
    dropped = participant(ticket)
    SessionSignup.objects.create(
        registration=dropped, session=session(edition, MOVED), status=SignupStatus.CANCELLED
    )

    assert notify_session_changes(release=v2) == 2
    assert notify_session_changes(release=v2) == 0  # once per release and participant

    emails = {e.to_email: e for e in OutboxEmail.objects.all()}
    assert sorted(emails) == ["ana@example.org", "kenji@example.org"]
    ana = emails["ana@example.org"]
    assert (ana.kind, ana.registration, ana.edition, ana.user) == (
        "session_change",
        both,
        edition,
        both.user,
    )
    assert ana.subject == "Changes to your sessions at AFSE 2009"
    assert ana.dedupe_key == f"session-change:{v2.pk}:{both.pk}"
    assert ana.body_text == (
        "Dear Ana Cruz,\n"
        "\n"
        "The programme of AFSE 2009 has changed (v2 — room changes). These sessions in your "
        "agenda or sign-ups are affected:\n"
        "\n"
        "- A solidarity tax levy\n"
        "  Now: Nov. 7, 2009, 2:30 p.m. to 4 p.m., Room B\n"
        "  Was: Nov. 7, 2009, 2:30 p.m. to 4 p.m., Room C\n"
        "\n"
        "- Side event: cooperative film evening\n"
        "  Cancelled.\n"
        "\n"
        "Your programme:\n"
        f"{settings.SITE_URL}/2009-tokyo/programme/mine/\n"
    )
    assert "<strong>A solidarity tax levy</strong>" in ana.body_html
    kenji = emails["kenji@example.org"]
    assert kenji.subject == "AFSE 2009のセッションの変更"
    assert "- Side event: cooperative film evening\n  中止になりました。\n" in kenji.body_text
    assert "A solidarity tax levy" not in kenji.body_text


def test_publishing_a_release_notifies_through_the_signal(
    edition, ticket, django_capture_on_commit_callbacks
):
    person = participant(ticket, email="mei@example.org")
    star(person.user, edition, "ethics-in-cooperative-finance")
    other_edition = EditionFactory()
    elsewhere = MailRegistrationFactory(
        ticket_type=MailTicketTypeFactory(edition=other_edition), user=person.user
    )
    assert elsewhere.edition != edition
    ethics = session(edition, "ethics-in-cooperative-finance")
    ethics.status = "cancelled"
    ethics.save()

    with django_capture_on_commit_callbacks(execute=True):
        v3 = publish_release(edition=edition, title="v3")

    email = OutboxEmail.objects.get()
    assert (email.to_email, email.registration, email.dedupe_key) == (
        "mei@example.org",
        person,
        f"session-change:{v3.pk}:{person.pk}",
    )
    assert "- Ethics in cooperative finance\n  Cancelled.\n" in email.body_text


@pytest.fixture
def broker_down():
    """Tasks go to a broker where nothing listens (as when Redis is down)."""
    from forum.celery import app as celery_app
    from tests.registration.conftest import free_port, use_broker

    before = celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False  # the autouse fixture restores it
    use_broker(f"redis://127.0.0.1:{free_port()}/0")
    yield
    use_broker(before)


def test_notices_are_written_at_once_when_the_broker_is_down(
    edition, ticket, broker_down, django_capture_on_commit_callbacks
):
    from registration.signals import notify_participants_of_release

    person = participant(ticket, email="mei@example.org")
    star(person.user, edition, "ethics-in-cooperative-finance")
    ethics = session(edition, "ethics-in-cooperative-finance")
    ethics.status = "cancelled"
    ethics.save()
    with django_capture_on_commit_callbacks(execute=False):
        v3 = publish_release(edition=edition, title="v3")
    notify_participants_of_release(sender=Release, release=v3)  # what the signal calls
    email = OutboxEmail.objects.get()
    assert (email.to_email, email.status) == ("mei@example.org", "pending")  # for the sweep
