"""Read queries of the statement's public side and outputs: the signatories and their counts,
the plenary view, the committee's CSV and comment matrix.

Each function runs a constant number of queries, whatever the number of paragraphs,
comments, amendments and signatories.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django_countries import countries

from forum.enums import OrganizationKind
from statements.enums import AmendmentStatus, SignatoryKind, StatementState
from statements.models import Amendment, Comment, ParagraphText, Signatory, Statement
from statements.selectors import StatementRoles

SIGN_ON_STATES = (StatementState.SIGN_ON,)
LISTED_STATES = (StatementState.ADOPTED, StatementState.SIGN_ON, StatementState.CLOSED)


@dataclass
class CountRow:
    code: str
    label: str
    count: int


@dataclass
class SignatorySummary:
    """The confirmed signatories of a statement, and how many there are by country and kind."""

    organizations: list[Signatory] = field(default_factory=list)
    people: list[Signatory] = field(default_factory=list)
    by_country: list[CountRow] = field(default_factory=list)
    by_kind: list[CountRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.organizations) + len(self.people)


def confirmed_signatories(statement: Statement):
    return Signatory.objects.filter(statement=statement, email_confirmed_at__isnull=False).order_by(
        "name", "pk"
    )


def signatory_summary(statement: Statement) -> SignatorySummary:
    """The confirmed signatories, organizations then people by name, and their counts by
    country (most first, then by name) and by kind of organization (organizations only).
    One query; the email address and token are never loaded."""
    rows = list(
        confirmed_signatories(statement).only(
            "pk",
            "kind",
            "name",
            "name_native",
            "native_language",
            "affiliation",
            "country",
            "organization_kind",
        )
    )
    summary = SignatorySummary()
    for row in rows:
        if row.kind == SignatoryKind.ORGANIZATION:
            summary.organizations.append(row)
        else:
            summary.people.append(row)
    country_counts = Counter(str(row.country.code) for row in rows if row.country)
    summary.by_country = sorted(
        (CountRow(code, str(countries.name(code)), n) for code, n in country_counts.items()),
        key=lambda row: (-row.count, row.label),
    )
    labels = dict(OrganizationKind.choices)
    kind_counts = Counter(
        row.organization_kind for row in summary.organizations if row.organization_kind
    )
    summary.by_kind = sorted(
        (CountRow(code, str(labels.get(code, code)), n) for code, n in kind_counts.items()),
        key=lambda row: (-row.count, row.label),
    )
    return summary


def is_open_for_sign_on(statement: Statement) -> bool:
    return statement.state in SIGN_ON_STATES


def lists_signatories(statement: Statement) -> bool:
    return statement.state in LISTED_STATES


def signatory_by_token(token: str) -> Signatory | None:
    if not token or len(token) > 64:
        return None
    return Signatory.objects.select_related("statement__edition").filter(token=token).first()


def signatory_with_email(statement: Statement, email: str) -> Signatory | None:
    return (
        Signatory.objects.filter(statement=statement, email__iexact=email.strip())
        .order_by("-email_confirmed_at", "pk")
        .first()
    )


# --- The committee's exports ----------------------------------------------------------------


@dataclass
class MatrixRow:
    """One paragraph of the comment matrix (or the whole text, or new paragraphs after it)."""

    key: int | None
    number: int | None
    text: str
    comments: list[Comment] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)


def export_comments(statement: Statement) -> list[Comment]:
    """Every comment of `statement` (hidden and withdrawn ones too, marked), by paragraph then
    time. One query."""
    return list(
        Comment.objects.filter(statement=statement)
        .select_related("author", "paragraph", "version", "parent")
        .order_by("paragraph__key", "created_at", "pk")
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
        .order_by("paragraph__key", "after_paragraph__key", "created_at", "pk")
    )


def comment_matrix(statement: Statement, version) -> list[MatrixRow]:
    """The comment matrix: the whole text first, then each paragraph of `version` in order
    with its comments (visible, not withdrawn) and its amendments (not withdrawn, with the
    committee's answer); new-paragraph amendments sit with the paragraph they follow, and
    paragraphs deleted from `version` that gathered comments come last. Three queries."""
    texts = list(
        ParagraphText.objects.filter(version=version)
        .select_related("paragraph")
        .order_by("position")
    )
    comments = list(
        Comment.objects.filter(statement=statement, withdrawn_at=None, hidden_at=None)
        .select_related("author")
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
    keys = {c.paragraph_id: c.paragraph for c in comments if c.paragraph_id}
    keys.update({a.paragraph_id: a.paragraph for a in amendments if a.paragraph_id})
    keys.update(
        {a.after_paragraph_id: a.after_paragraph for a in amendments if a.after_paragraph_id}
    )
    for paragraph_id in sorted(leftover, key=lambda pk: keys[pk].key):
        row = leftover[paragraph_id]
        row.key = keys[paragraph_id].key
        rows.append(row)
    return rows


def may_export(roles: StatementRoles) -> bool:
    """The committee's exports: the drafting committee and the organizers of the edition."""
    return roles.is_committee
