"""The programme of an edition: rooms, tracks, speakers, sessions, and its published releases."""

import secrets
import string
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from forum.models import LANGUAGE_TAG_VALIDATOR, Edition, Organization
from sessions_app.enums import SessionKind, SessionStatus, SpeakerRole

COLOUR_VALIDATOR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour such as #1d5c4d."))
CODE_ALPHABET = string.ascii_uppercase + string.digits


def new_code() -> str:
    """A short public code (frab's `code`: six of A-Z and 0-9)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


class Room(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=128)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    floor = models.CharField(_("floor"), max_length=64, blank=True)
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    has_interpretation_booths = models.BooleanField(_("interpretation booths"), default=False)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Rooms are shown in this order.")
    )
    guid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    class Meta:
        ordering = ["edition", "position", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [models.UniqueConstraint(fields=["edition", "name"], name="room_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.edition})"


class Track(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=128)
    slug = models.SlugField(_("slug"), max_length=64)
    colour = models.CharField(
        _("colour"), max_length=7, default="#1d5c4d", validators=[COLOUR_VALIDATOR]
    )

    class Meta:
        ordering = ["edition", "name"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="track_unique_slug")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.edition})"


class Speaker(index.Indexed, ClusterableModel):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=255)
    name_native = models.CharField(_("name in native script"), max_length=255, blank=True)
    native_language = models.CharField(
        _("language of the native name"),
        max_length=16,
        blank=True,
        validators=[LANGUAGE_TAG_VALIDATOR],
    )
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=False)
    code = models.CharField(max_length=6, unique=True, default=new_code, editable=False)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="speakers",
    )
    country = CountryField(_("country"), blank=True)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    links = models.TextField(_("links"), blank=True, help_text=_("One web address a line."))
    # What recognises a speaker imported from a pretalx or frab schedule on the next import
    # ("guid:<uuid>", "code:<pretalx code>" or "id:<frab id>"); empty for the forum's own.
    import_key = models.CharField(max_length=100, blank=True, editable=False)

    search_fields = [
        index.SearchField("name"),
        index.SearchField("name_native"),
        index.AutocompleteField("name"),
        index.FilterField("edition"),
    ]

    class Meta:
        ordering = ["edition", "name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="speaker_unique_slug"),
            models.UniqueConstraint(
                fields=["edition", "import_key"],
                condition=~models.Q(import_key=""),
                name="speaker_import_key_once",
            ),
        ]

    def __str__(self) -> str:
        if self.name_native and self.name_native != self.name:
            return f"{self.name} ({self.name_native})"
        return self.name

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    def clean(self) -> None:
        bad = [link for link in self.link_list if not link.startswith(("https://", "http://"))]
        if bad:
            raise ValidationError({"links": _("Each link must start with https:// or http://.")})


class SpeakerAvailability(Orderable):
    """A window of time in which the speaker can take part; none means always available."""

    speaker = ParentalKey(Speaker, on_delete=models.CASCADE, related_name="availabilities")
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))

    class Meta(Orderable.Meta):
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must come after the start.")})


class Session(index.Indexed, ClusterableModel):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("edition")
    )
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=100)
    code = models.CharField(max_length=6, unique=True, default=new_code, editable=False)
    guid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    abstract = RichTextField(
        _("abstract"), blank=True, features=["bold", "italic", "ol", "ul", "link"]
    )
    kind = models.CharField(
        _("type"), max_length=16, choices=SessionKind.choices, default=SessionKind.WORKSHOP
    )
    track = models.ForeignKey(
        Track,
        verbose_name=_("track"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    language = models.CharField(
        _("language"), max_length=16, default="en", validators=[LANGUAGE_TAG_VALIDATOR]
    )
    interpretation_languages = models.CharField(
        _("interpretation into"),
        max_length=64,
        blank=True,
        help_text=_("Language codes separated by commas, e.g. ja, ko."),
    )
    expected_attendance = models.PositiveIntegerField(
        _("expected attendance"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="sessions",
    )  # RESTRICT: a room in use cannot go, but deleting a whole edition takes both with it
    start = models.DateTimeField(_("start"), null=True, blank=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)
    meeting_point = models.CharField(
        _("meeting point"), max_length=255, blank=True, help_text=_("For off-site visits.")
    )
    transport_notes = models.TextField(_("transport notes"), blank=True)
    materials = models.ManyToManyField(
        "wagtaildocs.Document", verbose_name=_("materials"), blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [
        index.SearchField("title"),
        index.SearchField("abstract"),
        index.AutocompleteField("title"),
        index.FilterField("edition"),
        index.FilterField("status"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["edition", "start", "room__position", "title"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="session_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(start__isnull=True)
                | models.Q(end__isnull=True)
                | models.Q(end__gt=models.F("start")),
                name="session_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_scheduled(self) -> bool:
        return bool(self.start and self.end and self.room_id)

    @property
    def interpretation_list(self) -> list[str]:
        return [c.strip() for c in self.interpretation_languages.split(",") if c.strip()]

    @property
    def duration_minutes(self) -> int | None:
        if self.start and self.end:
            return int((self.end - self.start).total_seconds() // 60)
        return None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if bool(self.start) != bool(self.end):
            errors["end"] = _("Give both the start and the end, or neither.")
        elif self.start and self.end and self.end <= self.start:
            errors["end"] = _("The session must end after it starts.")
        if self.room_id and self.edition_id and self.room.edition_id != self.edition_id:
            errors["room"] = _("This room belongs to another edition.")
        if self.track_id and self.edition_id and self.track.edition_id != self.edition_id:
            errors["track"] = _("This track belongs to another edition.")
        for code in self.interpretation_list:
            try:
                LANGUAGE_TAG_VALIDATOR(code)
            except ValidationError:
                errors["interpretation_languages"] = _("“%(code)s” is not a language code.") % {
                    "code": code
                }
        if self.start and self.end and self.edition_id:
            from sessions_app.selectors import edition_bounds

            first, last = edition_bounds(self.edition)
            if first and (self.start < first or self.end > last):
                errors["start"] = _("The session falls outside the edition's days.")
        if errors:
            raise ValidationError(errors)


class SessionSpeaker(Orderable):
    session = ParentalKey(Session, on_delete=models.CASCADE, related_name="speaker_links")
    speaker = models.ForeignKey(
        Speaker, on_delete=models.CASCADE, related_name="session_links", verbose_name=_("speaker")
    )
    role = models.CharField(
        _("role"), max_length=16, choices=SpeakerRole.choices, default=SpeakerRole.PANELIST
    )

    class Meta(Orderable.Meta):
        verbose_name = _("speaker of a session")
        verbose_name_plural = _("speakers of a session")
        constraints = [
            models.UniqueConstraint(fields=["session", "speaker"], name="session_speaker_once")
        ]

    def __str__(self) -> str:
        return f"{self.speaker} · {self.get_role_display()}"


class Release(models.Model):
    """A published version of an edition's programme; the public only ever sees releases."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="releases", verbose_name=_("edition")
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=128, help_text=_("e.g. “v2 — room changes”."))
    notes = models.TextField(_("notes"), blank=True)
    snapshot = models.JSONField(_("snapshot"), editable=False)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        ordering = ["edition", "-number"]
        get_latest_by = "number"
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="release_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.edition} · {self.title}"


class ReleasePart(models.Model):
    """A small self-contained part of a release's snapshot, cut at publication: the snapshot of
    one session, of one speaker, or the speaker index (sessions_app.snapshot.release_parts).
    The pages of one session or speaker read their part instead of the whole snapshot."""

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="parts", verbose_name=_("release")
    )
    kind = models.CharField(_("kind"), max_length=16)
    slug = models.CharField(_("slug"), max_length=255, blank=True)
    data = models.JSONField(_("data"), editable=False)

    class Meta:
        verbose_name = _("release part")
        verbose_name_plural = _("release parts")
        constraints = [
            models.UniqueConstraint(
                fields=["release", "kind", "slug"], name="release_part_unique_slug"
            )
        ]

    def __str__(self) -> str:
        return f"{self.release} · {self.kind} {self.slug}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class AgendaItem(models.Model):
    """A session a participant starred, kept by its stable guid across releases."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_items"
    )
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")
    session_guid = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["user", "session_guid"], name="agenda_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.session_guid}"


class CalendarToken(models.Model):
    """The secret in a participant's private calendar address; revoking it kills the address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self) -> str:
        return f"{self.user} · {self.edition}"


# The page type the app owns beneath each edition page (defined apart: it holds the routes).
from sessions_app.pages import ProgrammePage  # noqa: E402, F401
