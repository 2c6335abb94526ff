"""Marks organizers' text that a reader sees in the source language for want of a translation:
`<h1{% source_lang session "title" %}>` gives it the source's `lang` (screen readers and fonts
follow it) and `{% source_note session "title" %}` adds a short "(in English)"."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from forum.content_language import SOURCE_LANGUAGE, shown_in_source
from forum.languages import language_name

register = template.Library()


@register.simple_tag
def source_lang(obj, field: str) -> SafeString:
    """` lang="en"` when `obj.field` is shown in the source language, else nothing."""
    if shown_in_source(obj, field):
        return format_html(' lang="{}"', SOURCE_LANGUAGE)
    return mark_safe("")


@register.simple_tag
def source_note(obj, field: str, hidden: bool = False) -> SafeString:
    """A short note that `obj.field` is shown in the source language, else nothing; `hidden`:
    for screen readers only (where a visible note on every item would be noise)."""
    if shown_in_source(obj, field):
        return format_html(
            ' <small class="source-note{}">{}</small>',
            " visually-hidden" if hidden else "",
            _("(in %(language)s)") % {"language": language_name(SOURCE_LANGUAGE)},
        )
    return mark_safe("")
