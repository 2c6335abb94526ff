"""States and kinds of the statement of commitment."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatementState(models.TextChoices):
    DRAFTING = "drafting", _("Drafting")
    OPEN = "open", _("Open for comments")
    COMMENTS_CLOSED = "comments_closed", _("Comments closed")
    ADOPTED = "adopted", _("Adopted")
    SIGN_ON = "sign_on", _("Open for sign-on")
    CLOSED = "closed", _("Closed")


class AmendmentKind(models.TextChoices):
    REPLACE = "replace", _("New wording of a paragraph")
    NEW_PARAGRAPH = "new_paragraph", _("New paragraph")


class AmendmentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    ACCEPTED_IN_PART = "accepted_in_part", _("Accepted in part")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ANSWERED_STATUSES = (
    AmendmentStatus.ACCEPTED,
    AmendmentStatus.ACCEPTED_IN_PART,
    AmendmentStatus.NOT_ACCEPTED,
)


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld: the comment was hidden")
    DISMISSED = "dismissed", _("Dismissed")


class ModerationAction(models.TextChoices):
    HIDE = "hide", _("Hid a comment")
    UNHIDE = "unhide", _("Showed a comment again")
    DISMISS_REPORT = "dismiss_report", _("Dismissed a report")


class SignatoryKind(models.TextChoices):
    ORGANIZATION = "organization", _("Organization")
    PERSON = "person", _("Person")


class NotificationFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("At once, one email each")
    DAILY = "daily", _("Once a day, in a digest")
    NEVER = "never", _("Never")


class NotificationKind(models.TextChoices):
    VERSION_OPEN = "version_open", _("A new version is open for comments")
    REPLY = "reply", _("Someone replied to you")
    AMENDMENT_ANSWERED = "amendment_answered", _("Your amendment was answered")
