"""The core domain: the forum series' editions, the organizations around them, per-edition roles."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from forum.enums import EditionPhase, EditionRoleKind, OrganizationKind, SSECategory

LANGUAGE_TAG_VALIDATOR = RegexValidator(
    r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$",
    _("Use a language code such as ja, ko, th, ms or zh-Hant."),
)

EDITION_SLUG_VALIDATOR = RegexValidator(
    r"^[0-9]{4}-[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Use the year, a hyphen and the place in lower case, e.g. 2009-tokyo."),
)


def _validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class Organization(models.Model):
    """An organization that organizes, speaks at, or signs on to a forum."""

    name = models.CharField(_("name"), max_length=255)
    name_native = models.CharField(
        _("name in native script"),
        max_length=255,
        blank=True,
        help_text=_("The name as the organization writes it, e.g. 日本労働者協同組合連合会."),
    )
    native_language = models.CharField(
        _("language of the native name"),
        max_length=16,
        blank=True,
        validators=[LANGUAGE_TAG_VALIDATOR],
        help_text=_("e.g. ja, ko, th — so that browsers and screen readers read it right."),
    )
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    sse_category = models.CharField(
        _("SSE category"),
        max_length=16,
        choices=SSECategory.choices,
        blank=True,
        default=SSECategory.UNKNOWN,
        help_text=_(
            "Following the ILO's criteria: economic activity, social mission, democratic "
            "governance."
        ),
    )
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "country", name="organization_unique_name_per_country"
            )
        ]

    def __str__(self) -> str:
        if self.name_native and self.name_native != self.name:
            return f"{self.name} ({self.name_native})"
        return self.name


def default_edition_languages() -> list[str]:
    """The languages a new edition offers: English and Japanese."""
    return ["en", "ja"]


def _validate_languages(value) -> None:
    known = {code for code, _name in settings.LANGUAGES}
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one language."))
    unknown = [code for code in value if code not in known]
    if unknown:
        raise ValidationError(
            _("Not a language of the site: %(codes)s."), params={"codes": ", ".join(unknown)}
        )


class Edition(models.Model):
    """One forum of the series, held in one place at one time (e.g. AFSE 2009, Tokyo)."""

    slug = models.SlugField(
        _("slug"),
        max_length=64,
        unique=True,
        validators=[EDITION_SLUG_VALIDATOR],
        help_text=_("Its address on the site, e.g. 2009-tokyo for /2009-tokyo/."),
    )
    number = models.PositiveSmallIntegerField(
        _("number"),
        unique=True,
        validators=[MinValueValidator(1)],
        help_text=_("1 for the first forum of the series, 2 for the second…"),
    )
    name = models.CharField(_("name"), max_length=128, help_text=_("e.g. AFSE 2009"))
    theme = models.CharField(_("theme"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2200)]
    )
    start_date = models.DateField(_("first day"), null=True, blank=True)
    end_date = models.DateField(_("last day"), null=True, blank=True)
    dates_note = models.CharField(
        _("dates as announced"),
        max_length=64,
        blank=True,
        help_text=_("Shown when the exact days are not fixed, e.g. “October 2007”."),
    )
    city = models.CharField(_("city"), max_length=128, blank=True)
    city_native = models.CharField(_("city in native script"), max_length=128, blank=True)
    native_language = models.CharField(
        _("local language"),
        max_length=16,
        blank=True,
        validators=[LANGUAGE_TAG_VALIDATOR],
        help_text=_("The language of the names in native script, e.g. ja for 東京."),
    )
    country = CountryField(_("country"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    venue_address = models.TextField(_("venue address"), blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[_validate_time_zone],
        help_text=_("The venue's time zone, e.g. Asia/Tokyo; the programme is shown in it."),
    )
    expected_participants = models.PositiveIntegerField(
        _("expected participants"), null=True, blank=True
    )
    organizer = models.ForeignKey(
        Organization,
        verbose_name=_("organizing organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organized_editions",
    )
    summary = models.TextField(_("summary"), blank=True)
    languages = models.JSONField(
        _("languages"),
        default=default_edition_languages,
        blank=True,
        validators=[_validate_languages],
        help_text=_("The languages the edition's public pages offer in the language switcher."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="edition_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.languages:
            self.languages = default_edition_languages()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day cannot be before the first day.")
        if self.start_date and self.year and self.start_date.year != self.year:
            errors["start_date"] = _("The first day must fall in the edition's year.")
        if self.end_date and not self.start_date:
            errors["start_date"] = _("Give the first day as well as the last.")
        if errors:
            raise ValidationError(errors)

    @property
    def offered_languages(self) -> list[str]:
        """The codes of `languages` in the order of settings.LANGUAGES (unknown ones left out)."""
        chosen = set(self.languages or [])
        return [code for code, _name in settings.LANGUAGES if code in chosen]

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.city, self.country.name) if part)

    @property
    def days(self) -> list[datetime.date]:
        if not (self.start_date and self.end_date):
            return []
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + datetime.timedelta(days=i) for i in range(count)]

    def phase(self, today: datetime.date | None = None) -> str:
        """Where the edition stands relative to `today` (in the venue's time zone)."""
        if today is None:
            today = timezone.now().astimezone(zoneinfo.ZoneInfo(self.time_zone)).date()
        if self.start_date and self.end_date:
            if today < self.start_date:
                return EditionPhase.UPCOMING
            if today <= self.end_date:
                return EditionPhase.ONGOING
            return EditionPhase.PAST
        if self.year < today.year:
            return EditionPhase.PAST
        return EditionPhase.PLANNED


class EditionRole(models.Model):
    """A person's staff role for one edition; the source of truth for what they may do."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="roles", verbose_name=_("edition")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="edition_roles",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=32, choices=EditionRoleKind.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )

    class Meta:
        ordering = ["edition", "role", "user__username"]
        verbose_name = _("edition role")
        verbose_name_plural = _("edition roles")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "user", "role"], name="edition_role_unique_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.edition}"


class EditionGroup(models.Model):
    """The auth group through which one edition role gets its admin permissions."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="groups")
    role = models.CharField(max_length=32, choices=EditionRoleKind.choices)
    group = models.OneToOneField(
        "auth.Group", on_delete=models.CASCADE, related_name="edition_group"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "role"], name="edition_group_unique_role")
        ]

    def __str__(self) -> str:
        return self.group.name


class CacheVersion(models.Model):
    """A version that caches key on and that must outlive the cache itself: the pages version
    (forum/pagecache.py). Kept in the database so that a Redis flushed or restarted finds the
    same version again, and the web processes' own copies of page data stay valid."""

    name = models.CharField(_("name"), max_length=64, primary_key=True)
    value = models.CharField(_("value"), max_length=32)

    class Meta:
        verbose_name = _("cache version")
        verbose_name_plural = _("cache versions")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"
