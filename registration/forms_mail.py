"""The organizers' announcement form: the message and the filters of who gets it."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from registration.enums import RegistrationStatus
from registration.models import Announcement, SessionCapacity, TicketType


class AnnouncementForm(forms.Form):
    edition = forms.ModelChoiceField(queryset=None, label=_("Edition"))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text, sent as written; a blank line starts a new paragraph."),
    )
    ticket_types = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Ticket types"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every ticket type."),
    )
    statuses = forms.MultipleChoiceField(
        choices=RegistrationStatus.choices,
        required=False,
        label=_("Statuses"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: confirmed, awaiting approval and waiting-list registrations."),
    )
    countries = forms.MultipleChoiceField(
        choices=list(countries),
        required=False,
        label=_("Countries"),
        help_text=_("None chosen: every country."),
    )
    session = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Signed up for the session"),
        empty_label=_("Any (no session filter)"),
    )

    def __init__(self, *args, editions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = editions
        if editions.count() == 1:
            self.fields["edition"].initial = editions.first()
        self.fields["ticket_types"].queryset = TicketType.objects.filter(
            edition__in=editions
        ).select_related("edition")
        self.fields["ticket_types"].label_from_instance = lambda t: f"{t.edition} · {t.name}"
        self.fields["session"].queryset = (
            SessionCapacity.objects.filter(session__edition__in=editions)
            .select_related("session__edition")
            .order_by("session__start", "session__title")
        )
        self.fields["session"].label_from_instance = lambda seats: (
            f"{seats.session.edition} · {seats.session.title}"
        )

    def clean(self):
        data = super().clean()
        edition = data.get("edition")
        if edition is None:
            return data
        if any(t.edition_id != edition.pk for t in data.get("ticket_types") or []):
            self.add_error("ticket_types", _("Choose ticket types of the chosen edition."))
        seats = data.get("session")
        if seats is not None and seats.session.edition_id != edition.pk:
            self.add_error("session", _("Choose a session of the chosen edition."))
        return data

    def announcement(self, *, user) -> Announcement:
        """An unsaved Announcement from the cleaned data (its ticket types in
        `ticket_type_ids` until it is saved)."""
        data = self.cleaned_data
        announcement = Announcement(
            edition=data["edition"],
            subject=data["subject"],
            body=data["body"],
            statuses=list(data["statuses"]),
            countries=list(data["countries"]),
            session=data["session"].session if data["session"] else None,
            created_by=user,
        )
        announcement.ticket_type_ids = [t.pk for t in data["ticket_types"]]
        return announcement
