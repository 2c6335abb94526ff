"""The programme, a session and the registration form read in Chromium in Japanese and in
Korean: organizers' translated content, local dates, and English where nobody translated
(marked with its language)."""

# ruff: noqa: RUF001 - Japanese text and its full-width punctuation

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PROGRAMME = "/2009-tokyo/programme/"


def test_programme_session_and_form_in_japanese(page, live_server):
    page.goto(f"{live_server.url}/ja{PROGRAMME}")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("h2#day-1")).to_have_text("2009年11月7日(土)")
    # The grid on a desktop (the list beneath it is for phones).
    grid = page.locator(".programme-grid")
    expect(grid.get_by_role("link", name="アジアの視点から見た連帯経済").first).to_be_visible()
    untranslated = grid.locator('span[lang="en"]', has_text="Ethics in cooperative finance")
    expect(untranslated.first).to_be_attached()

    page.goto(
        f"{live_server.url}/ja{PROGRAMME}sessions/fact-finding-visit-workers-cooperatives-in-tama/"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("視察：多摩のワーカーズコープ")
    expect(page.locator("main")).to_contain_text("2009年11月8日(日) 9:00")
    expect(page.locator("main")).to_contain_text("正面入口、8時45分")
    expect(page.locator("main")).to_contain_text("会場外")

    page.goto(f"{live_server.url}/ja/2009-tokyo/register/")
    expect(page.get_by_role("radio", name="代表参加者")).to_be_attached()
    expect(page.get_by_label("最も関心のある視察はどれですか？")).to_be_visible()
    expect(
        page.get_by_label("最も関心のある視察はどれですか？").locator(
            "option", has_text="NPOバンク"
        )
    ).to_have_attribute("value", "An NPO bank")
    untranslated = page.locator('label span[lang="en"]', has_text="What do you hope to bring back")
    expect(untranslated).to_be_visible()


def test_programme_session_and_form_in_korean(page, live_server):
    page.goto(f"{live_server.url}/ko{PROGRAMME}")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("h2#day-1")).to_have_text(re.compile(r"^2009년 11월 7일 \(토"))
    grid = page.locator(".programme-grid")
    expect(grid.get_by_role("link", name="아시아의 관점에서 본 연대경제").first).to_be_visible()
    expect(grid.first).to_contain_text("메인 홀")

    page.goto(
        f"{live_server.url}/ko{PROGRAMME}sessions/solidarity-economy-from-the-asian-perspective/"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("아시아의 관점에서 본 연대경제")
    expect(page.locator("main")).to_contain_text(re.compile(r"2009년 11월 7일 \(토[^)]*\) 09:30"))
    expect(page.locator("main")).to_contain_text("아시아 각지의 실천가들이")

    page.goto(f"{live_server.url}/ko/2009-tokyo/register/")
    expect(page.get_by_role("radio", name="대표 참가자")).to_be_attached()
    expect(page.get_by_label("가장 관심 있는 현장 방문은 무엇입니까?")).to_be_visible()
    # Not translated into Korean: shown in English, said so.
    dinner = page.locator('label span[lang="en"]', has_text="welcome dinner")
    expect(dinner).to_be_visible()
    expect(
        page.get_by_role("checkbox", name="Will you join the welcome dinner on 7 November? (영어)")
    ).to_be_visible()
