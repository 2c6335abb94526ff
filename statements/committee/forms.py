"""Input of the drafting committee's pages (a new statement or version, a change of state,
an answer to an amendment, moderation); the services decide what is allowed."""

import datetime
import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from statements.enums import ANSWERED_STATUSES, AmendmentStatus, StatementState
from statements.models import COMMENT_MAX_LENGTH


class StatementCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    source_language = forms.ChoiceField(
        label=_("Authoritative language"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The language the committee drafts in; every other language is a translation."),
    )
    source = forms.CharField(
        label=_("Text of the first version"),
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_("“# ” starts a section heading; paragraphs are separated by a blank line."),
    )


class VersionForm(forms.Form):
    source = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 30}),
        help_text=_(
            "“# ” starts a section heading; paragraphs are separated by a blank line. Keep "
            "“[7]” at the start of a paragraph to keep its identity (its comments and "
            "amendments); a paragraph without it is new; leaving one out deletes it."
        ),
    )
    note = forms.CharField(label=_("What changed"), required=False, widget=forms.Textarea)
    amendments = forms.TypedMultipleChoiceField(
        label=_("Accepted amendments taken into this version"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, amendments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amendments"].choices = [
            (a.pk, f"#{a.pk} · {a.get_status_display()} · {a.text[:80]}") for a in amendments
        ]


class TransitionForm(forms.Form):
    to_state = forms.ChoiceField(label=_("New state"), choices=StatementState.choices)
    comment_deadline = forms.DateTimeField(
        label=_("Comments close at (the edition's local time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    adopted_on = forms.DateField(
        label=_("Adopted on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    adopted_at_place = forms.CharField(label=_("Adopted at"), max_length=255, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, time_zone: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = zoneinfo.ZoneInfo(time_zone)

    def clean_comment_deadline(self):
        value = self.cleaned_data.get("comment_deadline")
        if value is not None:
            # Typed in the edition's local time, whatever the server's zone.
            value = datetime.datetime.combine(value.date(), value.time(), tzinfo=self.time_zone)
        return value


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[(s.value, s.label) for s in AmendmentStatus if s in ANSWERED_STATUSES],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Reason"), max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )


class ModerationForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
