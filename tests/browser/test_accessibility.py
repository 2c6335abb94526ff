"""Accessibility and responsiveness of the public pages, checked in a real Chromium with axe-core
(installed from the npm registry by `make test`) against WCAG 2.1 A and AA."""

from pathlib import Path

import pytest

from tests.conftest import _missing

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "/",
    "/2009-tokyo/",
    "/ja/2009-tokyo/",
    "/2011-malaysia/",
    "/2011-malaysia/cfp/",
    "/ja/2011-malaysia/cfp/",
    "/news/",
    "/news/statement-of-commitment-adopted/",
    "/about/",
    "/2009-tokyo/fact-finding-visits/",
    "/search/?q=tokyo",
    "/ja/search/?q=東京",
    "/no-such-page/",
]
RUN_AXE = """async () => {
    const results = await axe.run(document, {
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    });
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, targets: v.nodes.map(n => n.target.join(" ")).slice(0, 3),
    }));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        _missing("needs axe-core: npm ci (make test runs it when npm is installed)")
    return AXE.read_text(encoding="utf-8")


def test_public_pages_have_no_wcag_violations(page, live_server, axe_source):
    found = {}
    for path in PAGES:
        page.goto(live_server.url + path)
        page.evaluate(axe_source)
        violations = page.evaluate(RUN_AXE)
        if violations:
            found[path] = violations
    assert found == {}


def test_pages_fit_a_phone_screen_without_sideways_scrolling(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/2009-tokyo/", "/ja/2009-tokyo/", "/news/", "/search/?q=forum"):
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} is {overflow}px wider than the screen"


def test_focus_is_visible_on_links(page, live_server):
    page.goto(live_server.url + "/2009-tokyo/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site title
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    width = page.evaluate("() => getComputedStyle(document.activeElement).outlineWidth")
    assert outline == "solid"
    assert width == "3px"
