"""Read queries of the statement's public side and outputs: the signatories and their counts,
the plenary view, the committee's CSV and comment matrix.

Each function runs a constant number of queries, whatever the number of paragraphs,
comments, amendments and signatories.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F
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


@dataclass(frozen=True)
class ListedSignatory:
    """What the public list shows of a signatory (never its email address)."""

    name: str
    name_native: str
    native_language: str
    affiliation: str
    country: str
    country_name: str
    organization_kind: str
    kind_label: str


@dataclass
class SignatorySummary:
    """The confirmed signatories of a statement, and how many there are by country and kind."""

    organizations: list[ListedSignatory] = field(default_factory=list)
    people: list[ListedSignatory] = field(default_factory=list)
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
    One query, of plain values: the list may hold thousands of names."""
    rows = confirmed_signatories(statement).values_list(
        "kind",
        "name",
        "name_native",
        "native_language",
        "affiliation",
        "country",
        "organization_kind",
    )
    kind_labels = {code: str(label) for code, label in OrganizationKind.choices}
    country_names: dict[str, str] = {}
    summary = SignatorySummary()
    country_counts: Counter = Counter()
    kind_counts: Counter = Counter()
    for kind, name, native, language, affiliation, country, organization_kind in rows:
        if country not in country_names:
            country_names[country] = str(countries.name(country)) if country else ""
        listed = ListedSignatory(
            name=name,
            name_native=native,
            native_language=language,
            affiliation=affiliation,
            country=country,
            country_name=country_names[country],
            organization_kind=organization_kind,
            kind_label=kind_labels.get(organization_kind, organization_kind),
        )
        if country:
            country_counts[country] += 1
        if kind == SignatoryKind.ORGANIZATION:
            summary.organizations.append(listed)
            if organization_kind:
                kind_counts[organization_kind] += 1
        else:
            summary.people.append(listed)
    summary.by_country = sorted(
        (CountRow(code, country_names[code], n) for code, n in country_counts.items()),
        key=lambda row: (-row.count, row.label),
    )
    summary.by_kind = sorted(
        (CountRow(code, kind_labels.get(code, code), n) for code, n in kind_counts.items()),
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
    paragraphs deleted from `version` that gathered comments come last. Three queries."""
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
    for paragraph_id in sorted(leftover, key=lambda pk: keys[pk].key):
        row = leftover[paragraph_id]
        row.key = keys[paragraph_id].key
        rows.append(row)
    return rows


def may_export(roles: StatementRoles) -> bool:
    """The committee's exports: the drafting committee and the organizers of the edition."""
    return roles.is_committee
