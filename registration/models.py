"""Registration: ticket types and fair fees, registrations, session seats, visa letters,
announcements and background document jobs (the outbox of email is the core `mail` app's)."""

import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from forum.documents import private_storage
from forum.enums import OrganizationKind
from forum.models import LANGUAGE_TAG_VALIDATOR, Edition, Organization
from forum.questions import QuestionBase
from registration.enums import (
    ACTIVE_STATUSES,
    DocumentJobKind,
    DocumentJobStatus,
    IncomeGroup,
    LetterStatus,
    PaymentStatus,
    RegistrationStatus,
    SignupStatus,
    WaiverKind,
    WaiverStatus,
)

COLOUR_VALIDATOR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour such as #1d5c4d."))
CURRENCY_VALIDATOR = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter code such as JPY."))


def new_token() -> str:
    return secrets.token_urlsafe(32)


# Letters and digits one cannot mistake for another when typing them into a bank form.
PAYMENT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def payment_reference_prefix(edition: Edition) -> str:
    """The edition's part of payment references: the letters of its name and the last two
    digits of its year ("AFSE 2009" → "AFSE09")."""
    letters = "".join(c for c in (edition.name or "").split(" ")[0].upper() if "A" <= c <= "Z")
    return f"{(letters or 'FORUM')[:6]}{edition.year % 100:02d}"


def new_payment_reference(edition: Edition) -> str:
    """A short reference a participant quotes on a bank transfer, e.g. "AFSE09-7K3Q9"."""
    code = "".join(secrets.choice(PAYMENT_CODE_ALPHABET) for _ in range(5))
    return f"{payment_reference_prefix(edition)}-{code}"


def new_badge_code() -> str:
    # Short enough to type into the check-in page, long enough not to be guessed.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class CountryIncomeGroup(models.Model):
    """A country's income group, on which fees are based. Shipped with the code (a data
    migration from the World Bank's classification) and editable by organizers."""

    country = CountryField(_("country"), unique=True)
    income_group = models.CharField(_("income group"), max_length=16, choices=IncomeGroup.choices)

    class Meta:
        ordering = ["country"]
        verbose_name = _("country income group")
        verbose_name_plural = _("country income groups")

    def __str__(self) -> str:
        return f"{self.country.name}: {self.get_income_group_display()}"


class RegistrationSettings(models.Model):
    """How registration works for one edition: when it is open, the currency, the letterhead
    of its letters, reminders and how long passport details are kept."""

    edition = models.OneToOneField(
        Edition,
        on_delete=models.CASCADE,
        related_name="registration_settings",
        verbose_name=_("edition"),
    )
    opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    currency = models.CharField(
        _("currency"), max_length=3, default="USD", validators=[CURRENCY_VALIDATOR]
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("reminder, days before the edition"), default=7
    )
    passport_retention_days = models.PositiveSmallIntegerField(
        _("keep passport details for (days after the edition)"), default=30
    )
    letterhead = models.TextField(
        _("letterhead"),
        blank=True,
        help_text=_("The organizer's name and address, as printed at the top of letters."),
    )
    letter_signatory = models.CharField(
        _("letters signed by"), max_length=255, blank=True, help_text=_("Name and title.")
    )
    # How to pay: bank details for a transfer, paying on site, and free text. All optional;
    # an edition with none shows only the amount due and the payment reference.
    bank_account_holder = models.CharField(_("account holder"), max_length=255, blank=True)
    bank_account = models.CharField(_("IBAN or account number"), max_length=64, blank=True)
    bank_swift = models.CharField(_("SWIFT/BIC"), max_length=16, blank=True)
    bank_name = models.CharField(
        _("bank"), max_length=255, blank=True, help_text=_("The bank's name and address.")
    )
    on_site_payment = models.TextField(
        _("paying on site"),
        blank=True,
        help_text=_("e.g. Cash in yen at the registration desk, 8:30 to 10:00 on the first day."),
    )
    payment_instructions = models.TextField(
        _("how to pay"), blank=True, help_text=_("Anything else participants should know.")
    )
    contact_email = models.EmailField(_("contact address"), blank=True)

    class Meta:
        verbose_name = _("registration settings")
        verbose_name_plural = _("registration settings")

    def __str__(self) -> str:
        return str(self.edition)

    @property
    def has_payment_instructions(self) -> bool:
        return any(
            getattr(self, name)
            for name in (
                "bank_account_holder",
                "bank_account",
                "bank_swift",
                "bank_name",
                "on_site_payment",
                "payment_instructions",
            )
        )

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Registration must close after it opens.")})


class TicketType(models.Model):
    """A kind of participation (delegate, observer, speaker, volunteer, press…), with its seats
    and its fee for each income group."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="ticket_types", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=128)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    requires_approval = models.BooleanField(_("needs approval"), default=False)
    allows_drafting = models.BooleanField(
        _("takes part in drafting the statement"),
        default=False,
        help_text=_("Confirmed holders are delegates: they comment on the draft statement."),
    )
    colour = models.CharField(
        _("badge colour"), max_length=7, default="#1d5c4d", validators=[COLOUR_VALIDATOR]
    )
    fee_high = models.DecimalField(
        _("fee, high-income countries"), max_digits=10, decimal_places=2, default=Decimal(0)
    )
    fee_upper_middle = models.DecimalField(
        _("fee, upper-middle-income countries"),
        max_digits=10,
        decimal_places=2,
        default=Decimal(0),
    )
    fee_lower_middle = models.DecimalField(
        _("fee, lower-middle-income countries"),
        max_digits=10,
        decimal_places=2,
        default=Decimal(0),
    )
    fee_low = models.DecimalField(
        _("fee, low-income countries"), max_digits=10, decimal_places=2, default=Decimal(0)
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_public = models.BooleanField(
        _("offered on the form"),
        default=True,
        help_text=_("Unticked: only organizers can move someone to this ticket type."),
    )

    class Meta:
        ordering = ["edition", "position", "name"]
        verbose_name = _("ticket type")
        verbose_name_plural = _("ticket types")
        constraints = [
            models.UniqueConstraint(fields=["edition", "name"], name="ticket_type_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def fee_for(self, income_group: str) -> Decimal:
        return {
            IncomeGroup.HIGH: self.fee_high,
            IncomeGroup.UPPER_MIDDLE: self.fee_upper_middle,
            IncomeGroup.LOWER_MIDDLE: self.fee_lower_middle,
            IncomeGroup.LOW: self.fee_low,
        }.get(income_group, self.fee_high)

    @property
    def seats_left(self) -> int | None:
        """Seats not yet taken by a confirmed registration (None: no limit). Reads the
        `seats_taken` that `selectors.public_ticket_types` annotates."""
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.seats_taken)


class Question(QuestionBase):
    """One of the edition's own questions on the registration form (the core's question
    builder: forum.questions)."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="questions", verbose_name=_("edition")
    )

    class Meta:
        ordering = ["edition", "position", "pk"]
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")


class Registration(models.Model):
    """One person's registration for one edition. State changes go through
    registration.services (one transition function), never through save()."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("edition")
    )
    ticket_type = models.ForeignKey(
        TicketType,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("ticket type"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("account"),
    )
    reference = models.CharField(_("reference"), max_length=16, unique=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.UNCONFIRMED,
        db_index=True,
    )
    # Who they are
    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=255)
    name_native = models.CharField(_("name in native script"), max_length=255, blank=True)
    name_native_language = models.CharField(
        _("language of the native name"),
        max_length=16,
        blank=True,
        validators=[LANGUAGE_TAG_VALIDATOR],
    )
    country = CountryField(_("country"))
    organization_name = models.CharField(_("organization"), max_length=255, blank=True)
    organization_name_native = models.CharField(
        _("organization in native script"), max_length=255, blank=True
    )
    organization_kind = models.CharField(
        _("kind of organization"), max_length=32, choices=OrganizationKind.choices
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("organization record"),
    )
    language = models.CharField(
        _("language for email"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    # Needs
    languages_spoken = models.CharField(_("languages spoken"), max_length=255, blank=True)
    interpretation_needs = models.CharField(_("interpretation needs"), max_length=255, blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=255, blank=True)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    arrival_date = models.DateField(_("arrival"), null=True, blank=True)
    departure_date = models.DateField(_("departure"), null=True, blank=True)
    needs_visa_letter = models.BooleanField(_("needs a visa invitation letter"), default=False)
    public_listing = models.BooleanField(
        _("appear in the public list of participants"), default=False
    )
    # Fees
    income_group = models.CharField(
        _("income group"), max_length=16, choices=IncomeGroup.choices, blank=True
    )
    fee = models.DecimalField(_("fee"), max_digits=10, decimal_places=2, default=Decimal(0))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    payment_status = models.CharField(
        _("payment"), max_length=8, choices=PaymentStatus.choices, default=PaymentStatus.NOT_DUE
    )
    amount_paid = models.DecimalField(
        _("amount paid"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    # What the participant quotes when paying (stable, unique in the edition)…
    transfer_reference = models.CharField(
        _("reference to quote when paying"), max_length=16, blank=True, editable=False
    )
    # …and what the payment was recorded with (the bank's line, a cash note).
    payment_reference = models.CharField(_("payment reference"), max_length=128, blank=True)
    receipt_number = models.CharField(
        _("receipt number"), max_length=32, null=True, blank=True, unique=True
    )
    waiver_kind = models.CharField(
        _("waiver or subsidy"), max_length=8, choices=WaiverKind.choices, blank=True
    )
    waiver_reason = models.TextField(_("reason for the request"), blank=True)
    waiver_status = models.CharField(
        _("waiver decision"),
        max_length=16,
        choices=WaiverStatus.choices,
        default=WaiverStatus.NONE,
        blank=True,
    )
    waiver_amount = models.DecimalField(
        _("amount waived"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    # Workflow
    confirmation_token = models.CharField(max_length=64, default=new_token, editable=False)
    email_confirmed_at = models.DateTimeField(_("address confirmed at"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("waitlisted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("note on the decision"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    badge_code = models.CharField(
        _("badge code"), max_length=16, unique=True, default=new_badge_code, editable=False
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["edition", "-created_at"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "edition",
                condition=models.Q(status__in=list(ACTIVE_STATUSES)),
                name="registration_one_active_per_email",
            ),
            models.UniqueConstraint(
                fields=["edition", "transfer_reference"],
                condition=~models.Q(transfer_reference=""),
                name="registration_transfer_reference_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(departure_date__isnull=True)
                | models.Q(arrival_date__isnull=True)
                | models.Q(departure_date__gte=models.F("arrival_date")),
                name="registration_departs_after_arrival",
            ),
        ]
        indexes = [
            models.Index(fields=["edition", "status"]),
            models.Index(fields=["ticket_type", "status", "waitlisted_at"]),
        ]
        permissions = [
            ("view_passport_details", _("Can see passport details")),
            ("check_in_registration", _("Can check participants in")),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.name}"

    def save(self, *args, **kwargs) -> None:
        # Every registration has its payment reference from the start, however it was made.
        if not self.transfer_reference and self.edition_id:
            taken = Registration.objects.filter(edition_id=self.edition_id)
            self.transfer_reference = new_payment_reference(self.edition)
            while taken.filter(transfer_reference=self.transfer_reference).exists():
                self.transfer_reference = new_payment_reference(self.edition)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "transfer_reference"}
        super().save(*args, **kwargs)

    @property
    def shows_payment(self) -> bool:
        """Whether the participant is told how to pay: something is (or will be) due and not
        yet paid, and the registration holds or may get a place (not waitlisted). Free and
        waived registrations show no payment block."""
        return (
            self.payment_status != PaymentStatus.PAID
            and self.amount_due > 0
            and self.status
            in (
                RegistrationStatus.UNCONFIRMED,
                RegistrationStatus.PENDING_APPROVAL,
                RegistrationStatus.CONFIRMED,
            )
        )

    @property
    def amount_due(self) -> Decimal:
        waived = self.waiver_amount if self.waiver_status == WaiverStatus.GRANTED else 0
        return max(Decimal(0), self.fee - (waived or Decimal(0)))


class PassportDetails(models.Model):
    """Passport details for a visa invitation letter. Kept apart so that only people with
    the view_passport_details permission see them, and erased after the retention period."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="passport"
    )
    full_name = models.CharField(_("name as in the passport"), max_length=255)
    passport_number = models.CharField(_("passport number"), max_length=32)
    nationality = CountryField(_("nationality"))
    date_of_birth = models.DateField(_("date of birth"))
    passport_expiry = models.DateField(_("passport valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("passport details")
        verbose_name_plural = _("passport details")

    def __str__(self) -> str:
        return str(self.registration)


class Answer(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


class SessionCapacity(models.Model):
    """A session with limited seats that participants sign up for (a fact-finding visit, a
    workshop). Sessions without one need no sign-up."""

    session = models.OneToOneField(
        "sessions_app.Session",
        on_delete=models.CASCADE,
        related_name="seats",
        verbose_name=_("session"),
    )
    capacity = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])
    signup_open = models.BooleanField(_("sign-up open"), default=True)

    class Meta:
        verbose_name = _("session with limited seats")
        verbose_name_plural = _("sessions with limited seats")

    def __str__(self) -> str:
        return f"{self.session} ({self.capacity})"


class SessionSignup(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="signups")
    session = models.ForeignKey(
        "sessions_app.Session", on_delete=models.CASCADE, related_name="signups"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SignupStatus.choices, default=SignupStatus.CONFIRMED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session__start", "session__title"]
        verbose_name = _("session sign-up")
        verbose_name_plural = _("session sign-ups")
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="signup_once")
        ]
        indexes = [models.Index(fields=["session", "status", "waitlisted_at"])]

    def __str__(self) -> str:
        return f"{self.registration} · {self.session}"


class VisaLetter(models.Model):
    """A visa invitation letter: requested by the participant, reviewed by organizers,
    numbered when issued, verifiable by an embassy through its token."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="visa_letter"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=LetterStatus.choices, default=LetterStatus.REQUESTED
    )
    number = models.CharField(_("number"), max_length=32, null=True, blank=True, unique=True)
    verification_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    refusal_reason = models.TextField(_("reason"), blank=True)
    # What the verification page shows, kept after passport details are erased.
    holder_name = models.CharField(_("holder"), max_length=255, blank=True)
    stay_from = models.DateField(_("stay from"), null=True, blank=True)
    stay_until = models.DateField(_("stay until"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]
        verbose_name = _("visa invitation letter")
        verbose_name_plural = _("visa invitation letters")

    def __str__(self) -> str:
        return self.number or f"{self.registration} ({self.get_status_display()})"


class Announcement(models.Model):
    """A message organizers write and send to a filtered group of participants."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="announcements", verbose_name=_("edition")
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    ticket_types = models.ManyToManyField(
        TicketType, blank=True, related_name="+", verbose_name=_("ticket types")
    )
    statuses = models.JSONField(_("statuses"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    session = models.ForeignKey(
        "sessions_app.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed up for session"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.subject


class DocumentJob(models.Model):
    """A batch of documents (badges for a whole edition…) rendered by a Celery job, with its
    progress and, when done, the file to download."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="document_jobs", verbose_name=_("edition")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentJobKind.choices)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=DocumentJobStatus.choices,
        default=DocumentJobStatus.QUEUED,
    )
    filters = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # In the private storage, beneath a random folder: served only to the edition's organizers.
    file = models.FileField(upload_to="document-jobs/", storage=private_storage, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("document job")
        verbose_name_plural = _("document jobs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.edition}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


class BankImport(models.Model):
    """A bank statement an organizer uploaded, its lines matched to registrations."""

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        MT940 = "mt940", _("MT940")
        CAMT053 = "camt053", _("CAMT.053 (XML)")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="bank_imports", verbose_name=_("edition")
    )
    file_name = models.CharField(_("file"), max_length=255)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    # A CSV file waits here for its column mapping; emptied once parsed.
    pending_text = models.TextField(blank=True, editable=False)
    parsed = models.BooleanField(default=False)
    lines_total = models.PositiveIntegerField(_("lines in the file"), default=0)
    lines_skipped = models.PositiveIntegerField(_("lines already imported"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("bank statement import")
        verbose_name_plural = _("bank statement imports")

    def __str__(self) -> str:
        return self.file_name


class BankLine(models.Model):
    """One credit line of an imported statement. Its hash is unique in the edition, so that
    importing the same statement twice records nothing twice."""

    class Status(models.TextChoices):
        MATCHED = "matched", _("Matched, to confirm")
        UNMATCHED = "unmatched", _("Not matched")
        RECORDED = "recorded", _("Recorded as paid")
        IGNORED = "ignored", _("Ignored")

    bank_import = models.ForeignKey(BankImport, on_delete=models.CASCADE, related_name="lines")
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")
    line_hash = models.CharField(max_length=64)
    position = models.PositiveIntegerField(default=0)
    booked_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    text = models.TextField(_("reference and description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UNMATCHED
    )
    note = models.CharField(_("why not matched"), max_length=255, blank=True)
    registration = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bank_lines",
        verbose_name=_("registration"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["bank_import", "position"]
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")
        constraints = [
            models.UniqueConstraint(fields=["edition", "line_hash"], name="bank_line_once")
        ]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.amount} {self.currency}"


# The page type the app owns beneath each edition page (defined apart: it holds the routes).
from registration.pages import RegistrationPage  # noqa: E402, F401
