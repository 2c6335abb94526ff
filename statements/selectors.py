"""Read queries of the statement of commitment: who may do what, and what each page shows.

Every page reads through one function here with its joins, so that it runs a constant number of
queries whatever the number of paragraphs, comments and amendments.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from forum.enums import EditionRoleKind
from forum.models import Edition, EditionRole
from registration.delegates import delegate_registrations, mail_languages
from statements.diff import amendment_diff
from statements.enums import AmendmentKind, AmendmentStatus, StatementState
from statements.models import (
    Amendment,
    AmendmentSupport,
    Comment,
    CommentSupport,
    ModerationLog,
    Paragraph,
    ParagraphText,
    Report,
    Section,
    Statement,
    StatementVersion,
    TransitionLog,
)

COMMITTEE_ROLES = (EditionRoleKind.DRAFTING_COMMITTEE, EditionRoleKind.ORGANIZER)
MODERATOR_ROLES = (EditionRoleKind.MODERATOR, EditionRoleKind.ORGANIZER)


@dataclass(frozen=True)
class StatementRoles:
    """What a person may do with one edition's statement."""

    is_authenticated: bool = False
    is_delegate: bool = False
    is_committee: bool = False
    is_moderator: bool = False

    @property
    def may_participate(self) -> bool:
        """Comment, reply, propose and support amendments, report comments."""
        return self.is_delegate or self.is_committee

    @property
    def may_read_discussion(self) -> bool:
        return self.is_delegate or self.is_committee or self.is_moderator


def _drafting_registrations(edition: Edition) -> QuerySet:
    """The confirmed registrations of `edition` whose ticket type allows drafting."""
    return delegate_registrations(edition)


def _has_drafting_registration(user, edition: Edition) -> bool:
    return _drafting_registrations(edition).filter(user=user).exists()


def statement_roles(user, edition: Edition) -> StatementRoles:
    """The roles of `user` for `edition`'s statement, in one query (two for a delegate by
    registration). Superusers hold every role; organizers sit on the committee and moderate."""
    if not user.is_authenticated or not user.is_active:
        return StatementRoles()
    if user.is_superuser:
        return StatementRoles(True, True, True, True)
    roles = set(
        EditionRole.objects.filter(user=user, edition=edition).values_list("role", flat=True)
    )
    is_committee = bool(roles & set(COMMITTEE_ROLES))
    is_delegate = EditionRoleKind.DELEGATE in roles or _has_drafting_registration(user, edition)
    return StatementRoles(
        is_authenticated=True,
        is_delegate=is_delegate,
        is_committee=is_committee,
        is_moderator=bool(roles & set(MODERATOR_ROLES)),
    )


def is_delegate(user, edition: Edition) -> bool:
    """True when `user` takes part in drafting `edition`'s statement: the delegate role, or a
    confirmed registration whose ticket type allows drafting."""
    return statement_roles(user, edition).is_delegate


def delegates_of(edition: Edition):
    """The active people who are delegates of `edition` (role or registration)."""
    from django.contrib.auth import get_user_model

    condition = Q(
        edition_roles__edition=edition,
        edition_roles__role__in=[EditionRoleKind.DELEGATE, *COMMITTEE_ROLES],
    )
    condition |= Q(pk__in=_drafting_registrations(edition).values("user"))
    return get_user_model().objects.filter(condition, is_active=True).distinct().order_by("pk")


def recipient_languages(user_ids, edition: Edition) -> dict[int, str]:
    """The language each person's statement mail is written in (their registration's). One
    query."""
    return mail_languages(user_ids, edition)


def statement_for_edition(edition: Edition) -> Statement | None:
    return (
        Statement.objects.select_related("edition", "plenary_paragraph")
        .filter(edition=edition)
        .first()
    )


def visible_version(statement: Statement, roles: StatementRoles) -> StatementVersion | None:
    """The version `roles` may read: the committee reads the latest, delegates and moderators the
    latest published one, the public the adopted one (or the open draft when the committee shows
    it)."""
    versions = statement.versions.order_by("-number")
    if roles.is_committee:
        return versions.first()
    published = versions.filter(published_at__isnull=False)
    if roles.may_read_discussion:
        return published.first()
    if statement.is_frozen:
        return published.first()
    if statement.show_draft_publicly and statement.state in (
        StatementState.OPEN,
        StatementState.COMMENTS_CLOSED,
    ):
        return published.first()
    return None


def readable_versions(statement: Statement, roles: StatementRoles) -> list[StatementVersion]:
    """The versions `roles` may compare, oldest first."""
    versions = statement.versions.order_by("number")
    if not roles.is_committee:
        versions = versions.filter(published_at__isnull=False)
    latest = visible_version(statement, roles)
    if latest is None:
        return []
    return list(versions.filter(number__lte=latest.number))


@dataclass
class TextBlock:
    """A paragraph of a version as a page shows it."""

    text: ParagraphText
    section: Section | None
    starts_section: bool
    comment_count: int = 0
    amendment_count: int = 0
    # Set by statements.translations.selectors.read_in_language: the paragraph and heading as read.
    shown: object = None
    heading: str = ""
    heading_language: str = ""


@dataclass
class VersionText:
    version: StatementVersion
    blocks: list[TextBlock] = field(default_factory=list)
    general_comment_count: int = 0


def version_text(
    version: StatementVersion, *, with_counts: bool = False, include_hidden: bool = False
) -> VersionText:
    """The paragraphs of `version` in order, with their sections, and (`with_counts`) how many
    comments and amendments each paragraph has gathered across versions. 2 to 4 queries."""
    texts = list(
        ParagraphText.objects.filter(version=version)
        .select_related("paragraph", "section")
        .order_by("position")
    )
    comment_counts: Counter = Counter()
    amendment_counts: Counter = Counter()
    if with_counts:
        comments = Comment.objects.filter(statement_id=version.statement_id, withdrawn_at=None)
        if not include_hidden:
            comments = comments.filter(hidden_at=None)
        comment_counts = Counter(
            dict(
                comments.values_list("paragraph_id")
                .annotate(n=Count("pk"))
                .values_list("paragraph_id", "n")
            )
        )
        amendment_counts = Counter(
            dict(
                Amendment.objects.filter(statement_id=version.statement_id, paragraph__isnull=False)
                .exclude(status=AmendmentStatus.WITHDRAWN)
                .values_list("paragraph_id")
                .annotate(n=Count("pk"))
                .values_list("paragraph_id", "n")
            )
        )
    result = VersionText(version=version, general_comment_count=comment_counts.get(None, 0))
    previous_section = None
    for text in texts:
        result.blocks.append(
            TextBlock(
                text=text,
                section=text.section,
                starts_section=text.section_id is not None and text.section_id != previous_section,
                comment_count=comment_counts.get(text.paragraph_id, 0),
                amendment_count=amendment_counts.get(text.paragraph_id, 0),
            )
        )
        previous_section = text.section_id
    return result


def paragraph_in_version(
    statement: Statement, version: StatementVersion, key: int
) -> ParagraphText | None:
    """The text of paragraph `key` of `statement` in `version` (None: no such paragraph there)."""
    return (
        ParagraphText.objects.select_related("paragraph", "section", "version")
        .filter(version=version, paragraph__statement=statement, paragraph__key=key)
        .first()
    )


def thread_comments(
    statement: Statement, *, paragraph: Paragraph | None, user, roles: StatementRoles
) -> list[Comment]:
    """The comments on `paragraph` (the whole text when None), top-level first with their
    replies in `.thread_replies`. Hidden comments reach only their author and the moderators
    (marked); others see a placeholder. Two queries."""
    comments = list(
        Comment.objects.filter(statement=statement, paragraph=paragraph)
        .select_related("author", "version", "hidden_by")
        .annotate(
            reported_by_me=Exists(
                Report.objects.filter(comment=OuterRef("pk"), reporter_id=user.pk or 0)
            ),
            support_count=Count("supports"),
            supported_by_me=Exists(
                CommentSupport.objects.filter(comment=OuterRef("pk"), user_id=user.pk or 0)
            ),
        )
        .order_by("created_at", "pk")
    )
    by_id = {c.pk: c for c in comments}
    top = []
    for comment in comments:
        comment.thread_replies = []
        comment.body_visible = not comment.is_withdrawn and (
            not comment.is_hidden or roles.is_moderator or comment.author_id == user.pk
        )
    for comment in comments:
        parent = by_id.get(comment.parent_id)
        if parent is not None:
            parent.thread_replies.append(comment)
        else:
            top.append(comment)
    return top


def amendments_for(
    statement: Statement, *, user, paragraph: Paragraph | None = None, new_only: bool = False
) -> list[Amendment]:
    """Amendments of `statement` (to `paragraph`, or the new paragraphs) with their support
    counts and whether `user` supports them. One query."""
    qs = (
        Amendment.objects.filter(statement=statement)
        .select_related("author", "paragraph", "after_paragraph", "taken_into", "version")
        .annotate(
            support_count=Count("supports"),
            supported_by_me=Exists(
                AmendmentSupport.objects.filter(amendment=OuterRef("pk"), user_id=user.pk or 0)
            ),
        )
        .order_by("created_at", "pk")
    )
    if paragraph is not None:
        qs = qs.filter(paragraph=paragraph)
    if new_only:
        qs = qs.filter(paragraph__isnull=True)
    return with_amended_texts(list(qs))


def with_amended_texts(amendments: list[Amendment]) -> list[Amendment]:
    """Give each amendment `amended_text`, the text (with its label) of the paragraph it changes,
    or follows for a new paragraph, in the version it was proposed on (None: a new paragraph at
    the start), and `diff`, its proposal against that text with words marked. One query."""
    pairs = {(a.version_id, a.paragraph_id or a.after_paragraph_id) for a in amendments}
    texts = {}
    if amendments:
        texts = {
            (t.version_id, t.paragraph_id): t
            for t in ParagraphText.objects.filter(
                version_id__in={v for v, _p in pairs},
                paragraph_id__in={p for _v, p in pairs if p is not None},
            ).select_related("version")
        }
    for amendment in amendments:
        target = amendment.paragraph_id or amendment.after_paragraph_id
        amendment.amended_text = texts.get((amendment.version_id, target))
        replaced = amendment.amended_text if amendment.kind == AmendmentKind.REPLACE else None
        amendment.diff = amendment_diff(replaced.text if replaced else None, amendment.text)
    return amendments


def response_table(statement: Statement) -> list[Amendment]:
    """Every amendment not withdrawn with the committee's answer, ordered by the paragraph it
    concerns (new paragraphs by the paragraph they follow), each with its diff. Two queries."""
    return with_amended_texts(
        list(
            Amendment.objects.filter(statement=statement)
            .exclude(status=AmendmentStatus.WITHDRAWN)
            .select_related("author", "paragraph", "after_paragraph", "taken_into")
            .annotate(support_count=Count("supports"))
            .order_by("paragraph__key", "after_paragraph__key", "created_at", "pk")
        )
    )


def pending_amendments(statement: Statement) -> QuerySet[Amendment]:
    return (
        Amendment.objects.filter(statement=statement, status=AmendmentStatus.PENDING)
        .select_related("author", "paragraph", "after_paragraph")
        .annotate(support_count=Count("supports"))
        .order_by("paragraph__key", "created_at")
    )


def answered_amendments_to_take(statement: Statement) -> QuerySet[Amendment]:
    """Accepted amendments not yet taken into a version (the committee ticks them in a new
    version)."""
    return Amendment.objects.filter(
        statement=statement,
        status__in=[AmendmentStatus.ACCEPTED, AmendmentStatus.ACCEPTED_IN_PART],
        taken_into__isnull=True,
    ).select_related("paragraph", "after_paragraph")


def open_reports(statement: Statement) -> QuerySet[Report]:
    return (
        Report.objects.filter(comment__statement=statement, status="open")
        .select_related("comment", "comment__author", "reporter", "comment__paragraph")
        .order_by("created_at")
    )


def hidden_comments(statement: Statement) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(statement=statement, hidden_at__isnull=False)
        .select_related("author", "hidden_by", "paragraph")
        .order_by("-hidden_at")
    )


def comment_of_statement(statement: Statement, pk: int) -> Comment | None:
    return Comment.objects.select_related("author").filter(statement=statement, pk=pk).first()


def amendment_of_statement(statement: Statement, pk: int) -> Amendment | None:
    return (
        Amendment.objects.select_related("author", "paragraph", "after_paragraph")
        .filter(statement=statement, pk=pk)
        .first()
    )


def report_of_statement(statement: Statement, pk: int) -> Report | None:
    return (
        Report.objects.select_related("comment").filter(comment__statement=statement, pk=pk).first()
    )


def moderation_log(statement: Statement, limit: int = 100) -> list[ModerationLog]:
    return list(
        ModerationLog.objects.filter(statement=statement)
        .select_related("actor", "comment")
        .order_by("-at", "-pk")[:limit]
    )


def transition_log(statement: Statement) -> list[TransitionLog]:
    return list(
        TransitionLog.objects.filter(statement=statement)
        .select_related("actor", "version")
        .order_by("-at", "-pk")
    )
