"""A participant's own programme: stars, overlaps, and a private, revocable calendar address."""

import pytest
from django.conf import settings

from sessions_app.models import AgendaItem, CalendarToken, Release
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE = "/2009-tokyo/programme/"


def guid(slug: str) -> str:
    release = Release.objects.get(edition__slug="2009-tokyo", number=2)
    return next(s["guid"] for s in release.snapshot["sessions"] if s["slug"] == slug)


@pytest.fixture
def participant(client):
    user = UserFactory(username="amaya")
    client.force_login(user)
    return user


def star(client, slug: str, action: str = "add"):
    return client.post(BASE + "mine/star/", {"session": guid(slug), "action": action, "next": BASE})


def test_anonymous_visitors_are_asked_to_log_in(client):
    page = client.get(BASE).content.decode()
    assert "Log in to keep your own programme" in page
    assert "star-form" not in page
    response = client.get(BASE + "mine/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/2009-tokyo/programme/mine/"


def test_starring_a_session_puts_it_in_my_programme(client, participant):
    response = star(client, "micro-finance-and-npo-banks")
    assert response.status_code == 302
    assert response["Location"] == BASE
    page = client.get(BASE + "mine/").content.decode()
    assert "Micro-finance and NPO banks" in page
    assert "Coffee break" not in page
    assert 'aria-pressed="true"' in client.get(BASE).content.decode()


def test_unstarring_removes_it(client, participant):
    star(client, "coffee-break")
    star(client, "coffee-break", action="remove")
    assert not AgendaItem.objects.filter(user=participant).exists()


def test_overlapping_choices_are_pointed_out(client, participant):
    star(client, "socially-responsible-investment-in-asia")
    star(client, "fair-trade-from-producer-to-consumer")  # same time, another room
    star(client, "coffee-break")
    page = client.get(BASE + "mine/").content.decode()
    assert "Some of your sessions overlap" in page
    assert page.count("Overlaps another of your sessions") == 2


def test_a_forged_session_is_refused_and_nothing_saved(client, participant):
    response = client.post(BASE + "mine/star/", {"session": "not-a-guid", "action": "add"})
    assert response.status_code == 400
    draft_guid = "00000000-0000-0000-0000-000000000000"
    response = client.post(BASE + "mine/star/", {"session": draft_guid, "action": "add"})
    assert response.status_code == 400
    assert not AgendaItem.objects.filter(user=participant).exists()


def test_an_external_next_address_is_not_followed(client, participant):
    response = client.post(
        BASE + "mine/star/", {"session": guid("coffee-break"), "next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/2009-tokyo/programme/mine/"


def test_starring_needs_a_post(client, participant):
    assert client.get(BASE + "mine/star/").status_code == 405


def test_private_calendar_address_serves_my_sessions_until_revoked(client, participant):
    star(client, "coffee-break")
    client.post(BASE + "mine/calendar/", {"action": "issue"})
    token = CalendarToken.objects.get(user=participant, revoked_at__isnull=True).token
    page = client.get(BASE + "mine/").content.decode()
    assert f"{settings.SITE_URL}/2009-tokyo/programme/mine/{token}.ics" in page

    client.logout()  # calendar applications do not log in
    feed = client.get(f"{BASE}mine/{token}.ics")
    assert feed.status_code == 200
    assert feed["Cache-Control"] == "private, max-age=300"
    body = feed.content.decode()
    assert body.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Coffee break" in body

    client.force_login(participant)
    client.post(BASE + "mine/calendar/", {"action": "revoke"})
    client.logout()
    assert client.get(f"{BASE}mine/{token}.ics").status_code == 404


def test_a_new_address_replaces_the_old_one(client, participant):
    client.post(BASE + "mine/calendar/", {"action": "issue"})
    old = CalendarToken.objects.get(user=participant).token
    client.post(BASE + "mine/calendar/", {"action": "issue"})
    assert client.get(f"{BASE}mine/{old}.ics").status_code == 404
    new = CalendarToken.objects.get(user=participant, revoked_at__isnull=True).token
    assert new != old
    assert client.get(f"{BASE}mine/{new}.ics").status_code == 200


def test_a_guessed_token_gets_nothing(client):
    assert client.get(BASE + "mine/" + "A" * 43 + ".ics").status_code == 404
