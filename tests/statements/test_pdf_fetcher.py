"""The statement's PDFs fetch through the project's safe URL fetcher only (the site's own static
files), as the programme's and the registration's do: markup in user text fetches nothing."""

import io
import logging

import pytest
from django.conf import settings
from pypdf import PdfReader

from statements.documents.pdf.matrix import render_comment_matrix_pdf
from statements.documents.pdf.statement import render_statement_pdf
from tests.factories.statements import CommentFactory, make_statement

pytestmark = pytest.mark.django_db

HOSTILE = (
    'Tokyo <img src="https://example.com/x.png"> <link rel="stylesheet" href="file:///etc/passwd">'
)
STYLESHEET = f"{settings.SITE_URL}/static/css/statement-print.css"
FONTS = f"{settings.SITE_URL}/pdf-fonts/"


def _own_files(urls: list[str]) -> list[str]:
    """The served URLs other than the shipped Noto font slices (forum.documents.fonts)."""
    return [url for url in urls if not url.startswith(FONTS)]


@pytest.fixture
def fetched(caplog):
    """The URLs the safe fetcher served and refused while the test ran, from its log."""
    caplog.set_level(logging.DEBUG, logger="forum.documents.fetcher")

    def records(prefix: str) -> list[str]:
        return [
            r.getMessage().removeprefix(prefix)
            for r in caplog.records
            if r.name == "forum.documents.fetcher" and r.getMessage().startswith(prefix)
        ]

    return records


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_statement_pdf_fetches_only_the_site_stylesheet(edition, fetched, caplog):
    statement = make_statement(edition)
    statement.title = HOSTILE
    statement.save()
    pdf = render_statement_pdf(
        statement=statement, version=statement.versions.get(), summary=None, language="en"
    )
    assert "".join(HOSTILE.split()) in "".join(_text(pdf).split())
    assert _own_files(fetched("PDF resource served: ")) == [STYLESHEET]
    assert fetched("PDF resource refused: ") == []
    assert [r.getMessage() for r in caplog.records if "example.com" in r.getMessage()] == []


def test_comment_matrix_fetches_only_the_site_stylesheet(edition, fetched, caplog):
    statement = make_statement(edition)
    version = statement.versions.get()
    CommentFactory(statement=statement, version=version, author=statement.created_by, body=HOSTILE)
    pdf = render_comment_matrix_pdf(statement=statement, version=version, language="en")
    assert "".join(HOSTILE.split()) in "".join(_text(pdf).split())
    assert _own_files(fetched("PDF resource served: ")) == [STYLESHEET]
    assert fetched("PDF resource refused: ") == []
    assert [r.getMessage() for r in caplog.records if "example.com" in r.getMessage()] == []


def test_comment_matrix_prints_a_comments_markdown_not_its_marks(edition, fetched):
    """The comment's Markdown subset is printed as on the site (statements.text.render_comment):
    emphasis and lists without their marks, links only to http(s), raw HTML as text."""
    statement = make_statement(edition)
    version = statement.versions.get()
    body = (
        "We *strongly* support **this** paragraph.\n\n"
        "- first point\n- second point\n\n"
        "See [the charter](https://example.org/charter) and [this](javascript:alert(1)) "
        "<b>not bold</b>"
    )
    CommentFactory(statement=statement, version=version, author=statement.created_by, body=body)
    pdf = render_comment_matrix_pdf(statement=statement, version=version, language="en")
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(_text(pdf).split())
    assert "We strongly support this paragraph." in text
    assert "*" not in text
    assert "first point" in text
    assert "second point" in text
    assert "- first point" not in text
    assert "See the charter and" in text
    # Raw HTML is escaped by the Markdown renderer: printed as text, never as markup.
    assert "<b>not bold</b>" in text
    links = [
        annotation.get_object()["/A"].get("/URI")
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/A")
    ]
    assert "https://example.org/charter" in links
    assert not [link for link in links if link and "javascript" in str(link)]
    assert fetched("PDF resource refused: ") == []
