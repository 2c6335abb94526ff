"""The organizers' announcement form: the message and the filters of who gets it."""

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from modeltranslation.utils import build_localized_fieldname

from forum.content_language import SOURCE_LANGUAGE
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
        # The subject and message in the site's other languages: each participant gets their
        # language's, or the source's where there is none.
        self.translation_names = []
        for code, name in settings.LANGUAGES:
            if code == SOURCE_LANGUAGE:
                continue
            subject = build_localized_fieldname("subject", code)
            body = build_localized_fieldname("body", code)
            self.fields[subject] = forms.CharField(
                label=format_lazy("{} ({})", _("Subject"), name), max_length=200, required=False
            )
            self.fields[body] = forms.CharField(
                label=format_lazy("{} ({})", _("Message"), name),
                widget=forms.Textarea(attrs={"rows": 6}),
                required=False,
            )
            self.translation_names += [subject, body]
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

    def source_fields(self):
        return [self[name] for name in self.fields if name not in self.translation_names]

    def translation_fields(self):
        return [self[name] for name in self.translation_names]

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
        with translation.override(SOURCE_LANGUAGE):  # `subject` is the source, whoever writes
            announcement = self._announcement(data, user)
        announcement.ticket_type_ids = [t.pk for t in data["ticket_types"]]
        return announcement

    def _announcement(self, data: dict, user) -> Announcement:
        return Announcement(
            edition=data["edition"],
            subject=data["subject"],
            body=data["body"],
            statuses=list(data["statuses"]),
            countries=list(data["countries"]),
            session=data["session"].session if data["session"] else None,
            created_by=user,
            **{name: data.get(name) or None for name in self.translation_names},
        )
