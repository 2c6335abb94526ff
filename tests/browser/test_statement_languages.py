"""Reading the adopted Tokyo statement in Japanese and Korean: the translation with its
language, the Korean one's untranslated and out-of-date paragraphs marked, and the
authoritative English text one link away; the drafting committee's side-by-side form."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

JA = "/ja/2009-tokyo/statement/"


def test_reading_the_statement_in_japanese_and_korean(page, live_server):
    base = live_server.url
    page.goto(base + JA)
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("h1")).to_have_text("東京行動宣言")
    expect(page.locator("h1")).to_have_attribute("lang", "ja")
    paragraph = page.locator("#p13 .statement-text__body")
    expect(paragraph).to_have_attribute("lang", "ja")
    expect(paragraph).to_contain_text("第3回アジア連帯経済フォーラムは2011年にマレーシアで開催")
    expect(page.locator(".translation-mark")).to_have_count(0)
    expect(page.locator(".translation-notice")).to_contain_text("正文は英語です。")

    # The authoritative text, one link away.
    page.get_by_role("link", name="正文を読む（英語）").click()  # noqa: RUF001
    expect(page).to_have_url(re.compile(re.escape(JA) + r"\?text=original$"))
    expect(page.locator("h1")).to_have_text("Tokyo Statement of Commitment")
    expect(page.locator("#p13 .statement-text__body")).to_have_attribute("lang", "en")

    # Korean: four paragraphs translated, one of them out of date; the others in English.
    page.locator(".translation-languages").get_by_role("link", name="한국어").click()
    expect(page.locator("h1")).to_have_text("도쿄 행동 선언")
    expect(page.locator("#p1 .statement-text__body")).to_have_attribute("lang", "ko")
    expect(page.locator("#p2 .statement-text__body")).to_have_attribute("lang", "en")
    expect(page.locator("#p2 .translation-mark--fallback")).to_have_text(
        "未翻訳：正文を表示しています。"  # noqa: RUF001
    )
    expect(page.locator("#p13 .translation-mark--stale")).to_be_visible()
    expect(page.locator(".translation-mark--fallback")).to_have_count(7)
    expect(page.locator(".translation-mark--stale")).to_have_count(1)

    # The statement's page in Korean reads the Korean translation.
    page.goto(base + "/ko/2009-tokyo/statement/")
    expect(page.locator("h1")).to_have_text("도쿄 행동 선언")
    expect(page.locator("#p1 .statement-text__body")).to_have_attribute("lang", "ko")

    # The plenary view in Japanese.
    page.goto(base + JA + "plenary/")
    expect(page.locator(".plenary__title")).to_have_text("東京行動宣言")
    expect(page.locator("#p10 .statement-text__body")).to_contain_text("天然資源")


def test_committee_translates_beside_the_source(page, live_server, settings):
    base = live_server.url
    page.goto(base + "/accounts/login/?next=" + JA + "committee/translations/ko/")
    page.fill("#id_username", "tokyo-drafting")
    page.fill("#id_password", settings.DEMO_ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1")).to_have_text("韓国語への翻訳")
    row = page.locator(".translation-row#p2")
    expect(row.locator(".translation-row__source")).to_contain_text("We are consumer and workers")
    row.locator("textarea").fill("우리는 소비자협동조합과 노동자협동조합입니다.")
    stale = page.locator(".translation-row--stale#p13")
    expect(stale).to_contain_text("要更新")
    stale.locator("textarea").fill("제3회 아시아연대경제포럼은 2011년 말레이시아에서 개최됩니다.")
    page.get_by_role("button", name="翻訳を保存").click()
    expect(page.locator(".message")).to_contain_text("韓国語への翻訳を保存しました。")
    expect(page.locator(".translation-row--stale")).to_have_count(0)
    page.goto(base + JA + "?text=ko")
    expect(page.locator("#p2 .statement-text__body")).to_have_attribute("lang", "ko")
    expect(page.locator(".translation-mark--stale")).to_have_count(0)
