"""Factories for the programme: rooms, tracks, speakers and sessions of an edition."""

import datetime
import zoneinfo

import factory

from sessions_app.enums import SessionKind, SessionStatus
from sessions_app.models import Room, Session, SessionSpeaker, Speaker, Track


def local(edition, day: int, clock: str) -> datetime.datetime:
    """A time on the edition's `day` (0 = first day) in its time zone."""
    hour, minute = (int(part) for part in clock.split(":"))
    date = edition.start_date + datetime.timedelta(days=day)
    return datetime.datetime.combine(
        date, datetime.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(edition.time_zone)
    )


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 100
    has_interpretation_booths = True


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    name = factory.Sequence(lambda n: f"Track {n}")
    slug = factory.Sequence(lambda n: f"track-{n}")


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Speaker {n}")
    slug = factory.Sequence(lambda n: f"speaker-{n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    title = factory.Sequence(lambda n: f"Session {n}")
    slug = factory.Sequence(lambda n: f"session-{n}")
    kind = SessionKind.WORKSHOP
    status = SessionStatus.CONFIRMED


def add_speaker(session: Session, speaker: Speaker, role: str = "panelist") -> None:
    SessionSpeaker.objects.create(session=session, speaker=speaker, role=role)
