"""Reads for payments: what a participant is told about paying, the bank statement imports of
an edition, their lines, and the registrations an organizer may assign a line to."""

from django.db.models import Count, Q, QuerySet

from forum.models import Edition
from registration.enums import RegistrationStatus
from registration.models import BankImport, BankLine, Registration, RegistrationSettings

SEARCH_LIMIT = 20


def payment_block(registration: Registration | None, settings_row: RegistrationSettings | None):
    """What a participant is shown about paying (None for nothing to pay): the amount due, its
    currency, the reference to quote and the edition's instructions (read in the active
    language)."""
    if registration is None or not registration.shows_payment:
        return None
    return {
        "amount": registration.amount_due,
        "currency": registration.currency,
        "reference": registration.transfer_reference,
        "settings": settings_row,
        # Not yet placed: pay once the organizers approve.
        "after_approval": registration.status == RegistrationStatus.PENDING_APPROVAL
        or (
            registration.status == RegistrationStatus.UNCONFIRMED
            and registration.ticket_type.requires_approval
        ),
    }


def bank_imports_of(*, edition: Edition) -> QuerySet[BankImport]:
    return (
        BankImport.objects.filter(edition=edition)
        .select_related("created_by")
        .annotate(
            n_matched=Count("lines", filter=Q(lines__status=BankLine.Status.MATCHED)),
            n_unmatched=Count("lines", filter=Q(lines__status=BankLine.Status.UNMATCHED)),
            n_recorded=Count("lines", filter=Q(lines__status=BankLine.Status.RECORDED)),
            n_ignored=Count("lines", filter=Q(lines__status=BankLine.Status.IGNORED)),
        )
        .order_by("-created_at")
    )


def bank_import_for(*, edition: Edition, pk: int) -> BankImport | None:
    return BankImport.objects.filter(edition=edition, pk=pk).first()


def lines_of(*, bank_import: BankImport, status: str) -> QuerySet[BankLine]:
    return (
        BankLine.objects.filter(bank_import=bank_import, status=status)
        .select_related("registration")
        .order_by("position")
    )


def bank_line_for(*, edition: Edition, pk: int) -> BankLine | None:
    return (
        BankLine.objects.filter(edition=edition, pk=pk)
        .select_related("bank_import", "registration")
        .first()
    )


def registrations_to_assign(*, edition: Edition, query: str) -> list[Registration]:
    """Registrations of `edition` whose name, email, reference or payment reference contains
    the words of `query` (at most SEARCH_LIMIT)."""
    words = query.split()[:5]
    if not words:
        return []
    registrations = Registration.objects.filter(edition=edition)
    for word in words:
        registrations = registrations.filter(
            Q(name__icontains=word)
            | Q(name_native__icontains=word)
            | Q(email__icontains=word)
            | Q(reference__iexact=word)
            | Q(transfer_reference__icontains=word)
            | Q(organization_name__icontains=word)
        )
    return list(registrations.select_related("ticket_type").order_by("name")[:SEARCH_LIMIT])
