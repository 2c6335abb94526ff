"""Factories for the statement of commitment: a statement with a version of numbered
paragraphs, delegates and committee members, comments and amendments."""

import datetime

import factory
from django.utils import timezone

from forum.enums import EditionRoleKind
from forum.services import grant_edition_role
from statements.enums import AmendmentKind, StatementState
from statements.models import Amendment, Comment, Statement, StatementVersion
from statements.services.versions import create_version
from tests.factories import UserFactory


def person_with_role(edition, role: str, **kwargs):
    user = UserFactory(**kwargs)
    grant_edition_role(edition=edition, user=user, role=role)
    return user


def delegate(edition, **kwargs):
    return person_with_role(edition, EditionRoleKind.DELEGATE, **kwargs)


def committee_member(edition, **kwargs):
    return person_with_role(edition, EditionRoleKind.DRAFTING_COMMITTEE, **kwargs)


def moderator(edition, **kwargs):
    return person_with_role(edition, EditionRoleKind.MODERATOR, **kwargs)


def source_text(paragraphs: int, *, sections: int = 1, keys: bool = False) -> str:
    """A version's text with `paragraphs` paragraphs spread over `sections` sections."""
    per_section = max(1, -(-paragraphs // sections))
    parts = []
    for index in range(paragraphs):
        if index % per_section == 0:
            parts.append(f"# Section {index // per_section + 1}")
        prefix = f"[{index + 1}] " if keys else ""
        parts.append(f"{prefix}We commit to paragraph {index + 1} of the solidarity economy.")
    return "\n\n".join(parts)


def make_statement(
    edition,
    *,
    paragraphs: int = 3,
    state: str = StatementState.OPEN,
    show_draft_publicly: bool = False,
    author=None,
) -> Statement:
    """A statement of `edition` with version 1, moved straight to `state` (no transition log:
    tests of the workflow go through the service)."""
    author = author or committee_member(edition)
    # The demo data holds Tokyo's statement (one per edition): a test's own replaces it.
    Statement.objects.filter(edition=edition).delete()
    statement = Statement.objects.create(
        edition=edition,
        title="Tokyo Statement of Commitment",
        state=StatementState.DRAFTING,
        created_by=author,
        show_draft_publicly=show_draft_publicly,
    )
    version = create_version(statement=statement, actor=author, source=source_text(paragraphs))
    fields = {"state": state}
    if state != StatementState.DRAFTING:
        StatementVersion.objects.filter(pk=version.pk).update(published_at=timezone.now())
    if state == StatementState.OPEN:
        fields["comment_deadline"] = timezone.now() + datetime.timedelta(days=2)
    if state in (StatementState.ADOPTED, StatementState.SIGN_ON, StatementState.CLOSED):
        fields.update(adopted_on=datetime.date(2009, 11, 10), adopted_at_place="Tokyo")
    Statement.objects.filter(pk=statement.pk).update(**fields)
    statement.refresh_from_db()
    return statement


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    body = factory.Sequence(lambda n: f"Comment {n}: the text should say more about care work.")


class AmendmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Amendment

    kind = AmendmentKind.REPLACE
    text = factory.Sequence(lambda n: f"Amended wording {n}.")
    rationale = "Clearer."
