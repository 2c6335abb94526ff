"""Reading the statement in a language: its translation into the reader's language laid over the
authoritative text, paragraph by paragraph.

A version is read through the latest translation made for it or for an earlier version. A
paragraph without a translation falls back to the source (marked, in the source's language); a
paragraph whose source text changed since it was translated is stale (marked). Two queries
whatever the number of paragraphs."""

import copy
import hashlib
from dataclasses import dataclass, field

from django.conf import settings

from statements.models import (
    ParagraphText,
    ParagraphTranslation,
    Section,
    Statement,
    StatementTranslation,
    StatementVersion,
)


def source_hash(text: str) -> str:
    """The fingerprint of a source paragraph a translation records."""
    return hashlib.sha256(text.strip().encode()).hexdigest()


def site_language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def translation_languages(statement: Statement) -> list[str]:
    """The languages other than the authoritative one the committee may translate into: the
    edition's languages, then the other site languages."""
    offered = statement.edition.offered_languages
    codes = offered + [code for code in site_language_codes() if code not in offered]
    return [code for code in codes if code != statement.source_language]


def latest_translation(version: StatementVersion, language: str) -> StatementTranslation | None:
    """The translation into `language` made for `version` or, failing that, for the latest
    earlier version. One query."""
    return (
        StatementTranslation.objects.filter(
            version__statement_id=version.statement_id,
            version__number__lte=version.number,
            language=language,
        )
        .select_related("version")
        .order_by("-version__number")
        .first()
    )


def translated_languages(statement: Statement, version: StatementVersion) -> list[str]:
    """The languages the statement can be read in up to `version`: the source, then every
    language with a translation (in the site's order). One query."""
    have = set(
        StatementTranslation.objects.filter(
            version__statement=statement, version__number__lte=version.number
        ).values_list("language", flat=True)
    )
    return [statement.source_language] + [
        code for code in site_language_codes() if code in have and code != statement.source_language
    ]


@dataclass
class Block:
    """One paragraph to be read in a language (as `version_text`'s TextBlock, without counts)."""

    text: ParagraphText
    section: Section | None = None
    shown: "ShownParagraph | None" = None
    heading: str = ""
    heading_language: str = ""


@dataclass
class ShownParagraph:
    """A paragraph as a reader sees it in one language."""

    text: str
    language: str
    is_fallback: bool = False
    is_stale: bool = False
    translation: ParagraphTranslation | None = None


@dataclass
class Reading:
    """The statement as read in `language`; `translation` is None when it is read in the source
    (`is_source`) or has no translation into that language."""

    statement: Statement
    language: str
    source_language: str
    translation: StatementTranslation | None = None
    title: str = ""
    fallback_count: int = 0
    stale_count: int = 0
    languages: list[str] = field(default_factory=list)

    @property
    def is_source(self) -> bool:
        return self.language == self.source_language

    @property
    def is_translated(self) -> bool:
        return self.translation is not None

    @property
    def title_language(self) -> str:
        return (
            self.language if self.translation and self.translation.title else self.source_language
        )


def _paragraph_translations(
    translation: StatementTranslation | None,
) -> dict[int, ParagraphTranslation]:
    if translation is None:
        return {}
    return {p.paragraph_id: p for p in ParagraphTranslation.objects.filter(translation=translation)}


def shown_paragraph(
    text: ParagraphText, translated: ParagraphTranslation | None, reading: Reading
) -> ShownParagraph:
    if reading.is_source or translated is None:
        return ShownParagraph(
            text=text.text,
            language=reading.source_language,
            # Marked only where a translation exists (the page says when there is none).
            is_fallback=not reading.is_source and reading.translation is not None,
        )
    return ShownParagraph(
        text=translated.text,
        language=reading.language,
        is_stale=translated.source_hash != source_hash(text.text),
        translation=translated,
    )


def read_in_language(
    statement: Statement, version: StatementVersion, blocks: list, language: str
) -> Reading:
    """Give each block of `version` (`TextBlock`s, or anything with `.text` a ParagraphText and
    `.section`) `shown` (a ShownParagraph) and `heading` / `heading_language`; return what the
    page says about the language it is read in. One or two queries."""
    reading = Reading(
        statement=statement,
        language=language,
        source_language=statement.source_language,
        title=statement.title,
    )
    if not reading.is_source:
        reading.translation = latest_translation(version, language)
    translations = _paragraph_translations(reading.translation)
    headings = reading.translation.headings if reading.translation else {}
    if reading.translation and reading.translation.title:
        reading.title = reading.translation.title
    for block in blocks:
        block.shown = shown_paragraph(
            block.text, translations.get(block.text.paragraph_id), reading
        )
        reading.fallback_count += block.shown.is_fallback
        reading.stale_count += block.shown.is_stale
        if block.section is not None:
            translated = headings.get(block.section.heading) if not reading.is_source else None
            block.heading = translated or block.section.heading
            block.heading_language = language if translated else reading.source_language
    return reading


def reader_language(request, statement: Statement) -> str:
    """The language a page reads the statement in: the page's (the URL's prefix), the
    authoritative one with `?text=original`, or another with `?text=<code>` (a translation
    read on a page of another interface language)."""
    from django.utils.translation import get_language

    asked = request.GET.get("text", "")
    if asked == "original":
        return statement.source_language
    if asked in site_language_codes():
        return asked
    return get_language() or settings.LANGUAGE_CODE


@dataclass
class TranslationRow:
    """One paragraph of the committee's translation form."""

    text: ParagraphText
    translated: ParagraphTranslation | None
    is_stale: bool


def translation_rows(
    version: StatementVersion, language: str
) -> tuple[StatementTranslation | None, list[TranslationRow], list[str]]:
    """What the committee's translation form of `version` into `language` starts from: the
    latest translation (of this version or an earlier one), each paragraph of the version
    beside its translation, and the version's headings. Three queries."""
    translation = latest_translation(version, language)
    translations = _paragraph_translations(translation)
    texts = list(
        ParagraphText.objects.filter(version=version)
        .select_related("paragraph", "section")
        .order_by("position")
    )
    rows = []
    headings: list[str] = []
    for text in texts:
        translated = translations.get(text.paragraph_id)
        rows.append(
            TranslationRow(
                text=text,
                translated=translated,
                is_stale=translated is not None
                and translated.source_hash != source_hash(text.text),
            )
        )
        if text.section is not None and text.section.heading not in headings:
            headings.append(text.section.heading)
    return translation, rows, headings


def translation_overview(statement: Statement, version: StatementVersion) -> list[dict]:
    """For the committee's dashboard: each language the statement may be translated into, with
    how many paragraphs of `version` are translated, stale or missing. Three queries."""
    texts = {
        t.paragraph_id: source_hash(t.text) for t in ParagraphText.objects.filter(version=version)
    }
    latest: dict[str, StatementTranslation] = {}
    for translation in (
        StatementTranslation.objects.filter(
            version__statement=statement, version__number__lte=version.number
        )
        .select_related("version")
        .order_by("version__number")
    ):
        latest[translation.language] = translation
    counts: dict[int, dict[str, int]] = {t.pk: {"done": 0, "stale": 0} for t in latest.values()}
    for item in ParagraphTranslation.objects.filter(
        translation__in=list(latest.values()), paragraph_id__in=list(texts)
    ).only("translation_id", "paragraph_id", "source_hash"):
        key = "stale" if item.source_hash != texts[item.paragraph_id] else "done"
        counts[item.translation_id][key] += 1
    rows = []
    for code in translation_languages(statement):
        found = latest.get(code)
        done = counts[found.pk] if found else {"done": 0, "stale": 0}
        rows.append(
            {
                "language": code,
                "translation": found,
                "done": done["done"],
                "stale": done["stale"],
                "missing": len(texts) - done["done"] - done["stale"],
            }
        )
    return rows


def texts_in_language(
    statement: Statement, version: StatementVersion, texts: list[ParagraphText], language: str
) -> tuple[list[ParagraphText], Reading]:
    """Copies of `texts` (the paragraphs of `version`) whose `text` is what a reader in
    `language` sees, each with `shown`: for the difference between two versions in a language.
    One or two queries."""

    blocks = [Block(text=text) for text in texts]
    reading = read_in_language(statement, version, blocks, language)
    copies = []
    for block in blocks:
        shown = block.shown
        assert shown is not None  # set by read_in_language  # noqa: S101
        shown_text = copy.copy(block.text)
        shown_text.text = shown.text
        shown_text.shown = shown  # type: ignore[attr-defined]
        copies.append(shown_text)
    return copies, reading


def titles_by_language(statement: Statement) -> dict[str, str]:
    """The statement's title in each language it has a translated title in (the latest
    translation's). One query."""
    titles: dict[str, str] = {}
    for language, title in (
        StatementTranslation.objects.filter(version__statement=statement)
        .exclude(title="")
        .order_by("version__number")
        .values_list("language", "title")
    ):
        titles[language] = title
    return titles
