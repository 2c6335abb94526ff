"""Translations of the statement, made by the drafting committee: a translation belongs to a
version and a language, and holds a text per paragraph with the fingerprint of the source text
it translates (see statements.translations.selectors)."""

from django.db import transaction
from django.utils.translation import gettext as _

from statements.models import (
    PARAGRAPH_MAX_LENGTH,
    ParagraphText,
    ParagraphTranslation,
    Statement,
    StatementTranslation,
    StatementVersion,
)
from statements.selectors import statement_roles
from statements.services import ActionRefusedError, PermissionRefusedError
from statements.translations.selectors import (
    latest_translation,
    source_hash,
    translation_languages,
)


@transaction.atomic
def save_translation(
    *,
    statement: Statement,
    version: StatementVersion,
    language: str,
    actor,
    title: str = "",
    headings: dict[str, str] | None = None,
    paragraphs: dict[int, str],
    confirmed: set[int] | frozenset[int] = frozenset(),
) -> StatementTranslation:
    """Write the translation of `version` into `language`: `paragraphs` maps a paragraph key to
    its translated text (empty: untranslated), `headings` a source heading to its translation.

    A paragraph whose text is new or changed, or whose key is in `confirmed` (the committee
    checked that a stale translation still holds), is recorded as translating the version's
    source text; an unchanged one carried over from an earlier version keeps its fingerprint
    (and stays stale). Refused unless the committee writes it, into a language other than the
    authoritative one. Side effects: the StatementTranslation of (version, language) and its
    ParagraphTranslation rows (created on the first save from the latest earlier translation).
    """
    if not statement_roles(actor, statement.edition).is_committee:
        raise PermissionRefusedError(_("Only the drafting committee translates the statement."))
    if version.statement_id != statement.pk:
        raise ActionRefusedError(_("This version is not of this statement."))
    if language not in translation_languages(statement):
        raise ActionRefusedError(_("The statement cannot be translated into this language."))
    texts = {
        t.paragraph.key: t
        for t in ParagraphText.objects.filter(version=version).select_related(
            "paragraph", "section"
        )
    }
    unknown = set(paragraphs) - set(texts)
    if unknown:
        raise ActionRefusedError(_("This version has no such paragraph."))
    if any(len(text) > PARAGRAPH_MAX_LENGTH for text in paragraphs.values()):
        raise ActionRefusedError(_("A paragraph is too long."))

    previous = latest_translation(version, language)
    carried = {}
    if previous is not None:
        carried = {p.paragraph_id: p for p in previous.paragraphs.all()}
    translation, _created = StatementTranslation.objects.select_for_update().get_or_create(
        version=version, language=language, defaults={"updated_by": actor}
    )
    translation.title = title.strip()[:255]
    known_headings = (
        {t.section.heading for t in texts.values() if t.section is not None} if headings else set()
    )
    if headings is not None:
        translation.headings = {
            source: target.strip()[:255]
            for source, target in headings.items()
            if target.strip() and source in known_headings
        }
    elif previous is not None and previous.pk != translation.pk:
        translation.headings = previous.headings
    translation.updated_by = actor
    translation.save()

    rows = []
    for key, source in texts.items():
        before = carried.get(source.paragraph_id)
        text = paragraphs.get(key, before.text if before else "").strip()
        if not text:
            continue
        if before is None or text != before.text.strip() or key in confirmed:
            fingerprint, source_version_id = source_hash(source.text), version.pk
        else:  # carried over unchanged: it still translates the older source
            fingerprint, source_version_id = before.source_hash, before.source_version_id
        rows.append(
            ParagraphTranslation(
                translation=translation,
                paragraph_id=source.paragraph_id,
                text=text,
                source_hash=fingerprint,
                source_version_id=source_version_id,
            )
        )
    ParagraphTranslation.objects.filter(translation=translation).delete()
    ParagraphTranslation.objects.bulk_create(rows)
    return translation
