"""The review queue of visa invitation letters: organizers issue a requested letter (numbered
per edition, e.g. "AFSE2009-0007") or refuse it with a reason; the participant is told by email.

Letters are numbered under a lock on the edition's row, so that two organizers issuing at the
same moment never get the same number, and a number once given is never given again (numbers
stay on their letters; the next one follows the highest ever issued for the edition).
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models import Edition
from mail.services.outbox import queue_email
from registration.documents.selectors import my_registration_url
from registration.enums import LetterStatus, RegistrationStatus
from registration.models import PassportDetails, VisaLetter

NUMBER_DIGITS = 4


class LetterError(ValidationError):
    """A letter cannot be issued or refused as asked; the message tells the organizer why."""


def letter_number_prefix(edition: Edition) -> str:
    """The edition's letters' prefix: its name in capitals without spaces ("AFSE2009")."""
    prefix = re.sub(r"[^A-Za-z0-9]", "", edition.name).upper()
    return prefix or re.sub(r"[^A-Za-z0-9]", "", edition.slug).upper() or f"E{edition.pk}"


def next_letter_number(edition: Edition) -> str:
    """The number after the highest given in `edition`. Call under the edition's row lock."""
    prefix = letter_number_prefix(edition)
    numbers = VisaLetter.objects.filter(number__startswith=f"{prefix}-").values_list(
        "number", flat=True
    )
    highest = max(
        (int(suffix) for n in numbers if (suffix := n.rpartition("-")[2]).isdigit()), default=0
    )
    return f"{prefix}-{highest + 1:0{NUMBER_DIGITS}d}"


def issue_letter(*, letter: VisaLetter, actor) -> VisaLetter:
    """Issue a requested letter: give it the edition's next number, copy the holder's passport
    name and the dates of stay onto it (what the verification page shows, kept after the
    passport details are erased), and email the participant after commit.

    Raises LetterError if the letter is not waiting for a decision, the registration is not
    confirmed, or no passport details are on file; nothing is saved then.
    Side effects: the letter row; one OutboxEmail (kind "letter_issued").
    """
    with transaction.atomic():
        registration = letter.registration
        edition = Edition.objects.select_for_update().get(pk=registration.edition_id)
        letter = (
            VisaLetter.objects.select_for_update()
            .select_related("registration__edition")
            .get(pk=letter.pk)
        )
        registration = letter.registration
        if letter.status != LetterStatus.REQUESTED:
            raise LetterError(_("This letter has already been decided."), code="decided")
        if registration.status != RegistrationStatus.CONFIRMED:
            raise LetterError(
                _("Only a confirmed participant's letter can be issued."), code="unconfirmed"
            )
        try:
            passport = registration.passport
        except PassportDetails.DoesNotExist:
            raise LetterError(
                _("No passport details are on file for this participant."), code="no_passport"
            ) from None
        letter.number = next_letter_number(edition)
        letter.status = LetterStatus.ISSUED
        letter.decided_at = timezone.now()
        letter.decided_by = actor
        letter.refusal_reason = ""
        letter.holder_name = passport.full_name
        letter.stay_from = registration.arrival_date or edition.start_date
        letter.stay_until = registration.departure_date or edition.end_date
        letter.save()
        _tell_participant(letter, kind="letter_issued")
    return letter


def refuse_letter(*, letter: VisaLetter, actor, reason: str) -> VisaLetter:
    """Refuse a requested letter with a reason the participant reads in an email.

    Raises LetterError without a reason or when the letter was already decided.
    Side effects: the letter row; one OutboxEmail (kind "letter_refused").
    """
    reason = (reason or "").strip()
    if not reason:
        raise LetterError(_("Give the reason for refusing the letter."), code="no_reason")
    with transaction.atomic():
        letter = (
            VisaLetter.objects.select_for_update()
            .select_related("registration__edition")
            .get(pk=letter.pk)
        )
        if letter.status != LetterStatus.REQUESTED:
            raise LetterError(_("This letter has already been decided."), code="decided")
        letter.status = LetterStatus.REFUSED
        letter.decided_at = timezone.now()
        letter.decided_by = actor
        letter.refusal_reason = reason
        letter.save(update_fields=["status", "decided_at", "decided_by", "refusal_reason"])
        _tell_participant(letter, kind="letter_refused")
    return letter


def _tell_participant(letter: VisaLetter, *, kind: str) -> None:
    """The decision by email, in the participant's language. No passport data in it."""
    registration = letter.registration
    queue_email(
        to=registration.email,
        kind=kind,
        template=f"registration/email/{kind}",
        context={
            "registration": registration,
            "edition": registration.edition,
            "number": letter.number,
            "reason": letter.refusal_reason,
            "registration_url": my_registration_url(registration.edition),
        },
        language=registration.language,
        user=registration.user,
        edition=registration.edition,
        registration=registration,
        dedupe_key=f"{kind}:{letter.pk}",
    )
