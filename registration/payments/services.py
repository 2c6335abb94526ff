"""Bank statements imported by organizers: each credit line is matched to a registration of the
edition by the payment reference found in its text and an amount equal to the amount due; the
organizer confirms the matched lines, which are then recorded as paid through
`record_payment` (receipt numbering kept), and assigns or ignores the others.

A line's hash (its date, amount, currency, text and its rank among identical lines of the file)
is unique in the edition: importing a statement twice, or two statements that overlap, stores
and records each line once.
"""

import datetime
import hashlib
import re
import zoneinfo
from collections import Counter

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum.models import Edition
from registration.enums import PaymentStatus, RegistrationStatus
from registration.models import BankImport, BankLine, Registration, payment_reference_prefix
from registration.payments.bankfiles import (
    StatementError,
    StatementLine,
    camt053,
    csv_file,
    decode,
    mt940_file,
)
from registration.services.errors import RegistrationError

Status = BankLine.Status
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def guess_format(file_name: str, data: bytes) -> str:
    head = data[:2000].lstrip(b"\xef\xbb\xbf \r\n\t")
    if head.startswith(b"<") or file_name.lower().endswith(".xml"):
        return BankImport.Format.CAMT053
    if b":20:" in head or b":61:" in data[:20000] or file_name.lower().endswith((".sta", ".940")):
        return BankImport.Format.MT940
    return BankImport.Format.CSV


def start_bank_import(
    *, edition: Edition, file_name: str, data: bytes, file_format: str = "", actor
) -> BankImport:
    """Begin importing the statement `data`. A CSV file is kept (unparsed) until its column
    mapping is given (`apply_csv_mapping`); MT940 and CAMT.053 are parsed and matched at once.
    Raises StatementError, with nothing saved, for a file that cannot be read."""
    file_format = file_format or guess_format(file_name, data)
    if file_format not in BankImport.Format.values:
        raise StatementError(_("Choose the format of the file."))
    if not data:
        raise StatementError(_("The file is empty."))
    if file_format == BankImport.Format.CAMT053:
        lines = camt053.parse(data)
    else:
        text = decode(data)
        if file_format == BankImport.Format.MT940:
            lines = mt940_file.parse(text)
        else:
            csv_file.header_of(text, csv_file.sniff_delimiter(text))  # readable at all?
            return BankImport.objects.create(
                edition=edition,
                file_name=file_name[:255],
                format=file_format,
                pending_text=text,
                created_by=actor,
            )
    with transaction.atomic():
        bank_import = BankImport.objects.create(
            edition=edition, file_name=file_name[:255], format=file_format, created_by=actor
        )
        _store_lines(bank_import, lines)
    return bank_import


def apply_csv_mapping(*, bank_import: BankImport, mapping: csv_file.Mapping) -> BankImport:
    """Parse a waiting CSV import with the organizer's column mapping and match its lines.
    Raises StatementError (nothing saved; the file still waits) on a line it cannot read."""
    if bank_import.parsed:
        raise StatementError(_("This file is already read."))
    lines = csv_file.parse(bank_import.pending_text, mapping)
    with transaction.atomic():
        current = BankImport.objects.select_for_update().get(pk=bank_import.pk)
        if current.parsed:
            raise StatementError(_("This file is already read."))
        current.pending_text = ""
        _store_lines(current, lines)
    return current


def _line_hashes(lines: list[StatementLine]) -> list[str]:
    seen: Counter = Counter()
    hashes = []
    for line in lines:
        text = " ".join(line.text.split())
        key = f"{line.booked_on.isoformat()}|{line.amount}|{line.currency}|{text}"
        seen[key] += 1
        hashes.append(hashlib.sha256(f"{key}|{seen[key]}".encode()).hexdigest())
    return hashes


def _candidates(edition: Edition) -> dict[str, Registration]:
    """The edition's registrations by their reference without separators ("AFSE097K3Q9")."""
    rows = Registration.objects.filter(edition=edition).only(
        "pk",
        "transfer_reference",
        "status",
        "payment_status",
        "fee",
        "currency",
        "waiver_status",
        "waiver_amount",
        "name",
    )
    return {_NOT_ALNUM.sub("", r.transfer_reference): r for r in rows if r.transfer_reference}


NO_REFERENCE = gettext_lazy("No payment reference of this edition in the text.")


def match_line(
    line: StatementLine,
    *,
    pattern: re.Pattern,
    prefix: str,
    candidates: dict[str, Registration],
    taken: set[int],
) -> tuple[Registration | None, str | Promise]:
    """The registration `line` pays for, or None and why not (NO_REFERENCE, untranslated, when
    the text holds no reference: the caller translates it once). A registration already matched
    by an earlier line of the file (`taken`) is not matched again."""
    text = _NOT_ALNUM.sub("", line.text.upper())
    found = [
        candidates[prefix + code] for code in pattern.findall(text) if prefix + code in candidates
    ]
    if not found:
        return None, NO_REFERENCE
    registration = found[0]
    if registration.payment_status == PaymentStatus.PAID:
        return None, _("%(ref)s is already paid.") % {"ref": registration.transfer_reference}
    if registration.status in (
        RegistrationStatus.CANCELLED,
        RegistrationStatus.REFUSED,
        RegistrationStatus.UNCONFIRMED,
    ):
        return None, _("%(ref)s is not an active registration.") % {
            "ref": registration.transfer_reference
        }
    if line.currency and line.currency != registration.currency:
        return None, _("%(ref)s is due in %(currency)s.") % {
            "ref": registration.transfer_reference,
            "currency": registration.currency,
        }
    if line.amount != registration.amount_due:
        return None, _("%(ref)s: the amount due is %(amount)s %(currency)s.") % {
            "ref": registration.transfer_reference,
            "amount": registration.amount_due,
            "currency": registration.currency,
        }
    if registration.pk in taken:
        return None, _("%(ref)s is matched by another line.") % {
            "ref": registration.transfer_reference
        }
    return registration, ""


def _store_lines(bank_import: BankImport, lines: list[StatementLine]) -> None:
    edition = bank_import.edition
    hashes = _line_hashes(lines)
    # A hash holds the date: lines imported before are found among those of the same days
    # (one query without thousands of parameters).
    known = (
        set(
            BankLine.objects.filter(
                edition=edition,
                booked_on__gte=min(line.booked_on for line in lines),
                booked_on__lte=max(line.booked_on for line in lines),
            ).values_list("line_hash", flat=True)
        )
        if lines
        else set()
    )
    candidates = _candidates(edition)
    prefix = _NOT_ALNUM.sub("", payment_reference_prefix(edition))
    pattern = re.compile(f"(?={re.escape(prefix)}([A-Z2-9]{{5}}))")
    no_reference = str(NO_REFERENCE)
    taken = set(
        BankLine.objects.filter(edition=edition, status=Status.MATCHED).values_list(
            "registration_id", flat=True
        )
    )
    rows = []
    for position, (line, line_hash) in enumerate(zip(lines, hashes, strict=True)):
        if line_hash in known:
            continue
        registration, note = match_line(
            line, pattern=pattern, prefix=prefix, candidates=candidates, taken=taken
        )
        if note is NO_REFERENCE:
            note = no_reference
        if registration is not None:
            taken.add(registration.pk)
        rows.append(
            BankLine(
                bank_import=bank_import,
                edition=edition,
                line_hash=line_hash,
                position=position,
                booked_on=line.booked_on,
                amount=line.amount,
                currency=line.currency,
                text=line.text[:2000],
                status=Status.MATCHED if registration else Status.UNMATCHED,
                note=str(note)[:255],
                registration=registration,
            )
        )
    # Two imports of one file at once: the constraint stops the second (its transaction
    # rolls back as a whole; the organizer is told to try again).
    BankLine.objects.bulk_create(rows, batch_size=1000)
    bank_import.parsed = True
    bank_import.lines_total = len(lines)
    bank_import.lines_skipped = len(lines) - len(rows)
    bank_import.save(update_fields=["parsed", "pending_text", "lines_total", "lines_skipped"])


def _paid_at(line: BankLine, edition: Edition) -> datetime.datetime:
    """The booking day, at noon in the edition's time zone (a statement gives no time)."""
    zone = zoneinfo.ZoneInfo(edition.time_zone)
    return datetime.datetime.combine(line.booked_on, datetime.time(12), tzinfo=zone)


def _record(line: BankLine, registration: Registration, edition: Edition, actor) -> None:
    from registration.services.registrations import record_payment

    record_payment(
        registration=registration,
        amount=line.amount,
        reference=f"{line.booked_on.isoformat()} {line.text}"[:128],
        paid_at=_paid_at(line, edition),
        actor=actor,
    )
    line.status = Status.RECORDED
    line.registration = registration
    line.note = ""
    line.decided_by = actor
    line.decided_at = timezone.now()
    line.save(update_fields=["status", "registration", "note", "decided_by", "decided_at"])


def confirm_matched_lines(*, bank_import: BankImport, line_ids, actor) -> tuple[int, int]:
    """Record as paid the chosen matched lines of `bank_import` (others of the import are
    left as they are). A line whose registration was paid meanwhile goes to the review with
    the reason. Returns (recorded, moved to review)."""
    recorded = refused = 0
    ids = {int(pk) for pk in line_ids}
    with transaction.atomic():
        lines = list(
            BankLine.objects.select_for_update()
            .filter(bank_import=bank_import, status=Status.MATCHED, pk__in=ids)
            .order_by("pk")
        )
        registrations = Registration.objects.in_bulk([line.registration_id for line in lines])
        for line in lines:
            try:
                with transaction.atomic():
                    _record(line, registrations[line.registration_id], bank_import.edition, actor)
                recorded += 1
            except RegistrationError as error:
                line.status = Status.UNMATCHED
                line.note = " ".join(error.messages)[:255]
                line.save(update_fields=["status", "note"])
                refused += 1
    return recorded, refused


def _open_line(edition: Edition, line_id: int) -> BankLine:
    line = BankLine.objects.select_for_update().filter(edition=edition, pk=line_id).first()
    if line is None:
        raise RegistrationError(_("This line is not one of this edition's."))
    if line.status == Status.RECORDED:
        raise RegistrationError(_("This line is already recorded."))
    return line


def assign_line(*, edition: Edition, line_id: int, registration_id: int, actor) -> BankLine:
    """Record the line as the payment of a registration the organizer chose (both of
    `edition`; anything else: RegistrationError, nothing saved)."""
    with transaction.atomic():
        line = _open_line(edition, line_id)
        registration = Registration.objects.filter(edition=edition, pk=registration_id).first()
        if registration is None:
            raise RegistrationError(_("Choose a registration of this edition."))
        if line.currency and line.currency != registration.currency:
            raise RegistrationError(
                _("The line is in %(line)s; this registration pays in %(due)s.")
                % {"line": line.currency, "due": registration.currency}
            )
        _record(line, registration, edition, actor)
    return line


def ignore_line(*, edition: Edition, line_id: int, actor) -> BankLine:
    """Set a line aside: not a registration fee (a donation, a refund…)."""
    with transaction.atomic():
        line = _open_line(edition, line_id)
        line.status = Status.IGNORED
        line.decided_by = actor
        line.decided_at = timezone.now()
        line.save(update_fields=["status", "decided_by", "decided_at"])
    return line
