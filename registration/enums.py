from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    """Where a registration stands. Only CONFIRMED, PENDING_APPROVAL and WAITLISTED are "active"
    (they block a second registration with the same address); only CONFIRMED holds a seat."""

    UNCONFIRMED = "unconfirmed", _("Email address not yet confirmed")
    PENDING_APPROVAL = "pending", _("Awaiting approval")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (
    RegistrationStatus.UNCONFIRMED,
    RegistrationStatus.PENDING_APPROVAL,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.CONFIRMED,
)


class IncomeGroup(models.TextChoices):
    """The World Bank's income groups, on which fair fees are based."""

    LOW = "low", _("Low income")
    LOWER_MIDDLE = "lower_middle", _("Lower-middle income")
    UPPER_MIDDLE = "upper_middle", _("Upper-middle income")
    HIGH = "high", _("High income")


class PaymentStatus(models.TextChoices):
    NOT_DUE = "not_due", _("Nothing to pay")
    DUE = "due", _("To be paid")
    PAID = "paid", _("Paid")


class WaiverKind(models.TextChoices):
    WAIVER = "waiver", _("Fee waiver (pay nothing)")
    SUBSIDY = "subsidy", _("Subsidy (pay part of the fee)")


class WaiverStatus(models.TextChoices):
    NONE = "", _("Not requested")
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class SignupStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class LetterStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")


class DocumentJobKind(models.TextChoices):
    BADGES = "badges", _("Badges")
    LETTERS = "letters", _("Visa invitation letters")
    CERTIFICATES = "certificates", _("Certificates of attendance")


class DocumentJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
