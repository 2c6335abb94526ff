"""Organizers' content in several languages in the Wagtail admin: the translations of a model's
fields (django-modeltranslation's columns, title_ja…) edited beside the source.

`translation_panels("title", "abstract")` gives one collapsible panel per language of the site
(not the source) holding that language's fields; `SourceLanguageAdminForm` makes the source
fields (`title`) read and write the source whatever language the admin is shown in (without it,
modeltranslation would read and write `title` in the editor's own language)."""

from django.conf import settings
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from forum.content_language import SOURCE_LANGUAGE


def translation_panels(*fields: str) -> list[MultiFieldPanel]:
    """One collapsed panel per language of the site other than the source, with the
    translations of `fields` into it."""
    return [
        MultiFieldPanel(
            [FieldPanel(build_localized_fieldname(field, code)) for field in fields],
            heading=format_lazy("{}: {}", _("Translation"), name),
            classname="collapsed",
        )
        for code, name in settings.LANGUAGES
        if code != SOURCE_LANGUAGE
    ]


class SourceLanguageAdminForm(WagtailAdminModelForm):
    """The source fields read and written in the source language, the translations in theirs."""

    def __init__(self, *args, **kwargs):
        with translation.override(SOURCE_LANGUAGE):
            super().__init__(*args, **kwargs)

    def _post_clean(self):
        with translation.override(SOURCE_LANGUAGE):
            super()._post_clean()
