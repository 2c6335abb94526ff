"""The contexts of registration's emails that the worker renders (mail's
`queue_email_rendered_later`): each builder gets the ids and numbers stored on the outbox row
and reads the rest when the email is rendered, in the worker, instead of in the request that
wrote it (registering and confirming an address are the site's busiest writes).

Registered under their names in RegistrationConfig.ready()."""

from mail.services.outbox import EmailSubjectGone, register_context_builder
from registration.models import Registration, RegistrationSettings
from registration.payments.selectors import payment_block
from registration.public.links import registration_url

CONFIRM_ADDRESS = "registration.confirm_address"
STATUS = "registration.status"

# The emails that tell how to pay (when something is due).
PAYMENT_EMAILS = {"received", "approved", "promoted"}


def _registration(values: dict) -> Registration:
    registration = (
        Registration.objects.select_related("edition", "ticket_type", "user")
        .filter(pk=int(values.get("registration") or 0))
        .first()
    )
    if registration is None:
        raise EmailSubjectGone(f"registration {values.get('registration')} no longer exists")
    return registration


def confirm_address_context(values: dict) -> dict:
    """The "confirm your address" email: the registration and its confirmation link."""
    registration = _registration(values)
    return {
        "registration": registration,
        "edition": registration.edition,
        "confirm_url": registration_url(
            registration.edition,
            "register_confirm",
            registration.language,
            token=registration.confirmation_token,
        ),
    }


def status_context(values: dict) -> dict:
    """An email of a change of status (received, approved, promoted, waitlisted, refused,
    cancelled): the registration, its ticket type, the link to "My registration", the place on
    the waiting list when it was written (`position`), the decision's note, and how to pay."""
    registration = _registration(values)
    context = {
        "registration": registration,
        "edition": registration.edition,
        "ticket_type": registration.ticket_type,
        "my_registration_url": registration_url(
            registration.edition, "register_me", registration.language
        ),
        "note": values.get("note", ""),
    }
    if values.get("position") is not None:
        context["position"] = values["position"]
    if values.get("template") in PAYMENT_EMAILS:
        context["payment"] = payment_block(
            registration,
            RegistrationSettings.objects.filter(edition_id=registration.edition_id).first(),
        )
    return context


def register_builders() -> None:
    register_context_builder(CONFIRM_ADDRESS, confirm_address_context)
    register_context_builder(STATUS, status_context)
