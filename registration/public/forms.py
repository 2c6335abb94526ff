"""The participant's forms: registering, changing details, asking for support.

Forms only validate; registration.services saves. The edition's own questions become fields
named `question_<id>`; passport fields are required only when a visa letter is asked for.
"""

from django import forms
from django.conf import settings
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from forum.enums import OrganizationKind
from forum.models import LANGUAGE_TAG_VALIDATOR
from forum.questions import QuestionKind, question_field
from forum.widgets import OnePassSelect
from registration.enums import WaiverKind
from registration.models import Question, Registration, TicketType

PASSPORT_FIELDS = (
    "full_name",
    "passport_number",
    "nationality",
    "date_of_birth",
    "passport_expiry",
)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _country_choices() -> list[tuple[str, str]]:
    """The countries named and sorted in the active language, read at each rendering (a list
    built at import would keep the language that happened to be active then)."""
    return [("", "---------"), *countries]


class CountryChoiceField(LazyTypedChoiceField):
    """A country field whose choice is checked by its code (`code in countries`), not by
    walking every country's name, translated and sorted in the reader's language, as a choice
    field does on each submission; drawn with the names as before."""

    def valid_value(self, value) -> bool:
        return str(value) in countries


class DetailsForm(forms.Form):
    """Who the participant is and what they need; shared by registering and editing."""

    name = forms.CharField(label=_("Name (in Latin script)"), max_length=255)
    name_native = forms.CharField(
        label=_("Name in native script"),
        max_length=255,
        required=False,
        help_text=_("As you write it, e.g. 山田 花子 or 김민지."),
    )
    name_native_language = forms.CharField(
        label=_("Language of that name"),
        max_length=16,
        required=False,
        validators=[LANGUAGE_TAG_VALIDATOR],
        help_text=_("A language code such as ja, ko, th, ne or hi."),
    )
    country = CountryChoiceField(label=_("Country"), choices=_country_choices, widget=OnePassSelect)
    organization_name = forms.CharField(label=_("Organization"), max_length=255, required=False)
    organization_name_native = forms.CharField(
        label=_("Organization in native script"), max_length=255, required=False
    )
    # Starts empty: a preselected kind would be kept by those who skip it and skew the
    # statistics.
    organization_kind = forms.ChoiceField(
        label=_("Kind of organization"),
        choices=[("", "---------"), *OrganizationKind.choices],
        widget=OnePassSelect,
    )
    language = forms.ChoiceField(
        label=_("Language for our emails"), choices=settings.LANGUAGES, widget=OnePassSelect
    )
    languages_spoken = forms.CharField(
        label=_("Languages you speak"), max_length=255, required=False
    )
    interpretation_needs = forms.CharField(
        label=_("Interpretation you need"), max_length=255, required=False
    )
    dietary_needs = forms.CharField(label=_("Dietary needs"), max_length=255, required=False)
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    arrival_date = forms.DateField(label=_("Arrival"), required=False, widget=DATE)
    departure_date = forms.DateField(label=_("Departure"), required=False, widget=DATE)
    needs_visa_letter = forms.BooleanField(
        label=_("I need a visa invitation letter"), required=False
    )
    full_name = forms.CharField(label=_("Name as in the passport"), max_length=255, required=False)
    passport_number = forms.CharField(label=_("Passport number"), max_length=32, required=False)
    nationality = CountryChoiceField(
        label=_("Nationality"),
        choices=_country_choices,
        required=False,
        widget=OnePassSelect,
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    passport_expiry = forms.DateField(label=_("Passport valid until"), required=False, widget=DATE)
    public_listing = forms.BooleanField(
        label=_("Show my name, organization and country in the public list of participants"),
        required=False,
    )

    def __init__(self, *args, questions: list[Question] = (), has_passport=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_passport = has_passport
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"question_{question.pk}"] = question_field(question)
        for name in ("full_name", "passport_number", "date_of_birth", "passport_expiry"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("needs_visa_letter"):
            for name in ("full_name", "passport_number", "nationality", "date_of_birth"):
                if name == "passport_number" and self.has_passport:
                    continue
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed for a visa invitation letter."))
        arrival, departure = cleaned.get("arrival_date"), cleaned.get("departure_date")
        if arrival and departure and departure < arrival:
            self.add_error("departure_date", _("Departure must not be before arrival."))
        return cleaned

    @property
    def question_fields(self):
        return [self[f"question_{q.pk}"] for q in self.questions]

    @property
    def passport_fields(self):
        return [self[name] for name in PASSPORT_FIELDS]

    def details(self) -> dict:
        from registration.services.registrations import DETAIL_FIELDS

        return {name: self.cleaned_data[name] for name in DETAIL_FIELDS if name in self.fields}

    def answers(self) -> dict:
        return {q.pk: self.cleaned_data.get(f"question_{q.pk}") for q in self.questions}

    def passport(self) -> dict | None:
        if not self.cleaned_data.get("needs_visa_letter"):
            return None
        # Editing without retyping the number keeps the stored one.
        return {name: self.cleaned_data.get(name) for name in PASSPORT_FIELDS}


class TicketTypeChoiceField(forms.ChoiceField):
    """One of the ticket types offered, chosen from a list already read (the form's cached
    parts: no query to draw or to check it); cleans to the TicketType. Each label gives the fee
    for `income_group` when one is set."""

    default_error_messages = {
        # ModelChoiceField's message (the field's before it read the cached list).
        "invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"],
    }

    def __init__(self, *, ticket_types, income_group: str = "", currency: str = "", **kwargs):
        self.ticket_types = list(ticket_types)
        self.income_group = income_group
        self.currency = currency
        super().__init__(choices=self._choices_now, **kwargs)

    def _choices_now(self):
        # Read at each rendering: the income group is set after the form is built.
        return [(str(ticket.pk), self.label_from_instance(ticket)) for ticket in self.ticket_types]

    def label_from_instance(self, obj: TicketType) -> str:
        if self.income_group:
            fee = obj.fee_for(self.income_group)
            return _("%(name)s — fee %(fee)s %(currency)s") % {
                "name": obj.name,
                "fee": f"{fee:,.0f}" if fee == fee.to_integral() else f"{fee:,.2f}",
                "currency": self.currency,
            }
        return str(obj.name)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        ticket = next((t for t in self.ticket_types if str(t.pk) == str(value)), None)
        if ticket is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return ticket

    def validate(self, value):
        forms.Field.validate(self, value)

    def has_changed(self, initial, data):
        initial = "" if initial is None else str(getattr(initial, "pk", initial))
        return initial != ("" if data is None else str(data))


class RegistrationForm(DetailsForm):
    """The public registration form of one edition."""

    field_order = ["ticket_type", "email"]

    email = forms.EmailField(label=_("Email address"))
    waiver_kind = forms.ChoiceField(
        label=_("Support with the fee"),
        choices=[("", _("No, I do not ask for support")), *WaiverKind.choices],
        required=False,
        widget=OnePassSelect,
    )
    waiver_reason = forms.CharField(
        label=_("Why you ask for support"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the organizers keep these details to run the forum, and passport "
            "details only until the retention period after the forum ends."
        )
    )

    def __init__(self, *args, ticket_types, income_group: str = "", currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticket_type"] = TicketTypeChoiceField(
            label=_("Ticket type"),
            ticket_types=ticket_types,
            widget=forms.RadioSelect,
            income_group=income_group,
            currency=currency,
        )
        self.order_fields(self.field_order)

    def keep_input_without_errors(self) -> None:
        """Show the typed input again without judging it (the "Show the fees for my country"
        button): the form stays bound, and no field is marked as wrong."""
        self._errors = ErrorDict()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("waiver_kind") and not (cleaned.get("waiver_reason") or "").strip():
            self.add_error("waiver_reason", _("Tell us why you ask for support."))
        return cleaned

    def details(self) -> dict:
        data = super().details()
        data["email"] = self.cleaned_data["email"]
        data["waiver_kind"] = self.cleaned_data.get("waiver_kind") or ""
        data["waiver_reason"] = self.cleaned_data.get("waiver_reason") or ""
        return data


def details_initial(registration: Registration) -> dict:
    """The edit form's initial values: the registration's details and answers (never the
    passport number)."""
    from registration.services.registrations import DETAIL_FIELDS

    initial = {name: getattr(registration, name) for name in DETAIL_FIELDS}
    initial["country"] = registration.country.code
    for answer in registration.answers.all():
        value = answer.value
        if answer.question.kind == QuestionKind.CHECKBOX:
            value = value == "yes"
        initial[f"question_{answer.question_id}"] = value
    passport = getattr(registration, "passport", None)
    if passport is not None:
        initial.update(
            full_name=passport.full_name,
            nationality=passport.nationality.code,
            date_of_birth=passport.date_of_birth,
            passport_expiry=passport.passport_expiry,
        )
    return initial


class SupportForm(forms.Form):
    waiver_kind = forms.ChoiceField(label=_("Support with the fee"), choices=WaiverKind.choices)
    waiver_reason = forms.CharField(
        label=_("Why you ask for support"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class SignupForm(forms.Form):
    session = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    action = forms.ChoiceField(choices=[("sign_up", "sign_up"), ("cancel", "cancel")])
    # Where to come back to (the session's page); only a path of this site is followed.
    next = forms.CharField(max_length=500, required=False)
