import pytest

from statements.enums import AmendmentKind, AmendmentStatus
from statements.enums import StatementState as S
from statements.models import Amendment, Paragraph, ParagraphText, StatementVersion
from statements.services import ActionRefusedError, PermissionRefusedError
from statements.services.versions import create_version, parse_source, version_source
from tests.factories.statements import make_statement


@pytest.fixture
def closed(edition):
    return make_statement(edition, paragraphs=4, state=S.COMMENTS_CLOSED)


def _texts(version):
    return [
        (t.paragraph.key, t.number, t.text, t.section.heading if t.section else None)
        for t in ParagraphText.objects.filter(version=version)
        .select_related("paragraph", "section")
        .order_by("position")
    ]


def test_parse_source_reads_sections_keys_and_paragraphs():
    blocks = parse_source("# One\n\n[3] First\nline two\n\nNew one\n\r\n# Two\n[1]  Last ")
    assert [(b.kind, b.text, b.key) for b in blocks] == [
        ("section", "One", None),
        ("paragraph", "First\nline two", 3),
        ("paragraph", "New one", None),
        ("section", "Two", None),
        ("paragraph", "Last", 1),
    ]


def test_version_source_round_trips(closed):
    version = closed.versions.get(number=1)
    source = version_source(version)
    assert source.startswith("# Section 1\n\n[1] We commit to paragraph 1")
    assert [(b.key, b.text) for b in parse_source(source) if b.kind == "paragraph"] == [
        (t[0], t[2]) for t in _texts(version)
    ]


def test_paragraph_identity_is_kept_across_versions(closed, committee_user):
    v1 = closed.versions.get(number=1)
    ids = {p.key: p.pk for p in Paragraph.objects.filter(statement=closed)}
    # Paragraph 1 deleted, 3 reworded and moved first, a new paragraph between 2 and 4.
    source = (
        "# Our commitments\n\n[3] We commit firmly.\n\n[2] Unchanged?\n\nA new one.\n\n[4] Four."
    )
    v2 = create_version(statement=closed, actor=committee_user, source=source, note="Merged")
    assert v2.number == 2
    assert v2.note == "Merged"
    assert _texts(v2) == [
        (3, 1, "We commit firmly.", "Our commitments"),
        (2, 2, "Unchanged?", "Our commitments"),
        (5, 3, "A new one.", "Our commitments"),
        (4, 4, "Four.", "Our commitments"),
    ]
    # The same Paragraph rows: comments and amendments on them stay attached.
    assert {p.key: p.pk for p in Paragraph.objects.filter(statement=closed, key__lte=4)} == ids
    assert Paragraph.objects.get(statement=closed, key=5).created_in == v2
    # Version 1 is untouched.
    assert [t[0] for t in _texts(v1)] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("[99] Forged.", r"no paragraph \[99\]"),
        ("[1] One.\n\n[1] Twice.", "only once"),
        ("# Only a heading", "no paragraph"),
        ("", "no paragraph"),
        ("[1]", "has no text"),
        ("[2] " + "x" * 5001, "too long"),
    ],
)
def test_bad_version_text_is_refused_and_nothing_saved(closed, committee_user, source, message):
    with pytest.raises(ActionRefusedError, match=message):
        create_version(statement=closed, actor=committee_user, source=source)
    assert StatementVersion.objects.filter(statement=closed).count() == 1
    assert Paragraph.objects.filter(statement=closed).count() == 4


def test_keys_of_another_statement_are_refused(closed, committee_user, other_edition):
    other = make_statement(other_edition, paragraphs=9, state=S.COMMENTS_CLOSED)
    assert Paragraph.objects.filter(statement=other, key=9).exists()
    with pytest.raises(ActionRefusedError, match=r"no paragraph \[9\]"):
        create_version(statement=closed, actor=committee_user, source="[9] Stolen.")


@pytest.mark.parametrize("state", [S.OPEN, S.ADOPTED, S.SIGN_ON, S.CLOSED])
def test_no_new_version_while_open_or_once_adopted(edition, committee_user, state):
    statement = make_statement(edition, state=state)
    with pytest.raises(ActionRefusedError, match="only while drafting"):
        create_version(statement=statement, actor=committee_user, source="[1] Changed.")


def test_delegates_do_not_write_versions(closed, delegate_user):
    with pytest.raises(PermissionRefusedError):
        create_version(statement=closed, actor=delegate_user, source="[1] Mine.")


def test_accepted_amendments_are_taken_into_the_version(closed, committee_user, delegate_user):
    v1 = closed.versions.get(number=1)
    p1 = Paragraph.objects.get(statement=closed, key=1)
    accepted = Amendment.objects.create(
        statement=closed,
        version=v1,
        kind=AmendmentKind.REPLACE,
        paragraph=p1,
        author=delegate_user,
        text="Better.",
        rationale="r",
        status=AmendmentStatus.ACCEPTED,
    )
    pending = Amendment.objects.create(
        statement=closed,
        version=v1,
        kind=AmendmentKind.REPLACE,
        paragraph=p1,
        author=delegate_user,
        text="Other.",
        rationale="r",
    )
    with pytest.raises(ActionRefusedError, match="Only accepted amendments"):
        create_version(
            statement=closed,
            actor=committee_user,
            source="[1] Better.",
            taken_amendment_ids=[accepted.pk, pending.pk],
        )
    v2 = create_version(
        statement=closed,
        actor=committee_user,
        source="[1] Better.",
        taken_amendment_ids=[accepted.pk],
    )
    accepted.refresh_from_db()
    pending.refresh_from_db()
    assert accepted.taken_into == v2
    assert pending.taken_into is None
