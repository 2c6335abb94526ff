"""One place where a change of seats takes effect, for ticket types and for sessions with
limited seats alike: wherever a capacity is saved (the admin's forms), this is called after."""

from registration.models import SessionCapacity, TicketType


def apply_capacity_change(*, instance: TicketType | SessionCapacity) -> list:
    """Give the seats now free to the first waiting, in order, after `instance`'s capacity was
    saved (raised, or made unlimited). Returns those promoted.

    Side effects: under the row lock of the ticket type or the session's seats, each promoted
    registration or sign-up is confirmed and gets its "promoted" email (once, through the
    outbox, after commit). Nothing happens when no seat is free.
    """
    if isinstance(instance, TicketType):
        from registration.services.registrations import promote_waitlisted

        return promote_waitlisted(ticket_type=instance)
    if isinstance(instance, SessionCapacity):
        from registration.services.signups import promote_session_waitlist

        return promote_session_waitlist(session=instance.session)
    raise TypeError(f"No seats to apply on {type(instance).__name__}")
