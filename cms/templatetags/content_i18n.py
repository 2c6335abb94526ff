"""Marks organizers' text that a reader sees in the source language for want of a translation:
`{% translated room "name" %}` prints it (in a `<span lang="en">` then), `<h1{% source_lang
session "title" %}>` gives an element the source's `lang` (screen readers and fonts follow it)
and `{% source_note session "title" %}` adds a short "(in English)" in the reader's language.
Text that is translated, or read in the source language, is printed as it always was."""

import functools

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from forum.content_language import SOURCE_LANGUAGE, shown_in_source
from forum.languages import language_name

register = template.Library()

NOTHING = mark_safe("")


@register.simple_tag
def translated(obj, field: str) -> SafeString:
    """`obj.field` (a model's, or a localized snapshot row's), escaped; in a `<span lang>` of
    the source language when it is shown for want of a translation."""
    if obj is None:
        return NOTHING
    value = obj.get(field, "") if isinstance(obj, dict) else getattr(obj, field, "")
    if shown_in_source(obj, field):
        return format_html('<span lang="{}">{}</span>', SOURCE_LANGUAGE, value)
    return conditional_escape(value)


@register.simple_tag
def source_lang(obj, field: str) -> SafeString:
    """` lang="en"` when `obj.field` is shown in the source language, else nothing."""
    if shown_in_source(obj, field):
        return format_html(' lang="{}"', SOURCE_LANGUAGE)
    return NOTHING


@register.simple_tag
def source_note(obj, field: str, hidden: bool = False) -> SafeString:
    """A short note that `obj.field` is shown in the source language, else nothing; `hidden`:
    for screen readers only (where a visible note on every item would be noise)."""
    if shown_in_source(obj, field):
        return source_language_note(hidden=hidden)
    return NOTHING


@register.simple_tag
def source_language_note(hidden: bool = False) -> SafeString:
    """The note itself, " (in English)", in the reader's language (and marked so, as it may
    sit inside an element of the source's language). Made once per language: a programme in
    Japanese shows it on each of its hundreds of untranslated titles."""
    return _note(bool(hidden), translation.get_language() or SOURCE_LANGUAGE)


@functools.lru_cache(maxsize=128)
def _note(hidden: bool, language: str) -> SafeString:
    with translation.override(language):
        return format_html(
            ' <small class="source-note{}" lang="{}">{}</small>',
            " visually-hidden" if hidden else "",
            language,
            _("(in %(language)s)") % {"language": language_name(SOURCE_LANGUAGE)},
        )
