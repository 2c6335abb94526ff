"""The statement of commitment from draft to sign-on, in a real Chromium: a delegate comments
on paragraph 3 and proposes an amendment, the committee accepts it in a new version, the diff
shows the change, the statement is adopted, and a visitor signs on and confirms by email.

The database is prepared in a fixture, before Playwright's event loop runs in this thread;
the confirmation link is read from Django's captured mail (the outbox task runs eagerly in the
live server's thread of this process).
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "journey-password-2009"
AMENDED = "We commit to paragraph 3 of the solidarity economy, with women's self-help groups."


@pytest.fixture
def journey(demo_site):
    """Tokyo's statement replaced by an open draft of four paragraphs, a delegate and a member
    of the drafting committee who log in with a password."""
    from forum.enums import EditionRoleKind
    from forum.models import Edition
    from statements.enums import StatementState
    from tests.factories.statements import make_statement, person_with_role

    edition = Edition.objects.get(slug="2009-tokyo")
    delegate = person_with_role(edition, EditionRoleKind.DELEGATE, username="journey-delegate")
    committee = person_with_role(
        edition, EditionRoleKind.DRAFTING_COMMITTEE, username="journey-committee"
    )
    for user in (delegate, committee):
        user.set_password(PASSWORD)
        user.save()
    make_statement(edition, paragraphs=4, state=StatementState.OPEN, author=committee)
    mail.outbox = []
    return {"delegate": delegate.username, "committee": committee.username}


def _log_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/?next=/2009-tokyo/statement/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/2009-tokyo/statement/$"))


def _change_state(page, state_label: str, **fields) -> None:
    page.get_by_role("link", name="Drafting committee").first.click()
    page.get_by_label(state_label, exact=True).check()
    for selector, value in fields.items():
        page.fill(f"#id_{selector}", value)
    page.get_by_role("button", name="Change the state").click()
    expect(page.locator(".messages")).to_contain_text("The statement is now:")


def test_statement_from_draft_to_sign_on(journey, page, browser, live_server, tmp_path):
    base = live_server.url
    statement_url = base + "/2009-tokyo/statement/"

    # A delegate reads the draft, comments on paragraph 3 and proposes a new wording.
    _log_in(page, base, journey["delegate"])
    expect(page.locator("#p3")).to_contain_text("We commit to paragraph 3")
    page.get_by_role("link", name="0 comments on paragraph 3").click()
    expect(page).to_have_url(re.compile(r"/statement/paragraphs/3/$"))
    page.get_by_label("Your comment").fill("Name the women's self-help groups here.")
    page.get_by_role("button", name="Post the comment").click()
    expect(page.locator(".messages")).to_contain_text("Your comment has been posted.")
    expect(page.locator("#main")).to_contain_text("Name the women's self-help groups here.")
    page.get_by_label("Proposed text").fill(AMENDED)
    page.get_by_label("Rationale").fill("They are a large part of the SSE in South Asia.")
    page.get_by_role("button", name="Propose the amendment").click()
    expect(page.locator(".messages")).to_contain_text("Your amendment has been proposed.")

    # The committee accepts it, closes the comments and takes it into version 2.
    committee = browser.new_context(locale="en-GB")
    cpage = committee.new_page()
    _log_in(cpage, base, journey["committee"])
    cpage.get_by_role("link", name="Drafting committee").first.click()
    cpage.get_by_role("link", name=re.compile(r"^Amendment \d+$")).click()
    cpage.get_by_label("Accepted", exact=True).check()
    cpage.get_by_label("Reason").fill("Accepted as proposed.")
    cpage.get_by_role("button", name="Save the answer").click()
    _change_state(cpage, "Comments closed")
    cpage.get_by_role("link", name="Write a new version").click()
    source = cpage.locator("#id_source").input_value()
    assert "[3] We commit to paragraph 3 of the solidarity economy." in source
    cpage.locator("#id_source").fill(
        source.replace("[3] We commit to paragraph 3 of the solidarity economy.", f"[3] {AMENDED}")
    )
    cpage.get_by_label("What changed").fill("Amendment on paragraph 3 taken in.")
    cpage.get_by_role("checkbox").check()
    cpage.get_by_role("button", name="Save the version").click()
    expect(cpage.locator(".messages")).to_be_visible()

    # The diff shows the new words of paragraph 3.
    cpage.goto(statement_url + "changes/")
    expect(cpage.locator("ins").first).to_contain_text("with women's self-help groups")

    # Adopted, then open for sign-on.
    _change_state(
        cpage, "Adopted", adopted_on="2009-11-10", adopted_at_place="Tokyo, closing plenary"
    )
    _change_state(cpage, "Open for sign-on")
    committee.close()

    # A visitor reads the adopted text and signs on.
    visitor = browser.new_context(locale="en-GB")
    vpage = visitor.new_page()
    vpage.goto(statement_url)
    expect(vpage.locator("#p3")).to_contain_text(AMENDED)
    expect(vpage.locator(".statement-status")).to_contain_text("Adopted on")
    vpage.get_by_role("link", name="Sign on to this statement").click()
    vpage.get_by_label("on behalf of an organization").check()
    vpage.get_by_label("Name (in Latin script)").fill("Osaka Workers' Cooperative")
    vpage.get_by_label("Name in native script").fill("大阪ワーカーズコープ")
    vpage.get_by_label("Language of the native name").fill("ja")
    vpage.get_by_label("Kind of organization").select_option("cooperative")
    vpage.get_by_label("Country").select_option("JP")
    vpage.get_by_label("Email address").fill("osaka@example.jp")
    vpage.get_by_role("button", name="Sign on").click()
    expect(vpage.locator("h1")).to_have_text("Check your email")

    sent = [m for m in mail.outbox if m.to == ["osaka@example.jp"]]
    assert len(sent) == 1
    assert sent[0].subject == "Confirm your signature of “Tokyo Statement of Commitment”"
    link = re.search(r"https?://\S+/2009-tokyo/statement/sign/confirm/[-\w]+/", sent[0].body)
    assert link, sent[0].body
    path = link.group(0).split("/2009-tokyo/", 1)[1]
    vpage.goto(base + "/2009-tokyo/" + path)
    vpage.get_by_role("button", name="Confirm my signature").click()
    expect(vpage.locator(".messages")).to_contain_text("your signature is confirmed")
    signatories = vpage.locator("#signatories")
    expect(signatories).to_contain_text("1 signatory so far.")
    expect(signatories.locator('[lang="ja"]')).to_have_text("大阪ワーカーズコープ")
    vpage.screenshot(path=str(tmp_path / "statement-signed.png"), full_page=True)
    visitor.close()
