"""The printed programme book: a PDF of the release read back with pypdf, the URL fetcher that
keeps WeasyPrint to the site's own files, and the allow-list for rich text."""

import base64
import copy
import datetime
import io
import logging
import re
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader
from weasyprint import HTML

from forum.documents.fetcher import SafeURLFetcher, safe_url_fetcher
from sessions_app.exporters import EXPORTS
from sessions_app.models import Release
from sessions_app.pdf.programme import clean_rich_text, render_programme_pdf
from tests.sessions_app.test_pdf_fonts import embedded_families

# Run with the database tests, before any transactional test empties the demo.
pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
STATIC = Path(__file__).resolve().parents[2] / "static"
PAGES = 5  # cover, timetable, two pages of sessions, speaker index
CONFIRMED_TITLES = [
    "Solidarity Economy from the Asian Perspective",
    "Coffee break",
    "Socially responsible investment in Asia",
    "Fair trade from producer to consumer",
    "Micro-finance and NPO banks",
    "A solidarity tax levy",
    "Fact-finding visit: workers' cooperatives in Tama",
    "Social welfare for the elderly and the unemployed",
    "Social performance management",
    "Public policy and legislation for the SSE",
    "Local and grassroots development",
    "Ethics in cooperative finance",
    "Presentation of the draft statement of commitment",
    "Adoption of the statement and closing",
]
CANCELLED_TITLE = "Side event: cooperative film evening"


# --- Fixtures and helpers -------------------------------------------------------------------


@pytest.fixture(scope="module")
def snapshot(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return Release.objects.get(edition__slug="2009-tokyo", number=2).snapshot


@pytest.fixture(scope="module")
def pdf(snapshot, django_db_blocker):
    with django_db_blocker.unblock():
        return render_programme_pdf(snapshot, base_url=BASE, language="en")


@pytest.fixture(scope="module")
def reader(pdf):
    return PdfReader(io.BytesIO(pdf))


@pytest.fixture(scope="module")
def pages(reader):
    return [page.extract_text() for page in reader.pages]


def flat(text: str) -> str:
    """The text with every run of white space (line breaks in table cells) as one space."""
    return " ".join(text.split())


class _Page:
    """A page's extracted text as lines with single spaces."""

    def __init__(self, text: str):
        self.lines = [flat(line) for line in text.splitlines() if line.strip()]


def font_names(reader: PdfReader) -> set[str]:
    """The embedded fonts' families (ABCDEF+Noto-Sans-JP-117-Bold: "Noto-Sans-JP")."""
    return embedded_families(reader)


@pytest.fixture
def fetched(caplog):
    """The URLs the fetcher served and refused while the test ran, from its log (but the fonts,
    see test_pdf_fonts.py)."""
    caplog.set_level(logging.DEBUG, logger="forum.documents.fetcher")

    def records(prefix: str) -> list[str]:
        return [
            r.getMessage().removeprefix(prefix)
            for r in caplog.records
            if r.name == "forum.documents.fetcher"
            and r.getMessage().startswith(prefix)
            and "/pdf-fonts/" not in r.getMessage()
        ]

    return records


# --- Registry -------------------------------------------------------------------------------


def test_programme_pdf_is_registered_as_an_export():
    assert EXPORTS["programme.pdf"].content_type == "application/pdf"
    assert EXPORTS["programme.pdf"].render is render_programme_pdf


# --- The book -------------------------------------------------------------------------------


def test_programme_has_cover_timetable_descriptions_and_index(pdf, reader, pages):
    assert pdf.startswith(b"%PDF-")
    assert len(reader.pages) == PAGES
    assert [page.lines[0] for page in map(_Page, pages)] == [
        "Asian Forum for Solidarity Economy",
        "Timetable",
        "Sessions",
        "Social performance management",
        "Speakers",
    ]
    assert reader.metadata.title == "AFSE 2009: programme"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_programme_pages_are_a4(reader):
    sizes = {(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages}
    assert sizes == {(595, 842)}  # A4, 210 by 297 mm, in points


def test_cover_names_the_edition_theme_dates_place_and_release(snapshot, pages):
    published = datetime.datetime.fromisoformat(snapshot["release"]["published_at"])
    with translation.override("en"):
        published_on = date_format(published.astimezone(TOKYO), "DATE_FORMAT")
    cover = _Page(pages[0])
    assert cover.lines[:6] == [
        "Asian Forum for Solidarity Economy",
        "AFSE 2009",
        "Solidarity Economy from the Asian Perspective",
        "Dates Nov. 7, 2009 \N{EN DASH} Nov. 10, 2009",
        "Place Tokyo, Japan",
        f"Release Release 2: v2 — room changes, published {published_on}",
    ]
    # The table of contents gives the page of each part.
    assert [re.sub(r" *\.{3,} *", " … ", line) for line in cover.lines[6:10]] == [
        "Contents",
        "Timetable … 2",
        "Sessions … 3",
        "Speakers … 5",
    ]


def test_every_page_but_the_cover_has_its_number_in_the_footer(pages):
    assert [_Page(text).lines[-1] for text in pages[1:]] == ["2", "3", "4", "5"]
    assert _Page(pages[0]).lines[-1] == (
        "always the latest version."  # the cover's last line is its note, not a number
    )
    # The running header: the edition and the part.
    assert [_Page(text).lines[-2] for text in pages[1:]] == [
        "AFSE 2009 Timetable",
        "AFSE 2009 Sessions",
        "AFSE 2009 Sessions",
        "AFSE 2009 Speakers",
    ]


def test_timetable_lists_every_session_in_the_edition_time_zone(pages):
    timetable = flat(pages[1])
    for title in CONFIRMED_TITLES:
        assert title in timetable
    # 09:30 in Tokyo, although the project's TIME_ZONE is UTC. One line per session: the
    # time, the title, its type and its room (a break gives no type).
    row = (
        "09:30\N{EN DASH}11:00 Solidarity Economy from the Asian Perspective · Plenary · Main Hall"
    )
    assert row in _Page(pages[1]).lines
    assert "11:00\N{EN DASH}11:30 Coffee break · Main Hall" in _Page(pages[1]).lines
    assert [day for day in _Page(pages[1]).lines if day.endswith(", 2009")] == [
        "Saturday, Nov. 7, 2009",
        "Sunday, Nov. 8, 2009",
        "Monday, Nov. 9, 2009",
        "Tuesday, Nov. 10, 2009",
    ]


def test_cancelled_session_is_marked_next_to_its_title(pages):
    assert (
        f"18:30\N{EN DASH}20:30 {CANCELLED_TITLE} Cancelled · Side event · Room C"
        in _Page(pages[1]).lines
    )
    lines = _Page(pages[3]).lines  # its description: the facts, not the abstract
    title = lines.index(f"{CANCELLED_TITLE} Cancelled")
    assert lines[title + 1] == "18:30\N{EN DASH}20:30 · Room C (3F) · Side event"
    assert f"{CANCELLED_TITLE}: practitioners" not in flat(" ".join(pages))


def test_descriptions_hold_every_session_but_the_breaks(pages):
    descriptions = flat(" ".join(pages[2:4]))
    for title in CONFIRMED_TITLES:
        assert (title in descriptions) == (title != "Coffee break")
    # The language of most sessions is said once, at the head of the part; a session names
    # its interpretation.
    assert "Sessions are in English unless another language is given." in descriptions
    assert "Language: English" not in descriptions
    assert (
        "Solidarity Economy from the Asian Perspective "
        "09:30\N{EN DASH}11:00 · Main Hall (1F) · Plenary · "
        "interpretation into Japanese, Korean "
        "Keynote speaker: Hiroshi Tanaka (田中 博), Japan Workers' Co-operative Union; "
        "Keynote speaker: Kim Min-jung (김민정), Korean Social Enterprise Network; "
        "Moderator: Yuki Sato (佐藤 由紀), AFSE 2009 Preparatory Committee "
        "Solidarity Economy from the Asian Perspective: practitioners from across Asia "
        "compare experience."
    ) in descriptions
    assert "11:30\N{EN DASH}13:00 · Room A (2F) · Panel · Track: Social finance" in descriptions
    assert (
        "Meeting point: Main entrance, 08:45 Transport: Chartered bus; lunch provided."
    ) in descriptions


def test_names_in_native_scripts_are_embedded_and_extracted(reader, pages):
    text = flat(" ".join(pages))
    assert "Hiroshi Tanaka (田中 博)" in text
    assert "Kim Min-jung (김민정)" in text
    assert "Yuki Sato (佐藤 由紀)" in text
    assert "Korean Social Enterprise Network (한국사회적기업네트워크)" in text
    assert "Anan Chaiyasit (อนันต์ ชัยสิทธิ์)" in text
    assert "Ram Shrestha (राम श्रेष्ठ)" in text
    assert {
        "Noto-Sans-JP",
        "Noto-Sans-JP-Bold",
        "Noto-Sans-KR",
        "Noto-Sans-Thai",
        "Noto-Sans-Devanagari",
    } <= font_names(reader)


def test_speaker_index_gives_the_day_time_and_room_of_each_session(pdf, pages):
    """Each appearance is found by its day, start time and room (the order of the
    descriptions), a link to the description: no page numbers, which made WeasyPrint lay the
    book out again (issue 14)."""
    index = flat(pages[4])
    assert (
        "Hiroshi Tanaka 田中 博 · "
        "Japan Workers' Co-operative Union (日本労働者協同組合連合会), Japan — "
        "Sat 09:30, Main Hall (keynote speaker); Sat 14:30, Room A (panelist); "
        "Mon 10:00, Main Hall (panelist)"
    ) in index
    assert (
        "Yuki Sato 佐藤 由紀 · "
        "AFSE 2009 Preparatory Committee (アジア連帯経済フォーラム2009実行委員会), Japan — "
        "Sat 09:30, Main Hall (moderator); Sun 09:00, Off-site (moderator); "
        "Tue 10:00, Main Hall (moderator); Tue 14:00, Main Hall (moderator)"
    ) in index
    # Eight speakers, 27 appearances, each a link to its session's description.
    reader = PdfReader(io.BytesIO(pdf))
    links = [
        annotation.get_object()
        for annotation in reader.pages[4].get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    assert len(links) == 27
    assert all("/Dest" in link or "/A" in link for link in links)
    # An appearance is never cut across two lines.
    assert not [line for line in _Page(pages[4]).lines if line.startswith("(")]


def test_programme_renders_in_japanese(snapshot, db):
    pdf = render_programme_pdf(snapshot, base_url=BASE, language="ja")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == PAGES
    assert reader.trailer["/Root"]["/Lang"] == "ja"
    timetable = flat(reader.pages[1].extract_text())
    # Dates in Django's Japanese format, whatever the project's catalogue holds.
    assert "2009年11月7日" in timetable
    assert "2009年11月10日" in timetable
    # The organizers' Japanese titles (the demo's translations).
    assert "09:30\N{EN DASH}11:00 アジアの視点から見た連帯経済" in timetable


# --- User text and the fetcher --------------------------------------------------------------


def test_markup_in_a_title_is_printed_as_text_and_fetches_nothing(snapshot, db, caplog, fetched):
    hostile = copy.deepcopy(snapshot)
    title = 'Opening <img src="https://example.com/track.png">'
    hostile["sessions"][0]["title"] = title
    hostile["sessions"][0]["abstract"] = (
        '<p>Read <img src="https://example.com/abstract.png">'
        '<a href="javascript:alert(1)">this</a>.</p>'
    )

    pdf = render_programme_pdf(hostile, base_url=BASE, language="en")

    text = flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    # The timetable's line may wrap the title (at the URL's slash): compare without white space.
    row = f"09:30\N{EN DASH}11:00 {title} · Plenary · Main Hall"
    assert "".join(row.split()) in "".join(text.split())
    assert f"{title} 09:30\N{EN DASH}11:00 · Main Hall (1F) · Plenary" in text  # the description
    assert "Read this." in text
    assert fetched("PDF resource served: ") == [
        f"{django_settings.SITE_URL}/static/css/programme-print.css"
    ]
    assert fetched("PDF resource refused: ") == []
    assert [r.getMessage() for r in caplog.records if "example.com" in r.getMessage()] == []


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/x.png",
        "http://example.com/static/css/site.css",
        "file:///etc/passwd",
        "ftp://example.com/x.png",
        "/media/../../etc/passwd",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/static/../../etc/passwd",
        "/static//etc/passwd",
        "//example.com/static/css/site.css",
        "https://forum.example.org.evil.test/static/css/site.css",
        "https://forum.example.org@evil.test/static/css/site.css",
        "/static/css/missing.css",
        "/admin/",
    ],
)
def test_fetcher_refuses_anything_but_the_site_files(settings, url):
    settings.SITE_URL = "https://forum.example.org"
    with pytest.raises(ValueError, match=r"^(Refused|No static file)"):
        safe_url_fetcher(url)


@pytest.mark.parametrize("prefix", ["", "https://forum.example.org"])
def test_fetcher_serves_static_files(settings, prefix):
    settings.SITE_URL = "https://forum.example.org"
    response = safe_url_fetcher(f"{prefix}/static/css/site.css")
    assert response.read() == (STATIC / "css" / "site.css").read_bytes()
    assert response.content_type == "text/css"
    assert response.url == f"{prefix}/static/css/site.css"


def test_fetcher_serves_media_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "speakers").mkdir()
    (tmp_path / "speakers" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path.parent / "secret.txt").write_text("no")
    response = safe_url_fetcher(f"{settings.SITE_URL}/media/speakers/photo.png")
    assert response.read() == b"\x89PNG\r\n\x1a\n"
    assert response.content_type == "image/png"
    with pytest.raises(ValueError, match="Refused media path"):
        safe_url_fetcher("/media/../secret.txt")


def test_fetcher_serves_data_urls():
    pixel = base64.b64encode(b"GIF89a").decode()
    assert safe_url_fetcher(f"data:image/gif;base64,{pixel}").read() == b"GIF89a"
    response = safe_url_fetcher("data:text/css,p%20%7B%20color%3A%20red%20%7D")
    assert response.read() == b"p { color: red }"
    assert response.content_type == "text/css"


def test_weasyprint_logs_a_refused_image_and_renders_the_rest(caplog, fetched):
    html = (
        '<link rel="stylesheet" href="/static/css/programme-print.css">'
        '<p>Before</p><img src="https://example.com/x.png"><img src="file:///etc/passwd">'
        "<p>After</p>"
    )
    pdf = HTML(string=html, base_url=f"{django_settings.SITE_URL}/", url_fetcher=SafeURLFetcher())
    text = PdfReader(io.BytesIO(pdf.write_pdf())).pages[0].extract_text()
    assert _Page(text).lines == ["Before", "After"]
    assert fetched("PDF resource served: ") == [
        f"{django_settings.SITE_URL}/static/css/programme-print.css"
    ]
    assert fetched("PDF resource refused: ") == ["https://example.com/x.png", "file:///etc/passwd"]
    assert [r.getMessage() for r in caplog.records if r.name == "weasyprint"] == [
        "Failed to load image at 'https://example.com/x.png': ValueError: Refused to fetch "
        "'https://example.com/x.png': not a static or media file of this site",
        "Failed to load image at 'file:///etc/passwd': ValueError: Refused to fetch "
        "'file:///etc/passwd': not a static or media file of this site",
    ]


def test_weasyprint_fetcher_has_no_opener_and_refuses_other_urls():
    fetcher = SafeURLFetcher()
    assert fetcher.handlers == []
    with pytest.raises(ValueError, match="Refused"):
        fetcher("https://example.com/x.png")
    with pytest.raises(ValueError, match="Refused"):
        fetcher.open("file:///etc/passwd")


# --- Rich text ------------------------------------------------------------------------------


def test_rich_text_keeps_only_the_allowed_tags_and_safe_links():
    html = (
        '<p class="x" onclick="steal()">Co-ops <b>and</b> <i>mutuals</i> '
        '<img src="https://example.com/x.png"><script>alert(1)</script>'
        '<a href="javascript:alert(1)">bad</a> <a href="/editions/2009/" title="t">ours</a> '
        '<a href="https://example.org/?a=1&amp;b=2">theirs</a></p>'
        "<h2>Heading</h2><ul><li><strong>one</strong></li><li><em>two</em><br>three</li></ul>"
        '<embed embedtype="image" id="1" format="left" alt="x"/>'
        "<!-- note --><table><tr><td>cell &lt;tag&gt;</td></tr></table>"
    )
    assert clean_rich_text(html, base_url="https://forum.example.org") == (
        "<p>Co-ops <b>and</b> <i>mutuals</i> bad "
        '<a href="https://forum.example.org/editions/2009/">ours</a> '
        '<a href="https://example.org/?a=1&amp;b=2">theirs</a></p>'
        "<p>Heading</p><ul><li><strong>one</strong></li><li><em>two</em> three</li></ul>"
        "cell &lt;tag&gt;"
    )
    assert clean_rich_text("", base_url=BASE) == ""
