"""The programme in the Wagtail admin: scoped to the person's editions, times in local time,
publishing refused while hard conflicts remain."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text

from forum.models import Edition
from sessions_app.models import Release, Room, Session
from tests.factories.programme import SessionFactory

pytestmark = pytest.mark.django_db


def login(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def session_form(edition, room, **changes) -> dict:
    data = {
        "edition": edition.pk,
        "title": "Cooperative housing",
        "slug": "cooperative-housing",
        "kind": "workshop",
        "track": "",
        "status": "confirmed",
        "abstract": rich_text("<p>Housing cooperatives in Asia.</p>"),
        "room": room.pk,
        "start": "2009-11-08 14:00",
        "end": "2009-11-08 15:30",
        "expected_attendance": "20",
        "language": "en",
        "interpretation_languages": "",
        "meeting_point": "",
        "transport_notes": "",
        "speaker_links-TOTAL_FORMS": "0",
        "speaker_links-INITIAL_FORMS": "0",
        "speaker_links-MIN_NUM_FORMS": "0",
        "speaker_links-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def assert_denied(response):
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


def test_programme_committee_adds_a_session_in_local_time(client):
    login(client, "tokyo-programme")
    tokyo = Edition.objects.get(slug="2009-tokyo")
    room = Room.objects.get(edition=tokyo, name="Room C")
    response = client.post(reverse("session:add"), session_form(tokyo, room))
    assert response.status_code == 302, response.content.decode()[:3000]
    session = Session.objects.get(edition=tokyo, slug="cooperative-housing")
    # 14:00 in Tokyo is 05:00 UTC.
    assert session.start == datetime.datetime(2009, 11, 8, 5, 0, tzinfo=datetime.UTC)
    edit = client.get(reverse("session:edit", args=[session.pk])).content.decode()
    assert 'value="2009-11-08 14:00"' in edit


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end": "2009-11-08 13:00"}, "end", "The session must end after it starts."),
        ({"end": ""}, "end", "Give both the start and the end, or neither."),
        (
            {"start": "2009-11-20 10:00", "end": "2009-11-20 11:00"},
            "start",
            "The session falls outside the edition's days.",
        ),
        (
            {"interpretation_languages": "ja, klingon!"},
            "interpretation_languages",
            "is not a language code",
        ),
    ],
)
def test_bad_session_input_gets_a_clear_message_and_saves_nothing(client, changes, field, message):
    login(client, "tokyo-programme")
    tokyo = Edition.objects.get(slug="2009-tokyo")
    room = Room.objects.get(edition=tokyo, name="Room C")
    count = Session.objects.count()
    response = client.post(reverse("session:add"), session_form(tokyo, room, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors.get(field, [])), errors
    assert Session.objects.count() == count


def test_a_room_of_another_edition_is_refused(client):
    login(client, "organizer")
    tokyo = Edition.objects.get(slug="2009-tokyo")
    manila = Edition.objects.get(slug="2007-manila")
    foreign = Room.objects.create(edition=manila, name="Manila hall")
    response = client.post(reverse("session:add"), session_form(tokyo, foreign))
    assert response.status_code == 200
    assert "This room belongs to another edition." in response.context["form"].errors["room"]


def test_programme_committee_cannot_reach_another_editions_sessions(client):
    manila = Edition.objects.get(slug="2007-manila")
    foreign = SessionFactory(edition=manila, title="Manila plenary")
    login(client, "tokyo-programme")
    assert_denied(client.get(reverse("session:edit", args=[foreign.pk])))
    assert_denied(client.post(reverse("session:delete", args=[foreign.pk])))
    assert Session.objects.filter(pk=foreign.pk).exists()
    listing = client.get(reverse("session:index"))
    assert "Manila plenary" not in listing.content.decode()
    form = client.get(reverse("session:add")).context["form"]
    assert list(form.fields["edition"].queryset) == [Edition.objects.get(slug="2009-tokyo")]


def test_drafting_committee_has_no_programme_access(client):
    login(client, "tokyo-drafting")
    assert_denied(client.get(reverse("session:index")))


def test_session_list_shows_conflicts(client):
    login(client, "tokyo-programme")
    tokyo = Edition.objects.get(slug="2009-tokyo")
    session = Session.objects.get(edition=tokyo, slug="coffee-break")
    session.expected_attendance = 900
    session.save()
    html = client.get(reverse("session:index")).content.decode()
    assert "0 blocking, 1 warning(s)" in html
    assert "“Coffee break” expects 900 people but Main Hall holds 500." in html


def test_publishing_in_the_admin_makes_a_release(client):
    login(client, "tokyo-organizer")
    tokyo = Edition.objects.get(slug="2009-tokyo")
    response = client.post(
        reverse("release:add"), {"edition": tokyo.pk, "title": "v3 — final", "notes": "Final."}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Release.objects.get(edition=tokyo, number=3).title == "v3 — final"


def test_publishing_with_hard_conflicts_is_refused_with_the_reasons(client):
    login(client, "tokyo-organizer")
    tokyo = Edition.objects.get(slug="2009-tokyo")
    clash = Session.objects.get(edition=tokyo, slug="coffee-break")
    opening = Session.objects.get(
        edition=tokyo, slug="solidarity-economy-from-the-asian-perspective"
    )
    clash.start, clash.end = opening.start, opening.end
    clash.save()
    response = client.post(reverse("release:add"), {"edition": tokyo.pk, "title": "v3"})
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert "The programme has 1 conflict(s) that block publishing." in errors
    assert any("are both in Main Hall at the same time" in e for e in errors)
    assert not Release.objects.filter(edition=tokyo, number=3).exists()


def test_a_room_in_use_cannot_be_deleted(client):
    login(client, "tokyo-organizer")
    room = Room.objects.get(edition__slug="2009-tokyo", name="Room A")
    response = client.post(reverse("room:delete", args=[room.pk]), follow=True)
    assert response.status_code == 200
    assert Room.objects.filter(pk=room.pk).exists()
    text = response.content.decode()
    assert (
        "is still in use and was not deleted. In use by: Local and grassroots development" in text
    )


def test_an_unused_room_can_be_deleted(client):
    login(client, "tokyo-organizer")
    room = Room.objects.create(edition=Edition.objects.get(slug="2009-tokyo"), name="Spare")
    response = client.post(reverse("room:delete", args=[room.pk]))
    assert response.status_code == 302
    assert not Room.objects.filter(pk=room.pk).exists()


def test_deleting_an_edition_takes_its_programme_with_it(db):
    from cms.models import EditionPage

    manila = Edition.objects.get(slug="2007-manila")
    room = Room.objects.create(edition=manila, name="Manila hall")
    SessionFactory(edition=manila, room=room)
    for page in EditionPage.objects.filter(edition=manila):
        page.delete()
    manila.delete()
    assert not Room.objects.filter(pk=room.pk).exists()
