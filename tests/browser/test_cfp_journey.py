"""The call for proposals in a real Chromium: a submitter proposes a workshop and invites a
co-speaker, who confirms through the emailed link; two reviewers score it; the committee
accepts it and sends the decision; the session waits, unscheduled, in the schedule grid.

The database is prepared in a fixture, before Playwright's event loop runs in this thread;
the invitation link is read from Django's captured mail (the outbox task runs eagerly in the
live server's thread of this process).
"""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.conftest import _missing

pytestmark = pytest.mark.browser

PASSWORD = "journey-password-2009"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
    const results = await axe.run(document, {
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    });
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, targets: v.nodes.map(n => n.target.join(" ")).slice(0, 3),
    }));
}"""
TITLE = "Care cooperatives for an ageing Asia"


@pytest.fixture
def journey(demo_site):
    from forum.models import Edition
    from tests.factories import UserFactory
    from tests.factories.cfp import open_call, reviewer

    edition = Edition.objects.get(slug="2009-tokyo")
    open_call(edition)
    people = {
        "submitter": UserFactory(username="journey-submitter", email="sub@example.org"),
        "cospeaker": UserFactory(username="journey-cospeaker", email="co@example.org"),
        "reviewer_a": reviewer(edition, username="journey-reviewer-a"),
        "reviewer_b": reviewer(edition, username="journey-reviewer-b"),
    }
    for user in people.values():
        user.set_password(PASSWORD)
        user.save()
    mail.outbox = []
    return {key: user.username for key, user in people.items()}


def _no_wcag_violations(page: Page) -> None:
    if not AXE.is_file():
        _missing("needs axe-core: npm ci (make test runs it when npm is installed)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate(RUN_AXE) == [], page.url


def _log_in(page: Page, base: str, username: str, password: str, next_url: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))


def _review(browser, base: str, username: str, score: str) -> None:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    _log_in(page, base, username, PASSWORD, "/2009-tokyo/cfp/review/")
    page.get_by_role("link", name=TITLE).click()
    _no_wcag_violations(page)
    radios = page.locator(f"input[type='radio'][value='{score}']")
    for index in range(radios.count()):
        radios.nth(index).check()
    page.get_by_label("Comment for the committee").fill("A strong, feasible workshop.")
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".messages")).to_contain_text("Your review is saved.")
    context.close()


def test_a_workshop_from_proposal_to_the_schedule_grid(journey, page, browser, live_server):
    base = live_server.url

    # The submitter writes a draft, invites a co-speaker and submits.
    _log_in(page, base, journey["submitter"], PASSWORD, "/2009-tokyo/cfp/new/")
    _no_wcag_violations(page)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Type").select_option(label="Workshop (60, 90 minutes)")
    page.get_by_label("Duration (minutes)").select_option("90")
    page.get_by_label("Abstract").fill("Care cooperatives from Japan, Korea and Malaysia.")
    page.get_by_label("Language of the session").select_option("en")
    page.get_by_label("Interpretation needed into").fill("ja")
    page.get_by_label("Expected participants").fill("40")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator(".messages")).to_contain_text("Your draft is saved.")
    page.locator("#id_name").fill("Co Speaker")
    page.locator("#id_email").fill("co@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".messages")).to_contain_text("co@example.org")
    page.get_by_role("button", name="Submit the proposal").click()
    expect(page.locator(".messages")).to_contain_text("Your proposal is submitted.")
    expect(page.locator("#proposal-state")).to_have_text("Submitted")
    _no_wcag_violations(page)

    # The co-speaker follows the emailed link and confirms.
    invitation = next(m for m in mail.outbox if m.to == ["co@example.org"])
    link = re.search(r"https?://\S+/cfp/speaker/[-\w]+/", invitation.body).group(0)
    path = "/" + link.split("/", 3)[3]
    co_context = browser.new_context(locale="en-GB")
    co_page = co_context.new_page()
    _log_in(co_page, base, journey["cospeaker"], PASSWORD, path)
    co_page.get_by_label("Name in native script").fill("共同 登壇者")
    co_page.get_by_role("button", name="Confirm").click()
    expect(co_page.locator(".messages")).to_contain_text("you are confirmed as a speaker")
    co_context.close()

    # Two reviewers score it.
    _review(browser, base, journey["reviewer_a"], "4")
    _review(browser, base, journey["reviewer_b"], "5")

    # The committee sees the scores, accepts it and sends the decision.
    committee = browser.new_context(locale="en-GB")
    board = committee.new_page()
    _log_in(board, base, "tokyo-organizer", "afse-demo-2009", "/2009-tokyo/cfp/committee/")
    row = board.locator("tr", has=board.get_by_text(TITLE, exact=True))
    expect(row).to_contain_text("2 / 0")
    expect(row).to_contain_text("4.50")
    _no_wcag_violations(board)
    board.get_by_role("checkbox", name=TITLE).check()
    board.locator("#decision").select_option("accepted")
    board.get_by_role("button", name="Decide").click()
    expect(board.locator(".messages")).to_contain_text("1 proposals decided")
    board.get_by_role("link", name=re.compile("Decision emails")).click()
    expect(board.locator("main, body").first).to_contain_text(f"Your proposal is accepted: {TITLE}")
    board.get_by_role("button", name="Send the decision emails").click()
    expect(board.locator(".messages")).to_contain_text("being sent")

    # The session waits in the grid's unscheduled list.
    board.goto(base + "/admin/programme/2009-tokyo/grid/")
    unscheduled = board.locator("[data-dropzone='unscheduled']")
    expect(unscheduled.locator(".sg-card", has=board.get_by_text(TITLE, exact=True))).to_have_count(
        1
    )
    committee.close()
    assert any(m.to == ["sub@example.org"] and "accepted" in m.subject for m in mail.outbox)
