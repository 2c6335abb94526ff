"""Read queries of the call for proposals: one function per page or export, each scoped to the
person asking (a submitter sees their own proposals, a reviewer their edition's minus their
conflicts of interest, the committee everything of its edition). Each answers in a constant
number of queries, however many proposals and reviews there are."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from cfp.enums import PROPOSAL_LANGUAGES, ProposalState
from cfp.models import (
    Call,
    CallQuestion,
    LateSubmissionLink,
    Proposal,
    ProposalExport,
    ProposalSpeaker,
    ProposalType,
    Review,
    ReviewAssignment,
    ReviewCriterion,
    ReviewerProfile,
)
from forum.enums import EditionRoleKind
from forum.models import Edition, EditionRole
from forum.selectors import user_has_edition_role
from sessions_app.models import Track

# What reviewers and the committee see: everything past the draft, but not the withdrawn.
REVIEWABLE_STATES = (
    ProposalState.SUBMITTED,
    ProposalState.ACCEPTED,
    ProposalState.REJECTED,
    ProposalState.WAITLISTED,
)

SORTS = {
    "score": "-avg_score",
    "-score": "avg_score",
    "reviews": "review_count",
    "-reviews": "-review_count",
    "title": "title",
    "-title": "-title",
    "state": "state",
    "submitted": "submitted_at",
}


def call_for_edition(edition: Edition) -> Call | None:
    return Call.objects.filter(edition=edition).first()


def valid_late_link(call: Call | None, token: str) -> LateSubmissionLink | None:
    if call is None or not token:
        return None
    link = LateSubmissionLink.objects.filter(call=call, token=token).first()
    return link if link is not None and link.is_valid() else None


def proposal_types(edition: Edition) -> QuerySet[ProposalType]:
    return ProposalType.objects.filter(edition=edition)


def tracks(edition: Edition) -> list[Track]:
    return list(Track.objects.filter(edition=edition))


def proposal_of_edition(edition: Edition, pk: int | None) -> Proposal | None:
    return Proposal.objects.filter(edition=edition, pk=pk).first() if pk else None


def proposal_ids(edition: Edition) -> list[int]:
    return list(Proposal.objects.filter(edition=edition).values_list("pk", flat=True))


def reviewer_of_edition(edition: Edition, pk: int | None) -> User | None:
    """The programme committee member `pk` of `edition`, or None."""
    if not pk:
        return None
    role = (
        EditionRole.objects.filter(
            edition=edition, user_id=pk, role=EditionRoleKind.PROGRAMME_COMMITTEE
        )
        .select_related("user")
        .first()
    )
    return role.user if role else None


def criteria(edition: Edition) -> list[ReviewCriterion]:
    return list(ReviewCriterion.objects.filter(edition=edition))


# Submitters ---------------------------------------------------------------------------------


def call_questions(edition: Edition) -> list[CallQuestion]:
    """The edition's own questions of the call, in their order."""
    return list(CallQuestion.objects.filter(edition=edition).order_by("position", "pk"))


def stored_answers(proposal: Proposal) -> dict[int, str]:
    """{question id: value as stored} of `proposal`'s answers."""
    return dict(proposal.answers.values_list("question_id", "value"))


@dataclass(frozen=True)
class ShownAnswer:
    question: str
    answer: str


def answers_shown(proposal: Proposal) -> list[ShownAnswer]:
    """`proposal`'s answers to the call's questions, as a reader sees them in the active
    language (a choice translated, a ticked box as "Yes"), in the questions' order; questions
    left unanswered are left out. One query."""
    answers = proposal.answers.select_related("question").order_by(
        "question__position", "question_id"
    )
    return [
        ShownAnswer(question=a.question.label, answer=a.question.shown_answer(a.value))
        for a in answers
        if a.value
    ]


def proposals_of_user(edition: Edition, user) -> list[Proposal]:
    """The proposals `user` submitted or speaks in (a confirmed co-speaker), newest first."""
    if not user.is_authenticated:
        return []
    return list(
        Proposal.objects.filter(edition=edition)
        .filter(Q(submitter=user) | Q(speakers__user=user, speakers__confirmed_at__isnull=False))
        .distinct()
        .select_related("proposal_type", "track")
        .order_by("-created_at")
    )


def proposal_for_speaker(edition: Edition, user, pk: int) -> Proposal | None:
    """The proposal `pk` if `user` submitted it or is a confirmed speaker in it; else None (so
    that changing the id in the address shows nothing of another person's proposal)."""
    if not user.is_authenticated:
        return None
    return (
        Proposal.objects.filter(edition=edition, pk=pk)
        .filter(Q(submitter=user) | Q(speakers__user=user, speakers__confirmed_at__isnull=False))
        .select_related("proposal_type", "track", "session")
        .prefetch_related(
            "organizations", Prefetch("speakers", queryset=ProposalSpeaker.objects.all())
        )
        .distinct()
        .first()
    )


def proposal_of_submitter(edition: Edition, user, pk: int) -> Proposal | None:
    """The proposal `pk` if `user` submitted it (only the submitter changes it)."""
    if not user.is_authenticated:
        return None
    return (
        Proposal.objects.filter(edition=edition, pk=pk, submitter=user)
        .select_related("proposal_type", "track")
        .prefetch_related("organizations", "speakers")
        .first()
    )


def speaker_invitation(edition: Edition, token: str) -> ProposalSpeaker | None:
    return (
        ProposalSpeaker.objects.filter(proposal__edition=edition, token=token)
        .exclude(proposal__state=ProposalState.WITHDRAWN)
        .select_related("proposal", "proposal__submitter")
        .first()
    )


def reviews_for_submitter_before_sending(proposal: Proposal) -> list[str]:
    """The reviewers' comments meant for the submitter (never their names)."""
    return list(
        Review.objects.filter(proposal=proposal)
        .exclude(comment_submitter="")
        .order_by("pk")
        .values_list("comment_submitter", flat=True)
    )


def reviews_for_submitter(proposal: Proposal) -> list[str]:
    """The reviewers' comments for the submitter, once the decision has been sent."""
    if not proposal.notified_state:
        return []
    return reviews_for_submitter_before_sending(proposal)


# Reviewers ----------------------------------------------------------------------------------


def is_reviewer(user, edition: Edition) -> bool:
    return user_has_edition_role(user, edition, [EditionRoleKind.PROGRAMME_COMMITTEE])


def is_committee(user, edition: Edition) -> bool:
    """Organizers run the call: the dashboard, the assignments and the decisions."""
    return user_has_edition_role(user, edition, [EditionRoleKind.ORGANIZER])


def reviewer_profile(edition: Edition, user) -> ReviewerProfile | None:
    return ReviewerProfile.objects.filter(edition=edition, user=user).first()


def without_conflicts(
    proposals: QuerySet[Proposal], *, user, profile: ReviewerProfile | None, call: Call | None
) -> QuerySet[Proposal]:
    """`proposals` minus those `user` has a conflict of interest with: their own (submitter or
    speaker), their organization's (co-organizing, or a speaker's), and — when the call says so —
    their own country's."""
    proposals = proposals.exclude(submitter=user).exclude(
        Exists(ProposalSpeaker.objects.filter(proposal=OuterRef("pk"), user=user))
    )
    if profile is not None and profile.organization_id:
        org = profile.organization_id
        proposals = proposals.exclude(
            Exists(
                Proposal.organizations.through.objects.filter(
                    proposal_id=OuterRef("pk"), organization_id=org
                )
            )
        ).exclude(
            Exists(ProposalSpeaker.objects.filter(proposal=OuterRef("pk"), organization_id=org))
        )
    if call is not None and call.exclude_own_country and profile is not None and profile.country:
        proposals = proposals.exclude(country=profile.country)
    return proposals


def review_list(
    edition: Edition, user, *, call: Call | None, only_assigned: bool = False
) -> QuerySet[Proposal]:
    """The proposals `user` may review, with whether they are assigned to them and their own
    review's score; those assigned first. A query set, paged in SQL by the view (one COUNT and
    one query for the page's rows, whatever the size)."""
    profile = reviewer_profile(edition, user)
    proposals = without_conflicts(
        Proposal.objects.filter(edition=edition, state__in=REVIEWABLE_STATES),
        user=user,
        profile=profile,
        call=call,
    )
    assigned = ReviewAssignment.objects.filter(proposal=OuterRef("pk"), reviewer=user)
    mine = Review.objects.filter(proposal=OuterRef("pk"), reviewer=user)
    proposals = proposals.annotate(
        is_assigned=Exists(assigned),
        my_score=Subquery(mine.values("weighted_score")[:1]),
    )
    if only_assigned:
        proposals = proposals.filter(is_assigned=True)
    return proposals.select_related("proposal_type", "track", "submitter").order_by(
        "-is_assigned", "submitted_at", "pk"
    )


def proposal_for_reviewer(edition: Edition, user, pk: int, *, call: Call | None):
    """The proposal `pk` if `user` may review it (None otherwise), with its speakers."""
    profile = reviewer_profile(edition, user)
    return (
        without_conflicts(
            Proposal.objects.filter(edition=edition, state__in=REVIEWABLE_STATES, pk=pk),
            user=user,
            profile=profile,
            call=call,
        )
        .select_related("proposal_type", "track", "submitter")
        .prefetch_related("organizations", "speakers", "speakers__organization")
        .first()
    )


def review_of(proposal: Proposal, user) -> Review | None:
    return (
        Review.objects.filter(proposal=proposal, reviewer=user).prefetch_related("scores").first()
    )


# The committee -------------------------------------------------------------------------------


@dataclass
class DashboardFilters:
    track: int | None = None
    proposal_type: int | None = None
    country: str = ""
    language: str = ""
    state: str = ""
    sort: str = "score"


@dataclass
class Dashboard:
    """What the dashboard shows besides its page of proposals: each reviewer's progress and the
    balance of the accepted proposals (each a few GROUP BY queries over the edition)."""

    proposals: list[Proposal]
    reviewers: list[dict]
    balance: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def assignable(self) -> list[User]:
        """The programme committee's active members (those a proposal may be assigned to)."""
        return [row["user"] for row in self.reviewers if row["user"].is_active]


def _per_proposal(model, function: str, column: str, output_field):
    """`function`(`column`) of `model`'s rows of each proposal, as a correlated subquery
    without GROUP BY (one index scan a proposal; PostgreSQL computes it after LIMIT for the
    columns the query does not sort by)."""
    return Subquery(
        model.objects.filter(proposal=OuterRef("pk"))
        .order_by()
        .values(value=Func(F(column), function=function, output_field=output_field)),
        output_field=output_field,
    )


def committee_proposals(edition: Edition, filters: DashboardFilters) -> QuerySet[Proposal]:
    """The edition's proposals past the draft, with their review count, mean weighted score
    and number of reviewers assigned (as subqueries: no rows multiply), filtered and sorted in
    SQL. A query set: the view pages it (one COUNT, one query for the page's rows)."""
    qs = Proposal.objects.filter(edition=edition).exclude(state=ProposalState.DRAFT)
    if filters.track:
        qs = qs.filter(track_id=filters.track)
    if filters.proposal_type:
        qs = qs.filter(proposal_type_id=filters.proposal_type)
    if filters.country:
        qs = qs.filter(country=filters.country)
    if filters.language:
        qs = qs.filter(language=filters.language)
    if filters.state:
        qs = qs.filter(state=filters.state)
    qs = qs.annotate(
        review_count=_per_proposal(Review, "COUNT", "pk", IntegerField()),
        avg_score=_per_proposal(
            Review, "AVG", "weighted_score", DecimalField(max_digits=5, decimal_places=2)
        ),
        assigned_count=_per_proposal(ReviewAssignment, "COUNT", "pk", IntegerField()),
    )
    order = SORTS.get(filters.sort, "-avg_score")
    if order.lstrip("-") == "avg_score":
        expression = F("avg_score")
        order_by = (
            expression.desc(nulls_last=True)
            if order.startswith("-")
            else expression.asc(nulls_last=True)
        )
        qs = qs.order_by(order_by, "pk")
    else:
        qs = qs.order_by(order, "pk")
    return qs.select_related("proposal_type", "track")


def proposals_for_export(edition: Edition, filters: DashboardFilters) -> QuerySet[Proposal]:
    """The dashboard's proposals (all of them, with its filters and sort), with what the CSV
    export shows besides: the submitter, the organizations and the answers to the call's
    questions. Four queries."""
    return (
        committee_proposals(edition, filters)
        .select_related("submitter")
        .prefetch_related("organizations", "answers")
    )


def reviewer_progress(edition: Edition) -> list[dict]:
    """Each programme committee member with their assigned proposals, the assigned ones they
    reviewed, and all their reviews; three queries (the members, then two GROUP BY over the
    edition's assignments and reviews, one row a reviewer)."""
    members = list(
        EditionRole.objects.filter(edition=edition, role=EditionRoleKind.PROGRAMME_COMMITTEE)
        .select_related("user")
        .order_by("user__username")
    )
    user_ids = [m.user_id for m in members]
    # Each assignment joined to the reviewer's own review of that proposal, if any.
    assignments: dict[int, tuple[int, int]] = {
        row["reviewer"]: (row["assigned"], row["done"])
        for row in ReviewAssignment.objects.filter(
            proposal__edition=edition, reviewer_id__in=user_ids
        )
        .annotate(
            own_review=FilteredRelation(
                "proposal__reviews", condition=Q(proposal__reviews__reviewer=F("reviewer"))
            )
        )
        .values("reviewer")
        .annotate(assigned=Count("pk"), done=Count("own_review"))
        .order_by()
    }
    done = dict(
        Review.objects.filter(proposal__edition=edition, reviewer_id__in=user_ids)
        .values("reviewer")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("reviewer", "n")
    )
    rows = []
    for member in members:
        assigned, reviewed = assignments.get(member.user_id, (0, 0))
        rows.append(
            {
                "user": member.user,
                "assigned": assigned,
                "assigned_done": reviewed,
                "reviews": done.get(member.user_id, 0),
                "percent": round(100 * reviewed / assigned) if assigned else None,
            }
        )
    return rows


def balance_of_accepted(edition: Edition) -> dict[str, list[tuple[str, int]]]:
    """Counts of the accepted proposals by country, kind of co-organizing organization,
    language and track (two queries), largest first."""
    from django_countries import countries

    from forum.enums import OrganizationKind

    accepted = Proposal.objects.filter(edition=edition, state=ProposalState.ACCEPTED)
    # One GROUP BY for country, language and track together (a row a combination: at most as
    # many as accepted proposals), summed here; the kinds need the organizations' join.
    by: dict[str, Counter[str]] = {"country": Counter(), "language": Counter(), "track": Counter()}
    for row in accepted.values("country", "language", "track__name").annotate(n=Count("pk")):
        by["country"][row["country"]] += row["n"]
        by["language"][row["language"]] += row["n"]
        by["track"][row["track__name"] or ""] += row["n"]
    country_names = dict(countries)
    languages = dict(PROPOSAL_LANGUAGES)
    kinds = dict(OrganizationKind.choices)
    by_kind = [
        (str(kinds.get(row["organizations__kind"], "—")), row["n"])
        for row in accepted.exclude(organizations=None)
        .values("organizations__kind")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "organizations__kind")
    ]

    def largest_first(counts: Counter, name) -> list[tuple[str, int]]:
        return [
            (name(key), n)
            for key, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]

    return {
        "country": largest_first(by["country"], lambda c: country_names.get(c, c) or "—"),
        "kind": by_kind,
        "language": largest_first(by["language"], lambda c: str(languages.get(c, c))),
        "track": largest_first(by["track"], lambda name: name or "—"),
    }


def dashboard(edition: Edition, page_rows: Iterable[Proposal]) -> Dashboard:
    """The dashboard around its page of proposals (`page_rows`, from `committee_proposals`,
    each given its labels and the user names of the reviewers assigned to it as
    `reviewer_list`): the reviewers' progress and the balance. Eight queries whatever the size
    of the edition."""
    proposals = with_labels(list(page_rows))
    assigned = reviewer_names_by_proposal(edition, [p.pk for p in proposals])
    for proposal in proposals:
        proposal.reviewer_list = assigned.get(proposal.pk, [])  # type: ignore[attr-defined]
    return Dashboard(
        proposals=proposals,
        reviewers=reviewer_progress(edition),
        balance=balance_of_accepted(edition),
    )


def reviewers_of_edition(edition: Edition) -> list[User]:
    return [
        role.user
        for role in EditionRole.objects.filter(
            edition=edition, role=EditionRoleKind.PROGRAMME_COMMITTEE, user__is_active=True
        )
        .select_related("user")
        .order_by("user__username")
    ]


def reviewer_names_by_proposal(edition: Edition, proposal_ids: list[int]) -> dict[int, list[str]]:
    """The user names of the reviewers assigned to each of `proposal_ids` (the page shown) of
    `edition`, alphabetical. One query of two columns (no model instances: a page of 100
    proposals has some 800 assignments)."""
    found: dict[int, list[str]] = {}
    rows = (
        ReviewAssignment.objects.filter(proposal__edition=edition, proposal_id__in=proposal_ids)
        .order_by("reviewer__username")
        .values_list("proposal_id", "reviewer__username")
    )
    for proposal_id, username in rows:
        found.setdefault(proposal_id, []).append(username)
    return found


def with_labels(proposals: list[Proposal]) -> list[Proposal]:
    """`proposals`, each given `language_label` and `state_label`: the names of its language and
    state, translated once a page rather than once a row (`get_language_display` hashes every
    lazy choice at each call: a third of a page of 100 rows went there)."""
    languages = {code: str(name) for code, name in PROPOSAL_LANGUAGES}
    states = {code: str(name) for code, name in ProposalState.choices}
    for proposal in proposals:
        proposal.language_label = languages.get(proposal.language, proposal.language)  # type: ignore[attr-defined]
        proposal.state_label = states.get(proposal.state, proposal.state)  # type: ignore[attr-defined]
    return proposals


def export_of_edition(edition: Edition, pk: int) -> ProposalExport | None:
    """The CSV export `pk` of `edition` (None for another edition's: changing the id in the
    address reaches nothing)."""
    return ProposalExport.objects.filter(edition=edition, pk=pk).first()


def recent_exports(edition: Edition, limit: int = 5) -> list[ProposalExport]:
    return list(ProposalExport.objects.filter(edition=edition).order_by("-created_at")[:limit])


def pending_decision_count(edition: Edition) -> int:
    return (
        Proposal.objects.filter(
            edition=edition,
            state__in=(
                ProposalState.ACCEPTED,
                ProposalState.REJECTED,
                ProposalState.WAITLISTED,
            ),
        )
        .exclude(notified_state=F("state"))
        .count()
    )


def pending_decision_emails(edition: Edition) -> list[Proposal]:
    """The decided proposals whose submitters have not been told yet."""
    return [
        proposal
        for proposal in Proposal.objects.filter(
            edition=edition,
            state__in=(
                ProposalState.ACCEPTED,
                ProposalState.REJECTED,
                ProposalState.WAITLISTED,
            ),
        )
        .select_related("submitter", "edition")
        .prefetch_related("speakers")
        .order_by("state", "title")
        if proposal.decision_email_pending
    ]
