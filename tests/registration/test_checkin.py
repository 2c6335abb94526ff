"""Checking participants in by their badge code: once, confirmed ones only, scoped to the
edition, and safe when two desks scan the same badge at once."""

import datetime
import threading

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse

from registration.checkin.services import CheckInError, check_in, normalise_badge_code
from registration.enums import RegistrationStatus
from registration.models import Registration
from tests.registration.admin_helpers import registration, ticket_type, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(edition):
    return registration(edition, ticket_type(edition), name="Tanaka Hanako")


def test_check_in_records_the_time_and_the_desk(edition, confirmed):
    desk = user("tokyo-organizer")
    checked = check_in(edition=edition, code=confirmed.badge_code.lower(), actor=desk)
    confirmed.refresh_from_db()
    assert checked.pk == confirmed.pk
    assert confirmed.checked_in_at is not None
    assert confirmed.checked_in_by == desk


def test_second_check_in_is_refused_with_the_time_of_the_first(edition, confirmed):
    confirmed.checked_in_at = datetime.datetime(2009, 11, 7, 0, 5, tzinfo=datetime.UTC)
    confirmed.save(update_fields=["checked_in_at"])
    with pytest.raises(CheckInError) as refused:
        check_in(edition=edition, code=confirmed.badge_code, actor=user("tokyo-organizer"))
    # 00:05 UTC is 09:05 in Tokyo.
    assert refused.value.messages == [
        "Tanaka Hanako was already checked in at 7 Nov 2009, 09:05 (Asia/Tokyo)."
    ]


@pytest.mark.parametrize(
    "status",
    [
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.PENDING_APPROVAL,
        RegistrationStatus.CANCELLED,
        RegistrationStatus.REFUSED,
        RegistrationStatus.UNCONFIRMED,
    ],
)
def test_only_confirmed_registrations_are_checked_in(edition, status):
    person = registration(edition, ticket_type(edition), name="Kim Min-jun", status=status)
    with pytest.raises(CheckInError) as refused:
        check_in(edition=edition, code=person.badge_code, actor=user("tokyo-organizer"))
    label = RegistrationStatus(status).label
    assert refused.value.messages == [
        f"Kim Min-jun cannot be checked in: the registration is “{label}”."
    ]
    person.refresh_from_db()
    assert person.checked_in_at is None


def test_another_editions_badge_is_unknown_here(edition, other_edition):
    manila = registration(other_edition, ticket_type(other_edition, "Manila delegate"))
    with pytest.raises(CheckInError) as refused:
        check_in(edition=edition, code=manila.badge_code, actor=user("tokyo-organizer"))
    assert refused.value.messages == [
        f"No registration for AFSE 2009 has the badge code {manila.badge_code}."
    ]
    manila.refresh_from_db()
    assert manila.checked_in_at is None


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("abcdefgh23", "ABCDEFGH23"),
        ("  ABCDEFGH23\n", "ABCDEFGH23"),
        ("https://forum.example.org/2009-tokyo/badge/ABCDEFGH23", "ABCDEFGH23"),
        ("ABCDEFGH2", ""),  # too short
        ("ABCDEFGH10", ""),  # 1 and 0 are not in badge codes
        ("", ""),
        ("<script>alert(1)</script>", ""),
    ],
)
def test_badge_code_is_found_in_what_was_typed_or_scanned(raw, code):
    assert normalise_badge_code(raw) == code


def test_empty_code_is_refused_with_a_message(edition):
    with pytest.raises(CheckInError) as refused:
        check_in(edition=edition, code="   ", actor=user("tokyo-organizer"))
    assert refused.value.messages == ["Enter or scan a badge code: ten letters and digits."]


# The page -----------------------------------------------------------------------------------


def test_checkin_page_checks_in_then_refuses_the_second_time(client, edition, confirmed):
    client.force_login(user("tokyo-organizer"))
    url = reverse("registration_admin_checkin", args=[edition.slug])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "vendor/jsqr/jsQR.js" in html
    assert "js/checkin.js" in html
    assert "<script>" not in html.split('id="ra-scan-heading"')[1]  # no inline script of ours
    response = client.post(url, {"code": confirmed.badge_code})
    assert response.status_code == 200
    assert "Tanaka Hanako is checked in" in response.content.decode()
    again = client.post(url, {"code": confirmed.badge_code})
    assert again.status_code == 409
    confirmed.refresh_from_db()
    assert again.context["error"] == (
        "Tanaka Hanako was already checked in at "
        + confirmed.checked_in_at.astimezone(
            datetime.timezone(datetime.timedelta(hours=9))
        ).strftime("%-d %b %Y, %H:%M")
        + " (Asia/Tokyo)."
    )


def test_checkin_page_of_another_edition_is_refused(client, other_edition):
    client.force_login(user("tokyo-organizer"))
    response = client.get(reverse("registration_admin_checkin", args=[other_edition.slug]))
    assert response.status_code in (302, 403)
    client.force_login(user("tokyo-programme"))
    edition_url = reverse("registration_admin_checkin", args=["2009-tokyo"])
    assert client.post(edition_url, {"code": "ABCDEFGH23"}).status_code in (302, 403)


def test_checkin_page_with_a_bad_code_says_so(client, edition):
    client.force_login(user("tokyo-organizer"))
    url = reverse("registration_admin_checkin", args=[edition.slug])
    response = client.post(url, {"code": ""})
    assert response.status_code == 400
    assert response.context["error"] == "This field is required."
    response = client.post(url, {"code": "ZZZZZZZZZZ"})
    assert response.status_code == 409
    assert response.context["error"] == (
        "No registration for AFSE 2009 has the badge code ZZZZZZZZZZ."
    )


@pytest.mark.postgres
def test_two_desks_scanning_one_badge_check_it_in_once(demo_site):
    from forum.models import Edition

    edition = Edition.objects.get(slug="2009-tokyo")
    person = registration(edition, ticket_type(edition), name="Maria Santos")
    desk = user("tokyo-organizer")
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def scan():
        try:
            barrier.wait()
            check_in(edition=edition, code=person.badge_code, actor=desk)
            outcomes.append("in")
        except CheckInError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["in"] + ["refused"] * 7
    assert Registration.objects.get(pk=person.pk).checked_in_at is not None


def test_checkin_page_speaks_the_organizers_admin_language(client, edition):
    from wagtail.users.models import UserProfile

    desk = user("tokyo-organizer")
    profile = UserProfile.get_for_user(desk)
    profile.preferred_language = "ja"
    profile.save()
    client.force_login(desk)
    url = reverse("registration_admin_checkin", args=[edition.slug])
    response = client.post(url, {"code": "ZZZZZZZZZZ"})
    assert response.status_code == 409
    assert response.context["error"] == "AFSE 2009 にはバッジコード ZZZZZZZZZZ の登録がありません。"
    html = response.content.decode()
    assert "バッジを読み取る" in html
    assert "コードを入力する" in html
