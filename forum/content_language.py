"""Organizers' content in several languages (django-modeltranslation; each app's translation.py
registers its fields): which fields a reader sees in the source language for want of a
translation, so that pages can mark them (the source's `lang` and a short note)."""

from django.conf import settings
from django.utils import translation

SOURCE_LANGUAGE = settings.LANGUAGE_CODE


def shown_in_source(obj, field: str, language: str | None = None) -> bool:
    """Whether `obj.field` reads in the source language in `language` (the active one by
    default) because it has no translation there, while the source has text.

    `obj` is a model instance with modeltranslation fields, or a localized snapshot row (a dict,
    or an object with `fallback`: the fields shown in the source, snapshot_i18n.localize)."""
    if obj is None:
        return False
    if isinstance(obj, dict):
        return field in (obj.get("fallback") or ())
    fallback = getattr(obj, "fallback", None)
    if fallback is not None and not hasattr(obj, "_meta"):
        return field in fallback
    language = (language or translation.get_language() or SOURCE_LANGUAGE).lower()
    if language == SOURCE_LANGUAGE:
        return False
    from modeltranslation.utils import build_localized_fieldname

    if not hasattr(obj, build_localized_fieldname(field, SOURCE_LANGUAGE)):
        return False
    source = getattr(obj, build_localized_fieldname(field, SOURCE_LANGUAGE), "")
    return bool(source) and not getattr(obj, build_localized_fieldname(field, language), None)
