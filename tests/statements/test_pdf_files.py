"""The statement's PDFs are files of the private storage made by a task: a request that finds
none starts one render (a lock) and answers with the "being prepared" page; a change to what a
PDF prints makes a new file."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from forum.documents import private_storage
from statements.documents.services import MATRIX, STATEMENT, printed_name
from statements.enums import SignatoryKind
from statements.models import Signatory, Statement
from statements.tasks import task_render_statement_pdf

pytestmark = pytest.mark.django_db


def _without_files(statement):
    """Other tests of the run may have rendered the demo statement's PDFs already."""
    shutil.rmtree(private_storage().path(f"statements/{statement.pk}"), ignore_errors=True)
    return statement


def _render(statement, kind, language="en"):
    version = statement.versions.order_by("-number").first()
    name = printed_name(statement, version, kind, language)
    task_render_statement_pdf.apply(
        kwargs={
            "statement_id": statement.pk,
            "version_id": version.pk,
            "kind": kind,
            "language": language,
            "name": name,
        }
    )
    return name


def test_a_missing_statement_pdf_is_rendered_once_by_a_task(client, edition, base_url, held_tasks):
    statement = _without_files(Statement.objects.get(edition=edition))  # adopted and signed
    first = client.get(base_url + "statement.pdf")
    assert first.status_code == 503
    assert first["Retry-After"] == "10"
    assert f'href="{base_url}"' in first.content.decode()
    assert held_tasks() == 1
    assert client.get(base_url + "statement.pdf").status_code == 503
    assert held_tasks() == 1

    name = _render(statement, STATEMENT)
    assert name.startswith(f"statements/{statement.pk}/statement-")
    ready = client.get(base_url + "statement.pdf")
    assert ready.status_code == 200
    assert ready["Content-Type"] == "application/pdf"
    assert ready.content == Path(private_storage().path(name)).read_bytes()
    assert not (Path(settings.MEDIA_ROOT) / "statements").exists()

    # A new signatory is a new file; the old one goes when it is replaced.
    version = statement.versions.order_by("-number").first()
    Signatory.objects.create(
        statement=statement,
        kind=SignatoryKind.ORGANIZATION,
        name="Asia Solidarity Network",
        country="PH",
        email="asn@example.org",
        email_confirmed_at=statement.updated_at,
    )
    assert printed_name(statement, version, STATEMENT, "en") != name
    assert client.get(base_url + "statement.pdf").status_code == 503
    assert held_tasks() == 2
    renewed = _render(statement, STATEMENT)
    assert client.get(base_url + "statement.pdf").content == (
        Path(private_storage().path(renewed)).read_bytes()
    )
    assert not private_storage().exists(name)


def test_a_missing_comment_matrix_is_rendered_by_a_task(
    client, edition, base_url, committee_user, held_tasks
):
    statement = _without_files(Statement.objects.get(edition=edition))
    client.force_login(committee_user)
    url = base_url + "committee/comment-matrix.pdf"
    assert client.get(url).status_code == 503
    assert held_tasks() == 1
    name = _render(statement, MATRIX)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == Path(private_storage().path(name)).read_bytes()
    assert response["Cache-Control"] == "no-store"
