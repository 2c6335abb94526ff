"""The public programme grid in a real Chromium: heights proportional to time, each session's
top on the label of its start, and the list instead of the grid on a phone."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PROGRAMME = "/2009-tokyo/programme/"


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None
    return found


def test_an_1130_session_lines_up_with_the_1130_label(page, live_server):
    page.goto(live_server.url + PROGRAMME)
    first_day = page.locator(".programme-day").first
    label = first_day.locator(".programme-grid__time[data-time='11:30']")
    session = first_day.locator(
        ".programme-grid__session[data-session='socially-responsible-investment-in-asia']"
    )
    expect(session).to_be_visible()
    assert abs(box(session)["y"] - box(label)["y"]) < 1

    # 90 minutes are three half-hour labels tall, and 09:30 to 11:00 sits above 11:00.
    half_hour = box(label)["height"]
    assert half_hour > 20
    assert abs(box(session)["height"] - 3 * half_hour) < 1
    plenary = first_day.locator(
        ".programme-grid__session[data-session='solidarity-economy-from-the-asian-perspective']"
    )
    eleven = first_day.locator(".programme-grid__time[data-time='11:00']")
    assert abs(box(plenary)["y"] + box(plenary)["height"] - box(eleven)["y"]) < 1
    coffee = first_day.locator(".programme-grid__session[data-session='coffee-break']")
    assert abs(box(coffee)["y"] - box(eleven)["y"]) < 1


def test_a_phone_gets_the_list_not_the_grid(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + PROGRAMME)
    first_day = page.locator(".programme-day").first
    expect(first_day.locator(".programme-grid")).to_be_hidden()
    expect(first_day.locator(".programme-list")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
