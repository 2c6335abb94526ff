from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    """Practical categories for a participant's organization (shared/DOMAIN.md)."""

    COOPERATIVE = "cooperative", _("Cooperative")
    MUTUAL = "mutual", _("Mutual association")
    NONPROFIT = "nonprofit", _("Non-profit / NGO")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    FAIR_TRADE = "fair_trade", _("Fair-trade organization")
    SOCIAL_FINANCE = "social_finance", _("Civic or social finance institution")
    LABOUR_UNION = "labour_union", _("Labour union")
    WOMENS_SHG = "womens_shg", _("Women's self-help group")
    COMMUNITY = "community", _("Community or neighbourhood association")
    FOUNDATION = "foundation", _("Foundation")
    ACADEMIC = "academic", _("Academic or research institute")
    GOVERNMENT = "government", _("Government or public body")
    INTERNATIONAL = "international", _("International organization")
    FOR_PROFIT = "for_profit", _("For-profit company")
    INDIVIDUAL = "individual", _("Individual")
    COALITION = "coalition", _("Coalition or network")


class SSECategory(models.TextChoices):
    """The ILO-based mapping: economic activity, social mission, democratic governance."""

    FULL = "full", _("Full SSE organization")
    PARTIAL_HYBRID = "partial_hybrid", _("Partial hybrid")
    OTHER = "other", _("Other")
    UNKNOWN = "", _("Not classified")


class EditionRoleKind(models.TextChoices):
    """Roles held for one edition. A delegate takes part in drafting the statement (also any
    person with a confirmed registration whose ticket type allows drafting)."""

    ORGANIZER = "organizer", _("Organizer")
    PROGRAMME_COMMITTEE = "programme_committee", _("Programme committee")
    DRAFTING_COMMITTEE = "drafting_committee", _("Drafting committee")
    MODERATOR = "moderator", _("Moderator")
    DELEGATE = "delegate", _("Delegate")


class EditionPhase(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UPCOMING = "upcoming", _("Upcoming")
    ONGOING = "ongoing", _("Taking place now")
    PAST = "past", _("Past")
