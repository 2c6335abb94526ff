"""An organizer at the door checks a participant in on a phone with the manual code field,
and is refused the second time with the time of the first."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import _missing

pytestmark = pytest.mark.browser


@pytest.fixture
def guest(demo_site):
    """A confirmed participant of 2009 Tokyo (made before Playwright's event loop starts)."""
    from forum.models import Edition
    from tests.registration.admin_helpers import registration, ticket_type

    edition = Edition.objects.get(slug="2009-tokyo")
    person = registration(
        edition,
        ticket_type(edition, "Door test"),
        name="Tanaka Hanako",
        name_native="田中花子",
        name_native_language="ja",
    )
    return person.badge_code


def test_organizer_checks_a_participant_in_once(guest, page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "tokyo-organizer")
    page.fill("#id_password", "afse-demo-2009")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(live_server.url + "/admin/registration/?go=checkin")
    expect(page).to_have_url(re.compile(r"/admin/registration/2009-tokyo/check-in/$"))
    field = page.get_by_label("Badge code")
    expect(field).to_be_focused()
    # A phone browser with a camera API gets the scanner; the typed code works regardless.
    expect(page.get_by_role("button", name="Start the camera")).to_be_visible()

    field.fill(guest.lower())
    page.get_by_role("button", name="Check in", exact=True).click()
    result = page.locator("[data-checkin-result]")
    expect(result).to_contain_text("Tanaka Hanako is checked in (")
    expect(result.locator('[lang="ja"]')).to_have_text("田中花子")

    page.get_by_label("Badge code").fill(guest)
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(result).to_contain_text(
        re.compile(
            r"Tanaka Hanako was already checked in at \d+ \w+ \d{4}, \d\d:\d\d \(Asia/Tokyo\)\."
        )
    )
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


RUN_AXE_ON_CONTENT = """async () => {
    const results = await axe.run(document.querySelector(".ra"), {
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    });
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, targets: v.nodes.map(n => n.target.join(" ")).slice(0, 3),
    }));
}"""


def test_registration_admin_pages_have_no_wcag_violations(guest, page, live_server):
    from tests.browser.test_accessibility import AXE

    if not AXE.is_file():
        _missing("needs axe-core: npm ci")
    axe_source = AXE.read_text(encoding="utf-8")
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "tokyo-organizer")
    page.fill("#id_password", "afse-demo-2009")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    base = live_server.url + "/admin/registration/2009-tokyo/"
    found = {}
    for path in ("", "?status=confirmed&q=Tanaka", "dashboard/", "check-in/"):
        page.goto(base + path)
        page.evaluate(axe_source)
        violations = page.evaluate(RUN_AXE_ON_CONTENT)
        if violations:
            found[path] = violations
    page.goto(base + "?q=Tanaka")
    page.get_by_role("link", name=re.compile(r"^T\d+")).first.click()
    expect(page.get_by_role("heading", name="Participant")).to_be_visible()
    page.evaluate(axe_source)
    violations = page.evaluate(RUN_AXE_ON_CONTENT)
    if violations:
        found["detail"] = violations
    assert found == {}


def _y4m_with_qr(path, text: str) -> None:
    """A short still video (Y4M, 4:2:0) of a badge QR code, for Chromium's fake camera."""
    import io

    import segno
    from PIL import Image

    png = io.BytesIO()
    # As on the printed badge (registration/documents/pdf): a full QR code, not a Micro QR.
    segno.make(text, error="m", micro=False).save(png, kind="png", scale=8, border=4)
    qr = Image.open(io.BytesIO(png.getvalue())).convert("RGB")
    frame = Image.new("RGB", (640, 480), "white")
    frame.paste(qr, ((640 - qr.width) // 2, (480 - qr.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (320, 240)
    data = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with open(path, "wb") as video:
        video.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            video.write(b"FRAME\n" + data)


@pytest.fixture
def camera_page(guest, live_server, plain_http, tmp_path):
    """A phone-sized Chromium whose camera films the guest's badge QR code."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, TIMEOUT_MS
    from tests.conftest import CHROMIUM

    video = tmp_path / "badge.y4m"
    _y4m_with_qr(video, guest)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
        context.set_default_timeout(TIMEOUT_MS)
        context.grant_permissions(["camera"], origin=live_server.url)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def test_organizer_checks_in_by_scanning_the_badge_with_the_camera(camera_page, live_server):
    page = camera_page
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "tokyo-organizer")
    page.fill("#id_password", "afse-demo-2009")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.goto(live_server.url + "/admin/registration/2009-tokyo/check-in/")
    page.get_by_role("button", name="Start the camera").click()
    # The QR code is read (jsQR here: headless Chromium on Linux has no BarcodeDetector) and
    # the form submits itself.
    expect(page.locator("[data-checkin-result]")).to_contain_text(
        "Tanaka Hanako is checked in (", timeout=20_000
    )
