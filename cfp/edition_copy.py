"""The call's part of copying an edition's setup (forum.edition_copy): its proposal types, review
criteria and questions. The call's dates, proposals and reviews belong to their edition and are
never copied."""

from django.utils.translation import gettext_lazy as _

from cfp.models import CallQuestion, ProposalType, ReviewCriterion
from forum.edition_copy import model_copier, register_copier
from forum.questions import EDITED_FIELDS

# (key, label, order, model, fields, the field that says the target has it already)
PARTS = [
    (
        "proposal_types",
        _("Proposal types"),
        60,
        ProposalType,
        ["name", "session_kind", "durations", "position"],
        "name",
    ),
    (
        "review_criteria",
        _("Review criteria"),
        61,
        ReviewCriterion,
        ["name", "description", "weight", "position"],
        "name",
    ),
    ("call_questions", _("Questions of the call"), 62, CallQuestion, list(EDITED_FIELDS), "label"),
]


def register_copiers() -> None:
    for key, label, order, model, fields, match_field in PARTS:
        register_copier(
            model_copier(
                key=key,
                label=label,
                order=order,
                model=model,
                fields=fields,
                match_field=match_field,
                describe=str,
            )
        )
