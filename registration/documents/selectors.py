"""Read queries for the registration's documents: the participant's own registration and the
documents they may download, the letter queue and the batch jobs of the admin."""

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from forum.models import Edition
from registration.enums import LetterStatus, PaymentStatus, RegistrationStatus
from registration.models import DocumentJob, Registration, VisaLetter
from registration.public.links import registration_url, section_page

DOCUMENT_KINDS = ("badge", "letter", "receipt", "certificate")


def own_registration(user, edition: Edition) -> Registration | None:
    """The requester's latest registration for `edition` (None for someone else's, another
    edition's, or an anonymous visitor), with what its documents print."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.select_related("edition", "ticket_type", "visa_letter")
        .filter(user=user, edition=edition)
        .order_by("-created_at", "-pk")
        .first()
    )


def _letter(registration: Registration) -> VisaLetter | None:
    try:
        return registration.visa_letter
    except VisaLetter.DoesNotExist:
        return None


def letter_is_valid(letter: VisaLetter) -> bool:
    """An issued letter of a registration that still stands (not cancelled nor refused)."""
    return letter.status == LetterStatus.ISSUED and letter.registration.status not in (
        RegistrationStatus.CANCELLED,
        RegistrationStatus.REFUSED,
    )


def document_available(registration: Registration, kind: str) -> bool:
    """Whether `registration` has the document `kind` yet: a badge once confirmed, the letter
    once issued, the receipt once paid, the certificate once checked in."""
    if kind == "badge":
        return registration.status == RegistrationStatus.CONFIRMED
    if kind == "letter":
        letter = _letter(registration)
        return letter is not None and letter_is_valid(letter)
    if kind == "receipt":
        return registration.payment_status == PaymentStatus.PAID and bool(
            registration.receipt_number
        )
    if kind == "certificate":
        return registration.checked_in_at is not None and registration.status not in (
            RegistrationStatus.CANCELLED,
            RegistrationStatus.REFUSED,
        )
    return False


def edition_page_for(edition: Edition):
    """The edition's live registration page in the active language (else the default, else
    any), or None."""
    return section_page(edition, translation.get_language() or settings.LANGUAGE_CODE)


def document_labels() -> dict[str, str]:
    return {
        "badge": _("Badge (PDF)"),
        "letter": _("Visa invitation letter (PDF)"),
        "receipt": _("Receipt (PDF)"),
        "certificate": _("Certificate of attendance (PDF)"),
    }


def documents_for(registration: Registration, *, page=None) -> list[dict]:
    """The documents the participant may download now, as {"kind", "label", "url"} for the "My
    registration" page ("title" repeats "label" for templates that name it so); `page` is the
    edition page (looked up when not given)."""
    kinds = [kind for kind in DOCUMENT_KINDS if document_available(registration, kind)]
    if not kinds:
        return []
    page = page or edition_page_for(registration.edition)
    if page is None:
        return []
    labels = document_labels()
    return [
        {
            "kind": kind,
            "label": labels[kind],
            "title": labels[kind],
            "url": page.url + page.reverse_subpage("registration_document", kwargs={"kind": kind}),
        }
        for kind in kinds
    ]


def my_registration_url(edition: Edition) -> str:
    """The absolute address of "My registration" for `edition` in the active language (from
    settings.SITE_URL)."""
    return registration_url(
        edition, "register_me", translation.get_language() or settings.LANGUAGE_CODE
    )


def letter_by_token(token) -> VisaLetter | None:
    return (
        VisaLetter.objects.select_related("registration").filter(verification_token=token).first()
    )


def letter_queue(editions: QuerySet[Edition], *, status: str | None = None) -> QuerySet:
    """The letters of `editions` for review, oldest request first, with what the queue shows."""
    letters = VisaLetter.objects.filter(registration__edition__in=editions).select_related(
        "registration__edition", "registration__ticket_type", "registration__passport", "decided_by"
    )
    if status:
        letters = letters.filter(status=status)
    return letters.order_by("requested_at", "pk")


def letter_of_editions(editions: QuerySet[Edition], letter_id: int) -> VisaLetter | None:
    return letter_queue(editions).filter(pk=letter_id).first()


def jobs_of_editions(editions: QuerySet[Edition]) -> QuerySet[DocumentJob]:
    return (
        DocumentJob.objects.filter(edition__in=editions)
        .select_related("edition", "created_by")
        .order_by("-created_at", "-pk")
    )


def job_of_editions(editions: QuerySet[Edition], job_id: int) -> DocumentJob | None:
    return jobs_of_editions(editions).filter(pk=job_id).first()
