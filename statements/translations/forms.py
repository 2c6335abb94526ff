"""Input of the translation page; the service decides what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from statements.models import PARAGRAPH_MAX_LENGTH


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
