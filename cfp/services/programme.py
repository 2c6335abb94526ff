"""From an accepted proposal to the programme: an unscheduled session with its speakers,
language and interpretation, kept in step with the proposal until the session is scheduled."""

from django.db import transaction
from django.utils.html import escape, linebreaks
from django.utils.text import slugify

from cfp.enums import ProposalState
from cfp.models import Proposal, ProposalSpeaker
from sessions_app.enums import SessionStatus, SpeakerRole
from sessions_app.models import Session, SessionSpeaker, Speaker


def _unique_slug(model, edition_id: int, text: str, max_length: int, exclude_pk=None) -> str:
    base = (slugify(text) or "item")[: max_length - 5].strip("-") or "item"
    taken = set(
        model.objects.filter(edition_id=edition_id, slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def is_ready_for_programme(proposal: Proposal) -> bool:
    """Accepted, and every speaker has confirmed."""
    speakers = list(proposal.speakers.all())
    return (
        proposal.state == ProposalState.ACCEPTED
        and bool(speakers)
        and all(s.confirmed_at for s in speakers)
    )


def _speaker_for(speaker: ProposalSpeaker, edition_id: int) -> Speaker:
    programme_speaker = speaker.speaker
    if programme_speaker is None and speaker.user_id:
        # The same person in another accepted proposal: one speaker in the programme.
        earlier = (
            ProposalSpeaker.objects.filter(
                proposal__edition_id=edition_id, user_id=speaker.user_id, speaker__isnull=False
            )
            .select_related("speaker")
            .first()
        )
        programme_speaker = earlier.speaker if earlier else None
    if programme_speaker is None:
        programme_speaker = Speaker(
            edition_id=edition_id,
            slug=_unique_slug(Speaker, edition_id, speaker.name, 80),
        )
    programme_speaker.name = speaker.name
    programme_speaker.name_native = speaker.name_native
    programme_speaker.organization_id = speaker.organization_id
    programme_speaker.country = speaker.country
    programme_speaker.bio = speaker.bio
    if speaker.photo_id:
        programme_speaker.photo_id = speaker.photo_id
    programme_speaker.save()
    if speaker.speaker_id != programme_speaker.pk:
        speaker.speaker = programme_speaker
        speaker.save(update_fields=["speaker"])
    return programme_speaker


def sync_session(*, proposal: Proposal) -> Session | None:
    """Make or update the proposal's session when the proposal is accepted and its speakers
    have confirmed; once the session has a room and a time, the programme owns it and the
    proposal no longer changes it.

    Side effects: a Session (draft, unscheduled), Speaker and SessionSpeaker rows."""
    if not is_ready_for_programme(proposal):
        return None
    session = proposal.session
    if session is not None and session.is_scheduled:
        return session
    with transaction.atomic():
        if session is None:
            session = Session(
                edition_id=proposal.edition_id,
                status=SessionStatus.DRAFT,
                slug=_unique_slug(Session, proposal.edition_id, proposal.title, 100),
            )
        session.title = proposal.title
        session.abstract = linebreaks(escape(proposal.abstract))
        session.kind = proposal.proposal_type.session_kind
        session.track_id = proposal.track_id
        session.language = proposal.language
        session.interpretation_languages = ", ".join(proposal.interpretation_list)
        session.expected_attendance = proposal.expected_participants
        session.save()
        if proposal.session_id != session.pk:
            proposal.session = session
            proposal.save(update_fields=["session"])
        wanted = []
        for speaker in proposal.speakers.select_related("speaker").order_by("position", "pk"):
            wanted.append(_speaker_for(speaker, proposal.edition_id).pk)
        linked = set(
            SessionSpeaker.objects.filter(session=session).values_list("speaker_id", flat=True)
        )
        SessionSpeaker.objects.filter(session=session).exclude(speaker_id__in=wanted).delete()
        for order, speaker_id in enumerate(wanted):
            if speaker_id not in linked:
                SessionSpeaker.objects.create(
                    session=session,
                    speaker_id=speaker_id,
                    role=SpeakerRole.PANELIST,
                    sort_order=order,
                )
    return session
