"""A visitor's journey through the public site, in a real Chromium driven by Playwright.

The live server runs in a thread of this process over plain HTTP; the demo forum is committed to
the database by the `demo_site` fixture so that the server thread sees it.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_visitor_opens_an_edition_and_switches_to_japanese(page, live_server, tmp_path):
    response = page.goto(live_server.url + "/")
    assert response is not None
    assert response.status == 200
    expect(page.locator("h1")).to_have_text("Asian Forum for Solidarity Economy")

    archive = page.locator("section.archive")
    expect(archive.get_by_role("heading", name="Past editions")).to_be_visible()
    archive.get_by_role("link", name="AFSE 2009", exact=True).click()

    expect(page).to_have_url(re.compile(r"/2009-tokyo/$"))
    assert not page.url.endswith("/ja/2009-tokyo/")
    expect(page.locator("h1")).to_have_text("AFSE 2009")

    # The switcher links each language to the translation of the page being read.
    switcher = page.get_by_role("navigation", name="Language")
    switcher.get_by_role("link", name="日本語", exact=True).click()

    expect(page).to_have_url(re.compile(r"/ja/2009-tokyo/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("h1")).to_have_text("アジア連帯経済フォーラム2009")

    screenshot = tmp_path / "edition-2009-ja.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.is_file()
    assert screenshot.stat().st_size > 0


def test_keyboard_user_skips_to_the_main_content(page, live_server):
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("Asian Forum for Solidarity Economy")

    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to main content")
    expect(focused).to_have_attribute("href", "#main")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("#main")).to_be_focused()
