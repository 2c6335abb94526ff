"""A release's snapshot in one language: the translations organizers gave, the source elsewhere.

`build_snapshot` (services/releases.py) stores, beside each session, track and room row's source
text, an "i18n" dict holding only the translations that exist: {"ja": {"title": "…"}, …}.
`localize` returns the snapshot with those values put in place for one language, and each row's
"fallback" naming the fields still shown in the source language (a page marks them with the
source's `lang` and a short note). It reads no database and never changes the snapshot it is
given (that one may be shared by a cache).
"""

from django.conf import settings

SOURCE_LANGUAGE = settings.LANGUAGE_CODE

# The fields of each kind of row that organizers can translate (sessions_app/translation.py).
TRANSLATED_FIELDS: dict[str, tuple[str, ...]] = {
    "sessions": ("title", "abstract", "meeting_point", "transport_notes"),
    "tracks": ("name",),
    "rooms": ("name", "accessibility_notes"),
}


def translations_of(obj, fields: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """The non-empty translations of `obj`'s `fields`, by language: what build_snapshot stores
    under "i18n". Reads the columns modeltranslation adds (title_ja…), no query."""
    from modeltranslation.utils import build_localized_fieldname

    result: dict[str, dict[str, str]] = {}
    for code, _name in settings.LANGUAGES:
        if code == SOURCE_LANGUAGE:
            continue
        values = {}
        for field in fields:
            value = getattr(obj, build_localized_fieldname(field, code), None)
            if value:
                values[field] = value
        if values:
            result[code] = values
    return result


def localize_row(row: dict, fields: tuple[str, ...], language: str | None) -> dict:
    """One row with its translations into `language` in place, and "fallback": the fields
    that have source text but no translation (empty in the source language)."""
    language = _site_language(language)
    if language == SOURCE_LANGUAGE:
        return {**row, "fallback": []}
    translated = (row.get("i18n") or {}).get(language, {})
    localized = {**row, **{f: translated[f] for f in fields if translated.get(f)}}
    localized["fallback"] = [f for f in fields if row.get(f) and not translated.get(f)]
    return localized


def localize(snapshot: dict, language: str | None) -> dict:
    """The snapshot as read in `language` (a code of settings.LANGUAGES; others read the
    source). Rows without "i18n" (releases published before translations) read the source."""
    localized = {
        **snapshot,
        "language": _site_language(language),
        "source_language": SOURCE_LANGUAGE,
    }
    for key, fields in TRANSLATED_FIELDS.items():
        if key in snapshot:
            localized[key] = [localize_row(row, fields, language) for row in snapshot[key]]
    return localized


def _site_language(language: str | None) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    if not language:
        return SOURCE_LANGUAGE
    language = language.lower()
    if language in codes:
        return language
    base = language.split("-")[0]
    return base if base in codes else SOURCE_LANGUAGE
