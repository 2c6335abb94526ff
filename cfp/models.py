"""The call for proposals of an edition: the call, its proposal types and review criteria, the
proposals with their speakers, and the programme committee's assignments and reviews."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cfp.enums import MAX_SCORE, PROPOSAL_LANGUAGES, ExportStatus, ProposalState
from cfp.pages import CallPage  # noqa: F401 (the page model lives in pages.py)
from forum.documents import private_storage
from forum.models import Edition, Organization
from forum.questions import QuestionBase
from sessions_app.enums import SessionKind

ABSTRACT_MAX = 1500
DESCRIPTION_MAX = 6000


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _localized(obj: models.Model, field: str, language: str | None = None) -> str:
    """The translated text of `field` (cfp/translation.py) in `language`, else in the active
    language; the source (English) where it is not translated."""
    if language is None:
        return getattr(obj, field)
    with translation.override(language):
        return getattr(obj, field)


def _validate_translations(value) -> None:
    """Kept for migration 0001 (the names' translations were a JSON field until 0004)."""


class Call(models.Model):
    """An edition's call for proposals: when it is open, and how its review runs."""

    edition = models.OneToOneField(
        Edition, on_delete=models.CASCADE, related_name="call", verbose_name=_("edition")
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    guidelines = models.TextField(_("guidelines for submitters"), blank=True)
    review_opens_at = models.DateTimeField(_("review opens at"), null=True, blank=True)
    review_closes_at = models.DateTimeField(_("review closes at"), null=True, blank=True)
    reviewers_per_proposal = models.PositiveSmallIntegerField(
        _("reviewers per proposal"), default=3, validators=[MinValueValidator(1)]
    )
    anonymised_review = models.BooleanField(
        _("anonymised review"),
        default=False,
        help_text=_("Reviewers see no names of submitters, speakers or organizations."),
    )
    exclude_own_country = models.BooleanField(
        _("reviewers skip their own country"),
        default=False,
        help_text=_("Besides their own organization's proposals, which they never review."),
    )

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")

    def __str__(self) -> str:
        return str(_("Call for proposals of %(edition)s") % {"edition": self.edition})

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The call must close after it opens.")})
        if (
            self.review_opens_at
            and self.review_closes_at
            and self.review_closes_at <= self.review_opens_at
        ):
            raise ValidationError({"review_closes_at": _("The review must end after it starts.")})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def review_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.review_opens_at and now < self.review_opens_at:
            return False
        return not (self.review_closes_at and now >= self.review_closes_at)


class LateSubmissionLink(models.Model):
    """A personal link that lets one person submit after the call has closed."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="late_links", verbose_name=_("call")
    )
    label = models.CharField(
        _("for"), max_length=255, help_text=_("Whom the link is for, e.g. their name.")
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    valid_until = models.DateTimeField(_("valid until"))

    class Meta:
        verbose_name = _("late-submission link")
        verbose_name_plural = _("late-submission links")

    def __str__(self) -> str:
        return self.label

    @property
    def edition_id(self) -> int:
        return self.call.edition_id

    def is_valid(self, now=None) -> bool:
        return (now or timezone.now()) < self.valid_until


class ProposalType(models.Model):
    """A kind of proposal (workshop, panel, site visit…) with the durations it may take."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="proposal_types", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=128)
    session_kind = models.CharField(
        _("becomes a session of type"),
        max_length=16,
        choices=SessionKind.choices,
        default=SessionKind.WORKSHOP,
    )
    durations = models.CharField(
        _("durations"),
        max_length=64,
        default="90",
        help_text=_("Minutes, separated by commas, e.g. 60, 90, 120."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["edition", "position", "name"]
        verbose_name = _("proposal type")
        verbose_name_plural = _("proposal types")

    def __str__(self) -> str:
        return self.localized_name()

    def localized_name(self, language: str | None = None) -> str:
        return _localized(self, "name", language)

    @property
    def duration_list(self) -> list[int]:
        found = []
        for part in self.durations.split(","):
            part = part.strip()
            if part.isdigit() and int(part) > 0:
                found.append(int(part))
        return found

    def clean(self) -> None:
        if not self.duration_list:
            raise ValidationError({"durations": _("Give at least one duration in minutes.")})


class ReviewCriterion(models.Model):
    """What reviewers score (relevance, regional diversity, feasibility…), with its weight."""

    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        related_name="review_criteria",
        verbose_name=_("edition"),
    )
    name = models.CharField(_("name"), max_length=128)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["edition", "position", "name"]
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")

    def __str__(self) -> str:
        return self.localized_name()

    def localized_name(self, language: str | None = None) -> str:
        return _localized(self, "name", language)


class CallQuestion(QuestionBase):
    """One of the edition's own questions on the proposal form (the core's question builder,
    forum.questions, as the registration form's)."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="call_questions", verbose_name=_("edition")
    )

    class Meta:
        ordering = ["edition", "position", "pk"]
        verbose_name = _("question of the call")
        verbose_name_plural = _("questions of the call")


class ReviewerProfile(models.Model):
    """What a programme committee member declares for conflicts of interest."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="+", verbose_name=_("edition")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviewer_profiles",
        verbose_name=_("reviewer"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    country = CountryField(_("country"), blank=True)

    class Meta:
        verbose_name = _("reviewer's declaration")
        verbose_name_plural = _("reviewers' declarations")
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="cfp_reviewer_once")
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class Proposal(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("edition")
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("submitter"),
    )
    title = models.CharField(_("title"), max_length=200)
    abstract = models.TextField(_("abstract"), max_length=ABSTRACT_MAX)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    proposal_type = models.ForeignKey(
        ProposalType, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("type")
    )
    track = models.ForeignKey(
        "sessions_app.Track",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("track"),
    )
    duration = models.PositiveSmallIntegerField(_("duration (minutes)"))
    language = models.CharField(
        _("language of the session"), max_length=16, choices=PROPOSAL_LANGUAGES, default="en"
    )
    interpretation_languages = models.CharField(
        _("interpretation needed into"),
        max_length=64,
        blank=True,
        help_text=_("Language codes separated by commas, e.g. ja, ko."),
    )
    expected_participants = models.PositiveIntegerField(
        _("expected participants"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100000)],
    )
    country = CountryField(_("country"), blank=True)
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="proposals",
        verbose_name=_("co-organizing organizations"),
    )
    email_language = models.CharField(
        _("language for emails"), max_length=16, choices=settings.LANGUAGES, default="en"
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=ProposalState.choices,
        default=ProposalState.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    # The decision the submitter was last told about (empty: none yet). A decision whose email
    # is still to go differs from `state`.
    notified_state = models.CharField(max_length=16, blank=True, editable=False)
    late_link = models.ForeignKey(
        LateSubmissionLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    session = models.OneToOneField(
        "sessions_app.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["edition", "-created_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["edition", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def interpretation_list(self) -> list[str]:
        return [c.strip() for c in self.interpretation_languages.split(",") if c.strip()]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.track_id and self.edition_id and self.track.edition_id != self.edition_id:
            errors["track"] = _("This track belongs to another edition.")
        if self.proposal_type_id and self.edition_id:
            if self.proposal_type.edition_id != self.edition_id:
                errors["proposal_type"] = _("This type belongs to another edition.")
            elif self.duration and self.duration not in self.proposal_type.duration_list:
                errors["duration"] = _("This duration is not offered for this type.")
        if errors:
            raise ValidationError(errors)

    @property
    def decision_email_pending(self) -> bool:
        return self.state in (
            ProposalState.ACCEPTED,
            ProposalState.REJECTED,
            ProposalState.WAITLISTED,
        ) and (self.notified_state != self.state)


class ProposalSpeaker(models.Model):
    """A person who speaks in a proposal: the submitter, or a co-speaker invited by email who
    confirms through a personal link and fills in their own profile."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("proposal")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal_speakers",
    )
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=255)
    name_native = models.CharField(_("name in native script"), max_length=255, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    country = CountryField(_("country"), blank=True)
    bio = models.TextField(_("biography"), max_length=2000, blank=True)
    availability = models.CharField(
        _("availability"),
        max_length=255,
        blank=True,
        help_text=_("The days or times you can take part, if not all of the forum."),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    is_submitter = models.BooleanField(default=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # The programme's speaker this person became when the proposal became a session.
    speaker = models.ForeignKey(
        "sessions_app.Speaker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["proposal", "position", "pk"]
        verbose_name = _("speaker of a proposal")
        verbose_name_plural = _("speakers of a proposal")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "email"], name="cfp_speaker_once")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class ProposalAnswer(models.Model):
    """A proposal's answer to one of the call's questions, as stored: a choice in the source
    language, a ticked box as "yes"."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(CallQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        verbose_name = _("answer to a question of the call")
        verbose_name_plural = _("answers to the questions of the call")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "question"], name="cfp_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


class ReviewAssignment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="cfp_assign_once")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} → {self.reviewer_id}"


class Review(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("proposal")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proposal_reviews",
        verbose_name=_("reviewer"),
    )
    comment_committee = models.TextField(_("comment for the committee"), blank=True)
    comment_submitter = models.TextField(_("comment for the submitter"), blank=True)
    # The weighted mean of the scores, kept on the row so that lists aggregate it in SQL.
    weighted_score = models.DecimalField(
        _("weighted score"), max_digits=5, decimal_places=2, default=Decimal(0)
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="cfp_review_once")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} · {self.reviewer_id}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(MAX_SCORE)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="cfp_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class ProposalExport(models.Model):
    """A CSV file of the committee dashboard's proposals (with the dashboard's filters), written
    by a Celery task into the private storage and handed only to the edition's committee."""

    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        related_name="proposal_exports",
        verbose_name=_("edition"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    # The dashboard's filters and sort (selectors.DashboardFilters as a dict).
    filters = models.JSONField(default=dict, blank=True)
    # The language of the column names and of the types' and languages' names.
    language = models.CharField(max_length=16, default="en")
    # Whether the file was written without names (anonymised review, when it was written).
    anonymised = models.BooleanField(default=False)
    rows = models.PositiveIntegerField(_("proposals"), default=0)
    # In the private storage, beneath a random folder.
    file = models.FileField(upload_to="cfp-exports/", storage=private_storage, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export of proposals")
        verbose_name_plural = _("exports of proposals")

    def __str__(self) -> str:
        return f"{self.edition} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)
