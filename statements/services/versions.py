"""Writing versions of the statement's text, keeping each paragraph's identity.

The committee edits a version as plain text: a line starting with "# " is a section heading,
paragraphs are separated by blank lines, and a paragraph that starts with "[7]" keeps the
identity of paragraph 7 (its comments and amendments stay attached). A paragraph without a key
is new; a key left out deletes that paragraph from the new version.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from statements.enums import AmendmentStatus, StatementState
from statements.models import (
    PARAGRAPH_MAX_LENGTH,
    Amendment,
    Paragraph,
    ParagraphText,
    Section,
    Statement,
    StatementVersion,
)
from statements.selectors import statement_roles
from statements.services import ActionRefusedError, PermissionRefusedError

KEY_PATTERN = re.compile(r"^\[(\d{1,6})\]\s*")
MAX_PARAGRAPHS = 500
WRITABLE_STATES = (StatementState.DRAFTING, StatementState.COMMENTS_CLOSED)


@dataclass
class SourceBlock:
    kind: str  # "section" or "paragraph"
    text: str
    key: int | None = None


def parse_source(source: str) -> list[SourceBlock]:
    """The sections and paragraphs of a version written as plain text (see the module)."""
    blocks: list[SourceBlock] = []
    lines: list[str] = []

    def flush():
        if lines:
            text = "\n".join(lines).strip()
            match = KEY_PATTERN.match(text)
            key = None
            if match:
                key = int(match.group(1))
                text = text[match.end() :].strip()
            if text:
                blocks.append(SourceBlock("paragraph", text, key))
            elif key is not None:
                raise ActionRefusedError(
                    _("Paragraph [%(key)s] has no text; leave it out to delete it.") % {"key": key}
                )
            lines.clear()

    for raw in source.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if line.startswith("# "):
            flush()
            heading = line[2:].strip()
            if heading:
                blocks.append(SourceBlock("section", heading[:255]))
        elif not line.strip():
            flush()
        else:
            lines.append(line.strip())
    flush()
    return blocks


def version_source(version: StatementVersion) -> str:
    """`version` written back as the plain text the committee edits."""
    parts: list[str] = []
    section_id = None
    texts = ParagraphText.objects.filter(version=version).select_related("paragraph", "section")
    for text in texts.order_by("position"):
        if text.section_id and text.section_id != section_id:
            parts.append(f"# {text.section.heading}")
            section_id = text.section_id
        parts.append(f"[{text.paragraph.key}] {text.text}")
    return "\n\n".join(parts) + ("\n" if parts else "")


@transaction.atomic
def create_version(
    *,
    statement: Statement,
    actor,
    source: str,
    note: str = "",
    taken_amendment_ids: list[int] | tuple[int, ...] = (),
) -> StatementVersion:
    """Write a new version of `statement` from `source`, keeping the identity of every paragraph
    given by its key, and record which accepted amendments it takes in.

    Refused unless the committee writes it while drafting or with comments closed, with at least
    one paragraph, keys of this statement only, each once. Side effects: a StatementVersion, its
    Section/ParagraphText rows, new Paragraph rows, `taken_into` on the amendments.
    """
    locked = Statement.objects.select_for_update().get(pk=statement.pk)
    if not statement_roles(actor, statement.edition).is_committee:
        raise PermissionRefusedError(_("Only the drafting committee can write a version."))
    if locked.state not in WRITABLE_STATES:
        raise ActionRefusedError(
            _("A new version can be written only while drafting or once comments are closed.")
        )
    blocks = parse_source(source)
    paragraphs = [b for b in blocks if b.kind == "paragraph"]
    existing = _checked_paragraphs(locked, paragraphs)
    amendments = _amendments_to_take(locked, taken_amendment_ids)

    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = StatementVersion.objects.create(
        statement=locked, number=number, note=note.strip(), created_by=actor
    )
    _create_new_paragraphs(locked, version, paragraphs, existing)
    section_of_block = _create_sections(version, blocks)
    ParagraphText.objects.bulk_create(
        ParagraphText(
            version=version,
            paragraph=existing[block.key],
            section=section,
            position=index,
            number=index,
            text=block.text,
        )
        for index, (block, section) in enumerate(
            zip(paragraphs, section_of_block, strict=True), start=1
        )
    )
    if amendments:
        Amendment.objects.filter(pk__in=[a.pk for a in amendments]).update(taken_into=version)
    return version


def _checked_paragraphs(statement: Statement, paragraphs: list) -> dict[int, Paragraph]:
    """The statement's paragraphs named by key in the text, after checking the text's paragraphs:
    at least one, not too many nor too long, each key once and of this statement."""
    if not paragraphs:
        raise ActionRefusedError(_("The text has no paragraph."))
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise ActionRefusedError(_("The text has too many paragraphs."))
    if any(len(block.text) > PARAGRAPH_MAX_LENGTH for block in paragraphs):
        raise ActionRefusedError(_("A paragraph is too long."))
    keys = [b.key for b in paragraphs if b.key is not None]
    if len(keys) != len(set(keys)):
        raise ActionRefusedError(_("Each paragraph key may appear only once."))
    existing = {p.key: p for p in Paragraph.objects.filter(statement=statement, key__in=keys)}
    unknown = sorted(set(keys) - set(existing))
    if unknown:
        raise ActionRefusedError(
            _("This statement has no paragraph %(keys)s.")
            % {"keys": ", ".join(f"[{k}]" for k in unknown)}
        )
    return existing


def _amendments_to_take(
    statement: Statement, taken_amendment_ids: list[int] | tuple[int, ...]
) -> list[Amendment]:
    amendments = list(
        Amendment.objects.filter(
            statement=statement,
            pk__in=list(taken_amendment_ids),
            status__in=[AmendmentStatus.ACCEPTED, AmendmentStatus.ACCEPTED_IN_PART],
            taken_into__isnull=True,
        )
    )
    if len(amendments) != len(set(taken_amendment_ids)):
        raise ActionRefusedError(
            _("Only accepted amendments of this statement not yet taken in can be taken in.")
        )
    return amendments


def _create_new_paragraphs(
    statement: Statement,
    version: StatementVersion,
    paragraphs: list,
    existing: dict[int, Paragraph],
) -> None:
    """Give each paragraph without a key the next free key, create it, and add it to `existing`."""
    next_key = (Paragraph.objects.filter(statement=statement).aggregate(k=Max("key"))["k"] or 0) + 1
    new_paragraphs = []
    for block in paragraphs:
        if block.key is None:
            paragraph = Paragraph(statement=statement, key=next_key, created_in=version)
            next_key += 1
            new_paragraphs.append(paragraph)
            existing[paragraph.key] = paragraph
            block.key = paragraph.key
    Paragraph.objects.bulk_create(new_paragraphs)
    if any(p.pk is None for p in new_paragraphs):  # backends without RETURNING
        fetched = {
            p.key: p for p in Paragraph.objects.filter(statement=statement, created_in=version)
        }
        existing.update(fetched)


def _create_sections(version: StatementVersion, blocks: list) -> list[Section | None]:
    """Create the version's sections; return the section of each paragraph, in order."""
    sections = []
    section_of_block: list[Section | None] = []
    current = None
    for block in blocks:
        if block.kind == "section":
            current = Section(version=version, position=len(sections) + 1, heading=block.text)
            sections.append(current)
        else:
            section_of_block.append(current)
    Section.objects.bulk_create(sections)
    if sections and sections[0].pk is None:
        by_position = {s.position: s for s in version.sections.all()}
        section_of_block = [by_position[s.position] if s else None for s in section_of_block]
    return section_of_block
