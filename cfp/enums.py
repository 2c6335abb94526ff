from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WAITLISTED = "waitlisted", _("Waiting list")


# The decisions the committee takes in bulk, and the states each may be taken from.
DECISIONS = (ProposalState.ACCEPTED, ProposalState.REJECTED, ProposalState.WAITLISTED)
DECIDABLE_STATES = (ProposalState.SUBMITTED, *DECISIONS)

# The languages a proposal may be given in (the region's, as in shared/DOMAIN.md).
PROPOSAL_LANGUAGES = [
    ("en", _("English")),
    ("ja", _("Japanese")),
    ("ko", _("Korean")),
    ("zh", _("Chinese")),
    ("ms", _("Malay")),
    ("id", _("Indonesian")),
    ("th", _("Thai")),
    ("vi", _("Vietnamese")),
    ("tl", _("Filipino")),
    ("hi", _("Hindi")),
    ("ne", _("Nepali")),
    ("bn", _("Bengali")),
]

# Each criterion is scored from 0 to MAX_SCORE.
MAX_SCORE = 5


class ExportStatus(models.TextChoices):
    """Where a CSV export of the committee's proposals stands (written by a Celery task)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
