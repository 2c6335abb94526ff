"""The committee's decisions, taken in bulk, and their emails: written only when the committee,
having read them, sends them."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cfp import selectors
from cfp.enums import DECIDABLE_STATES, DECISIONS
from cfp.links import cfp_url
from cfp.models import Proposal
from cfp.services import notifications
from cfp.services.errors import CfpError
from cfp.services.programme import sync_session
from forum.models import Edition


def decide_proposals(
    *, edition: Edition, proposal_ids: list[int], decision: str, decided_by
) -> list[Proposal]:
    """Accept, reject or waitlist the given proposals of `edition` (the others, and those not
    submitted or already decided, are left alone). Nobody is emailed yet: the decisions wait
    for `send_decision_emails`. An accepted proposal whose speakers have all confirmed becomes
    an unscheduled session.

    Side effects: the Proposal rows (state, decided_at, decided_by); sessions."""
    if decision not in DECISIONS:
        raise CfpError(_("Choose a decision."))
    with transaction.atomic():
        proposals = list(
            Proposal.objects.select_for_update()
            .filter(edition=edition, pk__in=proposal_ids, state__in=DECIDABLE_STATES)
            .order_by("pk")
        )
        now = timezone.now()
        for proposal in proposals:
            proposal.state = decision
            proposal.decided_at = now
            proposal.decided_by = decided_by
        Proposal.objects.bulk_update(proposals, ["state", "decided_at", "decided_by"])
        for proposal in Proposal.objects.filter(pk__in=[p.pk for p in proposals]).select_related(
            "proposal_type", "session"
        ):
            sync_session(proposal=proposal)
    return proposals


def decision_preview(*, proposal: Proposal) -> tuple[str, str, str]:
    """The decision email as its submitter would get it (subject, text, HTML)."""
    return notifications.decision_email(
        proposal=proposal,
        page_url=cfp_url(proposal.edition, "cfp_proposal", proposal.email_language, pk=proposal.pk),
        comments=selectors.reviews_for_submitter_before_sending(proposal),
    )


def send_decision_emails(*, edition: Edition) -> int:
    """Queue the email of every decision not yet told, with the reviewers' comments for the
    submitter (never their names).

    Returns how many proposals were told. Side effects: outbox rows (after commit); each
    proposal's `notified_state`."""
    count = 0
    with transaction.atomic():
        for proposal in selectors.pending_decision_emails(edition):
            notifications.notify_decision(
                proposal=proposal,
                page_url=cfp_url(edition, "cfp_proposal", proposal.email_language, pk=proposal.pk),
                comments=selectors.reviews_for_submitter_before_sending(proposal),
            )
            proposal.notified_state = proposal.state
            proposal.save(update_fields=["notified_state"])
            count += 1
    return count
