"""A registration's life: submitted, address confirmed, placed (approval, a seat or the waiting
list), paid or waived, changed, cancelled.

Every change of status goes through `transition_registration`, which checks the move, records
who and when, and writes the matching email to the outbox (sent after commit). Seats are
counted under a row lock of the ticket type, taken once, right before counting, in a fixed
order (ticket types by pk, then the registration, then session seats by session pk), as pretix
locks its quotas: two people never get the last seat.
"""

import secrets
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Case, Count, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from forum.models import Edition
from forum.questions import AnswerError, clean_answers
from mail.services.outbox import queue_email, queue_email_rendered_later
from registration.enums import (
    ACTIVE_STATUSES,
    LetterStatus,
    PaymentStatus,
    RegistrationStatus,
    WaiverKind,
    WaiverStatus,
)
from registration.mail import email_context
from registration.models import (
    Answer,
    CountryIncomeGroup,
    PassportDetails,
    Question,
    Registration,
    RegistrationSettings,
    TicketType,
    VisaLetter,
)
from registration.selectors import support_refusal
from registration.services.errors import RegistrationError
from registration.services.queues import place_in_queue

S = RegistrationStatus

# The details a participant gives and may change (not the email address: it is who they are).
DETAIL_FIELDS = (
    "name",
    "name_native",
    "name_native_language",
    "country",
    "organization_name",
    "organization_name_native",
    "organization_kind",
    "languages_spoken",
    "interpretation_needs",
    "dietary_needs",
    "accessibility_needs",
    "arrival_date",
    "departure_date",
    "needs_visa_letter",
    "public_listing",
    "language",
)
PASSPORT_FIELDS = (
    "full_name",
    "passport_number",
    "nationality",
    "date_of_birth",
    "passport_expiry",
)

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.UNCONFIRMED: {S.PENDING_APPROVAL, S.CONFIRMED, S.WAITLISTED, S.CANCELLED},
    S.PENDING_APPROVAL: {S.CONFIRMED, S.WAITLISTED, S.REFUSED, S.CANCELLED},
    S.WAITLISTED: {S.CONFIRMED, S.PENDING_APPROVAL, S.REFUSED, S.CANCELLED},
    S.CONFIRMED: {S.WAITLISTED, S.PENDING_APPROVAL, S.REFUSED, S.CANCELLED},
    S.REFUSED: set(),
    S.CANCELLED: set(),
}

# Which email a move sends: (from, to) first, then (None, to).
TRANSITION_EMAILS: dict[tuple[str | None, str], str] = {
    (S.UNCONFIRMED, S.CONFIRMED): "received",
    (S.UNCONFIRMED, S.PENDING_APPROVAL): "received",
    (S.PENDING_APPROVAL, S.CONFIRMED): "approved",
    (S.WAITLISTED, S.CONFIRMED): "promoted",
    (None, S.WAITLISTED): "waitlisted",
    (None, S.REFUSED): "refused",
    (None, S.CANCELLED): "cancelled",
}


# --- reading helpers used under the locks -------------------------------------------------


_UNSET = object()


def registration_is_open(edition: Edition, now=None, settings_row=_UNSET) -> bool:
    """Open when the edition has registration settings, `opens_at` has come and `closes_at`
    has not (an empty date leaves that side open). Pass `settings_row` when already read."""
    now = now or timezone.now()
    if settings_row is _UNSET:
        settings_row = RegistrationSettings.objects.filter(edition=edition).first()
    if settings_row is None or settings_row.opens_at is None:
        return False
    if now < settings_row.opens_at:
        return False
    return not (settings_row.closes_at and now >= settings_row.closes_at)


def income_group_of(country: str) -> str:
    row = CountryIncomeGroup.objects.filter(country=country).values_list("income_group", flat=True)
    return row.first() or ""


def _confirmed_count(ticket_type_id: int) -> int:
    return Registration.objects.filter(ticket_type_id=ticket_type_id, status=S.CONFIRMED).count()


def _waitlist(ticket_type_id: int):
    return Registration.objects.filter(ticket_type_id=ticket_type_id, status=S.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first on the ticket type's waiting list; None when not waitlisted."""
    if registration.status != S.WAITLISTED:
        return None
    return place_in_queue(_waitlist(registration.ticket_type_id), registration)


def _lock_ticket_types(*ids: int) -> dict[int, TicketType]:
    """Lock the ticket types' rows, in pk order, once."""
    rows = TicketType.objects.select_for_update().filter(pk__in=set(ids)).order_by("pk")
    return {row.pk: row for row in rows}


def _free_seats(ticket_type: TicketType) -> int | None:
    """Seats left (None: no limit). Call with the ticket type locked."""
    if ticket_type.capacity is None:
        return None
    return max(0, ticket_type.capacity - _confirmed_count(ticket_type.pk))


def _has_seat_for_newcomer(ticket_type: TicketType) -> bool:
    """True if a newcomer may take a seat now: a seat is free beyond those owed to the people
    already waiting (the confirmed and the waiting counted in one query). Call with the ticket
    type locked."""
    if ticket_type.capacity is None:
        return True
    counts = Registration.objects.filter(
        ticket_type_id=ticket_type.pk, status__in=[S.CONFIRMED, S.WAITLISTED]
    ).aggregate(
        confirmed=Count("pk", filter=Q(status=S.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=S.WAITLISTED)),
    )
    return max(0, ticket_type.capacity - counts["confirmed"]) > counts["waiting"]


# --- the one transition function ------------------------------------------------------------


def transition_registration(
    *, registration: Registration, to_status: str, actor=None, note: str = ""
) -> Registration:
    """Move `registration` to `to_status`.

    Checks the move is allowed (RegistrationError if not), records who and when
    (decided_at/by for a decision, waitlisted_at, cancelled_at), sets the payment due on
    confirmation, releases session seats when the registration stops holding its seat, saves,
    and writes the matching email (received, approved, promoted, waitlisted, refused,
    cancelled) to the outbox, sent after commit. The caller holds the ticket type's lock when
    the move takes or frees a seat.
    """
    from_status = registration.status
    if to_status not in ALLOWED_TRANSITIONS.get(from_status, set()):
        raise RegistrationError(
            _("A registration that is “%(current)s” cannot become “%(target)s”.")
            % {"current": S(from_status).label, "target": S(to_status).label}
        )
    now = timezone.now()
    registration.status = to_status
    if to_status == S.WAITLISTED:
        registration.waitlisted_at = now
    if to_status == S.REFUSED or from_status == S.PENDING_APPROVAL:
        registration.decided_at = now
        registration.decided_by = actor if getattr(actor, "pk", None) else None
        if note:
            registration.decision_note = note
    if to_status == S.CANCELLED:
        registration.cancelled_at = now
    if (
        to_status == S.CONFIRMED
        and registration.payment_status == PaymentStatus.NOT_DUE
        and registration.amount_due > 0
    ):
        registration.payment_status = PaymentStatus.DUE
    registration.save()
    if from_status == S.CONFIRMED:
        from registration.services.signups import release_signups

        release_signups(registration=registration)
    template = TRANSITION_EMAILS.get((from_status, to_status)) or TRANSITION_EMAILS.get(
        (None, to_status)
    )
    if template:
        send_registration_email(registration=registration, template=template, note=note)
    return registration


def send_registration_email(*, registration: Registration, template: str, note: str = "") -> None:
    """Write one of registration's emails (templates/registration/email/<template>…) to the
    outbox, in the registration's language, to be rendered by the worker
    (registration.mail.email_context.status_context); the place on the waiting list is the one it
    has now."""
    values = {"registration": registration.pk, "template": template, "note": note}
    if registration.status == S.WAITLISTED:
        values["position"] = waitlist_position(registration)
    queue_email_rendered_later(
        to=registration.email,
        kind=f"registration_{template}",
        template=f"registration/email/{template}",
        builder=email_context.STATUS,
        values=values,
        language=registration.language,
        user=registration.user,
        edition=registration.edition,
        registration=registration,
    )


# --- submitting and confirming --------------------------------------------------------------


def _new_reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "R" + "".join(secrets.choice(alphabet) for _ in range(9))


def _clean_answers(
    edition: Edition, answers: dict, questions: list[Question] | None = None
) -> dict[int, str]:
    """{question id: value} for the edition's questions (`questions`, read when not given;
    forum.questions.clean_answers); RegistrationError on a question of another edition, a
    missing required answer or a choice not offered."""
    if questions is None:
        questions = list(Question.objects.filter(edition=edition))
    try:
        return clean_answers([q for q in questions if q.edition_id == edition.pk], answers)
    except AnswerError as exc:
        raise RegistrationError(str(exc)) from None


def _save_answers(registration: Registration, values: dict[int, str], fresh=False) -> None:
    existing = {} if fresh else {a.question_id: a for a in registration.answers.all()}
    new = []
    for question_id, value in values.items():
        answer = existing.get(question_id)
        if answer is None:
            if value:  # an unanswered optional question leaves no row
                new.append(Answer(registration=registration, question_id=question_id, value=value))
        elif answer.value != value:
            answer.value = value
            answer.save(update_fields=["value"])
    Answer.objects.bulk_create(new)


def _clean_passport(passport: dict | None) -> dict:
    passport = {k: v for k, v in (passport or {}).items() if k in PASSPORT_FIELDS}
    missing = [
        field
        for field in ("full_name", "passport_number", "nationality", "date_of_birth")
        if not passport.get(field)
    ]
    if missing:
        raise RegistrationError(
            _(
                "A visa invitation letter needs your passport details: name, number, "
                "nationality and date of birth."
            )
        )
    return passport


def _apply_details(registration: Registration, data: dict) -> None:
    for field in DETAIL_FIELDS:
        if field in data:
            value = data[field]
            if value is None and field not in ("arrival_date", "departure_date"):
                value = ""
            setattr(registration, field, value)


def _validate(registration: Registration) -> None:
    errors: dict[str, list] = {}
    try:
        registration.full_clean(
            # The country is checked below by its code: full_clean would walk every country's
            # name, translated and sorted in the reader's language.
            exclude=["edition", "ticket_type", "user", "organization", "reference", "country"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        errors = error.message_dict
    code = str(registration.country or "")
    if not code or code not in countries:
        field = Registration._meta.get_field("country")
        message = (
            field.error_messages["invalid_choice"] % {"value": code}
            if code
            else field.error_messages["blank"]
        )
        errors.setdefault("country", []).append(str(message))
    if errors:
        raise RegistrationError(errors)
    if (
        registration.arrival_date
        and registration.departure_date
        and registration.departure_date < registration.arrival_date
    ):
        raise RegistrationError({"departure_date": [_("Departure must not be before arrival.")]})


def _set_fee(
    registration: Registration, settings_row=_UNSET, income_group: str | None = None
) -> None:
    """The fee of the ticket type for the country's income group (`income_group` when already
    read), in the edition's currency."""
    if income_group is None:
        income_group = income_group_of(registration.country)
    registration.income_group = income_group
    registration.fee = registration.ticket_type.fee_for(registration.income_group)
    if settings_row is _UNSET:
        settings_row = RegistrationSettings.objects.filter(
            edition_id=registration.edition_id
        ).first()
    registration.currency = settings_row.currency if settings_row else "USD"


def _stay(registration: Registration) -> tuple:
    edition = registration.edition
    return (
        registration.arrival_date or edition.start_date,
        registration.departure_date or edition.end_date,
    )


def _sync_visa_letter(registration: Registration, passport: dict | None, fresh=False) -> None:
    """Create or update the passport details and the letter request to match
    needs_visa_letter; an issued letter cannot be withdrawn here. `fresh`: a registration
    just created, which has neither yet."""
    if fresh and not registration.needs_visa_letter:
        return
    letter = None if fresh else VisaLetter.objects.filter(registration=registration).first()
    if registration.needs_visa_letter:
        if letter and letter.status == LetterStatus.ISSUED:
            if passport:
                raise RegistrationError(
                    _("Your visa letter has been issued; write to the organizers to change it.")
                )
            return
        current = (
            None if fresh else PassportDetails.objects.filter(registration=registration).first()
        )
        if passport or current is None:
            merged = {f: getattr(current, f) for f in PASSPORT_FIELDS} if current else {}
            merged.update({k: v for k, v in (passport or {}).items() if v not in (None, "")})
            values = _clean_passport(merged)
            PassportDetails.objects.update_or_create(registration=registration, defaults=values)
        stay_from, stay_until = _stay(registration)
        holder = (passport or {}).get("full_name") or (current.full_name if current else "")
        if letter is None:
            VisaLetter.objects.create(
                registration=registration,
                holder_name=holder,
                stay_from=stay_from,
                stay_until=stay_until,
            )
        else:
            letter.holder_name, letter.stay_from, letter.stay_until = holder, stay_from, stay_until
            if letter.status == LetterStatus.REFUSED:
                letter.status, letter.refusal_reason = LetterStatus.REQUESTED, ""
            letter.save()
    elif letter or PassportDetails.objects.filter(registration=registration).exists():
        if letter and letter.status == LetterStatus.ISSUED:
            raise RegistrationError(
                _("Your visa letter has been issued; write to the organizers to withdraw it.")
            )
        VisaLetter.objects.filter(registration=registration).delete()
        PassportDetails.objects.filter(registration=registration).delete()


def submit_registration(
    *,
    edition: Edition,
    ticket_type: TicketType,
    data: dict,
    answers: dict,
    passport: dict | None,
    language: str,
    user=None,
    settings_row=_UNSET,
    questions: list[Question] | None = None,
    income_group: str | None = None,
) -> Registration:
    """Save a new registration, UNCONFIRMED until its address is confirmed.

    `data` holds the email, the DETAIL_FIELDS and optionally waiver_kind/waiver_reason;
    `answers` maps the edition's question ids to values; `passport` is needed when a visa
    letter is. Raises RegistrationError (nothing saved) when registration is closed, the
    ticket type is not one of the edition's public ones, the address already has an active
    registration for the edition, or the data are invalid.

    Side effects: a Registration with its fee from the income table, its Answers,
    PassportDetails and a VisaLetter (REQUESTED) when a letter is needed; a "confirm your
    address" email in `language` written to the outbox, sent after commit.

    The public form passes what it has already read (from registration.public.form_cache): the
    edition's `settings_row`, its `questions` and the country's `income_group`; each is read
    from the database when not given.
    """
    if ticket_type.edition_id != edition.pk or not ticket_type.is_public:
        raise RegistrationError(_("Choose one of the ticket types offered."))
    if settings_row is _UNSET:
        settings_row = RegistrationSettings.objects.filter(edition=edition).first()
    if not registration_is_open(edition, settings_row=settings_row):
        raise RegistrationError(_("Registration for this edition is closed."))
    email = (data.get("email") or "").strip()
    # The person logged in owns it only if it is their address: the emailed link must never
    # open someone else's account.
    owner = user if getattr(user, "pk", None) and user.email.lower() == email.lower() else None
    registration = Registration(
        edition=edition,
        ticket_type=ticket_type,
        user=owner,
        reference=_new_reference(),
        email=email,
        language=language,
    )
    _apply_details(registration, data)
    registration.language = language
    waiver_kind = data.get("waiver_kind") or ""
    if waiver_kind:
        if waiver_kind not in WaiverKind.values:
            raise RegistrationError({"waiver_kind": [_("Choose a waiver or a subsidy.")]})
        if not (data.get("waiver_reason") or "").strip():
            raise RegistrationError({"waiver_reason": [_("Tell us why you ask for support.")]})
        registration.waiver_kind = waiver_kind
        registration.waiver_reason = data["waiver_reason"].strip()
        registration.waiver_status = WaiverStatus.REQUESTED
    _set_fee(registration, settings_row, income_group=income_group)
    _validate(registration)
    values = _clean_answers(edition, answers, questions=questions)
    if registration.needs_visa_letter:
        passport = _clean_passport(passport)
    try:
        with transaction.atomic():
            registration.save()
            _save_answers(registration, values, fresh=True)
            _sync_visa_letter(registration, passport, fresh=True)
            _send_confirm_address(registration)
    except IntegrityError:
        # An address with an active registration already (the constraint
        # registration_one_active_per_email, also when two submissions with one address come
        # at once): nothing is saved, and its owner is told where that registration is.
        if _active_duplicate(edition, email):
            return _tell_owner_of_existing(edition, email)
        raise
    return registration


def _active_duplicate(edition: Edition, email: str) -> bool:
    return Registration.objects.filter(
        edition=edition, email__iexact=email, status__in=list(ACTIVE_STATUSES)
    ).exists()


def _tell_owner_of_existing(edition: Edition, email: str) -> Registration:
    """Someone registered with an address that already has an active registration: its owner
    is told by email where that registration is (the confirmation link while unconfirmed)."""
    from registration.public.links import registration_url

    existing = (
        Registration.objects.filter(
            edition=edition, email__iexact=email, status__in=list(ACTIVE_STATUSES)
        )
        .select_related("edition", "user")
        .order_by("pk")
        .first()
    )
    if existing is None:  # only called after _active_duplicate found one
        raise Registration.DoesNotExist(email)
    if existing.status == S.UNCONFIRMED:
        url = registration_url(
            edition, "register_confirm", existing.language, token=existing.confirmation_token
        )
    else:
        url = registration_url(edition, "register_me", existing.language)
    queue_email(
        to=existing.email,
        kind="registration_already_registered",
        template="registration/email/already_registered",
        context={
            "registration": existing,
            "edition": edition,
            "registration_url": url,
            "unconfirmed": existing.status == S.UNCONFIRMED,
        },
        language=existing.language,
        user=existing.user,
        edition=edition,
        registration=existing,
    )
    return existing


def _send_confirm_address(registration: Registration) -> None:
    queue_email_rendered_later(
        to=registration.email,
        kind="registration_confirm_address",
        template="registration/email/confirm_address",
        builder=email_context.CONFIRM_ADDRESS,
        values={"registration": registration.pk},
        language=registration.language,
        user=registration.user,
        edition=registration.edition,
        registration=registration,
    )


def _account_for(registration: Registration):
    """The account with the registration's address, or a new one without a usable password."""
    user_model = get_user_model()
    base = registration.email.split("@", 1)[0][:100] or "participant"
    # One query: the accounts with this address, and whether the username is taken.
    found = list(
        user_model.objects.filter(Q(email__iexact=registration.email) | Q(username__iexact=base))
        .annotate(
            has_address=Case(
                When(email__iexact=registration.email, then=True),
                default=False,
                output_field=BooleanField(),
            )
        )
        .order_by("pk")
    )
    existing = next((row for row in found if row.has_address), None)
    if existing is not None:
        return existing
    username = base
    taken = bool(found)  # no account has the address: those found have the username
    while taken:
        username = f"{base}-{secrets.token_hex(3)}"
        taken = user_model.objects.filter(username__iexact=username).exists()
    user = user_model(
        username=username, email=registration.email, first_name=registration.name[:150]
    )
    user.set_unusable_password()
    user.save()
    return user


def confirm_email(*, registration: Registration, token: str) -> Registration:
    """Confirm the registration's address with the token from the email, then place it.

    Idempotent: confirming an already confirmed address changes nothing. Raises
    RegistrationError on a wrong token or a registration no longer active.

    Side effects: links the account with that address (or creates one with an unusable
    password); then, under the ticket type's lock: PENDING_APPROVAL if the ticket type needs
    approval, else CONFIRMED if a seat is free (none owed to the waiting list), else
    WAITLISTED — with the matching email.
    """
    if not token or not secrets.compare_digest(registration.confirmation_token, str(token)):
        raise RegistrationError(_("This confirmation link is not valid."))
    with transaction.atomic():
        locked = _lock_ticket_types(registration.ticket_type_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.ticket_type_id != registration.ticket_type_id:
            # Moved to another ticket type meanwhile: lock that one instead.
            return confirm_email(registration=current, token=token)
        if current.status != S.UNCONFIRMED:
            if current.status in (S.CANCELLED, S.REFUSED):
                raise RegistrationError(_("This registration is no longer active."))
            return current
        # The rows already read: the ticket type just locked, the edition of the caller's copy.
        current.ticket_type = locked[current.ticket_type_id]
        if Registration.edition.is_cached(registration):
            current.edition = registration.edition
        current.email_confirmed_at = timezone.now()
        if current.user_id is None:
            current.user = _account_for(current)
        ticket_type = current.ticket_type
        if ticket_type.requires_approval:
            target = S.PENDING_APPROVAL
        elif _has_seat_for_newcomer(ticket_type):
            target = S.CONFIRMED
        else:
            target = S.WAITLISTED
        transition_registration(registration=current, to_status=target, actor=current.user)
    return current


# --- organizers' decisions and the waiting list ---------------------------------------------


def _fill_seats(ticket_type: TicketType) -> list[Registration]:
    """Promote the first on the waiting list while seats are free. Call with the ticket type
    locked."""
    promoted = []
    free = _free_seats(ticket_type)
    waiting = _waitlist(ticket_type.pk).select_for_update()
    if free is not None:
        waiting = waiting[:free]
    for registration in waiting:
        transition_registration(registration=registration, to_status=S.CONFIRMED, actor=None)
        promoted.append(registration)
    return promoted


def promote_waitlisted(*, ticket_type: TicketType) -> list[Registration]:
    """Promote from the ticket type's waiting list, first come first served, as many as there
    are free seats (call after raising the capacity). Returns those promoted; each gets the
    "promoted" email."""
    with transaction.atomic():
        locked = _lock_ticket_types(ticket_type.pk)[ticket_type.pk]
        return _fill_seats(locked)


def _locked(registration: Registration) -> Registration:
    """Lock the registration's ticket type, then the registration (the fixed order)."""
    _lock_ticket_types(registration.ticket_type_id)
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    if current.ticket_type_id != registration.ticket_type_id:
        _lock_ticket_types(current.ticket_type_id)
    return current


def approve_registration(*, registration: Registration, actor) -> Registration:
    """Approve a registration awaiting approval: CONFIRMED if a seat is free, else WAITLISTED
    (promoted later, without a second approval). Emails "approved" or "waitlisted"."""
    with transaction.atomic():
        current = _locked(registration)
        if current.status != S.PENDING_APPROVAL:
            raise RegistrationError(_("Only a registration awaiting approval can be approved."))
        target = S.CONFIRMED if _has_seat_for_newcomer(current.ticket_type) else S.WAITLISTED
        return transition_registration(registration=current, to_status=target, actor=actor)


def refuse_registration(*, registration: Registration, actor, reason: str = "") -> Registration:
    """Refuse a registration (awaiting approval, waitlisted or confirmed), with the reason in
    the "refused" email; a seat it held goes to the first on the waiting list."""
    with transaction.atomic():
        current = _locked(registration)
        held_seat = current.status == S.CONFIRMED
        transition_registration(registration=current, to_status=S.REFUSED, actor=actor, note=reason)
        if held_seat:
            _fill_seats(current.ticket_type)
        return current


def cancel_registration(*, registration: Registration, actor) -> Registration:
    """Cancel (by the participant or an organizer). Its session seats and its seat go to the
    first on the waiting lists, who are told. Emails "cancelled"."""
    with transaction.atomic():
        current = _locked(registration)
        held_seat = current.status == S.CONFIRMED
        transition_registration(registration=current, to_status=S.CANCELLED, actor=actor)
        if held_seat:
            _fill_seats(current.ticket_type)
        return current


def change_ticket_type(
    *, registration: Registration, ticket_type: TicketType, actor
) -> Registration:
    """Move a registration to another ticket type of its edition (organizers; non-public types
    allowed). The fee follows the new type unless already paid. A confirmed registration keeps
    a seat if the new type has one, else joins its waiting list; a waitlisted one takes a seat
    if free. The seat freed in the old type goes to its waiting list."""
    if ticket_type.edition_id != registration.edition_id:
        raise RegistrationError(_("That ticket type belongs to another edition."))
    with transaction.atomic():
        locked = _lock_ticket_types(registration.ticket_type_id, ticket_type.pk)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.ticket_type_id not in locked:
            raise RegistrationError(_("The registration changed meanwhile; try again."))
        if current.status not in ACTIVE_STATUSES:
            raise RegistrationError(_("This registration is no longer active."))
        old = locked[current.ticket_type_id]
        new = locked[ticket_type.pk]
        if old.pk == new.pk:
            return current
        held_seat = current.status == S.CONFIRMED
        current.ticket_type = new
        if current.payment_status != PaymentStatus.PAID:
            _set_fee(current)
            current.payment_status = (
                PaymentStatus.DUE
                if current.status == S.CONFIRMED and current.amount_due > 0
                else PaymentStatus.NOT_DUE
            )
        current.save()
        if current.status in (S.CONFIRMED, S.WAITLISTED):
            # Counted without this registration in the new type (it is not CONFIRMED there yet
            # if it was waitlisted; if confirmed, it already counts as one of its holders).
            confirmed_elsewhere = Registration.objects.filter(
                ticket_type=new, status=S.CONFIRMED
            ).exclude(pk=current.pk)
            free = None if new.capacity is None else new.capacity - confirmed_elsewhere.count()
            waiting = _waitlist(new.pk).exclude(pk=current.pk).count()
            has_seat = free is None or free > waiting
            if current.status == S.CONFIRMED and not has_seat:
                transition_registration(registration=current, to_status=S.WAITLISTED, actor=actor)
            elif current.status == S.WAITLISTED and has_seat:
                transition_registration(registration=current, to_status=S.CONFIRMED, actor=actor)
            elif current.status == S.WAITLISTED:
                # Joins the new type's list at the back.
                current.waitlisted_at = timezone.now()
                current.save(update_fields=["waitlisted_at", "updated_at"])
        if held_seat:
            _fill_seats(old)
        return current


# --- payment and support ----------------------------------------------------------------------


def _parse_amount(amount, *, allow_zero: bool = False) -> Decimal:
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise RegistrationError(_("Give the amount as a number.")) from None
    if value < 0 or (value == 0 and not allow_zero) or value >= Decimal("100000000"):
        raise RegistrationError(_("Give an amount greater than zero."))
    return value


def record_payment(
    *, registration: Registration, amount, reference: str = "", paid_at=None, actor
) -> Registration:
    """Record the fee as paid: PAID, amount, paid_at (now unless given: the day on a bank
    statement), reference and the next receipt number of the edition ("<edition slug>-R0001"),
    numbered under the lock of the edition's settings row so two payments never share one."""
    value = _parse_amount(amount)
    with transaction.atomic():
        _settings_row, _created = RegistrationSettings.objects.select_for_update().get_or_create(
            edition_id=registration.edition_id
        )
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.payment_status == PaymentStatus.PAID:
            raise RegistrationError(_("A payment is already recorded for this registration."))
        if current.status in (S.CANCELLED, S.REFUSED, S.UNCONFIRMED):
            raise RegistrationError(_("A payment can only be recorded for an active registration."))
        prefix = f"{current.edition.slug}-R"
        last = (
            Registration.objects.filter(
                edition_id=current.edition_id, receipt_number__startswith=prefix
            )
            .order_by("-receipt_number")
            .values_list("receipt_number", flat=True)
            .first()
        )
        number = int(last[len(prefix) :]) + 1 if last else 1
        current.receipt_number = f"{prefix}{number:04d}"
        current.payment_status = PaymentStatus.PAID
        current.amount_paid = value
        current.paid_at = paid_at or timezone.now()
        current.payment_reference = (reference or "")[:128]
        current.save()
        return current


def request_waiver(*, registration: Registration, kind: str, reason: str) -> Registration:
    """Ask for a fee waiver or a subsidy, with a reason; organizers decide."""
    if kind not in WaiverKind.values:
        raise RegistrationError({"waiver_kind": [_("Choose a waiver or a subsidy.")]})
    reason = (reason or "").strip()
    if not reason:
        raise RegistrationError({"waiver_reason": [_("Tell us why you ask for support.")]})
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        refusal = support_refusal(current)
        if refusal:
            raise RegistrationError(refusal)
        current.waiver_kind = kind
        current.waiver_reason = reason[:5000]
        current.waiver_status = WaiverStatus.REQUESTED
        current.waiver_amount = None
        current.save()
        return current


def decide_waiver(*, registration: Registration, grant: bool, amount=None, actor) -> Registration:
    """Grant or refuse a requested waiver or subsidy. A waiver waives the whole fee; a subsidy
    needs the amount (at most the fee). Nothing left to pay: payment no longer due."""
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.waiver_status != WaiverStatus.REQUESTED:
            raise RegistrationError(_("No request for support is waiting for a decision."))
        if grant:
            if current.waiver_kind == WaiverKind.WAIVER:
                value = current.fee
            else:
                value = _parse_amount(amount)
                if value > current.fee:
                    raise RegistrationError(_("The subsidy cannot exceed the fee."))
            current.waiver_status = WaiverStatus.GRANTED
            current.waiver_amount = value
            if current.payment_status == PaymentStatus.DUE and current.amount_due == 0:
                current.payment_status = PaymentStatus.NOT_DUE
        else:
            current.waiver_status = WaiverStatus.REFUSED
            current.waiver_amount = None
        current.save()
        return current


# --- the participant's own changes ------------------------------------------------------------


def update_details(
    *, registration: Registration, data: dict, answers: dict, passport: dict | None
) -> Registration:
    """Change the participant's details, answers and visa letter request (not the address,
    not the ticket type). The fee follows a change of country unless already paid. Raises
    RegistrationError for a registration no longer active or invalid data."""
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status not in ACTIVE_STATUSES:
            raise RegistrationError(_("This registration is no longer active."))
        old_country = current.country
        _apply_details(current, data)
        _validate(current)
        if current.country != old_country and current.payment_status != PaymentStatus.PAID:
            _set_fee(current)
            if current.payment_status == PaymentStatus.DUE and current.amount_due == 0:
                current.payment_status = PaymentStatus.NOT_DUE
            elif current.status == S.CONFIRMED and current.amount_due > 0:
                current.payment_status = PaymentStatus.DUE
        values = _clean_answers(current.edition, answers)
        current.save()
        _save_answers(current, values)
        _sync_visa_letter(current, passport)
        return current
