"""Bulk actions of the session and speaker lists: a confirmation page, then the programme's
services for each selected object of the person's own editions, and a message."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from forum.models import Edition
from sessions_app.enums import SessionStatus
from sessions_app.models import Room, Session, Speaker, Track
from tests.factories.programme import SessionFactory

pytestmark = pytest.mark.django_db


def login(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def bulk_url(model: str, action: str, ids) -> str:
    query = "&".join(f"id={pk}" for pk in ids)
    base = reverse("wagtail_bulk_action", args=["sessions_app", model, action])
    return f"{base}?{query}&next={reverse(f'{model}:index')}"


def tokyo_sessions(*slugs):
    return [Session.objects.get(edition__slug="2009-tokyo", slug=slug) for slug in slugs]


def messages_of(response) -> list[str]:
    return [str(m).strip() for m in response.context["messages"]]


def test_the_session_list_offers_a_checkbox_per_row_and_the_bulk_actions(client):
    login(client, "tokyo-programme")
    html = client.get(reverse("session:index")).content.decode()
    session = tokyo_sessions("coffee-break")[0]
    assert f'data-object-id="{session.pk}" data-bulk-action-checkbox' in html
    for action in ("set-status", "set-track", "set-room"):
        assert reverse("wagtail_bulk_action", args=["sessions_app", "session", action]) in html
    speakers = client.get(reverse("speaker:index")).content.decode()
    assert (
        reverse("wagtail_bulk_action", args=["sessions_app", "speaker", "export-csv"]) in speakers
    )


def test_set_status_confirms_then_changes_every_selected_session(client):
    login(client, "tokyo-programme")
    sessions = tokyo_sessions("coffee-break", "a-solidarity-tax-levy")
    url = bulk_url("session", "set-status", [s.pk for s in sessions])
    confirm = client.get(url)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Give these sessions a new status:" in page
    assert "<li>Coffee break</li>" in page
    assert "<li>A solidarity tax levy</li>" in page
    assert Session.objects.get(pk=sessions[0].pk).status == SessionStatus.CONFIRMED

    response = client.post(url, {"status": SessionStatus.CANCELLED}, follow=True)
    assert messages_of(response) == ["2 sessions now have the status “Cancelled”."]
    assert {s.status for s in Session.objects.filter(pk__in=[s.pk for s in sessions])} == {
        SessionStatus.CANCELLED
    }


def test_set_track_offers_only_the_editions_tracks_and_sets_it(client):
    login(client, "tokyo-programme")
    sessions = tokyo_sessions("coffee-break", "a-solidarity-tax-levy")
    url = bulk_url("session", "set-track", [s.pk for s in sessions])
    form = client.get(url).context["form"]
    tokyo_tracks = set(Track.objects.filter(edition__slug="2009-tokyo"))
    assert set(form.fields["target"].queryset) == tokyo_tracks
    fair_trade = Track.objects.get(edition__slug="2009-tokyo", slug="fair-trade")
    response = client.post(url, {"target": fair_trade.pk}, follow=True)
    assert messages_of(response) == ["2 sessions are now in the track “Fair trade”."]
    assert [s.track_id for s in Session.objects.filter(pk__in=[s.pk for s in sessions])] == [
        fair_trade.pk,
        fair_trade.pk,
    ]
    manila_track = Track.objects.create(
        edition=Edition.objects.get(slug="2007-manila"), name="Manila", slug="manila"
    )
    refused = client.post(url, {"target": manila_track.pk})
    assert refused.status_code == 200
    assert "target" in refused.context["form"].errors


def test_set_room_keeps_the_times_and_goes_through_the_scheduling_service(client):
    login(client, "tokyo-programme")
    session = tokyo_sessions("a-solidarity-tax-levy")[0]
    start, end = session.start, session.end
    room_c = Room.objects.get(edition__slug="2009-tokyo", name="Room C")
    response = client.post(
        bulk_url("session", "set-room", [session.pk]), {"target": room_c.pk}, follow=True
    )
    assert messages_of(response) == ["1 session moved to Room C."]
    session.refresh_from_db()
    assert (session.room_id, session.start, session.end) == (room_c.pk, start, end)
    assert session.room.name == "Room C"


def test_forged_ids_of_another_edition_are_never_acted_on(client):
    manila = Edition.objects.get(slug="2007-manila")
    foreign = SessionFactory(edition=manila, title="Manila plenary", status=SessionStatus.DRAFT)
    login(client, "tokyo-programme")
    only_foreign = bulk_url("session", "set-status", [foreign.pk])
    assert client.get(only_foreign).status_code == 404
    assert client.post(only_foreign, {"status": SessionStatus.CANCELLED}).status_code == 404
    own = tokyo_sessions("coffee-break")[0]
    mixed = bulk_url("session", "set-status", [own.pk, foreign.pk])
    page = client.get(mixed).content.decode()
    assert "Manila plenary" not in page
    assert "1 selected item is not yours to change and is left out." in page
    client.post(mixed, {"status": SessionStatus.CANCELLED})
    foreign.refresh_from_db()
    own.refresh_from_db()
    assert (foreign.status, own.status) == (SessionStatus.DRAFT, SessionStatus.CANCELLED)


def test_a_session_the_service_refuses_is_reported_and_the_others_are_changed(client):
    login(client, "tokyo-programme")
    tokyo = Edition.objects.get(slug="2009-tokyo")
    broken = SessionFactory(edition=tokyo, title="Broken room")
    manila_room = Room.objects.create(edition=Edition.objects.get(slug="2007-manila"), name="M")
    Session.objects.filter(pk=broken.pk).update(room=manila_room)  # written past the checks
    good = tokyo_sessions("coffee-break")[0]
    response = client.post(
        bulk_url("session", "set-status", [good.pk, broken.pk]),
        {"status": SessionStatus.DRAFT},
        follow=True,
    )
    assert messages_of(response) == [
        "Broken room: This room belongs to another edition.",
        "1 session now has the status “Draft”.",
    ]
    good.refresh_from_db()
    assert good.status == SessionStatus.DRAFT


def test_drafting_committee_has_no_bulk_actions(client):
    login(client, "tokyo-drafting")
    session = tokyo_sessions("coffee-break")[0]
    assert client.get(bulk_url("session", "set-status", [session.pk])).status_code == 404


def test_export_speakers_downloads_the_selection_as_csv(client):
    login(client, "tokyo-programme")
    tanaka = Speaker.objects.get(edition__slug="2009-tokyo", name="Hiroshi Tanaka")
    sato = Speaker.objects.get(edition__slug="2009-tokyo", name="Yuki Sato")
    manila = Edition.objects.get(slug="2007-manila")
    foreign = Speaker.objects.create(edition=manila, name="=HYPERLINK()", slug="evil")
    url = bulk_url("speaker", "export-csv", [tanaka.pk, sato.pk, foreign.pk])
    assert "Export these speakers as a CSV file:" in client.get(url).content.decode()
    response = client.post(url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="speakers.csv"'
    lines = response.content.decode().lstrip("\ufeff").splitlines()
    assert lines[0] == "Name,Name in native script,Organization,Country,Edition,Sessions"
    assert len(lines) == 3
    assert lines[1] == (
        "Hiroshi Tanaka,田中 博,Japan Workers' Co-operative Union (日本労働者協同組合連合会),"
        "Japan,AFSE 2009,Solidarity Economy from the Asian Perspective; "
        "Micro-finance and NPO banks; Public policy and legislation for the SSE"
    )
    assert lines[2].startswith("Yuki Sato,佐藤 由紀,")
    assert "HYPERLINK" not in response.content.decode()
