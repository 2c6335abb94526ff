"""Signing on to an adopted statement: an organization or a person leaves its name and an
email address, and is listed once the address is confirmed through the link mailed to it."""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from statements.enums import SignatoryKind, StatementState
from statements.models import Signatory, Statement
from statements.services import ActionRefusedError
from statements.services.notifications import statement_url
from statements.signon.selectors import is_open_for_sign_on, signatory_with_email

CONFIRM_TEMPLATE = "statements/email/signon_confirm"
# A person who lost the confirmation mail gets it again, at most once in this many seconds.
RESEND_AFTER_SECONDS = 15 * 60


class AlreadySignedError(ActionRefusedError):
    pass


@dataclass(frozen=True)
class SignOnResult:
    signatory: Signatory
    created: bool


def confirmation_url(signatory: Signatory, language: str | None = None) -> str:
    """The confirmation link, on the statement's page in `language` (the signer's)."""
    return statement_url(signatory.statement, f"sign/confirm/{signatory.token}/", language)


def _queue_confirmation(*, signatory: Signatory, language: str, dedupe_key: str) -> None:
    from mail.services.outbox import queue_email
    from statements.translations.selectors import titles_by_language

    statement = signatory.statement
    title = titles_by_language(statement).get(language) or statement.title
    queue_email(
        to=signatory.email,
        kind="statement:signon_confirm",
        template=CONFIRM_TEMPLATE,
        context={
            "signatory_name": signatory.name,
            "statement_title": title,
            "edition_name": statement.edition.name,
            "confirm_url": confirmation_url(signatory, language),
        },
        language=language,
        edition=signatory.statement.edition,
        dedupe_key=dedupe_key,
    )


@transaction.atomic
def sign_on(
    *,
    statement: Statement,
    kind: str,
    name: str,
    email: str,
    country: str,
    name_native: str = "",
    native_language: str = "",
    affiliation: str = "",
    organization_kind: str = "",
    language: str | None = None,
) -> "SignOnResult":
    """Record an unconfirmed signatory of `statement` and mail it the confirmation link.

    The mail is written in `language` (the page's the person signed on), with the statement's
    title in that language when translated. Refused unless the statement is open for sign-on,
    and when the email address has already
    signed and confirmed. An address that signed but never confirmed gets its link again (at
    most once every RESEND_AFTER_SECONDS) and `created` is False. Side effects: a Signatory row; an
    outbox email queued after commit.
    """
    language = language or settings.LANGUAGE_CODE
    if not is_open_for_sign_on(statement):
        raise ActionRefusedError(_("This statement is not open for sign-on."))
    if kind not in SignatoryKind.values:
        raise ActionRefusedError(_("Sign on as an organization or as a person."))
    name, email = name.strip(), email.strip()
    if not name or not email:
        raise ActionRefusedError(_("Give a name and an email address."))
    if kind == SignatoryKind.ORGANIZATION and not organization_kind:
        raise ActionRefusedError(_("Say what kind of organization signs on."))
    existing = signatory_with_email(statement, email)
    if existing is not None:
        if existing.email_confirmed_at is not None:
            raise AlreadySignedError(
                _("This email address has already signed on to the statement.")
            )
        bucket = int(timezone.now().timestamp()) // RESEND_AFTER_SECONDS
        _queue_confirmation(
            signatory=existing, language=language, dedupe_key=f"signon:{existing.pk}:{bucket}"
        )
        return SignOnResult(signatory=existing, created=False)
    signatory = Signatory(
        statement=statement,
        kind=kind,
        name=name[:255],
        name_native=name_native.strip()[:255],
        native_language=native_language.strip() if name_native.strip() else "",
        affiliation=affiliation.strip()[:255] if kind == SignatoryKind.PERSON else "",
        country=country,
        organization_kind=organization_kind if kind == SignatoryKind.ORGANIZATION else "",
        email=email,
    )
    try:
        with transaction.atomic():
            signatory.save()
    except IntegrityError as error:  # the same address and name at the same moment
        raise AlreadySignedError(
            _("This email address has already signed on to the statement.")
        ) from error
    _queue_confirmation(signatory=signatory, language=language, dedupe_key=f"signon:{signatory.pk}")
    return SignOnResult(signatory=signatory, created=True)


@transaction.atomic
def confirm_signatory(*, signatory: Signatory) -> bool:
    """Confirm `signatory`'s email address: it is listed from now on. True when this call
    confirmed it, False when it already was. Refused once sign-on has closed."""
    locked = Signatory.objects.select_for_update().select_related("statement").get(pk=signatory.pk)
    if locked.email_confirmed_at is not None:
        return False
    if locked.statement.state != StatementState.SIGN_ON:
        raise ActionRefusedError(_("Sign-on to this statement has closed."))
    locked.email_confirmed_at = timezone.now()
    locked.save(update_fields=["email_confirmed_at"])
    signatory.email_confirmed_at = locked.email_confirmed_at
    return True
