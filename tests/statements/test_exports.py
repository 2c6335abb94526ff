"""The committee's CSV of all comments and amendments: its rows, formula injection
neutralised, who may download it, and a constant number of queries."""

import csv
import io

import pytest

from forum.pagecache import bump_pages_version
from statements.documents.exporters.csv import comments_and_amendments_csv, neutralise
from statements.enums import AmendmentKind, AmendmentStatus
from statements.models import Amendment, Comment, Paragraph, Statement
from tests.factories.statements import delegate, make_statement

pytestmark = pytest.mark.django_db

HEADER = [
    "type",
    "id",
    "paragraph",
    "after paragraph",
    "version",
    "author",
    "created at",
    "in reply to",
    "text",
    "rationale",
    "status",
    "supports",
    "committee answer",
    "taken into version",
]


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # so that spreadsheets read it as UTF-8
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (12, "12"),
        (None, ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_committee_downloads_demo_comments_and_amendments(client, base_url, committee_user):
    client.force_login(committee_user)
    response = client.get(base_url + "committee/export/comments/")
    assert response["Content-Disposition"] == (
        'attachment; filename="2009-tokyo-statement-comments.csv"'
    )
    assert response["Cache-Control"] == "no-store"
    rows = _rows(response)
    assert rows[0] == HEADER
    assert len(rows) == 1 + 11 + 6
    assert [r[0] for r in rows[1:12]] == ["comment"] * 11
    assert rows[1][2:10] == [
        "whole text",
        "",
        "1",
        "Maria Santos",
        "2009-11-09T11:00:00+00:00",
        "",
        "A strong draft. Could the preamble remember the Manila forum of 2007?",
        "",
    ]
    new_paragraph = rows[12]
    assert new_paragraph[0] == "new paragraph"
    assert new_paragraph[2:4] == ["", "9"]
    assert new_paragraph[10:] == [
        "Accepted",
        "4",
        "Accepted, adding that wealth should stay in the community.",
        "2",
    ]
    assert rows[-1][0] == "amendment"
    # Named as on every page, by its number in the version discussed: the key 13 is printed
    # 12 in the draft (the key 10 came only with version 2), never by its key.
    assert rows[-1][2:5] == ["12", "", "1"]


def test_formulas_in_comments_and_amendments_are_neutralised(edition, committee_user):
    statement = Statement.objects.get(edition=edition)
    paragraph = Paragraph.objects.get(statement=statement, key=3)
    version = statement.versions.get(number=2)
    author = delegate(edition, username="formula-author", first_name="=cmd", last_name="")
    Comment.objects.create(
        statement=statement,
        version=version,
        paragraph=paragraph,
        author=author,
        body="=1+1",
    )
    Amendment.objects.create(
        statement=statement,
        version=version,
        kind=AmendmentKind.REPLACE,
        paragraph=paragraph,
        author=author,
        text="@SUM(A1:A9)",
        rationale="-rationale",
        status=AmendmentStatus.NOT_ACCEPTED,
        answer="+no",
    )
    rows = list(csv.reader(io.StringIO(comments_and_amendments_csv(statement))))
    comment = next(r for r in rows if r[8] == "'=1+1")
    assert comment[5] == "'=cmd"
    amendment = next(r for r in rows if r[8] == "'@SUM(A1:A9)")
    assert (amendment[9], amendment[12]) == ("'-rationale", "'+no")
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not (cell.startswith("-") and cell != "-"), cell


def test_hidden_and_withdrawn_comments_are_marked(edition, committee_user):
    statement = Statement.objects.get(edition=edition)
    Comment.objects.filter(statement=statement, body__startswith="This paragraph").update(
        hidden_at="2009-11-09T12:00:00Z", hidden_reason="Off topic"
    )
    Comment.objects.filter(statement=statement, body__startswith="Policy").update(
        withdrawn_at="2009-11-09T12:00:00Z"
    )
    rows = list(csv.reader(io.StringIO(comments_and_amendments_csv(statement))))
    status = {r[8][:14]: r[10] for r in rows[1:] if r[0] == "comment"}
    assert status["This paragraph"] == "hidden: Off topic"
    assert status["Policy should "] == "withdrawn"
    assert status["A strong draft"] == ""


@pytest.mark.parametrize("who", ["delegate", "participant", "foreign_organizer", "moderator"])
def test_csv_is_committee_only(
    client, base_url, edition, who, participant, foreign_organizer, moderator_user
):
    user = {
        "delegate": lambda: delegate(edition, username="csv-delegate"),
        "participant": lambda: participant,
        "foreign_organizer": lambda: foreign_organizer,
        "moderator": lambda: moderator_user,
    }[who]()
    client.force_login(user)
    response = client.get(base_url + "committee/export/comments/")
    assert response.status_code == 403
    assert "Only the drafting committee and the organizers" in response.content.decode()


def test_csv_sends_visitors_to_log_in(client, base_url):
    response = client.get(base_url + "committee/export/comments/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_organizer_of_the_edition_may_export(client, base_url, edition):
    from tests.factories.statements import person_with_role

    organizer = person_with_role(edition, "organizer", username="tokyo-organizer-x")
    client.force_login(organizer)
    assert len(_rows(client.get(base_url + "committee/export/comments/"))) == 18


def _discussion(edition, *, paragraphs: int, per_paragraph: int):
    statement = make_statement(edition, paragraphs=paragraphs)
    version = statement.versions.get()
    authors = [delegate(edition, username=f"csv-author-{i}") for i in range(5)]
    paragraph_rows = list(Paragraph.objects.filter(statement=statement))
    Comment.objects.bulk_create(
        Comment(
            statement=statement,
            version=version,
            paragraph=paragraph,
            author=authors[i % 5],
            body=f"Comment {i}",
        )
        for paragraph in paragraph_rows
        for i in range(per_paragraph)
    )
    Amendment.objects.bulk_create(
        Amendment(
            statement=statement,
            version=version,
            kind=AmendmentKind.REPLACE,
            paragraph=paragraph,
            author=authors[i % 5],
            text=f"Text {i}",
            rationale="Why",
        )
        for paragraph in paragraph_rows
        for i in range(per_paragraph)
    )
    return statement


@pytest.mark.parametrize(("paragraphs", "per_paragraph"), [(3, 1), (60, 25)])
def test_exports_run_a_constant_number_of_queries(
    client,
    base_url,
    edition,
    committee_user,
    django_assert_num_queries,
    paragraphs,
    per_paragraph,
):
    _discussion(edition, paragraphs=paragraphs, per_paragraph=per_paragraph)
    client.force_login(committee_user)
    client.get(base_url + "committee/export/comments/")
    bump_pages_version()  # routed afresh, as after a page changed
    # Session and user (2), Wagtail's site, page and edition (8), the statement and roles
    # (3), the comments (1), the amendments (1), the paragraphs' printed numbers (1).
    with django_assert_num_queries(18):
        rows = _rows(client.get(base_url + "committee/export/comments/"))
    assert len(rows) == 1 + 2 * paragraphs * per_paragraph
    # Routed again: the site, the page with its edition and view restrictions come from the
    # route cache (cms/routing.py).
    with django_assert_num_queries(ROUTED_EXPORT):
        rows = _rows(client.get(base_url + "committee/export/comments/"))
    assert len(rows) == 1 + 2 * paragraphs * per_paragraph


ROUTED_EXPORT = 8


@pytest.mark.parametrize(("paragraphs", "per_paragraph"), [(3, 1), (60, 25)])
def test_comment_matrix_selector_runs_three_queries(
    edition, django_assert_num_queries, paragraphs, per_paragraph
):
    from statements.documents.selectors import comment_matrix

    statement = _discussion(edition, paragraphs=paragraphs, per_paragraph=per_paragraph)
    version = statement.versions.get()
    with django_assert_num_queries(3):
        rows = comment_matrix(statement, version)
    assert len(rows) == 1 + paragraphs
    assert rows[0].key is None
    assert [len(r.comments) for r in rows[1:]] == [per_paragraph] * paragraphs
    assert [len(r.amendments) for r in rows[1:]] == [per_paragraph] * paragraphs
    assert [r.number for r in rows[1:]] == list(range(1, paragraphs + 1))
