"""The demo statement of commitment of AFSE 2009 Tokyo: a draft presented on the last day, the
delegates' comments and amendments with the drafting committee's answers, the adopted version,
and organizations and people from many countries who signed on.

Written for the demo in the spirit of shared/DOMAIN.md (not the historical text). Built with
bulk_create in a few dozen queries; found again by the edition (one statement per edition), so
running it twice changes nothing.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from forum.enums import EditionRoleKind, OrganizationKind
from forum.models import Edition, EditionGroup, EditionRole
from forum.services import ensure_edition_groups
from statements.enums import AmendmentKind, AmendmentStatus, SignatoryKind, StatementState
from statements.models import (
    Amendment,
    AmendmentSupport,
    Comment,
    Paragraph,
    ParagraphText,
    Section,
    Signatory,
    Statement,
    StatementVersion,
    TransitionLog,
)

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
TITLE = "Tokyo Statement of Commitment"


def _at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2009, 11, day, hour, minute, tzinfo=TOKYO)


# (section heading, [(key, draft text or None, adopted text or None)]); None: not in that version.
TEXT = [
    (
        "Who we are",
        [
            (
                1,
                "We, some 500 practitioners of the social and solidarity economy from "
                "Indonesia, Thailand, Malaysia, Nepal, India, the Philippines, Japan, South "
                "Korea, France, Canada, Luxembourg and Australia, met in Tokyo from 7 to 10 "
                "November 2009 for the second Asian Forum for Solidarity Economy.",
                "We, some 500 practitioners of the social and solidarity economy from "
                "Indonesia, Thailand, Malaysia, Nepal, India, the Philippines, Japan, South "
                "Korea, France, Canada, Luxembourg and Australia, met in Tokyo from 7 to 10 "
                "November 2009 for the second Asian Forum for Solidarity Economy, following "
                "the first forum held in Manila in 2007.",
            ),
            (
                2,
                "We are cooperatives, mutual benefit associations, labour unions, non-profit "
                "organizations, social enterprises, fair-trade groups and civic-finance "
                "institutions. We share an economic activity, a social mission and democratic "
                "governance.",
                "We are consumer and workers' cooperatives, mutual benefit associations, labour "
                "unions, non-profit organizations, social enterprises, fair-trade groups, "
                "women's self-help groups and civic-finance institutions. We share an economic "
                "activity, a social mission and democratic governance.",
            ),
        ],
    ),
    (
        "What we have seen",
        [
            (
                3,
                "The financial crisis of 2008 has shown that an economy driven by speculation "
                "leaves the poor, the elderly and the unemployed without protection.",
                "The financial crisis of 2008 has shown that an economy driven by speculation "
                "leaves the poor, the elderly, the handicapped and the unemployed without "
                "protection, in Asia as elsewhere.",
            ),
            (
                4,
                "On our fact-finding visits we saw workers' cooperatives, NPO banks and "
                "community care for the elderly that meet needs the market and the state leave "
                "unmet.",
                "On our fact-finding visits we saw workers' cooperatives, NPO banks and "
                "community care for the elderly that meet needs the market and the state leave "
                "unmet.",
            ),
            (
                5,
                "Solidarity economy initiatives remain small and scattered, and are rarely "
                "recognised by public policy.",
                None,
            ),
        ],
    ),
    (
        "Our commitments",
        [
            (
                6,
                "We commit to direct savings towards socially responsible investment and "
                "social finance, and to build NPO banks, credit unions and micro-finance that "
                "are accountable to their members.",
                "We commit to direct savings towards socially responsible investment and "
                "social finance, and to build NPO banks, credit unions, labour banks and "
                "micro-finance that are accountable to their members.",
            ),
            (
                7,
                "We commit to trade fairly between producers and consumers across Asia, and to "
                "make fair trade known in our countries.",
                "We commit to trade fairly between producers and consumers across Asia, to "
                "make fair trade known in our countries, and to buy from one another first.",
            ),
            (
                8,
                "We commit to measure and report our social performance, so that our members "
                "and the public can judge what we achieve.",
                "We commit to measure and report our social performance, so that our members "
                "and the public can judge what we achieve.",
            ),
            (
                9,
                "We commit to care for the elderly, the handicapped and the unemployed in our "
                "communities, and to create decent work.",
                "We commit to care for the elderly, the handicapped and the unemployed in our "
                "communities, and to create decent work, paying particular attention to women.",
            ),
            (
                10,
                None,
                "We commit to the responsible stewardship of natural resources, and to local "
                "and grassroots development that keeps wealth in the community.",
            ),
            (
                11,
                "We call on governments to recognise the solidarity economy in law and policy, "
                "and to study a solidarity tax levy on financial transactions.",
                "We call on governments to recognise the solidarity economy in public policy "
                "and legislation, to involve its organizations in making them, and to study a "
                "solidarity tax levy on financial transactions.",
            ),
        ],
    ),
    (
        "Working together",
        [
            (
                12,
                "We will build an Asian network of solidarity economy practitioners that shares "
                "knowledge and practice between forums.",
                "We will build an Asian network of solidarity economy practitioners that shares "
                "knowledge and practice between forums, in the languages of its members.",
            ),
            (
                13,
                "The third Asian Forum for Solidarity Economy will be held in 2011.",
                "The third Asian Forum for Solidarity Economy will be held in Malaysia in 2011; "
                "we thank our Malaysian friends for their invitation.",
            ),
        ],
    ),
]

PEOPLE = [
    # username, first name, last name
    ("tokyo-committee-tanaka", "Keiko", "Tanaka"),
    ("tokyo-delegate-1", "Maria", "Santos"),
    ("tokyo-delegate-2", "Budi", "Hartono"),
    ("tokyo-delegate-3", "Somchai", "Prasert"),
    ("tokyo-delegate-4", "Min-jung", "Kim"),
    ("tokyo-delegate-5", "Anjali", "Sharma"),
    ("tokyo-delegate-6", "Hiroshi", "Yamamoto"),
    ("tokyo-delegate-7", "Aminah", "Binti Yusof"),
    ("tokyo-delegate-8", "Claire", "Dubois"),
]

# (author index in PEOPLE, paragraph key or None for the whole text, text, replies)
COMMENTS = [
    (1, None, "A strong draft. Could the preamble remember the Manila forum of 2007?", []),
    (2, 3, "The handicapped are named in paragraph 9 but not here; the crisis hit them too.", []),
    (
        4,
        3,
        "Should we say *in Asia as elsewhere*? The crisis did not start here but it reached us.",
        [(3, "Agreed, and it reached our export workers first.")],
    ),
    (5, 2, "Women's self-help groups are a large part of the SSE in India and Nepal.", []),
    (6, 5, "This paragraph sounds defeatist for a statement of commitment.", []),
    (
        7,
        13,
        "Malaysia has offered to host the next forum: the statement should say so.",
        [(1, "Yes! The Philippine delegation supports this.")],
    ),
    (8, 11, "Policy should be made with us, not only for us.", []),
    (3, 7, "Fair trade inside Asia matters as much as exports to Europe.", []),
    (2, 12, "The network must work in more languages than English.", []),
]

# (author, kind, paragraph key, after key, text, rationale, status, answer, taken, supporters)
AMENDMENTS = [
    (
        4,
        AmendmentKind.REPLACE,
        3,
        None,
        "The financial crisis of 2008 has shown that an economy driven by speculation leaves "
        "the poor, the elderly, the handicapped and the unemployed without protection, in Asia "
        "as elsewhere.",
        "Name the handicapped, as paragraph 9 does, and place the crisis in Asia.",
        AmendmentStatus.ACCEPTED,
        "Accepted as proposed.",
        True,
        [2, 3, 5],
    ),
    (
        5,
        AmendmentKind.REPLACE,
        2,
        None,
        "We are cooperatives, mutual benefit associations, labour unions, non-profit "
        "organizations, social enterprises, fair-trade groups, women's self-help groups and "
        "civic-finance institutions.",
        "Women's self-help groups are a large part of the SSE in South Asia.",
        AmendmentStatus.ACCEPTED_IN_PART,
        "Accepted, keeping the sentence on the ILO's three criteria and naming consumer and "
        "workers' cooperatives.",
        True,
        [1, 7],
    ),
    (
        6,
        AmendmentKind.REPLACE,
        5,
        None,
        "Solidarity economy initiatives are growing across Asia and deserve the recognition "
        "of public policy.",
        "A more hopeful wording.",
        AmendmentStatus.NOT_ACCEPTED,
        "The committee removed the paragraph instead: paragraph 10 already calls for "
        "recognition in public policy.",
        False,
        [],
    ),
    (
        2,
        AmendmentKind.NEW_PARAGRAPH,
        None,
        9,
        "We commit to the responsible stewardship of natural resources, and to local and "
        "grassroots development.",
        "Two themes of the forum were missing from the commitments.",
        AmendmentStatus.ACCEPTED,
        "Accepted, adding that wealth should stay in the community.",
        True,
        [3, 4, 6, 8],
    ),
    (
        7,
        AmendmentKind.REPLACE,
        13,
        None,
        "The third Asian Forum for Solidarity Economy will be held in Malaysia in 2011.",
        "Malaysia has offered to host it.",
        AmendmentStatus.ACCEPTED,
        "Accepted with thanks to the Malaysian delegation.",
        True,
        [1, 2, 3, 4, 5, 6, 8],
    ),
    (
        8,
        AmendmentKind.REPLACE,
        11,
        None,
        "We call on governments to recognise the solidarity economy in law and policy and to "
        "introduce a solidarity tax levy on financial transactions without delay.",
        "Studying the levy is not enough.",
        AmendmentStatus.NOT_ACCEPTED,
        "Delegates disagreed on the levy; the committee kept “to study” and took in the call "
        "to involve SSE organizations in making policy.",
        False,
        [6],
    ),
]

# kind, name, native name, language, affiliation, country, organization kind
SIGNATORIES = [
    (
        "organization",
        "Japan Workers' Co-operative Union",
        "日本労働者協同組合連合会",
        "ja",
        "",
        "JP",
        OrganizationKind.COOPERATIVE,
    ),
    (
        "organization",
        "Tokyo NPO Bank",
        "東京コミュニティパワーバンク",
        "ja",
        "",
        "JP",
        "social_finance",
    ),
    (
        "organization",
        "Seikatsu Club Consumers' Co-operative",
        "生活クラブ生協",
        "ja",
        "",
        "JP",
        OrganizationKind.COOPERATIVE,
    ),
    ("organization", "Japan NPO Center", "日本NPOセンター", "ja", "", "JP", "nonprofit"),
    (
        "organization",
        "Korean Social Enterprise Network",
        "한국사회적기업네트워크",
        "ko",
        "",
        "KR",
        OrganizationKind.SOCIAL_ENTERPRISE,
    ),
    (
        "organization",
        "Seoul Credit Union Federation",
        "서울신용협동조합연합회",
        "ko",
        "",
        "KR",
        OrganizationKind.SOCIAL_FINANCE,
    ),
    (
        "organization",
        "Coalition of Socially Responsible SMEs in Asia",
        "",
        "",
        "",
        "PH",
        OrganizationKind.COALITION,
    ),
    (
        "organization",
        "Philippine Fair Trade Network",
        "",
        "",
        "",
        "PH",
        OrganizationKind.FAIR_TRADE,
    ),
    ("organization", "Koperasi Rakyat Indonesia", "", "", "", "ID", OrganizationKind.COOPERATIVE),
    (
        "organization",
        "Thai Social Enterprise Office",
        "สำนักงานสร้างเสริมกิจการเพื่อสังคม",
        "th",
        "",
        "TH",
        OrganizationKind.GOVERNMENT,
    ),
    (
        "organization",
        "Angkatan Koperasi Kebangsaan Malaysia",
        "",
        "",
        "",
        "MY",
        OrganizationKind.COOPERATIVE,
    ),
    (
        "organization",
        "Self-Employed Women's Association",
        "स्वाश्रयी महिला सेवा संघ",
        "hi",
        "",
        "IN",
        OrganizationKind.WOMENS_SHG,
    ),
    (
        "organization",
        "Nepal Federation of Savings and Credit Cooperatives",
        "",
        "",
        "",
        "NP",
        OrganizationKind.SOCIAL_FINANCE,
    ),
    (
        "organization",
        "Réseau de l'économie sociale et solidaire",
        "",
        "",
        "",
        "FR",
        OrganizationKind.COALITION,
    ),
    (
        "organization",
        "Chantier de l'économie sociale",
        "",
        "",
        "",
        "CA",
        OrganizationKind.COALITION,
    ),
    (
        "organization",
        "Institut luxembourgeois de l'économie solidaire",
        "",
        "",
        "",
        "LU",
        OrganizationKind.ACADEMIC,
    ),
    (
        "organization",
        "Australian Fair Trade Association",
        "",
        "",
        "",
        "AU",
        OrganizationKind.FAIR_TRADE,
    ),
    ("person", "Keiko Tanaka", "田中恵子", "ja", "Japan NPO Center", "JP", ""),
    ("person", "Min-jung Kim", "김민정", "ko", "Korean Social Enterprise Network", "KR", ""),
    ("person", "Maria Santos", "", "", "Philippine Fair Trade Network", "PH", ""),
    ("person", "Somchai Prasert", "สมชาย ประเสริฐ", "th", "", "TH", ""),
    ("person", "Aminah binti Yusof", "", "", "Angkatan Koperasi Kebangsaan Malaysia", "MY", ""),
    ("person", "Claire Dubois", "", "", "", "FR", ""),
    ("person", "Li Wei", "李伟", "zh", "Hong Kong Fair Trade Alliance", "HK", ""),
]


def _source(version_index: int) -> list[tuple[str, list[tuple[int, str]]]]:
    return [
        (heading, [(key, texts[version_index]) for key, *texts in rows if texts[version_index]])
        for heading, rows in TEXT
    ]


def _people(edition: Edition, people: list[tuple[str, str, str]] = PEOPLE) -> list:
    """The drafting committee member (first) and the delegates of the demo, with their roles in
    `edition` (the edition's role groups exist already: demo.build made them)."""
    user_model = get_user_model()
    usernames = [username for username, _first, _last in people]
    existing = set(
        user_model.objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    # They log in with the demo password (hashed once: hashing is slow on purpose).
    password = make_password(settings.DEMO_ADMIN_PASSWORD)
    new_users = [
        user_model(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            password=password,
        )
        for username, first, last in people
        if username not in existing
    ]
    user_model.objects.bulk_create(new_users)
    by_name = user_model.objects.in_bulk(usernames, field_name="username")
    users = [by_name[username] for username in usernames]
    roles = [EditionRoleKind.DRAFTING_COMMITTEE] + [EditionRoleKind.DELEGATE] * (len(users) - 1)
    EditionRole.objects.bulk_create(
        [
            EditionRole(edition=edition, user=user, role=role)
            for user, role in zip(users, roles, strict=True)
        ],
        ignore_conflicts=True,
    )
    groups = {
        link.role: link.group
        for link in EditionGroup.objects.select_related("group").filter(edition=edition)
    }
    if set(roles) - set(groups):
        groups = ensure_edition_groups(edition=edition)
    groups[EditionRoleKind.DRAFTING_COMMITTEE].user_set.add(users[0])
    groups[EditionRoleKind.DELEGATE].user_set.add(*users[1:])
    return users


@transaction.atomic
def build_demo_statement(edition: Edition) -> bool:
    """Add the demo statement, its versions, comments and signatories; True if created."""
    if Statement.objects.filter(edition=edition).exists():
        return False
    people = _people(edition)
    committee = people[0]
    statement = Statement.objects.create(
        edition=edition,
        title=TITLE,
        state=StatementState.SIGN_ON,
        adopted_on=datetime.date(2009, 11, 10),
        adopted_at_place="Tokyo, Japan: closing plenary of AFSE 2009",
        created_by=committee,
    )
    draft = StatementVersion.objects.create(
        statement=statement,
        number=1,
        note="Draft presented by the drafting committee on the last day.",
        created_by=committee,
        published_at=_at(9, 18),
    )
    adopted = StatementVersion.objects.create(
        statement=statement,
        number=2,
        note="Amended in the closing plenary and adopted.",
        created_by=committee,
        published_at=_at(10, 16),
    )
    # Paragraphs 1 to 9 and 11 to 13 were in the draft; 10 was added in version 2.
    keys = [key for _heading, rows in TEXT for key, *_texts in rows]
    Paragraph.objects.bulk_create(
        Paragraph(statement=statement, key=key, created_in=adopted if key == 10 else draft)
        for key in keys
    )
    paragraphs = {p.key: p for p in Paragraph.objects.filter(statement=statement)}
    sections = [
        Section(version=version, position=position, heading=heading)
        for version in (draft, adopted)
        for position, (heading, _rows) in enumerate(TEXT, start=1)
    ]
    Section.objects.bulk_create(sections)
    section_of = {
        (s.version_id, s.position): s for s in Section.objects.filter(version__in=[draft, adopted])
    }
    texts = []
    for index, version in enumerate((draft, adopted)):
        position = 0
        for section_position, (_heading, rows) in enumerate(_source(index), start=1):
            for key, text in rows:
                position += 1
                texts.append(
                    ParagraphText(
                        version=version,
                        paragraph=paragraphs[key],
                        section=section_of[(version.pk, section_position)],
                        position=position,
                        number=position,
                        text=text,
                    )
                )
    ParagraphText.objects.bulk_create(texts)

    # Comments: created_at is set on insert, so the order of insertion is their order.
    top = [
        Comment(
            statement=statement,
            version=draft,
            paragraph=paragraphs[key] if key else None,
            author=people[author],
            body=body,
        )
        for author, key, body, _replies in COMMENTS
    ]
    Comment.objects.bulk_create(top)
    top = list(Comment.objects.filter(statement=statement).order_by("pk"))
    replies = [
        Comment(
            statement=statement,
            version=draft,
            paragraph=parent.paragraph,
            parent=parent,
            author=people[author],
            body=body,
        )
        for parent, (_a, _k, _b, thread) in zip(top, COMMENTS, strict=True)
        for author, body in thread
    ]
    Comment.objects.bulk_create(replies)

    Amendment.objects.bulk_create(
        Amendment(
            statement=statement,
            version=draft,
            kind=kind,
            paragraph=paragraphs[key] if key else None,
            after_paragraph=paragraphs[after] if after else None,
            author=people[author],
            text=text,
            rationale=rationale,
            status=status,
            answer=answer,
            answered_by=committee,
            answered_at=_at(10, 14),
            taken_into=adopted if taken else None,
        )
        for author, kind, key, after, text, rationale, status, answer, taken, _s in AMENDMENTS
    )
    # created_at is set on insert: the discussion took place on the evening of 9 November.
    Comment.objects.filter(statement=statement).update(created_at=_at(9, 20))
    Amendment.objects.filter(statement=statement).update(created_at=_at(9, 21))
    amendments = list(Amendment.objects.filter(statement=statement).order_by("pk"))
    AmendmentSupport.objects.bulk_create(
        AmendmentSupport(amendment=amendment, user=people[supporter])
        for amendment, row in zip(amendments, AMENDMENTS, strict=True)
        for supporter in row[-1]
    )

    TransitionLog.objects.bulk_create(
        TransitionLog(
            statement=statement,
            from_state=from_state,
            to_state=to_state,
            version=version,
            actor=committee,
            note=note,
        )
        for from_state, to_state, version, note in [
            (
                StatementState.DRAFTING,
                StatementState.OPEN,
                draft,
                "Draft presented to the delegates.",
            ),
            (StatementState.OPEN, StatementState.COMMENTS_CLOSED, draft, "Closing plenary."),
            (
                StatementState.COMMENTS_CLOSED,
                StatementState.ADOPTED,
                adopted,
                "Adopted by acclamation.",
            ),
            (
                StatementState.ADOPTED,
                StatementState.SIGN_ON,
                adopted,
                "Open for organizations to sign on.",
            ),
        ]
    )
    Signatory.objects.bulk_create(
        Signatory(
            statement=statement,
            kind=SignatoryKind(kind),
            name=name,
            name_native=native,
            native_language=language,
            affiliation=affiliation,
            country=country,
            organization_kind=organization_kind,
            email=f"signatory-{index}@example.org",
            email_confirmed_at=_at(10, 18) + datetime.timedelta(minutes=index),
        )
        for index, (kind, name, native, language, affiliation, country, organization_kind) in (
            enumerate(SIGNATORIES, start=1)
        )
    )
    return True
