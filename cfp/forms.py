"""Input of the call's pages: a proposal, an invitation, a speaker's profile, a review, the
committee's decisions and assignments. Choices are scoped to the edition: a forged id of
another edition's type or track is refused like any invalid choice."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from cfp.enums import DECISIONS, MAX_SCORE, PROPOSAL_LANGUAGES, ProposalState
from cfp.models import ABSTRACT_MAX, DESCRIPTION_MAX, ProposalType, ReviewCriterion
from forum.models import LANGUAGE_TAG_VALIDATOR, Edition, Organization
from forum.questions import answers_from_form, question_fields
from sessions_app.models import Track


class ProposalTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        minutes = ", ".join(str(d) for d in obj.duration_list)
        return _("%(name)s (%(minutes)s minutes)") % {
            "name": obj.localized_name(),
            "minutes": minutes,
        }


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    proposal_type = ProposalTypeChoiceField(label=_("Type"), queryset=ProposalType.objects.none())
    duration = forms.TypedChoiceField(label=_("Duration (minutes)"), coerce=int, choices=())
    track = forms.ModelChoiceField(label=_("Track"), queryset=Track.objects.none(), required=False)
    abstract = forms.CharField(
        label=_("Abstract"),
        max_length=ABSTRACT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Shown in the programme if the proposal is accepted. At most 1,500 characters."
        ),
    )
    description = forms.CharField(
        label=_("Description for the committee"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("How the session runs and who it is for. At most 6,000 characters."),
    )
    language = forms.ChoiceField(label=_("Language of the session"), choices=PROPOSAL_LANGUAGES)
    interpretation_languages = forms.CharField(
        label=_("Interpretation needed into"),
        max_length=64,
        required=False,
        help_text=_("Language codes separated by commas, e.g. ja, ko."),
    )
    expected_participants = forms.IntegerField(
        label=_("Expected participants"), min_value=1, max_value=100000, required=False
    )
    country = LazyTypedChoiceField(
        label=_("Country of the proposing organization"),
        choices=[("", "—"), *countries],
        required=False,
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Co-organizing organizations"),
        queryset=Organization.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("From the forum's organization registry."),
    )

    def __init__(self, *args, edition: Edition, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The call's own questions (forum.questions), after the proposal's fields.
        self.questions = list(questions)
        self.fields.update(question_fields(self.questions))
        types = ProposalType.objects.filter(edition=edition)
        self.fields["proposal_type"].queryset = types
        self.fields["track"].queryset = Track.objects.filter(edition=edition)
        durations = sorted({d for t in types for d in t.duration_list})
        self.fields["duration"].choices = [(d, str(d)) for d in durations]

    def clean_interpretation_languages(self):
        value = self.cleaned_data["interpretation_languages"]
        codes = [c.strip() for c in value.split(",") if c.strip()]
        for code in codes:
            try:
                LANGUAGE_TAG_VALIDATOR(code)
            except ValidationError as exc:
                raise ValidationError(
                    _("“%(code)s” is not a language code.") % {"code": code}
                ) from exc
        return ", ".join(codes)

    def clean(self):
        data = super().clean()
        kind, duration = data.get("proposal_type"), data.get("duration")
        if kind and duration and duration not in kind.duration_list:
            self.add_error(
                "duration",
                _("A %(type)s takes %(minutes)s minutes.")
                % {
                    "type": kind.localized_name(),
                    "minutes": ", ".join(str(d) for d in kind.duration_list),
                },
            )
        if data.get("expected_participants") is None:
            data["expected_participants"] = None
        return data

    def answers(self) -> dict[int, object]:
        """{question id: value} of the call's questions."""
        return answers_from_form(self.cleaned_data)


PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_SIDE = 6000
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    email = forms.EmailField(label=_("Email"))
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)


class SpeakerProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    name_native = forms.CharField(label=_("Name in native script"), max_length=255, required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.all(), required=False
    )
    country = LazyTypedChoiceField(
        label=_("Country"), choices=[("", "—"), *countries], required=False
    )
    bio = forms.CharField(
        label=_("Biography"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    availability = forms.CharField(
        label=_("Availability"),
        max_length=255,
        required=False,
        help_text=_("The days or times you can take part, if not all of the forum."),
    )
    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        help_text=_("A JPEG, PNG or WebP picture of you, at most 5 MB, for the programme."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def clean_photo(self):
        """Django's ImageField has Pillow open and verify the file; here its size, kind and
        dimensions are checked too, so that a large or odd upload gets a message, not a 500."""
        photo = self.cleaned_data.get("photo")
        if not photo or not hasattr(photo, "size"):
            return photo
        if photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(
                _("The photo is larger than %(mb)d MB: choose a smaller one.")
                % {"mb": PHOTO_MAX_BYTES // (1024 * 1024)}
            )
        image = getattr(photo, "image", None)
        if image is None or image.format not in PHOTO_FORMATS:
            raise forms.ValidationError(_("The photo must be a JPEG, PNG or WebP picture."))
        width, height = image.size
        if width > PHOTO_MAX_SIDE or height > PHOTO_MAX_SIDE:
            raise forms.ValidationError(
                _("The photo is larger than %(px)d pixels on a side.") % {"px": PHOTO_MAX_SIDE}
            )
        return photo


class ReviewForm(forms.Form):
    comment_committee = forms.CharField(
        label=_("Comment for the committee"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    comment_submitter = forms.CharField(
        label=_("Comment for the submitter"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent with the decision, without your name."),
    )

    def __init__(self, *args, criteria: list[ReviewCriterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices = [(n, str(n)) for n in range(MAX_SCORE + 1)]
        scored = {}
        for criterion in criteria:
            scored[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.localized_name(),
                help_text=criterion.description,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.fields = {**scored, **self.fields}

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(d.value, d.label) for d in ProposalState if d in DECISIONS],
    )
    proposals = forms.TypedMultipleChoiceField(label=_("Proposals"), coerce=int, choices=())

    def __init__(self, *args, proposal_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].choices = [(pk, str(pk)) for pk in proposal_ids]


class AssignmentForm(forms.Form):
    ACTIONS = [("auto", _("Assign automatically")), ("add", _("Add")), ("remove", _("Remove"))]
    action = forms.ChoiceField(choices=ACTIONS)
    proposal = forms.IntegerField(required=False)
    reviewer = forms.IntegerField(required=False)
