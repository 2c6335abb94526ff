"""Exports of the registration list: the list's filters, spreadsheet formulas neutralised,
never passport details, a constant number of queries."""

import csv
import datetime
import io
from urllib.parse import urlencode

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registration.models import Answer, PassportDetails, Question
from registration.organizer.exporters import cell, neutralise
from tests.registration.admin_helpers import (
    add_registrations,
    clear_registrations,
    registration,
    ticket_type,
    user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(client):
    client.force_login(user("tokyo-organizer"))
    return client


def export_url(edition, fmt, **query):
    url = reverse(f"registration_admin_export_{fmt}", args=[edition.slug])
    return f"{url}?{urlencode(query)}" if query else url


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[list]:
    content = b"".join(response.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Tanaka", "Tanaka"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(value, safe):
    assert neutralise(value) == safe


def test_cells_keep_numbers_and_write_times_in_utc():
    from decimal import Decimal

    assert cell(Decimal("12.50")) == Decimal("12.50")
    assert cell(None) == ""
    assert cell(True) == "yes"
    assert cell(datetime.date(2009, 11, 7)) == "2009-11-07"
    moment = datetime.datetime(
        2009, 11, 7, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=9))
    )
    assert cell(moment) == "2009-11-07 00:30 UTC"


@pytest.fixture
def hostile(edition):
    clear_registrations(edition)
    delegate = ticket_type(edition, "Delegate")
    press = ticket_type(edition, "Press")
    person = registration(
        edition,
        delegate,
        name='=HYPERLINK("http://evil.example","x")',
        name_native="田中花子",
        organization_name="@SUM(1+1)",
        dietary_needs="-vegan",
        needs_visa_letter=True,
    )
    PassportDetails.objects.create(
        registration=person,
        full_name="HANAKO TANAKA",
        passport_number="TZ9876543",
        nationality="JP",
        date_of_birth=datetime.date(1975, 5, 5),
    )
    question = Question.objects.create(edition=edition, label="Visit", position=1)
    Answer.objects.create(registration=person, question=question, value="+cmd|' /C calc'!A0")
    registration(edition, press, name="Kim Min-jun", country="KR", status="waitlisted")
    return person


def test_csv_neutralises_formulas_and_leaves_out_passports(organizer, edition, hostile):
    response = organizer.get(export_url(edition, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="registrations-2009-tokyo-'
    )
    rows = csv_rows(response)
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Reference", "Status", "Ticket type", "Name"]
    assert header[-1] == "Visit"
    assert len(body) == 2
    row = dict(zip(header, next(r for r in body if r[0] == hostile.reference), strict=True))
    assert row["Name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["Name in native script"] == "田中花子"
    assert row["Organization"] == "'@SUM(1+1)"
    assert row["Dietary needs"] == "'-vegan"
    assert row["Visit"] == "'+cmd|' /C calc'!A0"
    assert row["Status"] == "Confirmed"
    assert row["Country"] == "Japan"
    assert row["Needs a visa letter"] == "yes"
    text = "\n".join(",".join(r) for r in rows)
    assert "TZ9876543" not in text
    assert "HANAKO TANAKA" not in text
    assert "1975" not in text
    assert hostile.badge_code not in text


def test_xlsx_neutralises_formulas_and_leaves_out_passports(organizer, edition, hostile):
    response = organizer.get(export_url(edition, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = xlsx_rows(response)
    header = rows[0]
    row = dict(zip(header, next(r for r in rows[1:] if r[0] == hostile.reference), strict=True))
    assert row["Name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["Organization"] == "'@SUM(1+1)"
    assert row["Visit"] == "'+cmd|' /C calc'!A0"
    assert row["Fee"] == 0
    flat = [str(v) for r in rows for v in r if v is not None]
    assert not any("TZ9876543" in v or "HANAKO TANAKA" in v for v in flat)


def test_exports_honour_the_filters(organizer, edition, hostile):
    rows = csv_rows(organizer.get(export_url(edition, "csv", status="waitlisted")))
    assert [r[3] for r in rows[1:]] == ["Kim Min-jun"]
    rows = xlsx_rows(organizer.get(export_url(edition, "xlsx", country="JP", q="田中")))
    assert [r[0] for r in rows[1:]] == [hostile.reference]


def test_export_with_bad_filters_is_refused(organizer, edition, other_edition, hostile):
    foreign = ticket_type(other_edition, "Manila delegate")
    response = organizer.get(export_url(edition, "csv", ticket_type=foreign.pk))
    assert response.status_code == 400
    assert response.context["errors"] == [
        "Ticket type: This ticket type is not one of this edition's."
    ]
    response = organizer.get(export_url(edition, "xlsx", checked_in="perhaps"))
    assert response.status_code == 400


def test_export_of_another_edition_is_refused(organizer, other_edition):
    for fmt in ("csv", "xlsx"):
        response = organizer.get(export_url(other_edition, fmt))
        assert response.status_code in (302, 403)


def _export_queries(client, edition, fmt) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(export_url(edition, fmt, status="confirmed"))
        assert response.status_code == 200
        rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    return len(queries), len(rows) - 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_queries_do_not_grow_with_the_edition(organizer, edition, fmt):
    clear_registrations(edition)
    delegate = ticket_type(edition)
    question = Question.objects.create(edition=edition, label="Visit")
    people = add_registrations(edition, delegate, 10)
    Answer.objects.bulk_create(
        [Answer(registration=p, question=question, value="farm") for p in people]
    )
    small, count = _export_queries(organizer, edition, fmt)
    assert count == 10
    people = add_registrations(edition, delegate, 4990)
    Answer.objects.bulk_create(
        [Answer(registration=p, question=question, value="bank") for p in people[::2]]
    )
    large, count = _export_queries(organizer, edition, fmt)
    assert count == 5000
    assert large == small
