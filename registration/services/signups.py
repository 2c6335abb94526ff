"""Sign-ups for sessions with limited seats (fact-finding visits, workshops), with their waiting
lists.

Seats are counted under a row lock of the session's SessionCapacity, taken once right before
counting; several sessions are locked in session pk order. Only a confirmed registration signs
up; when it stops being confirmed its sign-ups are released and the first waiting is promoted.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mail.services.outbox import queue_email
from registration.enums import RegistrationStatus, SignupStatus
from registration.models import Registration, SessionCapacity, SessionSignup
from registration.services.errors import RegistrationError
from registration.services.queues import place_in_queue
from sessions_app.enums import SessionStatus
from sessions_app.models import Session


def _lock_seats(*session_ids: int) -> dict[int, SessionCapacity]:
    rows = (
        SessionCapacity.objects.select_for_update()
        .filter(session_id__in=set(session_ids))
        .order_by("session_id")
    )
    return {row.session_id: row for row in rows}


def _session_waitlist(session_id: int):
    return SessionSignup.objects.filter(
        session_id=session_id, status=SignupStatus.WAITLISTED
    ).order_by("waitlisted_at", "pk")


def _confirmed_count(session_id: int) -> int:
    return SessionSignup.objects.filter(
        session_id=session_id, status=SignupStatus.CONFIRMED
    ).count()


def signup_position(signup: SessionSignup) -> int | None:
    """1 for the first on the session's waiting list; None when not waitlisted."""
    if signup.status != SignupStatus.WAITLISTED:
        return None
    return place_in_queue(_session_waitlist(signup.session_id), signup)


def _email(signup: SessionSignup, template: str) -> None:
    from registration.public.links import registration_url

    registration = signup.registration
    queue_email(
        to=registration.email,
        kind=f"registration_{template}",
        template=f"registration/email/{template}",
        context={
            "registration": registration,
            "edition": registration.edition,
            "session": signup.session,
            "position": signup_position(signup),
            "my_registration_url": registration_url(
                registration.edition, "register_me", registration.language
            ),
        },
        language=registration.language,
        user=registration.user,
        edition=registration.edition,
        registration=registration,
    )


def sign_up_for_session(*, registration: Registration, session: Session) -> SessionSignup:
    """Take a seat in a session with limited seats, or join its waiting list when full (or
    when others already wait). Raises RegistrationError (nothing saved) unless the
    registration is confirmed, the session is of the same edition, has limited seats, is open
    for sign-up and not cancelled, and the person is not already signed up.

    Side effects: a SessionSignup (a cancelled one is reused); a "session_waitlisted" email
    when waitlisted.
    """
    if session.edition_id != registration.edition_id:
        raise RegistrationError(_("This session is not part of your edition."))
    if session.status == SessionStatus.CANCELLED:
        raise RegistrationError(_("This session has been cancelled."))
    with transaction.atomic():
        seats = _lock_seats(session.pk).get(session.pk)
        if seats is None:
            raise RegistrationError(_("This session needs no sign-up."))
        if not seats.signup_open:
            raise RegistrationError(_("Sign-up for this session is closed."))
        current = Registration.objects.get(pk=registration.pk)
        if current.status != RegistrationStatus.CONFIRMED:
            raise RegistrationError(
                _("You can sign up for sessions once your registration is confirmed.")
            )
        signup = (
            SessionSignup.objects.select_for_update()
            .filter(registration=current, session=session)
            .first()
        )
        if signup is not None and signup.status != SignupStatus.CANCELLED:
            raise RegistrationError(_("You have already signed up for this session."))
        free = seats.capacity - _confirmed_count(session.pk)
        waiting = _session_waitlist(session.pk).count()
        status = SignupStatus.CONFIRMED if free > waiting else SignupStatus.WAITLISTED
        if signup is None:
            signup = SessionSignup(registration=current, session=session)
        signup.status = status
        signup.waitlisted_at = timezone.now() if status == SignupStatus.WAITLISTED else None
        signup.save()
        signup.registration = current
        signup.session = session
        if status == SignupStatus.WAITLISTED:
            _email(signup, "session_waitlisted")
        return signup


def _fill_session(seats: SessionCapacity) -> list[SessionSignup]:
    """Promote the first waiting while seats are free; call with the seats row locked."""
    free = seats.capacity - _confirmed_count(seats.session_id)
    if free <= 0:
        return []
    promoted = []
    waiting = (
        _session_waitlist(seats.session_id)
        .select_related("registration__edition", "session")
        .select_for_update(of=("self",))[:free]
    )
    for signup in waiting:
        signup.status = SignupStatus.CONFIRMED
        signup.save(update_fields=["status", "updated_at"])
        _email(signup, "session_promoted")
        promoted.append(signup)
    return promoted


def cancel_signup(*, signup: SessionSignup) -> SessionSignup:
    """Give up a seat or a place on the waiting list; a freed seat goes to the first waiting,
    who gets the "session_promoted" email."""
    with transaction.atomic():
        seats = _lock_seats(signup.session_id).get(signup.session_id)
        current = SessionSignup.objects.select_for_update().get(pk=signup.pk)
        if current.status == SignupStatus.CANCELLED:
            raise RegistrationError(_("This sign-up is already cancelled."))
        held_seat = current.status == SignupStatus.CONFIRMED
        current.status = SignupStatus.CANCELLED
        current.waitlisted_at = None
        current.save(update_fields=["status", "waitlisted_at", "updated_at"])
        if held_seat and seats is not None:
            _fill_session(seats)
        return current


def promote_session_waitlist(*, session: Session) -> list[SessionSignup]:
    """Promote as many as there are free seats (call after raising the session's seats)."""
    with transaction.atomic():
        seats = _lock_seats(session.pk).get(session.pk)
        return _fill_session(seats) if seats else []


def release_signups(*, registration: Registration) -> None:
    """Cancel the sign-ups of a registration that no longer holds its seat, promoting the
    first waiting for each freed seat. Runs inside the caller's transaction."""
    session_ids = list(
        SessionSignup.objects.filter(registration=registration)
        .exclude(status=SignupStatus.CANCELLED)
        .values_list("session_id", flat=True)
    )
    if not session_ids:
        return
    locked = _lock_seats(*session_ids)
    for session_id in sorted(session_ids):
        signup = SessionSignup.objects.select_for_update().get(
            registration=registration, session_id=session_id
        )
        held_seat = signup.status == SignupStatus.CONFIRMED
        signup.status = SignupStatus.CANCELLED
        signup.waitlisted_at = None
        signup.save(update_fields=["status", "waitlisted_at", "updated_at"])
        if held_seat and session_id in locked:
            _fill_session(locked[session_id])
