from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionKind(models.TextChoices):
    PLENARY = "plenary", _("Plenary")
    WORKSHOP = "workshop", _("Workshop")
    PANEL = "panel", _("Panel")
    VISIT = "visit", _("Fact-finding visit")
    SIDE_EVENT = "side_event", _("Side event")
    BREAK = "break", _("Break or meal")


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class SpeakerRole(models.TextChoices):
    KEYNOTE = "keynote", _("Keynote speaker")
    PANELIST = "panelist", _("Panelist")
    MODERATOR = "moderator", _("Moderator")
    RAPPORTEUR = "rapporteur", _("Rapporteur")


class ConflictKind(models.TextChoices):
    SPEAKER_DOUBLE_BOOKED = "speaker_double_booked", _("Speaker in two sessions at once")
    ROOM_DOUBLE_BOOKED = "room_double_booked", _("Two sessions in one room at once")
    OUTSIDE_EDITION = "outside_edition", _("Session outside the edition's days")
    ROOM_TOO_SMALL = "room_too_small", _("Room smaller than the expected attendance")
    SPEAKER_UNAVAILABLE = "speaker_unavailable", _("Speaker outside their availability")
    NO_BOOTHS = "no_booths", _("Interpretation needed in a room without booths")


class ConflictSeverity(models.TextChoices):
    HARD = "hard", _("Blocks publishing")
    WARNING = "warning", _("Warning")


HARD_CONFLICTS = frozenset(
    {
        ConflictKind.SPEAKER_DOUBLE_BOOKED,
        ConflictKind.ROOM_DOUBLE_BOOKED,
        ConflictKind.OUTSIDE_EDITION,
    }
)
