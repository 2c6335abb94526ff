"""Read queries of sign-on: the signatories of an adopted statement and their counts.

Each function runs a constant number of queries, whatever the number of paragraphs,
comments, amendments and signatories.
"""

from collections import Counter
from dataclasses import dataclass, field

from django_countries import countries

from forum.enums import OrganizationKind
from statements.enums import SignatoryKind, StatementState
from statements.models import Signatory, Statement

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
