"""The statement of commitment of an edition: its versions, paragraphs with a stable identity,
the delegates' comments and amendments, the committee's answers, moderation, and sign-on.

A `Paragraph` row is the identity of a paragraph across versions ("paragraph 7" stays the same
row when the text around it changes); each version holds a `ParagraphText` per paragraph it
contains, with its text and its position. A paragraph absent from a version was deleted there;
a new paragraph gets a new identity.
"""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from forum.enums import OrganizationKind
from forum.models import LANGUAGE_TAG_VALIDATOR, Edition, Organization
from statements.enums import (
    AmendmentKind,
    AmendmentStatus,
    ModerationAction,
    NotificationFrequency,
    NotificationKind,
    ReportStatus,
    SignatoryKind,
    StatementState,
)

USER = settings.AUTH_USER_MODEL
COMMENT_MAX_LENGTH = 5000
PARAGRAPH_MAX_LENGTH = 5000


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Statement(models.Model):
    """The statement of commitment of one edition."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="statements", verbose_name=_("edition")
    )
    title = models.CharField(_("title"), max_length=255)
    state = models.CharField(
        _("state"), max_length=20, choices=StatementState.choices, default=StatementState.DRAFTING
    )
    comment_deadline = models.DateTimeField(_("comments close at"), null=True, blank=True)
    show_draft_publicly = models.BooleanField(
        _("show the open draft to the public"),
        default=False,
        help_text=_("Visitors may read the draft while it is open for comments."),
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_at_place = models.CharField(_("adopted at"), max_length=255, blank=True)
    source_language = models.CharField(
        _("authoritative language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the committee drafts in; every other language is a translation."),
    )
    plenary_paragraph = models.ForeignKey(
        "Paragraph",
        verbose_name=_("paragraph under discussion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["edition", "pk"]
        verbose_name = _("statement of commitment")
        verbose_name_plural = _("statements of commitment")
        constraints = [
            models.UniqueConstraint(fields=["edition"], name="statement_one_per_edition"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.edition})"

    @property
    def is_frozen(self) -> bool:
        """Adopted: the text never changes again."""
        return self.state in (StatementState.ADOPTED, StatementState.SIGN_ON, StatementState.CLOSED)


class StatementVersion(models.Model):
    """One version of the text. `published_at` is set when it is opened to delegates (or adopted);
    until then only the committee reads it."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])
    note = models.TextField(_("note"), blank=True, help_text=_("What changed and why."))
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["statement", "number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(fields=["statement", "number"], name="version_unique_number")
        ]

    def __str__(self) -> str:
        return _("Version %(number)s") % {"number": self.number}


class Section(models.Model):
    """A numbered, headed section of one version; paragraphs follow it until the next one."""

    version = models.ForeignKey(StatementVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("position"))
    heading = models.CharField(_("heading"), max_length=255)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="section_unique_position")
        ]

    def __str__(self) -> str:
        return self.heading


class Paragraph(models.Model):
    """The stable identity of a paragraph across versions; `key` is its number for life."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="paragraphs")
    key = models.PositiveIntegerField(_("key"), validators=[MinValueValidator(1)])
    created_in = models.ForeignKey(
        StatementVersion, on_delete=models.CASCADE, related_name="new_paragraphs"
    )

    class Meta:
        ordering = ["statement", "key"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        constraints = [
            models.UniqueConstraint(fields=["statement", "key"], name="paragraph_unique_key")
        ]

    def __str__(self) -> str:
        return _("Paragraph %(key)s") % {"key": self.key}


class ParagraphText(models.Model):
    """A paragraph's text and place in one version."""

    version = models.ForeignKey(StatementVersion, on_delete=models.CASCADE, related_name="texts")
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="texts")
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="texts"
    )
    position = models.PositiveIntegerField(_("position"))
    number = models.PositiveIntegerField(_("number"), help_text=_("As printed: 1, 2, 3…"))
    text = models.TextField(_("text"), max_length=PARAGRAPH_MAX_LENGTH)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("paragraph text")
        verbose_name_plural = _("paragraph texts")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "paragraph"], name="paragraph_text_once_per_version"
            ),
            models.UniqueConstraint(
                fields=["version", "position"], name="paragraph_text_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"

    @property
    def label(self) -> str:
        """How every page names a paragraph: its printed number and the version it belongs to
        (the key in URLs is an identity that survives versions, never shown as a number).
        Load `version` with it."""
        return _("paragraph %(number)s of version %(version)s") % {
            "number": self.number,
            "version": self.version.number,
        }


class Comment(models.Model):
    """A delegate's comment on a paragraph (or on the whole text when `paragraph` is empty), or a
    reply in a thread (`parent`)."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(StatementVersion, on_delete=models.CASCADE, related_name="comments")
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="statement_comments")
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    language = models.CharField(
        _("written in"),
        max_length=8,
        blank=True,
        help_text=_("The language of the page the comment was written on."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["statement", "paragraph"])]

    def __str__(self) -> str:
        return f"{self.author} · {self.body[:60]}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Amendment(models.Model):
    """A proposed new wording of a paragraph, or a new paragraph after `after_paragraph` (at the
    start when empty), with the committee's answer."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="amendments")
    version = models.ForeignKey(
        StatementVersion, on_delete=models.CASCADE, related_name="amendments"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AmendmentKind.choices)
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, null=True, blank=True, related_name="amendments"
    )
    after_paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="statement_amendments")
    text = models.TextField(_("proposed text"), max_length=PARAGRAPH_MAX_LENGTH)
    rationale = models.TextField(_("rationale"), max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AmendmentStatus.choices, default=AmendmentStatus.PENDING
    )
    answer = models.TextField(_("the committee's reason"), blank=True)
    answered_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    taken_into = models.ForeignKey(
        StatementVersion,
        verbose_name=_("taken into version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="amendments_taken",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=AmendmentKind.NEW_PARAGRAPH, paragraph__isnull=True)
                | models.Q(kind=AmendmentKind.REPLACE, paragraph__isnull=False),
                name="amendment_target_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return _("Amendment %(id)s") % {"id": self.pk}


class AmendmentSupport(models.Model):
    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["amendment", "user"], name="support_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.amendment_id}"


class CommentSupport(models.Model):
    """A delegate agrees with a comment (Decidim's endorsement): counted and sorted by."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support of a comment")
        verbose_name_plural = _("supports of comments")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="comment_support_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.comment_id}"


class Report(models.Model):
    """A delegate's report of a comment to the moderators."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    resolved_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="report_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.reporter} → {self.comment_id}"


class ModerationLog(models.Model):
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="moderation_log"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="moderation_log")
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=ModerationAction.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


class TransitionLog(models.Model):
    """Who moved the statement from one state to another, and when."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=StatementState.choices)
    to_state = models.CharField(max_length=20, choices=StatementState.choices)
    version = models.ForeignKey(
        StatementVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class Signatory(models.Model):
    """An organization or a person that signed on to an adopted statement; counted once the
    email address is confirmed."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="signatories")
    kind = models.CharField(_("signing as"), max_length=20, choices=SignatoryKind.choices)
    name = models.CharField(_("name"), max_length=255)
    name_native = models.CharField(_("name in native script"), max_length=255, blank=True)
    native_language = models.CharField(
        _("language of the native name"),
        max_length=16,
        blank=True,
        validators=[LANGUAGE_TAG_VALIDATOR],
    )
    country = CountryField(_("country"))
    organization_kind = models.CharField(
        _("kind of organization"), max_length=32, choices=OrganizationKind.choices, blank=True
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    affiliation = models.CharField(
        _("organization"),
        max_length=255,
        blank=True,
        help_text=_("For a person: the organization they belong to, if any."),
    )
    email = models.EmailField(_("email address"))
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "email", "name"], name="signatory_unique_per_email_and_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class NotificationPreference(models.Model):
    """How a person hears about the statements they take part in."""

    user = models.OneToOneField(
        USER, on_delete=models.CASCADE, related_name="statement_notification_preference"
    )
    frequency = models.CharField(
        _("notify me"),
        max_length=16,
        choices=NotificationFrequency.choices,
        default=NotificationFrequency.IMMEDIATE,
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.frequency}"


class PendingNotification(models.Model):
    """A notification kept for the daily digest of a person who chose it."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    summary = models.CharField(max_length=500)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "user"])]

    def __str__(self) -> str:
        return self.summary


class StatementTranslation(models.Model):
    """The statement in a language other than its authoritative one, as of one version: the
    committee translates each paragraph of that version (and its title and headings). A version
    without its own translation is read through the latest translation of an earlier version,
    whose paragraphs are stale where the source changed since."""

    version = models.ForeignKey(
        StatementVersion, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=255, blank=True)
    # {source heading: translated heading}: a heading whose source changes is untranslated.
    headings = models.JSONField(_("headings"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["version", "language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language"], name="translation_once_per_version_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version_id} · {self.language}"


class ParagraphTranslation(models.Model):
    """One paragraph in a translation, with a fingerprint of the source text it translates: when
    the paragraph's source in a later version differs, the translation is stale."""

    translation = models.ForeignKey(
        StatementTranslation, on_delete=models.CASCADE, related_name="paragraphs"
    )
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="translations")
    text = models.TextField(_("translation"), max_length=PARAGRAPH_MAX_LENGTH)
    source_hash = models.CharField(max_length=64)
    source_version = models.ForeignKey(
        StatementVersion,
        verbose_name=_("translated from version"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["translation", "paragraph"]
        verbose_name = _("paragraph translation")
        verbose_name_plural = _("paragraph translations")
        constraints = [
            models.UniqueConstraint(
                fields=["translation", "paragraph"], name="paragraph_translation_once"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


# The page type the app owns beneath each edition page (defined apart: it holds the routes).
from statements.pages import StatementPage  # noqa: E402, F401
