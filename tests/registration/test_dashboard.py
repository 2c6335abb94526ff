"""The registration dashboard: exact counts, charts drawn on the server, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registration.organizer.selectors import Bar, dashboard
from tests.registration.admin_helpers import (
    add_registrations,
    clear_registrations,
    ticket_type,
    user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(client):
    client.force_login(user("tokyo-organizer"))
    return client


@pytest.fixture
def counted(edition):
    clear_registrations(edition)
    delegate = ticket_type(edition, "Delegate", capacity=5, position=1)
    press = ticket_type(edition, "Press", position=2)
    add_registrations(edition, delegate, 3, payment_status="paid")
    add_registrations(edition, delegate, 2, country="PH", organization_kind="fair_trade")
    add_registrations(edition, delegate, 4, status="waitlisted", country="NP")
    add_registrations(edition, press, 1, status="pending", country="KR")
    add_registrations(edition, press, 2, status="cancelled", country="KR")
    add_registrations(
        edition,
        press,
        1,
        checked_in_at=datetime.datetime(2009, 11, 7, 0, 0, tzinfo=datetime.UTC),
    )
    return delegate, press


def test_dashboard_counts(edition, counted):
    data = dashboard(edition=edition)
    assert (data.total, data.checked_in) == (13, 1)
    assert [(b.label, b.value) for b in data.by_status] == [
        ("Email address not yet confirmed", 0),
        ("Awaiting approval", 1),
        ("On the waiting list", 4),
        ("Confirmed", 6),
        ("Refused", 0),
        ("Cancelled", 2),
    ]
    seats = [
        (s.ticket_type.name, s.confirmed, s.ticket_type.capacity, s.waiting, s.pending, s.free)
        for s in data.by_ticket_type
    ]
    assert seats == [("Delegate", 5, 5, 4, 0, 0), ("Press", 1, None, 0, 1, None)]
    # Cancelled registrations count only under their status.
    assert data.by_country == [
        Bar("Japan", 4),
        Bar("Nepal", 4),
        Bar("Philippines", 2),
        Bar("South Korea", 1),
    ]
    assert data.by_organization_kind == [Bar("Cooperative", 9), Bar("Fair-trade organization", 2)]
    assert data.by_payment == [Bar("Nothing to pay", 8), Bar("Paid", 3)]


def test_dashboard_page_draws_charts_without_scripts(organizer, edition, counted):
    response = organizer.get(reverse("registration_admin_dashboard", args=[edition.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "13 registrations in all; 1 checked in." in html
    # The longest bar of a chart is 300 units; Philippines (2 of 4) half of it.
    by_country = dict(response.context["charts"])["By country"]
    assert [(b["label"], b["value"], b["width"]) for b in by_country] == [
        ("Japan", 4, 300),
        ("Nepal", 4, 300),
        ("Philippines", 2, 150),
        ("South Korea", 1, 75),
    ]
    assert '<rect class="ra-bar" x="0" y="2" width="150" height="12"></rect>' in html
    # Delegate: 5 seats used of 5, 4 waiting: the scale is 9.
    seat = response.context["seat_chart"][0]
    assert (seat["confirmed_width"], seat["waiting_width"], seat["capacity_x"]) == (167, 133, 167)
    body = html.split('id="ra-seats"')[1]
    assert "<script" not in body
    assert "style=" not in body
    assert "cdn" not in html.lower()


def test_dashboard_of_another_edition_is_refused(organizer, other_edition):
    response = organizer.get(reverse("registration_admin_dashboard", args=[other_edition.slug]))
    assert response.status_code in (302, 403)


def _dashboard_queries(client, edition) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("registration_admin_dashboard", args=[edition.slug]))
        assert response.status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_the_edition(organizer, edition):
    clear_registrations(edition)
    delegate = ticket_type(edition, capacity=3000)
    add_registrations(edition, delegate, 10)
    small = _dashboard_queries(organizer, edition)
    add_registrations(edition, delegate, 2490, country="NP")
    add_registrations(edition, delegate, 2500, status="waitlisted", country="TH")
    assert _dashboard_queries(organizer, edition) == small
    assert dashboard(edition=edition).total == 5000
