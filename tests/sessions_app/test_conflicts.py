"""The conflict rules, on a small edition of their own and on the demo programme."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sessions_app.enums import ConflictKind, SessionStatus
from sessions_app.models import SpeakerAvailability
from sessions_app.services.conflicts import find_conflicts
from tests.factories import EditionFactory
from tests.factories.programme import (
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    add_speaker,
    local,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EditionFactory(
        start_date=datetime.date(2030, 10, 1), end_date=datetime.date(2030, 10, 3), year=2030
    )


@pytest.fixture
def hall(edition):
    return RoomFactory(edition=edition, name="Hall", capacity=100)


def session(edition, room, day, start, end, **kwargs):
    return SessionFactory(
        edition=edition,
        room=room,
        start=local(edition, day, start),
        end=local(edition, day, end),
        **kwargs,
    )


def kinds(edition) -> list[str]:
    return [c.kind for c in find_conflicts(edition)]


def test_a_clean_programme_has_no_conflicts(edition, hall):
    session(edition, hall, 0, "09:00", "10:00")
    session(edition, hall, 0, "10:00", "11:00")  # touching ends do not overlap
    assert kinds(edition) == []


def test_two_sessions_in_one_room_at_once_is_a_hard_conflict(edition, hall):
    a = session(edition, hall, 0, "09:00", "10:30", title="Plenary")
    b = session(edition, hall, 0, "10:00", "11:00", title="Workshop")
    (conflict,) = find_conflicts(edition)
    assert conflict.kind == ConflictKind.ROOM_DOUBLE_BOOKED
    assert conflict.is_hard
    assert conflict.session_ids == (a.pk, b.pk)
    assert conflict.message == "“Plenary” and “Workshop” are both in Hall at the same time."


def test_a_speaker_in_two_sessions_at_once_is_a_hard_conflict(edition, hall):
    other = RoomFactory(edition=edition)
    speaker = SpeakerFactory(edition=edition, name="田中 博")
    a = session(edition, hall, 1, "09:00", "10:30", title="A")
    b = session(edition, other, 1, "10:00", "11:00", title="B")
    add_speaker(a, speaker)
    add_speaker(b, speaker)
    (conflict,) = find_conflicts(edition)
    assert conflict.kind == ConflictKind.SPEAKER_DOUBLE_BOOKED
    assert conflict.message == "田中 博 speaks in “A” and “B” at the same time."


def test_a_session_outside_the_editions_days_is_a_hard_conflict(edition, hall):
    session(edition, hall, 3, "09:00", "10:00")  # the day after the last
    assert kinds(edition) == [ConflictKind.OUTSIDE_EDITION]
    assert find_conflicts(edition)[0].is_hard


def test_a_room_smaller_than_the_attendance_warns(edition, hall):
    session(edition, hall, 0, "09:00", "10:00", expected_attendance=150)
    (conflict,) = find_conflicts(edition)
    assert conflict.kind == ConflictKind.ROOM_TOO_SMALL
    assert not conflict.is_hard


def test_a_speaker_outside_their_availability_warns(edition, hall):
    speaker = SpeakerFactory(edition=edition)
    SpeakerAvailability.objects.create(
        speaker=speaker, start=local(edition, 1, "08:00"), end=local(edition, 2, "18:00")
    )
    add_speaker(session(edition, hall, 0, "09:00", "10:00"), speaker)
    add_speaker(session(edition, hall, 1, "09:00", "10:00"), speaker)
    assert kinds(edition) == [ConflictKind.SPEAKER_UNAVAILABLE]


def test_interpretation_in_a_room_without_booths_warns(edition):
    room = RoomFactory(edition=edition, has_interpretation_booths=False)
    session(edition, room, 0, "09:00", "10:00", interpretation_languages="ja, ko")
    assert kinds(edition) == [ConflictKind.NO_BOOTHS]


def test_cancelled_and_unscheduled_sessions_cause_no_conflicts(edition, hall):
    session(edition, hall, 0, "09:00", "10:00")
    session(edition, hall, 0, "09:00", "10:00", status=SessionStatus.CANCELLED)
    SessionFactory(edition=edition)  # no time, no room
    assert kinds(edition) == []


def test_hard_conflicts_come_first(edition, hall):
    session(edition, hall, 0, "09:00", "10:00", expected_attendance=500)
    session(edition, hall, 0, "09:30", "10:30")
    assert kinds(edition) == [ConflictKind.ROOM_DOUBLE_BOOKED, ConflictKind.ROOM_TOO_SMALL]


def test_the_demo_programme_is_free_of_conflicts():
    from forum.models import Edition

    assert find_conflicts(Edition.objects.get(slug="2009-tokyo")) == []


def test_check_schedule_prints_conflicts_and_fails_on_a_hard_one(edition, hall):
    session(edition, hall, 0, "09:00", "10:00", title="A")
    session(edition, hall, 0, "09:30", "10:30", title="B")
    out = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("check_schedule", edition.slug, stdout=out)
    assert excinfo.value.returncode == 2
    assert "1 hard conflict(s), 0 warning(s)" in str(excinfo.value)
    assert "HARD: room_double_booked: “A” and “B” are both in" in out.getvalue()


def test_check_schedule_passes_with_warnings_only(edition, hall):
    session(edition, hall, 0, "09:00", "10:00", expected_attendance=500)
    out = StringIO()
    call_command("check_schedule", edition.slug, stdout=out)
    assert "0 hard conflict(s), 1 warning(s)." in out.getvalue()


def test_check_schedule_of_an_unknown_edition_says_so():
    with pytest.raises(CommandError, match="No edition with the slug 'nowhere'"):
        call_command("check_schedule", "nowhere")
