"""Forms of the statement's public side: signing on."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from forum.enums import OrganizationKind
from forum.models import LANGUAGE_TAG_VALIDATOR
from statements.enums import SignatoryKind


class SignOnForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("I sign on"),
        choices=[
            (SignatoryKind.ORGANIZATION, _("on behalf of an organization")),
            (SignatoryKind.PERSON, _("as a person")),
        ],
        widget=forms.RadioSelect,
        initial=SignatoryKind.ORGANIZATION,
    )
    name = forms.CharField(
        label=_("Name (in Latin script)"),
        max_length=255,
        help_text=_("The organization's name, or your own name."),
    )
    name_native = forms.CharField(
        label=_("Name in native script"),
        max_length=255,
        required=False,
        help_text=_("e.g. 日本労働者協同組合連合会"),
    )
    native_language = forms.CharField(
        label=_("Language of the native name"),
        max_length=16,
        required=False,
        validators=[LANGUAGE_TAG_VALIDATOR],
        help_text=_("A language tag such as ja, ko, th or zh-Hant."),
    )
    affiliation = forms.CharField(
        label=_("Your organization (for a person)"), max_length=255, required=False
    )
    organization_kind = forms.ChoiceField(
        label=_("Kind of organization"),
        choices=[("", "—"), *OrganizationKind.choices],
        required=False,
    )
    country = LazyTypedChoiceField(label=_("Country"), choices=countries)
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("Only to confirm the signature; it is never published."),
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == SignatoryKind.ORGANIZATION and not data.get("organization_kind"):
            self.add_error("organization_kind", _("Say what kind of organization signs on."))
        if data.get("name_native") and not data.get("native_language"):
            self.add_error(
                "native_language", _("Say in which language the native name is written.")
            )
        return data
