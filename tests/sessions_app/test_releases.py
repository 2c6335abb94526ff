"""Releases: what the public sees is a frozen snapshot, versioned session by session."""

import datetime
import threading

import pytest
from django.db import connection

from forum.models import Edition
from sessions_app.enums import SessionStatus
from sessions_app.models import Release, Session
from sessions_app.services.releases import (
    HardConflictsError,
    build_snapshot,
    diff_snapshots,
    publish_release,
)
from tests.factories import EditionFactory
from tests.factories.programme import RoomFactory, SessionFactory, local


@pytest.fixture
def tokyo(db):
    return Edition.objects.get(slug="2009-tokyo")


def titles(snapshot) -> list[str]:
    return [s["title"] for s in snapshot["sessions"]]


def test_demo_has_two_releases_and_the_draft_stays_out(tokyo):
    v1, v2 = Release.objects.filter(edition=tokyo).order_by("number")
    assert (v1.number, v1.title, v2.number, v2.title) == (1, "v1", 2, "v2 — room changes")
    assert "Draft: youth and the SSE" not in titles(v2.snapshot)
    assert len(v1.snapshot["sessions"]) == 14
    assert len(v2.snapshot["sessions"]) == 15


def test_snapshot_times_are_in_the_editions_time_zone(tokyo):
    v2 = Release.objects.get(edition=tokyo, number=2)
    opening = next(s for s in v2.snapshot["sessions"] if s["slug"].startswith("solidarity"))
    assert opening["start"] == "2009-11-07T09:30:00+09:00"
    assert opening["end"] == "2009-11-07T11:00:00+09:00"
    assert opening["duration_minutes"] == 90
    assert opening["interpretation"] == ["ja", "ko"]


def test_changelog_lists_moved_cancelled_and_new_sessions(tokyo):
    v1, v2 = Release.objects.filter(edition=tokyo).order_by("number")
    changes = diff_snapshots(v1.snapshot, v2.snapshot)
    assert titles({"sessions": changes["new"]}) == ["Ethics in cooperative finance"]
    assert titles({"sessions": changes["cancelled"]}) == ["Side event: cooperative film evening"]
    assert titles({"sessions": changes["moved"]}) == ["A solidarity tax levy"]
    assert changes["changed"] == []


def test_sequence_rises_only_for_changed_sessions_and_guids_stay(tokyo):
    v1, v2 = Release.objects.filter(edition=tokyo).order_by("number")
    before = {s["guid"]: s for s in v1.snapshot["sessions"]}
    for session in v2.snapshot["sessions"]:
        if session["guid"] not in before:
            assert session["sequence"] == 0
        elif session["slug"] in ("a-solidarity-tax-levy", "side-event-cooperative-film-evening"):
            assert session["sequence"] == 1
        else:
            assert session["sequence"] == 0


def test_publishing_again_without_changes_keeps_every_sequence(tokyo):
    release = publish_release(edition=tokyo, title="v3")
    previous = Release.objects.get(edition=tokyo, number=2)
    assert release.number == 3
    assert [s["sequence"] for s in release.snapshot["sessions"]] == [
        s["sequence"] for s in previous.snapshot["sessions"]
    ]


def test_editing_the_draft_does_not_change_the_published_release(tokyo):
    session = Session.objects.get(edition=tokyo, slug="a-solidarity-tax-levy")
    session.title = "Renamed in the draft"
    session.save()
    v2 = Release.objects.get(edition=tokyo, number=2)
    assert "A solidarity tax levy" in titles(v2.snapshot)
    assert "Renamed in the draft" in titles(build_snapshot(tokyo))


def test_hard_conflicts_block_publishing_and_change_nothing(db):
    edition = EditionFactory(
        start_date=datetime.date(2030, 10, 1), end_date=datetime.date(2030, 10, 2), year=2030
    )
    room = RoomFactory(edition=edition)
    for title in ("A", "B"):
        SessionFactory(
            edition=edition,
            room=room,
            title=title,
            start=local(edition, 0, "09:00"),
            end=local(edition, 0, "10:00"),
        )
    with pytest.raises(HardConflictsError) as excinfo:
        publish_release(edition=edition, title="v1")
    assert str(excinfo.value) == "The programme has 1 conflict(s) that block publishing."
    assert [c.kind for c in excinfo.value.conflicts] == ["room_double_booked"]
    assert not Release.objects.filter(edition=edition).exists()


def test_warnings_do_not_block_publishing(db):
    edition = EditionFactory(
        start_date=datetime.date(2030, 10, 1), end_date=datetime.date(2030, 10, 2), year=2030
    )
    room = RoomFactory(edition=edition, capacity=10)
    SessionFactory(
        edition=edition,
        room=room,
        expected_attendance=50,
        start=local(edition, 0, "09:00"),
        end=local(edition, 0, "10:00"),
    )
    assert publish_release(edition=edition, title="v1").number == 1


def test_a_session_taken_out_of_the_programme_shows_as_cancelled_in_the_changelog(tokyo):
    session = Session.objects.get(edition=tokyo, slug="a-solidarity-tax-levy")
    session.status = SessionStatus.DRAFT
    session.save()
    v3 = publish_release(edition=tokyo, title="v3")
    changes = diff_snapshots(Release.objects.get(edition=tokyo, number=2).snapshot, v3.snapshot)
    assert titles({"sessions": changes["cancelled"]}) == ["A solidarity tax levy"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_publishers_get_distinct_release_numbers(demo_site):
    tokyo = Edition.objects.get(slug="2009-tokyo")
    errors: list[Exception] = []

    def publish(n: int) -> None:
        try:
            publish_release(edition=tokyo, title=f"parallel {n}")
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(Release.objects.filter(edition=tokyo).values_list("number", flat=True))
    assert numbers == list(range(1, 9))
