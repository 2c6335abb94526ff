"""Proposals and their speakers: drafts, edits until the deadline, submission, withdrawal, and
co-speakers invited by email who confirm through their personal link."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from cfp.enums import ProposalState
from cfp.links import cfp_url
from cfp.models import (
    Call,
    CallQuestion,
    LateSubmissionLink,
    Proposal,
    ProposalAnswer,
    ProposalSpeaker,
)
from cfp.services import notifications
from cfp.services.errors import CfpError
from cfp.services.programme import sync_session
from forum.questions import AnswerError, clean_answers

EDITABLE_STATES = (ProposalState.DRAFT, ProposalState.SUBMITTED)
# Fields of a proposal its submitter fills in (the form's, in this order).
PROPOSAL_FIELDS = (
    "title",
    "abstract",
    "description",
    "proposal_type",
    "track",
    "duration",
    "language",
    "interpretation_languages",
    "expected_participants",
    "country",
)


def call_accepts(call: Call | None, late_link: LateSubmissionLink | None = None) -> bool:
    """Whether proposals may be written now: the call is open, or a valid personal late link
    for this call was given."""
    if call is None:
        return False
    if call.is_open():
        return True
    now = timezone.now()
    return (
        late_link is not None
        and late_link.call_id == call.pk
        and late_link.is_valid(now)
        and call.opens_at <= now
    )


def _check_open(call: Call | None, late_link: LateSubmissionLink | None) -> Call:
    if call is None or not call_accepts(call, late_link):
        raise CfpError(_("The call for proposals is closed: nothing was saved."))
    return call


def _clean_answers(edition, answers) -> dict[int, str]:
    """The answers to the call's questions as stored (forum.questions.clean_answers); CfpError
    on an answer to another edition's question, a choice not offered or a required question
    left unanswered."""
    try:
        return clean_answers(CallQuestion.objects.filter(edition=edition), answers)
    except AnswerError as exc:
        raise CfpError(str(exc)) from None


def _save_answers(proposal: Proposal, values: dict[int, str]) -> None:
    """One row per answered question; an answer emptied is deleted."""
    existing = {a.question_id: a for a in proposal.answers.all()}
    for question_id, value in values.items():
        answer = existing.get(question_id)
        if answer is None:
            if value:
                ProposalAnswer.objects.create(
                    proposal=proposal, question_id=question_id, value=value
                )
        elif not value:
            answer.delete()
        elif answer.value != value:
            answer.value = value
            answer.save(update_fields=["value"])


def missing_answers(proposal: Proposal) -> list[str]:
    """The labels of the call's required questions that `proposal` leaves unanswered (a
    question added after the draft was written, say)."""
    answered = set(proposal.answers.exclude(value="").values_list("question_id", flat=True))
    return [
        question.label
        for question in CallQuestion.objects.filter(edition_id=proposal.edition_id, required=True)
        if question.pk not in answered
    ]


def create_proposal(
    *,
    call: Call | None,
    submitter,
    data: dict,
    organizations=(),
    answers: dict | None = None,
    email_language: str = "en",
    late_link: LateSubmissionLink | None = None,
) -> Proposal:
    """A draft proposal of `submitter`, who becomes its first (confirmed) speaker, with its
    answers to the call's questions ({question id: value}).

    Side effects: one Proposal and one ProposalSpeaker row, a ProposalAnswer per answer."""
    call = _check_open(call, late_link)
    values = _clean_answers(call.edition, answers) if answers is not None else {}
    with transaction.atomic():
        proposal = Proposal(
            edition=call.edition,
            submitter=submitter,
            email_language=email_language,
            late_link=late_link,
            **{name: data[name] for name in PROPOSAL_FIELDS if name in data},
        )
        proposal.full_clean()
        proposal.save()
        proposal.organizations.set(organizations)
        ProposalSpeaker.objects.create(
            proposal=proposal,
            user=submitter,
            email=submitter.email or f"user-{submitter.pk}@invalid",
            name=submitter.get_full_name() or submitter.get_username(),
            country=data.get("country", ""),
            is_submitter=True,
            confirmed_at=timezone.now(),
        )
        _save_answers(proposal, values)
    return proposal


def update_proposal(
    *,
    proposal: Proposal,
    call: Call | None,
    data: dict,
    organizations=None,
    answers: dict | None = None,
    by_organizer: bool = False,
) -> Proposal:
    """Change a proposal: its submitter until the deadline (while a draft or submitted), an
    organizer at any time. An accepted proposal's unscheduled session follows. `answers`
    ({question id: value}), when given, replace the answers to the call's questions.

    Side effects: the Proposal row and its answers; the session's (programme.sync_session)."""
    if not by_organizer:
        if proposal.state not in EDITABLE_STATES:
            raise CfpError(_("This proposal can no longer be changed."))
        _check_open(call, proposal.late_link)
    values = _clean_answers(proposal.edition, answers) if answers is not None else None
    with transaction.atomic():
        for name in PROPOSAL_FIELDS:
            if name in data:
                setattr(proposal, name, data[name])
        proposal.full_clean()
        proposal.save()
        if organizations is not None:
            proposal.organizations.set(organizations)
        if values is not None:
            _save_answers(proposal, values)
        sync_session(proposal=proposal)
    return proposal


def submit_proposal(*, proposal: Proposal, call: Call | None) -> Proposal:
    """A draft becomes submitted (before the deadline).

    Side effects: the Proposal row; a receipt email to the submitter (outbox, after commit)."""
    if proposal.state != ProposalState.DRAFT:
        raise CfpError(_("Only a draft can be submitted."))
    _check_open(call, proposal.late_link)
    missing = missing_answers(proposal)
    if missing:
        raise CfpError(
            _("Please answer before you submit: %(questions)s.") % {"questions": "; ".join(missing)}
        )
    with transaction.atomic():
        proposal.state = ProposalState.SUBMITTED
        proposal.submitted_at = timezone.now()
        proposal.save(update_fields=["state", "submitted_at", "updated_at"])
        notifications.notify_submitted(
            proposal=proposal,
            page_url=cfp_url(
                proposal.edition, "cfp_proposal", proposal.email_language, pk=proposal.pk
            ),
        )
    return proposal


def withdraw_proposal(*, proposal: Proposal) -> Proposal:
    """The submitter withdraws a draft, a submitted or a waitlisted proposal (an accepted one
    goes through the organizers, who have planned with it).

    Side effects: the Proposal row."""
    if proposal.state not in (*EDITABLE_STATES, ProposalState.WAITLISTED):
        raise CfpError(_("This proposal can no longer be withdrawn here; write to the organizers."))
    proposal.state = ProposalState.WITHDRAWN
    proposal.save(update_fields=["state", "updated_at"])
    return proposal


def invite_speaker(*, proposal: Proposal, name: str, email: str, language: str) -> ProposalSpeaker:
    """Invite a co-speaker by email; they confirm through their personal link.

    Side effects: one ProposalSpeaker row; the invitation email in `language` (outbox)."""
    if proposal.state in (ProposalState.WITHDRAWN, ProposalState.REJECTED):
        raise CfpError(_("This proposal can no longer take new speakers."))
    email = email.strip().lower()
    if proposal.speakers.filter(email__iexact=email).exists():
        raise CfpError(_("This person is already a speaker of the proposal."))
    with transaction.atomic():
        speaker = ProposalSpeaker.objects.create(
            proposal=proposal,
            email=email,
            name=name,
            position=proposal.speakers.count(),
        )
        notifications.notify_speaker_invited(
            speaker=speaker,
            language=language,
            confirm_url=cfp_url(proposal.edition, "cfp_speaker", language, token=speaker.token),
        )
    return speaker


def _store_photo(upload, *, title: str):
    """The uploaded picture as an image of the media library (the programme's speaker photos
    are library images); the form has already verified it with Pillow and checked its size."""
    image_model = get_image_model()
    upload.seek(0)
    image = image_model(title=title[:255] or "speaker")
    image.file.save(
        f"speaker-{secrets.token_hex(8)}{_photo_suffix(upload.name)}", upload, save=False
    )
    image.save()
    return image


def _photo_suffix(name: str) -> str:
    suffix = (name or "").rsplit(".", 1)[-1].lower() if "." in (name or "") else ""
    return f".{suffix}" if suffix in ("jpg", "jpeg", "png", "webp") else ""


def confirm_speaker(*, speaker: ProposalSpeaker, user, profile: dict) -> ProposalSpeaker:
    """The invited person confirms, logged in, and fills in their own profile (name in native
    script, organization, country, biography, availability). An accepted proposal whose speakers
    have all confirmed becomes a session.

    Side effects: the ProposalSpeaker row; perhaps a session (programme.sync_session)."""
    if speaker.user_id and speaker.user_id != user.pk:
        raise CfpError(_("This invitation was confirmed by another account."))
    with transaction.atomic():
        speaker.user = user
        for name in ("name", "name_native", "organization", "country", "bio", "availability"):
            if name in profile:
                setattr(speaker, name, profile[name])
        if profile.get("photo"):
            speaker.photo = _store_photo(profile["photo"], title=speaker.name)
        elif profile.get("photo") is False:  # "clear" ticked
            speaker.photo = None
        if speaker.confirmed_at is None:
            speaker.confirmed_at = timezone.now()
        speaker.full_clean()
        speaker.save()
        sync_session(proposal=speaker.proposal)
    return speaker
