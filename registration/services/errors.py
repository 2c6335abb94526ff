"""The one error registration's services raise when they refuse something."""

from django.core.exceptions import ValidationError


class RegistrationError(ValidationError):
    """A refusal with a user-facing, translated message (or a dict of them by field).

    Raised before anything is written, or inside the transaction that is then rolled back: when
    a service raises it, nothing is saved. Being a ValidationError, a form can show it as is
    (`form.add_error(None, error)`).
    """
