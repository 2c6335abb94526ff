"""The admin works under its Content-Security-Policy: its pages load in Chromium without a single
CSP violation in the console."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ADMIN_PAGES = [
    "/admin/",
    "/admin/pages/",
    "/admin/pages/{home}/",
    "/admin/pages/{home}/edit/",
    "/admin/images/",
    "/admin/images/multiple/add/",
    "/admin/documents/",
    "/admin/edition/",
    "/admin/locked_logins/",
    "/admin/registration/2009-tokyo/",
    "/admin/programme/2009-tokyo/grid/",
    "/admin/users/",
]


@pytest.fixture
def admin_paths(demo_site):
    """The pages to visit, with the home page's id (read before Playwright's loop starts)."""
    from cms.models import HomePage

    home = HomePage.objects.filter(locale__language_code="en").first().pk
    return [path.format(home=home) for path in ADMIN_PAGES]


def test_admin_pages_load_without_csp_violations(admin_paths, page, live_server):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append((page.url, message.text))
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "organizer")
    page.fill("#id_password", "afse-demo-2009")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    for path in admin_paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    assert violations == [], "\n".join(f"{u}: {t[:160]}" for u, t in violations)
