"""Input of the statement pages; the services decide what is allowed."""

import datetime
import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from statements.enums import ANSWERED_STATUSES, AmendmentKind, AmendmentStatus, StatementState
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


class ContributionFilterForm(forms.Form):
    """The filters and order of the overview of comments and amendments (a GET form)."""

    paragraph = forms.ChoiceField(label=_("Paragraph"), required=False)
    kind = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Comments and amendments")),
            ("comments", _("Comments only")),
            ("amendments", _("Amendments only")),
        ],
    )
    answer = forms.ChoiceField(
        label=_("The committee's answer"),
        required=False,
        choices=[("", _("Any (comments too)"))]
        + [(s.value, s.label) for s in AmendmentStatus if s != AmendmentStatus.WITHDRAWN],
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("supported", _("Most supported first")),
            ("paragraph", _("In the order of the text")),
        ],
    )

    def __init__(self, *args, paragraphs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraph"].choices = [
            ("", _("All paragraphs")),
            ("general", _("The whole text")),
        ] + [(str(t.paragraph.key), t.label[:1].upper() + t.label[1:]) for t in paragraphs]

    def filters(self) -> dict[str, str]:
        """The valid filters (an invalid value counts as not given)."""
        if self.is_valid():
            data = self.cleaned_data
        else:
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return {
            "paragraph": data.get("paragraph") or "",
            "kind": data.get("kind") or "",
            "answer": data.get("answer") or "",
            "sort": data.get("sort") or "newest",
        }


class TranslationForm(forms.Form):
    """The committee's translation of one version into one language: a field per heading and
    paragraph (shown beside its source), and for a stale paragraph a box to confirm that the
    translation still holds."""

    title = forms.CharField(label=_("Title"), max_length=255, required=False)

    def __init__(self, *args, rows, headings, translation, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.heading_sources = headings
        translated_headings = translation.headings if translation else {}
        if translation is not None:
            self.fields["title"].initial = translation.title
        self.fields["title"].widget.attrs["lang"] = language
        for index, heading in enumerate(headings):
            self.fields[f"heading_{index}"] = forms.CharField(
                label=heading,
                max_length=255,
                required=False,
                initial=translated_headings.get(heading, ""),
                widget=forms.TextInput(attrs={"lang": language}),
            )
        for row in rows:
            key = row.text.paragraph.key
            self.fields[f"p_{key}"] = forms.CharField(
                label=_("Paragraph %(number)s") % {"number": row.text.number},
                max_length=PARAGRAPH_MAX_LENGTH,
                required=False,
                initial=row.translated.text if row.translated else "",
                widget=forms.Textarea(attrs={"rows": 4, "lang": language}),
            )
            if row.is_stale:
                self.fields[f"confirm_{key}"] = forms.BooleanField(
                    label=_("The translation still matches the new source text."),
                    required=False,
                )

    def paragraph_rows(self):
        """(row, its field, its confirmation field or None) for the template."""
        for row in self.rows:
            key = row.text.paragraph.key
            confirm = f"confirm_{key}"
            yield row, self[f"p_{key}"], self[confirm] if confirm in self.fields else None

    def heading_fields(self):
        return [self[f"heading_{index}"] for index in range(len(self.heading_sources))]

    def translated(self) -> dict:
        """The cleaned data as save_translation takes it."""
        data = self.cleaned_data
        return {
            "title": data.get("title", ""),
            "headings": {
                source: data.get(f"heading_{index}", "")
                for index, source in enumerate(self.heading_sources)
            },
            "paragraphs": {
                row.text.paragraph.key: data.get(f"p_{row.text.paragraph.key}", "")
                for row in self.rows
            },
            "confirmed": {
                row.text.paragraph.key
                for row in self.rows
                if data.get(f"confirm_{row.text.paragraph.key}")
            },
        }
