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


def source_value(obj, field: str):
    """`obj.field` in the source language, whatever language is active."""
    from modeltranslation.utils import build_localized_fieldname

    name = build_localized_fieldname(field, SOURCE_LANGUAGE)
    return getattr(obj, name) if hasattr(obj, name) else getattr(obj, field)


def translation_values(obj, fields) -> dict:
    """The values of every language's column of `fields` that `obj`'s model translates
    (title_en, title_ja…): what copying `obj` must carry along besides `fields` themselves."""
    from django.core.exceptions import FieldDoesNotExist
    from modeltranslation.utils import build_localized_fieldname

    values = {}
    for field in fields:
        for code, _name in settings.LANGUAGES:
            name = build_localized_fieldname(field, code)
            try:
                obj._meta.get_field(name)
            except FieldDoesNotExist:
                break
            values[name] = getattr(obj, name)
    return values


def localized_lookups(lookup: str) -> list[str]:
    """`lookup` ("ticket_type__name") and its column in each language ("ticket_type__name_ja"…):
    what `.only()` must load through a model modeltranslation does not manage, so that reading
    the translated field costs no query per row."""
    from modeltranslation.utils import build_localized_fieldname

    *path, field = lookup.split("__")
    return [lookup] + [
        "__".join([*path, build_localized_fieldname(field, code)])
        for code, _name in settings.LANGUAGES
    ]
