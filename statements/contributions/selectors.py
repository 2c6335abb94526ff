"""Every comment and amendment of a statement on one page, filtered and sorted as a delegate
asks: by paragraph, by kind, by the committee's answer; newest, oldest, most supported or in the
order of the text. A constant number of queries whatever the size of the discussion."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from statements.diff import amendment_diff
from statements.enums import AmendmentKind, AmendmentStatus
from statements.models import (
    Amendment,
    AmendmentSupport,
    Comment,
    CommentSupport,
    ParagraphText,
    Statement,
    StatementVersion,
)

GENERAL = "general"
SORTS = ("newest", "oldest", "supported", "paragraph")
KINDS = ("comments", "amendments")


@dataclass
class Contribution:
    """A top-level comment or an amendment as the overview shows it."""

    kind: str  # "comment" or "amendment"
    item: Comment | Amendment
    paragraph_text: ParagraphText | None  # the paragraph it concerns, in its own version
    support_count: int
    supported_by_me: bool

    @property
    def created_at(self):
        return self.item.created_at


def paragraph_choices(version: StatementVersion) -> list[ParagraphText]:
    """The paragraphs of `version` in order, each with its label. One query."""
    return list(
        ParagraphText.objects.filter(version=version)
        .select_related("paragraph", "version")
        .order_by("position")
    )


def contributions(
    statement: Statement,
    *,
    current_texts: list[ParagraphText],
    user,
    include_hidden: bool,
    paragraph: str = "",
    kind: str = "",
    answer: str = "",
    sort: str = "newest",
) -> list[Contribution]:
    """The top-level comments (with `reply_count`) and the amendments not withdrawn of
    `statement`, filtered (`paragraph`: a key or GENERAL; `kind`: one of KINDS; `answer`: an
    amendment status, which leaves comments out) and sorted (one of SORTS; "paragraph" follows
    `current_texts`, the paragraphs of the version the person reads). Three queries."""
    want_comments = kind != "amendments" and not answer
    want_amendments = kind != "comments"
    me = user.pk or 0
    items: list[Contribution] = []
    comments: list[Comment] = []
    amendments: list[Amendment] = []
    if want_comments:
        qs = Comment.objects.filter(statement=statement, parent=None, withdrawn_at=None)
        if not include_hidden:
            qs = qs.filter(hidden_at=None)
        if paragraph == GENERAL:
            qs = qs.filter(paragraph=None)
        elif paragraph:
            qs = qs.filter(paragraph__key=paragraph)
        comments = list(
            qs.select_related("author", "paragraph", "version").annotate(
                support_count=Count("supports", distinct=True),
                reply_count=Count(
                    "replies",
                    filter=Q(replies__withdrawn_at=None, replies__hidden_at=None),
                    distinct=True,
                ),
                supported_by_me=Exists(
                    CommentSupport.objects.filter(comment=OuterRef("pk"), user_id=me)
                ),
            )
        )
    if want_amendments:
        amendment_qs = Amendment.objects.filter(statement=statement).exclude(
            status=AmendmentStatus.WITHDRAWN
        )
        if answer:
            amendment_qs = amendment_qs.filter(status=answer)
        if paragraph == GENERAL:
            amendment_qs = amendment_qs.filter(paragraph=None, after_paragraph=None)
        elif paragraph:
            amendment_qs = amendment_qs.filter(
                Q(paragraph__key=paragraph) | Q(after_paragraph__key=paragraph)
            )
        amendments = list(
            amendment_qs.select_related(
                "author", "paragraph", "after_paragraph", "taken_into"
            ).annotate(
                support_count=Count("supports"),
                supported_by_me=Exists(
                    AmendmentSupport.objects.filter(amendment=OuterRef("pk"), user_id=me)
                ),
            )
        )
    texts = _texts_of(
        {(c.version_id, c.paragraph_id) for c in comments if c.paragraph_id}
        | {(a.version_id, a.paragraph_id or a.after_paragraph_id) for a in amendments}
    )
    for comment in comments:
        items.append(
            Contribution(
                "comment",
                comment,
                texts.get((comment.version_id, comment.paragraph_id)),
                comment.support_count,
                comment.supported_by_me,
            )
        )
    for amendment in amendments:
        target = texts.get(
            (amendment.version_id, amendment.paragraph_id or amendment.after_paragraph_id)
        )
        amendment.amended_text = target
        replaced = target if amendment.kind == AmendmentKind.REPLACE else None
        amendment.diff = amendment_diff(replaced.text if replaced else None, amendment.text)
        items.append(
            Contribution(
                "amendment",
                amendment,
                target,
                amendment.support_count,
                amendment.supported_by_me,
            )
        )
    return _sorted(items, sort, current_texts)


def _texts_of(pairs: set) -> dict:
    pairs = {(v, p) for v, p in pairs if p is not None}
    if not pairs:
        return {}
    return {
        (t.version_id, t.paragraph_id): t
        for t in ParagraphText.objects.filter(
            version_id__in={v for v, _p in pairs}, paragraph_id__in={p for _v, p in pairs}
        ).select_related("version", "paragraph")
    }


def _sorted(items: list[Contribution], sort: str, current_texts: list[ParagraphText]) -> list:
    by_age = sorted(items, key=lambda c: (c.created_at, c.kind, c.item.pk))
    if sort == "oldest":
        return by_age
    newest = list(reversed(by_age))
    if sort == "supported":
        return sorted(newest, key=lambda c: -c.support_count)
    if sort == "paragraph":
        position = {t.paragraph_id: t.position for t in current_texts}
        beyond = len(position) + 1

        def place(c: Contribution) -> int:
            if c.paragraph_text is None:
                return 0  # the whole text, or a new paragraph at the start
            return position.get(c.paragraph_text.paragraph_id, beyond)

        return sorted(by_age, key=place)
    return newest
