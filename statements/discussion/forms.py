"""Input of the discussion (comments, reports, amendments, notification settings); the services
decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from statements.enums import AmendmentKind
from statements.models import COMMENT_MAX_LENGTH, PARAGRAPH_MAX_LENGTH, NotificationPreference


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text; *emphasis*, **strong**, lists and links work."),
    )
    paragraph = forms.CharField(required=False, widget=forms.HiddenInput, max_length=12)
    parent = forms.CharField(required=False, widget=forms.HiddenInput, max_length=12)


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this comment?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AmendmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The amendment"), choices=AmendmentKind.choices, widget=forms.RadioSelect
    )
    paragraph = forms.CharField(required=False, widget=forms.HiddenInput, max_length=12)
    after = forms.CharField(required=False, widget=forms.HiddenInput, max_length=12)
    text = forms.CharField(
        label=_("Proposed text"),
        max_length=PARAGRAPH_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["frequency"]
        widgets = {"frequency": forms.RadioSelect}
