"""The statement as a PDF and the committee's comment matrix, read back with pypdf: their text,
their page count, the CJK fonts, and who may download them."""

import io

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from statements.enums import SignatoryKind, StatementState
from statements.models import Signatory, Statement
from statements.services.versions import create_version
from tests.factories.statements import delegate, make_statement
from tests.sessions_app.test_pdf_fonts import embedded_families

pytestmark = pytest.mark.django_db


def _read(response) -> tuple[PdfReader, str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def _fonts(reader: PdfReader) -> set[str]:
    return embedded_families(reader)


def test_adopted_statement_pdf_has_text_signatories_and_cjk_names(client, base_url):
    response = client.get(base_url + "statement.pdf")
    assert response["Content-Disposition"] == 'inline; filename="2009-tokyo-statement.pdf"'
    reader, text = _read(response)
    assert len(reader.pages) == 3  # the text on two pages, the signatories on the third
    assert (
        reader.pages[0]
        .extract_text()
        .startswith(
            "AFSE 2009\nTokyo Statement of Commitment\nAdopted on Nov. 10, 2009 in Tokyo, Japan"
        )
    )
    assert "12. The third Asian Forum for Solidarity Economy will be held in Malaysia in" in text
    assert "remain small and scattered" not in text  # left out of the adopted version
    assert "24 signatories. Japan: 5; Philippines: 3; South Korea: 3;" in text
    assert "日本NPOセンター" in text
    assert "田中恵子" in text
    assert "김민정" in text
    assert "@example.org" not in text
    fonts = _fonts(reader)
    assert {"Noto-Sans", "Noto-Sans-JP", "Noto-Sans-KR"} <= fonts


def test_pdf_follows_new_signatories(client, base_url, edition):
    client.get(base_url + "statement.pdf")
    Signatory.objects.create(
        statement=Statement.objects.get(edition=edition),
        kind=SignatoryKind.ORGANIZATION,
        name="Kyoto Fair Trade Shop",
        country="JP",
        organization_kind="fair_trade",
        email="k@example.jp",
        email_confirmed_at="2009-11-11T10:00:00Z",
    )
    _reader, text = _read(client.get(base_url + "statement.pdf"))
    assert "25 signatories." in text
    assert "Kyoto Fair Trade Shop" in text


def test_draft_pdf_in_japanese_is_readable_and_marked_as_draft(client, edition, base_url):
    statement = make_statement(edition, state=StatementState.DRAFTING)
    create_version(
        statement=statement,
        actor=statement.created_by,
        source="# 前文\n\n[1] 私たちは連帯経済の実践者として東京に集いました。\n\n"
        "[2] 次回のフォーラムは2011年にマレーシアで開催します。",
    )
    Statement.objects.filter(pk=statement.pk).update(
        state=StatementState.OPEN, show_draft_publicly=True
    )
    statement.versions.update(published_at="2009-11-09T09:00:00Z")
    cache.clear()
    _reader, text = _read(client.get(base_url + "statement.pdf"))
    assert "Draft, version 2: not adopted." in text
    assert "1. 私たちは連帯経済の実践者として東京に集いました。" in text
    assert "次回のフォーラムは2011年にマレーシアで開催します。" in text
    assert "Signatories" not in text


def test_unpublished_statement_pdf_is_refused(client, edition, base_url, participant):
    make_statement(edition, state=StatementState.OPEN)
    response = client.get(base_url + "statement.pdf")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(participant)
    assert client.get(base_url + "statement.pdf").status_code == 404


def test_comment_matrix_orders_paragraphs_with_comments_amendments_and_answers(
    client, base_url, committee_user
):
    client.force_login(committee_user)
    response = client.get(base_url + "committee/comment-matrix.pdf")
    reader, text = _read(response)
    assert len(reader.pages) == 2
    assert text.startswith(
        "Comment matrix: Tokyo Statement of Commitment\n"
        "AFSE 2009 · version 2 · Open for sign-on\n"
        "Paragraph Comments Amendments Committee answer\n"
        "The whole text A strong draft."
    )
    # In the order of the paragraphs, the deleted paragraph 5 with its discussion last, named
    # as every page names it (never by its key in brackets).
    positions = [
        text.index(marker)
        for marker in (
            "2. We are consumer and workers'",
            "3. The financial crisis",
            "#1 Accepted: Accepted as proposed.",
            "12. The third Asian Forum",
            "Paragraph 5 of version 1 (not in version 2)",
            "This paragraph sounds defeatist",
            "#3 Not accepted: The committee",
        )
    ]
    assert positions == sorted(positions)
    assert "[" not in text


@pytest.mark.parametrize("who", ["delegate", "participant", "foreign_organizer", "moderator"])
def test_comment_matrix_is_committee_only(
    client, base_url, edition, request, who, participant, foreign_organizer, moderator_user
):
    user = {
        "delegate": lambda: delegate(edition, username="matrix-delegate"),
        "participant": lambda: participant,
        "foreign_organizer": lambda: foreign_organizer,
        "moderator": lambda: moderator_user,
    }[who]()
    client.force_login(user)
    assert client.get(base_url + "committee/comment-matrix.pdf").status_code == 403


def test_comment_matrix_sends_visitors_to_log_in(client, base_url):
    response = client.get(base_url + "committee/comment-matrix.pdf")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
