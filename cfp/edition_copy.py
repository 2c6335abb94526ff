"""The call's part of copying an edition's setup (forum.edition_copy): its proposal types, review
criteria and questions. The call's dates, proposals and reviews belong to their edition and are
never copied."""

from django.utils.translation import gettext_lazy as _

from cfp.models import CallQuestion, ProposalType, ReviewCriterion
from forum.edition_copy import model_copier, register_copier
from forum.questions import EDITED_FIELDS


def register_copiers() -> None:
    register_copier(
        model_copier(
            key="proposal_types",
            label=_("Proposal types"),
            order=60,
            model=ProposalType,
            fields=["name", "session_kind", "durations", "position"],
            match_field="name",
            describe=lambda kind: kind.name,
        )
    )
    register_copier(
        model_copier(
            key="review_criteria",
            label=_("Review criteria"),
            order=61,
            model=ReviewCriterion,
            fields=["name", "description", "weight", "position"],
            match_field="name",
            describe=lambda criterion: criterion.name,
        )
    )
    register_copier(
        model_copier(
            key="call_questions",
            label=_("Questions of the call"),
            order=62,
            model=CallQuestion,
            fields=list(EDITED_FIELDS),
            match_field="label",
            describe=lambda question: question.label,
        )
    )
