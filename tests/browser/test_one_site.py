"""One site: a visitor walks from the home page to a session of the programme and to the
statement, switching language on the way, and each page leads to its own translation."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def switch_to(page, language: str) -> None:
    page.locator("nav.language-switcher").get_by_role("link", name=language, exact=True).click()


def test_home_edition_programme_session_japanese_statement_japanese(page, live_server):
    base = live_server.url

    page.goto(base + "/")
    page.locator("section.archive").get_by_role("link", name="AFSE 2009", exact=True).click()
    expect(page).to_have_url(base + "/2009-tokyo/")

    page.get_by_role("link", name="See the programme").click()
    expect(page).to_have_url(base + "/2009-tokyo/programme/")
    expect(page.locator("h1")).to_have_text("Programme of AFSE 2009")

    card = page.locator(".session-card:not(.is-cancelled) .session-card__title a").first
    title = card.inner_text()
    href = card.get_attribute("href")
    assert re.fullmatch(r"/2009-tokyo/programme/sessions/[-\w]+/", href), href
    card.click()
    expect(page).to_have_url(base + href)
    expect(page.locator("h1")).to_have_text(title)

    # 日本語: the same session, in Japanese.
    switch_to(page, "日本語")
    expect(page).to_have_url(base + "/ja" + href)
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    # The session's own title in Japanese where organizers translated it (the demo does),
    # else the English one marked as such.
    expect(page.locator("h1")).not_to_be_empty()
    heading = page.locator("h1").inner_text().strip()
    assert heading != title or page.locator("h1").get_attribute("lang") == "en"
    expect(
        page.get_by_role("navigation", name="アジア連帯経済フォーラム2009").get_by_role(
            "link", name="プログラム"
        )
    ).to_have_attribute("href", "/ja/2009-tokyo/programme/")

    # Back in English, the statement is one click away in the edition's menu.
    switch_to(page, "English")
    expect(page).to_have_url(base + href)
    page.get_by_role("navigation", name="AFSE 2009").get_by_role(
        "link", name="Statement of commitment"
    ).click()
    expect(page).to_have_url(base + "/2009-tokyo/statement/")

    switch_to(page, "日本語")
    expect(page).to_have_url(base + "/ja/2009-tokyo/statement/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(
        page.get_by_role("navigation", name="アジア連帯経済フォーラム2009").get_by_role(
            "link", name="コミットメント宣言"
        )
    ).to_have_attribute("aria-current", "page")
