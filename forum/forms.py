from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from forum.models import Edition, EditionRole, Organization, default_edition_languages


class EditionRoleForm(WagtailAdminModelForm):
    """Grant a role: the editions offered are those the person may manage."""

    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
    )

    def clean_languages(self) -> list[str]:
        """None ticked: English and Japanese, as for a new edition."""
        return self.cleaned_data["languages"] or default_edition_languages()

    class Meta:
        model = EditionRole
        fields = ["edition", "user", "role"]

    def clean(self):
        cleaned = super().clean()
        edition, user, role = cleaned.get("edition"), cleaned.get("user"), cleaned.get("role")
        if edition and user and role:
            clash = EditionRole.objects.filter(edition=edition, user=user, role=role)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(_("This person already holds this role."))
        return cleaned


class EditionForm(WagtailAdminModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=default_edition_languages,
        help_text=_("The languages the edition's public pages offer in the language switcher."),
    )

    class Meta:
        model = Edition
        fields = [
            "name",
            "slug",
            "number",
            "year",
            "theme",
            "start_date",
            "end_date",
            "dates_note",
            "city",
            "city_native",
            "native_language",
            "country",
            "venue",
            "venue_address",
            "time_zone",
            "expected_participants",
            "organizer",
            "summary",
            "languages",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }


class OrganizationForm(WagtailAdminModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = [
            "name",
            "name_native",
            "native_language",
            "acronym",
            "kind",
            "sse_category",
            "country",
            "website",
        ]
