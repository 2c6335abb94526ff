"""Form widgets drawn in one pass.

Django draws a `<select>` through a template per option: a country list (250 options, twice
on the registration form) cost most of the form's rendering. `OnePassSelect` writes the same
HTML itself, every label and value escaped, and keeps the options of each language (without
the selection) for the life of the process: the choices of a field never change per person.
"""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

_options: dict[tuple, str] = {}


def _e(value) -> str:
    return escape(str(value), quote=True)


class OnePassSelect(forms.Select):
    """A single-choice `<select>` whose flat choices (no groups) are drawn without templates."""

    def _options_html(self) -> str:
        choices = list(self.choices)
        # Keyed by the labels too: a label edited (a question's translated choice) is drawn anew.
        key = (get_language(), tuple((str(value), str(label)) for value, label in choices))
        html = _options.get(key)
        if html is None:
            html = "".join(
                f'<option value="{_e("" if value is None else value)}">{_e(label)}</option>'
                for value, label in choices
            )
            if len(_options) > 256:
                _options.clear()
            _options[key] = html
        return html

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        html = self._options_html()
        for selected in self.format_value(value):
            marker = f'<option value="{_e(selected)}">'
            html = html.replace(marker, marker[:-1] + " selected>", 1)
        return mark_safe(f'<select name="{_e(name)}"{flatatt(final)}>{html}</select>')  # noqa: S308 — escaped above
