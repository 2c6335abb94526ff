"""The schedule grid editor in a real Chromium: moving sessions with the mouse and the keyboard.

The database cannot be read while Playwright's loop runs in this thread, so each result is
checked as the organizer would: by reloading the page and finding the card in its new cell.
"""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import _missing

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(tempfile.gettempdir())  # to look at after a run
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# The editor only: Wagtail's own admin furniture is Wagtail's to check.
RUN_AXE_ON_THE_EDITOR = """async () => {
    const results = await axe.run({include: [[".sg"]]}, {
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    });
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, targets: v.nodes.map(n => n.target.join(" ")).slice(0, 3),
    }));
}"""

GRID = "/admin/programme/2009-tokyo/grid/"
DRAFT = "Draft: youth and the SSE"


def log_in(page: Page, base_url: str) -> None:
    page.goto(base_url + "/admin/login/")
    page.locator("#id_username").fill("tokyo-organizer")
    page.locator("#id_password").fill("afse-demo-2009")
    page.locator("form button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def open_grid(page: Page, base_url: str) -> None:
    page.goto(base_url + GRID)
    expect(page.locator(".sg-table").first).to_be_visible()


def room_id(page: Page, name: str) -> str:
    return page.locator(f"thead th[data-room-name='{name}']").first.get_attribute("data-room")


def cell(page: Page, room: str, start: str):
    return page.locator(f"td.sg-cell[data-room='{room}'][data-start='{start}']")


def card_titled(scope, title: str):
    return scope.locator(".sg-card", has=scope.page.get_by_text(title, exact=True))


def saved(page: Page) -> None:
    expect(page.locator("#sg-live")).to_have_text("Saved")


def test_organizer_drags_the_draft_onto_the_grid_then_moves_it_with_the_keyboard(page, live_server):
    log_in(page, live_server.url)
    open_grid(page, live_server.url)
    room_c = room_id(page, "Room C")
    unscheduled = page.locator("[data-dropzone='unscheduled']")
    draft = card_titled(unscheduled, DRAFT)
    expect(draft).to_have_count(1)
    target = cell(page, room_c, "2009-11-07T09:00")
    expect(target.locator(".sg-card")).to_have_count(0)

    # With the mouse: from the unscheduled list to Room C at 09:00 on the first day.
    draft.drag_to(target)
    saved(page)
    expect(card_titled(target, DRAFT)).to_have_count(1)
    expect(page.locator(".sg-empty")).to_be_visible()

    page.reload()
    expect(card_titled(unscheduled, DRAFT)).to_have_count(0)
    placed = card_titled(cell(page, room_c, "2009-11-07T09:00"), DRAFT)
    expect(placed).to_have_count(1)
    expect(placed.locator(".sg-card__time")).to_have_text("09:00\u201310:00")
    page.screenshot(path=SCREENSHOTS / "schedule-grid-after-drag.png", full_page=False)

    # With the keyboard: pick up, two rows down, drop.
    placed = page.locator(f"#{placed.get_attribute('id')}")  # wherever it goes
    placed.focus()
    page.keyboard.press("Enter")
    expect(placed).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#sg-live")).to_contain_text("Picked up")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#sg-live")).to_have_text("Room C, 09:30\u201310:30")
    page.keyboard.press("Enter")
    saved(page)
    expect(placed).to_have_attribute("aria-pressed", "false")
    expect(placed).to_be_focused()

    page.reload()
    expect(card_titled(cell(page, room_c, "2009-11-07T09:00"), DRAFT)).to_have_count(0)
    moved = card_titled(cell(page, room_c, "2009-11-07T09:30"), DRAFT)
    expect(moved).to_have_count(1)
    expect(moved).to_have_attribute(
        "aria-label", "Draft: youth and the SSE, 09:30\u201310:30, Draft, Room C"
    )


def test_keyboard_changes_room_and_length_escape_cancels_and_u_unschedules(page, live_server):
    log_in(page, live_server.url)
    open_grid(page, live_server.url)
    room_b, room_c = room_id(page, "Room B"), room_id(page, "Room C")
    title = "Ethics in cooperative finance"
    card = card_titled(cell(page, room_c, "2009-11-09T16:00"), title)
    expect(card).to_have_count(1)

    card = page.locator(f"#{card.get_attribute('id')}")  # wherever it goes

    # Escape puts a picked-up card back.
    card.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowLeft")
    expect(card_titled(cell(page, room_b, "2009-11-09T16:00"), title)).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator("#sg-live")).to_have_text("Move cancelled.")
    expect(card_titled(cell(page, room_c, "2009-11-09T16:00"), title)).to_have_count(1)

    # Left to Room B, Shift+Down makes it 15 minutes longer.
    card.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Enter")
    saved(page)
    page.reload()
    moved = card_titled(cell(page, room_b, "2009-11-09T16:00"), title)
    expect(moved.locator(".sg-card__time")).to_have_text("16:00\u201317:45")

    # U takes it off the grid.
    moved.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("u")
    saved(page)
    page.reload()
    expect(card_titled(page.locator("[data-dropzone='unscheduled']"), title)).to_have_count(1)


def test_dragging_the_handle_changes_the_end_and_double_booking_shows_a_red_badge(
    page, live_server
):
    log_in(page, live_server.url)
    open_grid(page, live_server.url)
    room_a = room_id(page, "Room A")
    title = "Socially responsible investment in Asia"
    card = card_titled(cell(page, room_a, "2009-11-07T11:30"), title)
    expect(card).to_have_count(1)
    card = page.locator(f"#{card.get_attribute('id')}")
    card.scroll_into_view_if_needed()

    # The handle at the bottom, dragged down two rows: 13:00 becomes 13:30.
    handle = card.locator(".sg-card__resize")
    box = handle.bounding_box()
    row = cell(page, room_a, "2009-11-07T13:00").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y + row["height"], steps=4)
    page.mouse.move(x, y + 2 * row["height"], steps=4)
    page.mouse.up()
    saved(page)
    expect(card.locator(".sg-card__time")).to_have_text("11:30\u201313:30")

    # The draft dropped in the same room at 11:00 (for an hour) overlaps it: a hard conflict,
    # in red, with its message in the card's description.
    draft = card_titled(page.locator("[data-dropzone='unscheduled']"), DRAFT)
    draft.drag_to(cell(page, room_a, "2009-11-07T11:00"))
    expect(page.locator("#sg-live")).to_contain_text("Saved.")
    expect(page.locator("#sg-live")).to_contain_text("are both in Room A at the same time")
    moved = card_titled(cell(page, room_a, "2009-11-07T11:00"), DRAFT)
    expect(moved).to_have_class(re.compile(r"\bsg-card--hard\b"))
    expect(moved.locator(".sg-badge--hard")).to_have_text("Room clash")
    expect(card.locator(".sg-badge--hard")).to_have_text("Room clash")
    expect(page.locator("[data-summary='hard']")).to_have_text("Blocking conflicts: 1")
    description = page.locator(f"#{moved.get_attribute('id')}-conflicts")
    expect(description).to_contain_text("are both in Room A at the same time")
    page.screenshot(path=SCREENSHOTS / "schedule-grid-conflict.png", full_page=False)


def test_the_editor_has_no_wcag_violations_even_with_a_card_picked_up(page, live_server):
    if not AXE.is_file():
        _missing("needs axe-core: npm ci (make test runs it when npm is installed)")
    log_in(page, live_server.url)
    open_grid(page, live_server.url)
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate(RUN_AXE_ON_THE_EDITOR) == []
    card = page.locator(".sg-card", has_text=DRAFT)
    card.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")  # onto the grid: the first room at 09:00 on the first day
    expect(page.locator("#sg-live")).to_have_text("Main Hall, 09:00\u201310:00")
    page.screenshot(path=SCREENSHOTS / "schedule-grid-keyboard.png", full_page=False)
    assert page.evaluate(RUN_AXE_ON_THE_EDITOR) == []
    page.keyboard.press("Escape")
    expect(card).to_have_attribute("aria-label", "Draft: youth and the SSE, Draft, unscheduled")


@pytest.fixture
def overlapping(demo_site):
    """Two sessions at once in Room C on the first day (written before Playwright starts)."""
    from forum.models import Edition
    from sessions_app.models import Room
    from tests.factories.programme import SessionFactory, local

    tokyo = Edition.objects.get(slug="2009-tokyo")
    room_c = Room.objects.get(edition=tokyo, name="Room C")
    for title, start, end in (("Overlap one", "09:00", "10:30"), ("Overlap two", "09:30", "11:00")):
        SessionFactory(
            edition=tokyo,
            title=title,
            room=room_c,
            start=local(tokyo, 0, start),
            end=local(tokyo, 0, end),
        )


def test_overlapping_cards_sit_side_by_side_in_a_wider_column(overlapping, page, live_server):
    log_in(page, live_server.url)
    open_grid(page, live_server.url)
    first_day = page.locator(".sg-table").first
    one = card_titled(first_day, "Overlap one").bounding_box()
    two = card_titled(first_day, "Overlap two").bounding_box()
    assert one["x"] + one["width"] <= two["x"]  # side by side, not on top of each other
    assert min(one["width"], two["width"]) >= 120  # each still as wide as a readable card
    header = first_day.locator("thead th[data-room-name='Room C']")
    expect(header).to_have_class(re.compile(r"\bsg-room--lanes-2\b"))
