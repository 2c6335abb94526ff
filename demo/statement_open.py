"""The demo draft statement of AFSE 2011 Malaysia, open for comments, so that every delegate's
journey can be tried on the demo: comment, reply, propose and support amendments, the
committee's answers, then (by the committee) closing, a new version, adoption and sign-on.

Tokyo's statement (demo/statement.py) stays the adopted archive. The comment period ends some
weeks after the demo is built (relative to now), so the draft is open whenever the demo is
fresh. Found again by the edition, so running it twice changes nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from demo.statement import _people
from forum.models import Edition
from statements.enums import AmendmentKind, AmendmentStatus, StatementState
from statements.models import (
    Amendment,
    AmendmentSupport,
    Comment,
    Paragraph,
    Statement,
    StatementVersion,
    TransitionLog,
)
from statements.services.versions import create_version

TITLE = "Kuala Lumpur Statement of Commitment"
OPEN_FOR = datetime.timedelta(days=42)

SOURCE = """# Who we are

We, practitioners of the social and solidarity economy from across Asia and beyond, meet in \
Malaysia for the third Asian Forum for Solidarity Economy, following the forums of Manila in \
2007 and Tokyo in 2009.

We are cooperatives, mutual benefit associations, labour unions, non-profit organizations, \
social enterprises, fair-trade groups, women's self-help groups and civic-finance institutions.

# What we have done since Tokyo

We have built an Asian network of practitioners that met between the forums and shared \
knowledge in several languages.

Our social finance institutions have grown, but most of our members still cannot borrow at \
fair terms.

# Our commitments

We commit to map the solidarity economy in each of our countries, so that its size and reach \
can be known.

We commit to buy from one another first, and to open our markets to the producers of the \
poorest regions.

We commit to train young people in cooperative management and democratic governance.

We call on governments to recognise the solidarity economy in public policy and legislation, \
and to involve its organizations in making them.
"""

PEOPLE = [
    ("kl-drafting", "Nor", "Aziz"),
    ("kl-delegate-1", "Lim", "Wei Ling"),
    ("kl-delegate-2", "Ramesh", "Pillai"),
    ("kl-delegate-3", "Dewi", "Lestari"),
    ("kl-delegate-4", "Jose", "Reyes"),
    ("kl-delegate-5", "Yuki", "Sato"),
    ("kl-delegate-6", "Thanh", "Nguyen"),
]

# (author index in PEOPLE, paragraph key or None for the whole text, text, replies)
COMMENTS = [
    (1, None, "A clear draft. Could we say what the network will do before the next forum?", []),
    (
        2,
        4,
        "Fair terms for whom? The text should name the informal workers.",
        [(3, "Yes: most of our members in Indonesia work informally.")],
    ),
    (4, 5, "Mapping needs common definitions; the ILO's could serve.", []),
    (5, 7, "Training should include the elderly who run cooperatives today.", []),
    (6, 8, "Add local governments: they are closer to us than national ones.", []),
]

# (author, kind, paragraph key, after key, text, rationale, status, answer, supporters)
AMENDMENTS = [
    (
        2,
        AmendmentKind.REPLACE,
        4,
        None,
        "Our social finance institutions have grown, but most of our members, and the informal "
        "workers among them, still cannot borrow at fair terms.",
        "Name the informal workers, who are most of the SSE in South and South-East Asia.",
        AmendmentStatus.PENDING,
        "",
        [1, 3, 4, 5],
    ),
    (
        6,
        AmendmentKind.REPLACE,
        8,
        None,
        "We call on national and local governments to recognise the solidarity economy in "
        "public policy and legislation, and to involve its organizations in making them.",
        "Local governments are closer to our members.",
        AmendmentStatus.PENDING,
        "",
        [2],
    ),
    (
        4,
        AmendmentKind.NEW_PARAGRAPH,
        None,
        7,
        "We commit to take part in the solidarity economy forums of other continents, and to "
        "invite them to ours.",
        "The forum should look beyond Asia.",
        AmendmentStatus.PENDING,
        "",
        [],
    ),
    (
        3,
        AmendmentKind.REPLACE,
        5,
        None,
        "We commit to map the solidarity economy in each of our countries with common "
        "definitions, so that its size and reach can be known and compared.",
        "Maps drawn with different definitions cannot be compared.",
        AmendmentStatus.ACCEPTED,
        "Accepted: the next version will take it in.",
        [1, 2, 4, 5, 6],
    ),
    (
        5,
        AmendmentKind.REPLACE,
        6,
        None,
        "We commit to buy only from one another.",
        "Solidarity first.",
        AmendmentStatus.NOT_ACCEPTED,
        "Buying only from one another would shut out the producers we want to reach.",
        [],
    ),
]


@transaction.atomic
def build_demo_open_statement(edition: Edition) -> bool:
    """Add the open draft statement of `edition` with comments and amendments; True if created.

    Side effects: the demo's committee member and delegates of `edition` (users, roles, groups).
    """
    if Statement.objects.filter(edition=edition).exists():
        return False
    people = _people(edition, PEOPLE)
    committee = people[0]
    now = timezone.now().replace(microsecond=0)
    statement = Statement.objects.create(
        edition=edition, title=TITLE, state=StatementState.DRAFTING, created_by=committee
    )
    version = create_version(
        statement=statement,
        actor=committee,
        source=SOURCE,
        note="First draft, put to the delegates before the forum.",
    )
    StatementVersion.objects.filter(pk=version.pk).update(
        published_at=now - datetime.timedelta(days=2)
    )
    statement.state = StatementState.OPEN
    statement.comment_deadline = now + OPEN_FOR
    statement.show_draft_publicly = True
    statement.save(update_fields=["state", "comment_deadline", "show_draft_publicly"])
    TransitionLog.objects.create(
        statement=statement,
        from_state=StatementState.DRAFTING,
        to_state=StatementState.OPEN,
        version=version,
        actor=committee,
        note="First draft open for the delegates' comments.",
    )
    paragraphs = {p.key: p for p in Paragraph.objects.filter(statement=statement)}

    top = [
        Comment(
            statement=statement,
            version=version,
            paragraph=paragraphs[key] if key else None,
            author=people[author],
            body=body,
        )
        for author, key, body, _replies in COMMENTS
    ]
    Comment.objects.bulk_create(top)
    top = list(Comment.objects.filter(statement=statement).order_by("pk"))
    Comment.objects.bulk_create(
        Comment(
            statement=statement,
            version=version,
            paragraph=parent.paragraph,
            parent=parent,
            author=people[author],
            body=body,
        )
        for parent, (_a, _k, _b, thread) in zip(top, COMMENTS, strict=True)
        for author, body in thread
    )
    Comment.objects.filter(statement=statement).update(created_at=now - datetime.timedelta(days=1))

    answered_at = now - datetime.timedelta(hours=3)
    Amendment.objects.bulk_create(
        Amendment(
            statement=statement,
            version=version,
            kind=kind,
            paragraph=paragraphs[key] if key else None,
            after_paragraph=paragraphs[after] if after else None,
            author=people[author],
            text=text,
            rationale=rationale,
            status=status,
            answer=answer,
            answered_by=committee if answer else None,
            answered_at=answered_at if answer else None,
        )
        for author, kind, key, after, text, rationale, status, answer, _s in AMENDMENTS
    )
    amendments = list(Amendment.objects.filter(statement=statement).order_by("pk"))
    for index, amendment in enumerate(amendments):
        Amendment.objects.filter(pk=amendment.pk).update(
            created_at=now - datetime.timedelta(hours=20 - index)
        )
    AmendmentSupport.objects.bulk_create(
        AmendmentSupport(amendment=amendment, user=people[supporter])
        for amendment, row in zip(amendments, AMENDMENTS, strict=True)
        for supporter in row[-1]
    )
    return True
