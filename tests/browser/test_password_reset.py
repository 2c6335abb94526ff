"""A participant who forgot the password gets back in: the reset is asked for in Chromium, the
emailed link is followed, a new password is set and logging in with it works."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NEW_PASSWORD = "cooperative-harvest-2026"


@pytest.fixture
def forgetful(demo_site, live_server, settings):
    """An account whose password its owner no longer knows (made before Playwright's event
    loop starts); links in mail point at the live server."""
    from tests.factories import UserFactory

    settings.SITE_URL = live_server.url
    UserFactory(username="rina", email="rina@example.org", password="forgotten-long-ago-1")
    mail.outbox = []


@pytest.mark.parametrize(
    ("prefix", "forgot", "send", "set_password", "log_in"),
    [
        ("", "Forgotten your password?", "Send me the link", "Set my password", "Log in"),
        ("/ja", None, None, None, "ログイン"),
    ],
)
def test_participant_resets_the_password_from_the_emailed_link_and_logs_in_with_it(
    forgetful, page, live_server, prefix, forgot, send, set_password, log_in
):
    page.goto(live_server.url + prefix + "/accounts/login/")
    if forgot:
        page.get_by_role("link", name=forgot).click()
    else:
        page.locator("a[href$='/accounts/password_reset/']").click()
    expect(page).to_have_url(live_server.url + prefix + "/accounts/password_reset/")
    page.locator("#id_email").fill("rina@example.org")
    page.locator("form.stacked-form button[type=submit]").click()
    expect(page).to_have_url(live_server.url + prefix + "/accounts/password_reset/done/")
    if send:
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    else:
        expect(page.get_by_role("heading", level=1)).to_have_text("メールをご確認ください")

    assert [m.to for m in mail.outbox] == [["rina@example.org"]]
    body = mail.outbox[0].body
    link = re.search(re.escape(live_server.url) + r"(/\S+/reset/\S+/\S+/)", body)
    assert link.group(1).startswith(prefix + "/accounts/reset/")
    page.goto(live_server.url + link.group(1))
    expect(page).to_have_url(re.compile(r"/accounts/reset/[^/]+/set-password/$"))
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.locator("form.stacked-form button[type=submit]").click()
    expect(page).to_have_url(live_server.url + prefix + "/accounts/reset/done/")

    page.get_by_role("link", name=log_in, exact=True).click()
    page.locator("#id_username").fill("rina")
    page.locator("#id_password").fill(NEW_PASSWORD)
    page.get_by_role("button", name=log_in).click()
    expect(page).to_have_url(live_server.url + "/")
    assert any(c["name"] == "sessionid" for c in page.context.cookies())
