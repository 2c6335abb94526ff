"""The filters and sort of the contributions list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from statements.enums import AmendmentStatus


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
