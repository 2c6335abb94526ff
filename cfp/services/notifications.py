"""Every email of the call for proposals, written to the outbox in the recipient's language.

The only module of cfp that queues mail (through the core mail app's outbox)."""

from cfp.models import Proposal, ProposalSpeaker
from mail.services.outbox import queue_email, render_email


def _proposal_context(proposal: Proposal, page_url: str) -> dict:
    return {"proposal": proposal, "edition": proposal.edition, "page_url": page_url}


def notify_speaker_invited(*, speaker: ProposalSpeaker, language: str, confirm_url: str) -> None:
    """Queue the invitation to confirm as a co-speaker (after commit)."""
    proposal = speaker.proposal
    queue_email(
        to=speaker.email,
        kind="cfp_speaker_invite",
        template="cfp/email/speaker_invite",
        context={
            **_proposal_context(proposal, confirm_url),
            "speaker": speaker,
            "inviter": proposal.submitter.get_full_name() or proposal.submitter.get_username(),
        },
        language=language,
        edition=proposal.edition,
        dedupe_key=f"cfp-invite-{speaker.pk}",
    )


def notify_submitted(*, proposal: Proposal, page_url: str) -> None:
    """Queue the receipt of a submitted proposal to its submitter."""
    if not proposal.submitter.email:
        return
    queue_email(
        to=proposal.submitter.email,
        kind="cfp_submitted",
        template="cfp/email/submitted",
        context=_proposal_context(proposal, page_url),
        language=proposal.email_language,
        user=proposal.submitter,
        edition=proposal.edition,
    )


def decision_email(*, proposal: Proposal, page_url: str, comments: list[str]) -> tuple:
    """The subject, text and HTML of the decision email, for the committee's last look."""
    return render_email(
        template=f"cfp/email/decision_{proposal.state}",
        context={**_proposal_context(proposal, page_url), "comments": comments},
        language=proposal.email_language,
    )


def notify_decision(*, proposal: Proposal, page_url: str, comments: list[str]) -> None:
    """Queue the decision email to the submitter and every confirmed co-speaker, each in the
    proposal's language for emails."""
    recipients = {proposal.submitter.email} if proposal.submitter.email else set()
    recipients |= {s.email for s in proposal.speakers.all() if s.confirmed_at}
    for address in sorted(recipients):
        queue_email(
            to=address,
            kind="cfp_decision",
            template=f"cfp/email/decision_{proposal.state}",
            context={**_proposal_context(proposal, page_url), "comments": comments},
            language=proposal.email_language,
            edition=proposal.edition,
            dedupe_key=f"cfp-decision-{proposal.pk}-{proposal.state}-{address}",
        )
