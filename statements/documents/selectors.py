"""Read queries of the statement's outputs: the committee's CSV and comment matrix.

Each function runs a constant number of queries, whatever the number of paragraphs,
comments and amendments.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F

from statements.enums import AmendmentStatus
from statements.models import Amendment, Comment, ParagraphText, Statement
from statements.selectors import StatementRoles


@dataclass
class MatrixRow:
    """One paragraph of the comment matrix (or the whole text, or new paragraphs after it)."""

    key: int | None
    number: int | None
    text: str
    # A paragraph left out of the version: how the version nearest before it named it.
    label: str = ""
    comments: list[Comment] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)


def export_comments(statement: Statement) -> list[Comment]:
    """Every comment of `statement` (hidden and withdrawn ones too, marked), the whole text
    first, then by paragraph and time (the same on every database). One query."""
    return list(
        Comment.objects.filter(statement=statement)
        .select_related("author", "paragraph", "version", "parent")
        .order_by(F("paragraph__key").asc(nulls_first=True), "created_at", "pk")
    )


def export_amendments(statement: Statement) -> list[Amendment]:
    """Every amendment of `statement` with its support count, by paragraph then time. One
    query."""
    return list(
        Amendment.objects.filter(statement=statement)
        .select_related(
            "author", "paragraph", "after_paragraph", "version", "answered_by", "taken_into"
        )
        .annotate(support_count=Count("supports"))
        .order_by(
            F("paragraph__key").asc(nulls_first=True),
            F("after_paragraph__key").asc(nulls_first=True),
            "created_at",
            "pk",
        )
    )


def comment_matrix(statement: Statement, version) -> list[MatrixRow]:
    """The comment matrix: the whole text first, then each paragraph of `version` in order
    with its comments (visible, not withdrawn) and its amendments (not withdrawn, with the
    committee's answer); new-paragraph amendments sit with the paragraph they follow, and
    paragraphs deleted from `version` that gathered comments come last, named as in the last
    version that had them. Three queries, a fourth when a deleted paragraph is discussed."""
    texts = list(
        ParagraphText.objects.filter(version=version)
        .select_related("paragraph")
        .order_by("position")
    )
    comments = list(
        Comment.objects.filter(statement=statement, withdrawn_at=None, hidden_at=None)
        .select_related("author", "paragraph")
        .order_by("created_at", "pk")
    )
    amendments = list(
        Amendment.objects.filter(statement=statement)
        .exclude(status=AmendmentStatus.WITHDRAWN)
        .select_related("author", "paragraph", "after_paragraph")
        .annotate(support_count=Count("supports"))
        .order_by("created_at", "pk")
    )
    comments_by = defaultdict(list)
    for comment in comments:
        comments_by[comment.paragraph_id].append(comment)
    amendments_by = defaultdict(list)
    for amendment in amendments:
        amendments_by[amendment.paragraph_id or amendment.after_paragraph_id].append(amendment)

    rows = [
        MatrixRow(
            key=None,
            number=None,
            text="",
            comments=comments_by.pop(None, []),
            amendments=amendments_by.pop(None, []),
        )
    ]
    for text in texts:
        rows.append(
            MatrixRow(
                key=text.paragraph.key,
                number=text.number,
                text=text.text,
                comments=comments_by.pop(text.paragraph_id, []),
                amendments=amendments_by.pop(text.paragraph_id, []),
            )
        )
    # Paragraphs deleted in `version` keep their discussion, at the end by key.
    leftover = defaultdict(lambda: MatrixRow(key=None, number=None, text=""))
    for paragraph_id, items in comments_by.items():
        leftover[paragraph_id].comments = items
    for paragraph_id, items in amendments_by.items():
        leftover[paragraph_id].amendments = items
    keys = {}
    for row in leftover.values():
        for item in row.comments + row.amendments:
            for paragraph in (item.paragraph, getattr(item, "after_paragraph", None)):
                if paragraph is not None:
                    keys[paragraph.pk] = paragraph
    # Named by the latest earlier version that has the paragraph, else the first later one.
    named: dict[int, ParagraphText] = {}
    if leftover:
        for text in (
            ParagraphText.objects.filter(paragraph_id__in=list(leftover))
            .exclude(version=version)
            .select_related("version")
            .order_by("version__number")
        ):
            known = named.get(text.paragraph_id)
            if known is None or text.version.number < version.number:
                named[text.paragraph_id] = text
    for paragraph_id in sorted(leftover, key=lambda pk: keys[pk].key):
        row = leftover[paragraph_id]
        row.key = keys[paragraph_id].key
        if paragraph_id in named:
            row.label = named[paragraph_id].label
        rows.append(row)
    return rows


def may_export(roles: StatementRoles) -> bool:
    """The committee's exports: the drafting committee and the organizers of the edition."""
    return roles.is_committee


def printed_numbers(items: list) -> dict[tuple[int, int], int]:
    """The number each (version, paragraph) pair of `items` is printed with: a paragraph is
    named by its number in the version it was discussed on, as on every page, never by its
    key. One query."""
    pairs = {
        (item.version_id, paragraph_id)
        for item in items
        for paragraph_id in (item.paragraph_id, getattr(item, "after_paragraph_id", None))
        if paragraph_id is not None
    }
    if not pairs:
        return {}
    return {
        (text.version_id, text.paragraph_id): text.number
        for text in ParagraphText.objects.filter(
            version_id__in={v for v, _p in pairs}, paragraph_id__in={p for _v, p in pairs}
        ).only("version_id", "paragraph_id", "number")
    }
