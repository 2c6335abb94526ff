"""The delegate's day on the demo itself, in a real Chromium, at desktop and phone sizes: the
2011 draft is open for comments, so a demo delegate reads it, comments, supports, proposes an
amendment and finds it in the overview, sorted and filtered; the demo's drafting committee sees
its diff and answers it; the delegate reads the answer in the response table, then follows
the paragraph the committee puts on the projector. No page scrolls sideways on the phone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

STATEMENT = "/2011-malaysia/statement/"
PROPOSED = (
    "We have built an Asian network of practitioners that met between the forums and shared "
    "knowledge in Malay, Tamil, Chinese and English."
)


@pytest.fixture
def password(demo_site, settings):
    return settings.DEMO_ADMIN_PASSWORD


def _log_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/accounts/login/?next=" + STATEMENT)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(re.escape(STATEMENT) + "$"))


SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _no_sideways_scroll(page) -> None:
    page.wait_for_load_state("load")  # not half-parsed, before the stylesheet applies
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)


@pytest.mark.parametrize("size", SIZES.keys())
def test_demo_delegate_and_committee_journey(page, browser, live_server, password, size):
    base = live_server.url
    page.set_viewport_size(SIZES[size])
    _log_in(page, base, "kl-delegate-1", password)
    _no_sideways_scroll(page)
    expect(page.locator(".statement-status, .notice").first).to_be_visible()
    expect(page.locator("#p3")).to_contain_text("Asian network of practitioners")

    # Paragraph 3: a comment and an amendment.
    page.get_by_role("link", name="0 comments on paragraph 3").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Paragraph 3 of version 1")
    page.get_by_label("Your comment").fill("Say which languages the network uses.")
    page.get_by_role("button", name="Post the comment").click()
    expect(page.locator(".messages")).to_contain_text("Your comment has been posted.")
    page.get_by_label("Proposed text").fill(PROPOSED)
    page.get_by_label("Rationale").fill("The languages of the host country.")
    page.get_by_role("button", name="Propose the amendment").click()
    expect(page.locator(".messages")).to_contain_text("Your amendment has been proposed.")
    amendment = page.locator("article.amendment").last
    # "several languages" → "Malay, Tamil, Chinese and English", word by word.
    expect(amendment.locator("del")).to_have_text(["several", "languages"])
    expect(amendment.locator("ins")).to_have_text(["Malay,", "Tamil, Chinese and English"])
    _no_sideways_scroll(page)

    # Paragraph 8 (the call on governments): support another delegate's amendment.
    page.goto(base + STATEMENT + "paragraphs/8/")
    page.get_by_role("button", name="Support", exact=True).first.click()
    expect(page.locator(".messages")).to_contain_text("You support this amendment.")
    expect(page.locator("article.amendment").first).to_contain_text("2 supporters")

    # The overview, most supported first, then the amendments still awaiting an answer.
    page.get_by_role("link", name="All comments and amendments").click()
    page.get_by_label("Order").select_option("supported")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".contribution").first).to_contain_text("5 supporters")
    page.get_by_label("The committee's answer").select_option("pending")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".contribution")).to_have_count(4)
    expect(page.locator(".contribution").filter(has_text="Chinese and English")).to_have_count(1)
    _no_sideways_scroll(page)

    # The committee, in its own browser, sees the new amendment's diff and accepts it.
    committee = browser.new_context(locale="en-GB", viewport=SIZES[size])
    try:
        cpage = committee.new_page()
        _log_in(cpage, base, "kl-drafting", password)
        cpage.get_by_role("link", name="Drafting committee").first.click()
        pending = cpage.locator("#pending-heading + ul li").filter(has_text="paragraph 3 of")
        expect(pending.locator("ins")).to_have_text(["Malay,", "Tamil, Chinese and English"])
        _no_sideways_scroll(cpage)
        pending.get_by_role("link").click()
        cpage.get_by_label("Accepted", exact=True).check()
        cpage.get_by_label("Reason").fill("Accepted: the host country's languages.")
        cpage.get_by_role("button", name="Save the answer").click()
        expect(cpage.locator(".messages")).to_contain_text("The answer has been saved.")
        cpage.goto(base + STATEMENT + "responses/")
        _no_sideways_scroll(cpage)

        # The delegate reads the answer beside the diff.
        page.goto(base + STATEMENT + "responses/")
        row = page.locator("tr").filter(has_text="Chinese and English")
        expect(row).to_contain_text("Accepted")
        expect(row).to_contain_text("Accepted: the host country's languages.")
        expect(row).to_contain_text("Paragraph 3 of version 1")
        _no_sideways_scroll(page)

        # In plenary, the delegate's view follows the paragraph the committee projects.
        page.goto(base + STATEMENT + "plenary/")
        cpage.goto(base + STATEMENT + "plenary/")
        cpage.get_by_role("button", name="Discuss paragraph 3 now").click()
        expect(page.locator("#p3")).to_have_class(
            re.compile("plenary__paragraph--current"), timeout=10_000
        )
        _no_sideways_scroll(page)
    finally:
        committee.close()
