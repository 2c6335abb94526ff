"""Factories for the call for proposals: a call with types and criteria, proposals, reviewers."""

import datetime

import factory
from django.utils import timezone

from cfp.enums import ProposalState
from cfp.models import Call, Proposal, ProposalSpeaker, ProposalType, ReviewCriterion
from forum.enums import EditionRoleKind
from forum.services import grant_edition_role
from tests.factories import UserFactory


def open_call(edition, **kwargs) -> Call:
    """An open call of `edition` with a workshop and a panel type and three criteria."""
    now = timezone.now()
    call = Call.objects.create(
        edition=edition,
        opens_at=kwargs.pop("opens_at", now - datetime.timedelta(days=10)),
        closes_at=kwargs.pop("closes_at", now + datetime.timedelta(days=10)),
        **kwargs,
    )
    ProposalType.objects.create(
        edition=edition,
        name="Workshop",
        name_ja="ワークショップ",
        durations="60, 90",
        session_kind="workshop",
    )
    ProposalType.objects.create(edition=edition, name="Panel", durations="90", session_kind="panel")
    ReviewCriterion.objects.create(edition=edition, name="Relevance", weight=3, position=0)
    ReviewCriterion.objects.create(edition=edition, name="Regional diversity", weight=1, position=1)
    ReviewCriterion.objects.create(edition=edition, name="Feasibility", weight=2, position=2)
    return call


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    submitter = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Proposal {n}")
    abstract = "How cooperatives share their work."
    proposal_type = factory.LazyAttribute(
        lambda p: ProposalType.objects.filter(edition=p.edition).order_by("pk").first()
    )
    duration = 90
    language = "en"
    country = "JP"
    state = ProposalState.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def with_speaker(self, create, extracted, **kwargs):
        if create:
            ProposalSpeaker.objects.create(
                proposal=self,
                user=self.submitter,
                email=self.submitter.email,
                name=self.submitter.username,
                is_submitter=True,
                confirmed_at=timezone.now(),
            )


def reviewer(edition, **kwargs):
    user = UserFactory(**kwargs)
    grant_edition_role(edition=edition, user=user, role=EditionRoleKind.PROGRAMME_COMMITTEE)
    return user


def organizer(edition, **kwargs):
    user = UserFactory(**kwargs)
    grant_edition_role(edition=edition, user=user, role=EditionRoleKind.ORGANIZER)
    return user
