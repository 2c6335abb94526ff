"""Review by the programme committee: scores per criterion with their weights, comments, and
the assignment of proposals to reviewers (balanced and automatic, or by hand), always around
conflicts of interest."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cfp import selectors
from cfp.enums import MAX_SCORE, ProposalState
from cfp.models import (
    Call,
    Proposal,
    Review,
    ReviewAssignment,
    ReviewCriterion,
    ReviewerProfile,
    ReviewScore,
)
from cfp.services.errors import CfpError
from forum.models import Edition


def weighted_score(scores: dict[int, int], criteria: list[ReviewCriterion]) -> Decimal:
    """The weighted mean of `scores` (criterion id → score) over `criteria`."""
    total_weight = sum(c.weight for c in criteria)
    if not total_weight:
        return Decimal(0)
    total = sum((Decimal(scores.get(c.pk, 0)) * c.weight for c in criteria), Decimal(0))
    return (total / Decimal(total_weight)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def save_review(
    *,
    proposal: Proposal,
    reviewer,
    call: Call | None,
    scores: dict[int, int],
    comment_committee: str = "",
    comment_submitter: str = "",
) -> Review:
    """Write (or rewrite) `reviewer`'s review of `proposal`: one score per criterion of the
    edition, from 0 to MAX_SCORE. Refused outside the review phase, for a proposal that is not
    submitted, or one the reviewer has a conflict with.

    Side effects: the Review and its ReviewScore rows."""
    edition = proposal.edition
    if call is None or not call.review_is_open():
        raise CfpError(_("The review is closed."))
    if proposal.state != ProposalState.SUBMITTED:
        raise CfpError(_("Only submitted proposals are reviewed."))
    if not selectors.is_reviewer(reviewer, edition):
        raise CfpError(_("Only the programme committee reviews proposals."))
    allowed = selectors.proposal_for_reviewer(edition, reviewer, proposal.pk, call=call)
    if allowed is None:
        raise CfpError(_("You have a conflict of interest with this proposal."))
    criteria = selectors.criteria(edition)
    if {c.pk for c in criteria} != set(scores) or any(
        not 0 <= s <= MAX_SCORE for s in scores.values()
    ):
        raise CfpError(
            _("Give a score from 0 to %(max)d for every criterion.") % {"max": MAX_SCORE}
        )
    with transaction.atomic():
        review, _created = Review.objects.update_or_create(
            proposal=proposal,
            reviewer=reviewer,
            defaults={
                "comment_committee": comment_committee,
                "comment_submitter": comment_submitter,
                "weighted_score": weighted_score(scores, criteria),
            },
        )
        review.scores.all().delete()
        ReviewScore.objects.bulk_create(
            ReviewScore(review=review, criterion_id=pk, score=score) for pk, score in scores.items()
        )
    return review


def _conflicts(proposal: Proposal, reviewer_id: int, profile, call: Call) -> bool:
    if proposal.submitter_id == reviewer_id:
        return True
    speakers = list(proposal.speakers.all())
    if any(s.user_id == reviewer_id for s in speakers):
        return True
    if profile is not None and profile.organization_id:
        orgs = {o.pk for o in proposal.organizations.all()} | {
            s.organization_id for s in speakers if s.organization_id
        }
        if profile.organization_id in orgs:
            return True
    return bool(
        call.exclude_own_country
        and profile is not None
        and profile.country
        and proposal.country == profile.country
    )


def assign_reviewers(*, edition: Edition, call: Call, assigned_by_id: int | None = None) -> int:
    """Give every submitted proposal `call.reviewers_per_proposal` reviewers from the programme
    committee, keeping the loads even: each missing place goes to the least-loaded reviewer
    without a conflict of interest (ties by name). Existing assignments stay.

    Returns the number of assignments made. Side effects: ReviewAssignment rows."""
    reviewers = selectors.reviewers_of_edition(edition)
    if not reviewers:
        return 0
    profiles = {p.user_id: p for p in ReviewerProfile.objects.filter(edition=edition)}
    proposals = list(
        Proposal.objects.filter(edition=edition, state=ProposalState.SUBMITTED)
        .prefetch_related("organizations", "speakers")
        .order_by("submitted_at", "pk")
    )
    current: dict[int, set[int]] = defaultdict(set)
    load: dict[int, int] = dict.fromkeys((r.pk for r in reviewers), 0)
    for proposal_id, reviewer_id in ReviewAssignment.objects.filter(
        proposal__edition=edition
    ).values_list("proposal_id", "reviewer_id"):
        current[proposal_id].add(reviewer_id)
        if reviewer_id in load:
            load[reviewer_id] += 1
    order = {r.pk: index for index, r in enumerate(reviewers)}
    wanted = call.reviewers_per_proposal
    new: list[ReviewAssignment] = []
    # The proposals with the fewest reviewers first, so that scarce reviewers go where needed.
    for proposal in sorted(proposals, key=lambda p: len(current[p.pk])):
        missing = wanted - len(current[proposal.pk])
        if missing <= 0:
            continue
        candidates = [
            r.pk
            for r in reviewers
            if r.pk not in current[proposal.pk]
            and not _conflicts(proposal, r.pk, profiles.get(r.pk), call)
        ]
        candidates.sort(key=lambda pk: (load[pk], order[pk]))
        for reviewer_id in candidates[:missing]:
            new.append(
                ReviewAssignment(
                    proposal=proposal, reviewer_id=reviewer_id, assigned_by_id=assigned_by_id
                )
            )
            current[proposal.pk].add(reviewer_id)
            load[reviewer_id] += 1
    ReviewAssignment.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def add_assignment(*, proposal: Proposal, reviewer, call: Call, assigned_by=None):
    """Assign one reviewer by hand (refused for a conflict of interest or a non-reviewer).

    Side effects: one ReviewAssignment row."""
    if not selectors.is_reviewer(reviewer, proposal.edition):
        raise CfpError(_("Only programme committee members review proposals."))
    if selectors.proposal_for_reviewer(proposal.edition, reviewer, proposal.pk, call=call) is None:
        raise CfpError(_("This reviewer has a conflict of interest with the proposal."))
    assignment, _created = ReviewAssignment.objects.get_or_create(
        proposal=proposal, reviewer=reviewer, defaults={"assigned_by": assigned_by}
    )
    return assignment


def remove_assignment(*, proposal: Proposal, reviewer) -> None:
    """Side effects: deletes the ReviewAssignment (a review already written stays)."""
    ReviewAssignment.objects.filter(proposal=proposal, reviewer=reviewer).delete()
