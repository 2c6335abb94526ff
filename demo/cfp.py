"""The demo call for proposals of AFSE 2011 Malaysia: an open call with five proposal types,
three weighted criteria, three tracks, about forty proposals in several states and languages
from member organizations, reviewers with assignments and reviews in progress, and the demo
accounts `malaysia-submitter` and `malaysia-reviewer`.

Runs at every test database setup: written with bulk_create, deterministic (a seeded random
generator), idempotent (nothing happens once the edition has a call).
"""

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from cfp.enums import ProposalState
from cfp.models import (
    Call,
    CallQuestion,
    Proposal,
    ProposalAnswer,
    ProposalSpeaker,
    ProposalType,
    Review,
    ReviewCriterion,
    ReviewerProfile,
    ReviewScore,
)
from cfp.services.programme import sync_session
from cfp.services.review import assign_reviewers, weighted_score
from forum.enums import EditionRoleKind, OrganizationKind
from forum.models import Edition, Organization
from forum.questions import QuestionKind
from forum.services import grant_edition_role
from sessions_app.models import Track

TYPES = [
    ("Workshop", "ワークショップ", "workshop", "60, 90"),
    ("Panel", "パネル討論", "panel", "90"),
    ("Site visit", "現地視察", "visit", "180, 240"),
    ("Side event", "サイドイベント", "side_event", "60, 120"),
    ("Exhibition", "展示", "side_event", "120"),
]
CRITERIA = [
    ("Relevance to the solidarity economy", "連帯経済との関連", 3),
    ("Regional diversity", "地域の多様性", 1),
    ("Feasibility", "実現可能性", 2),
]
# The call's own questions (label, Japanese, kind, choices, Japanese choices, required).
QUESTIONS = [
    (
        "Is your organization a member of the forum's network?",
        "貴団体はフォーラムのネットワークの会員ですか？",  # noqa: RUF001
        QuestionKind.CHOICE,
        "Member of ASEC\nMember of RIPESS\nNot yet a member",
        "ASEC会員\nRIPESS会員\nまだ会員ではない",
        True,
    ),
    (
        "Will a speaker or participant need step-free access or other support?",
        "登壇者や参加者に段差のない経路などの支援が必要ですか？",  # noqa: RUF001
        QuestionKind.CHECKBOX,
        "",
        "",
        False,
    ),
    (
        "What will participants take home from your session?",
        "参加者はこのセッションから何を持ち帰りますか？",  # noqa: RUF001
        QuestionKind.TEXT,
        "",
        "",
        False,
    ),
]
TAKEAWAYS = [
    "A checklist for starting a worker cooperative.",
    "Contacts with cooperatives in three countries.",
    "A plan for a joint fair-trade purchase.",
]
TRACKS = [
    ("Cooperatives and decent work", "decent-work", "#1d5c4d"),
    ("Solidarity finance", "solidarity-finance", "#7a3b69"),
    ("Food sovereignty and fair trade", "food-fair-trade", "#b5651d"),
]
ORGANIZATIONS = [
    ("ANGKASA (National Cooperative Organisation of Malaysia)", "MY", "cooperative"),
    ("Koperasi Belia Islam", "MY", "cooperative"),
    ("Bina Swadaya", "ID", "nonprofit"),
    ("Kilusan ng Manggagawang Kababaihan", "PH", "labour_union"),
    ("Self Employed Women's Association (SEWA)", "IN", "womens_shg"),
    ("Seoul Social Economy Network", "KR", "coalition"),
    ("Thai Fair Trade Network", "TH", "fair_trade"),
    ("Hanoi Women's Savings Group", "VN", "womens_shg"),
    ("Green Consumers' Co-operative Union", "JP", "cooperative"),
]
TOPICS = [
    ("Worker cooperatives in the platform economy", "ms"),
    ("Microfinance without debt traps", "en"),
    ("Women's self-help groups and collective savings", "en"),
    ("Fair-trade coffee from Sabah highlands", "ms"),
    ("Community-supported agriculture in Seoul", "ko"),
    ("Care cooperatives for an ageing society", "ja"),
    ("Islamic cooperative finance", "ms"),
    ("Solidarity economy in post-disaster recovery", "en"),
    ("Fisherfolk cooperatives and marine conservation", "tl"),
    ("Digital commons for rural cooperatives", "id"),
    ("Social enterprises and public procurement", "ko"),
    ("Youth cooperatives and first jobs", "th"),
    ("Mapping the solidarity economy in Asia", "en"),
    ("Credit unions for migrant workers", "vi"),
]
STATES = (
    [ProposalState.DRAFT] * 4
    + [ProposalState.SUBMITTED] * 27
    + [ProposalState.WITHDRAWN] * 2
    + [ProposalState.ACCEPTED] * 4
    + [ProposalState.REJECTED] * 2
    + [ProposalState.WAITLISTED] * 1
)
REVIEWERS = [
    "malaysia-reviewer",
    "malaysia-reviewer-2",
    "malaysia-reviewer-3",
    "malaysia-reviewer-4",
]


def _user(username: str, *, password: bool, first_name: str = "", last_name: str = ""):
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(
            username=username,
            email=f"{username}@example.org",
            first_name=first_name,
            last_name=last_name,
        )
        if password:
            user.set_password(settings.DEMO_ADMIN_PASSWORD)
        else:
            user.set_unusable_password()
        user.save()
    return user


def build_demo_call(edition: Edition) -> bool:
    """Returns False when the edition already has a call (nothing done)."""
    if Call.objects.filter(edition=edition).exists():
        return False
    rng = random.Random(2011)  # noqa: S311 (demo data, not secrets)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    call = Call.objects.create(
        edition=edition,
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=30),
        review_opens_at=now - datetime.timedelta(days=20),
        guidelines=(
            "Member organizations propose workshops, panels, site visits, side events and "
            "exhibitions. Proposals from several countries and kinds of organization are "
            "especially welcome."
        ),
        reviewers_per_proposal=2,
    )
    types = [
        ProposalType.objects.create(
            edition=edition,
            name=name,
            name_ja=ja,
            session_kind=kind,
            durations=durations,
            position=index,
        )
        for index, (name, ja, kind, durations) in enumerate(TYPES)
    ]
    criteria = [
        ReviewCriterion.objects.create(
            edition=edition, name=name, name_ja=ja, weight=weight, position=index
        )
        for index, (name, ja, weight) in enumerate(CRITERIA)
    ]
    questions = [
        CallQuestion.objects.create(
            edition=edition,
            label=label,
            label_ja=label_ja,
            kind=kind,
            choices=choices,
            choices_ja=choices_ja,
            required=required,
            position=index,
        )
        for index, (label, label_ja, kind, choices, choices_ja, required) in enumerate(QUESTIONS)
    ]
    tracks = [
        Track.objects.get_or_create(
            edition=edition, slug=slug, defaults={"name": name, "colour": colour}
        )[0]
        for name, slug, colour in TRACKS
    ]
    organizations = []
    for name, country, kind in ORGANIZATIONS:
        org = Organization.objects.filter(name=name, country=country).first()
        if org is None:
            org = Organization.objects.create(
                name=name, country=country, kind=OrganizationKind(kind)
            )
        organizations.append(org)

    reviewers = []
    for index, name in enumerate(REVIEWERS):
        user = _user(name, password=index == 0, first_name="Reviewer", last_name=str(index + 1))
        grant_edition_role(edition=edition, user=user, role=EditionRoleKind.PROGRAMME_COMMITTEE)
        ReviewerProfile.objects.create(
            edition=edition,
            user=user,
            organization=organizations[index],
            country=organizations[index].country,
        )
        reviewers.append(user)

    submitter = _user("malaysia-submitter", password=True, first_name="Aminah", last_name="Yusof")
    proposers = [submitter] + [
        _user(f"malaysia-proposer-{n}", password=False, first_name="Proposer", last_name=str(n))
        for n in range(1, 13)
    ]
    proposals = []
    for index, state in enumerate(STATES):
        topic, language = TOPICS[index % len(TOPICS)]
        kind = types[index % len(types)]
        org = organizations[index % len(organizations)]
        title = topic if index < len(TOPICS) else f"{topic} ({index // len(TOPICS) + 1})"
        submitted = state != ProposalState.DRAFT
        proposals.append(
            Proposal(
                edition=edition,
                submitter=proposers[index % len(proposers)],
                title=title,
                abstract=(
                    f"{org.name} shares its experience: {topic.lower()}. Participants "
                    "compare practices across countries and plan joint work."
                ),
                proposal_type=kind,
                track=tracks[index % len(tracks)],
                duration=kind.duration_list[0],
                language=language,
                interpretation_languages="en" if language != "en" else "ms",
                expected_participants=rng.choice([20, 30, 40, 60, 80]),
                country=org.country,
                state=state,
                submitted_at=now - datetime.timedelta(days=25 - index % 20) if submitted else None,
                decided_at=now
                if state in (ProposalState.ACCEPTED, ProposalState.REJECTED)
                else None,
                # The demo's early decisions have been told; the waiting list's email waits.
                notified_state=state
                if state in (ProposalState.ACCEPTED, ProposalState.REJECTED)
                else "",
                email_language="ja" if language == "ja" else "en",
            )
        )
    Proposal.objects.bulk_create(proposals)
    proposals = list(
        Proposal.objects.filter(edition=edition)
        .select_related("submitter")
        .prefetch_related("assignments")
        .order_by("pk")
    )
    through = Proposal.organizations.through
    through.objects.bulk_create(
        through(proposal_id=p.pk, organization_id=organizations[i % len(organizations)].pk)
        for i, p in enumerate(proposals)
    )
    ProposalSpeaker.objects.bulk_create(
        ProposalSpeaker(
            proposal=p,
            user=p.submitter,
            email=p.submitter.email,
            name=p.submitter.get_full_name(),
            organization=organizations[i % len(organizations)],
            country=p.country,
            is_submitter=True,
            confirmed_at=now,
        )
        for i, p in enumerate(proposals)
    )
    # Every proposal but the drafts answers the call's questions.
    membership, access, takeaway = questions
    ProposalAnswer.objects.bulk_create(
        answer
        for i, p in enumerate(proposals)
        if p.state != ProposalState.DRAFT
        for answer in (
            ProposalAnswer(proposal=p, question=membership, value=membership.choice_list[i % 3]),
            *([ProposalAnswer(proposal=p, question=access, value="yes")] if i % 4 == 0 else []),
            *(
                [ProposalAnswer(proposal=p, question=takeaway, value=TAKEAWAYS[i % 3])]
                if i % 2 == 0
                else []
            ),
        )
    )

    assign_reviewers(edition=edition, call=call)
    proposals = list(
        Proposal.objects.filter(edition=edition).prefetch_related("assignments").order_by("pk")
    )
    # Reviews in progress: the first two reviewers have scored most of their assignments.
    reviews = []
    scores = []
    for proposal in proposals:
        if proposal.state == ProposalState.DRAFT or proposal.state == ProposalState.WITHDRAWN:
            continue
        for assignment in proposal.assignments.all():
            if assignment.reviewer_id not in (reviewers[0].pk, reviewers[1].pk):
                continue
            if rng.random() < 0.25:
                continue
            given = {c.pk: rng.randint(1, 5) for c in criteria}
            reviews.append(
                Review(
                    proposal=proposal,
                    reviewer_id=assignment.reviewer_id,
                    weighted_score=weighted_score(given, criteria),
                    comment_committee="Fits the forum's themes.",
                    comment_submitter="Please plan time for questions from the floor.",
                )
            )
            scores.append(given)
    Review.objects.bulk_create(reviews)
    ReviewScore.objects.bulk_create(
        ReviewScore(review=review, criterion_id=pk, score=score)
        for review, given in zip(reviews, scores, strict=True)
        for pk, score in given.items()
    )
    # The accepted proposals, whose speakers have confirmed, are unscheduled sessions.
    for proposal in Proposal.objects.filter(
        edition=edition, state=ProposalState.ACCEPTED
    ).select_related("proposal_type"):
        sync_session(proposal=proposal)
    return True
