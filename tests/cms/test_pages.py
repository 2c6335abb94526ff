"""The public site as a visitor sees it: the demo forum, in English and Japanese."""

import datetime

import pytest
from django.conf import settings
from django.utils.html import escape

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_home_page_shows_the_series_the_latest_edition_and_the_archive(client):
    response = client.get("/")
    assert response.status_code == 200
    html = text(response)
    assert "<h1>Asian Forum for Solidarity Economy</h1>" in html
    assert "The latest forum" in html
    assert '<a href="/2011-malaysia/">AFSE 2011</a>' in html
    assert "Past editions" in html
    assert '<a href="/2009-tokyo/">AFSE 2009</a>' in html
    assert '<a href="/2007-manila/">AFSE 2007</a>' in html
    # The archive lists newest first.
    assert html.index("/2009-tokyo/") < html.index("/2007-manila/")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/2007-manila/",
            [
                "<h1>AFSE 2007</h1>",
                "October 2007",
                "Manila",
                "Philippines",
                "about 700 participants",
            ],
        ),
        (
            "/2009-tokyo/",
            [
                "<h1>AFSE 2009</h1>",
                "Nov. 7, 2009",
                "Nov. 10, 2009",
                'Tokyo <span lang="ja">(東京)</span>',
                "about 500 participants",
                'AFSE 2009 Preparatory Committee <span lang="ja">'
                "(アジア連帯経済フォーラム2009実行委員会)</span>",
                "Solidarity Economy from the Asian Perspective",
            ],
        ),
        ("/2011-malaysia/", ["<h1>AFSE 2011</h1>", "Malaysia"]),
    ],
)
def test_each_edition_has_its_page_with_dates_place_and_description(client, path, expected):
    response = client.get(path)
    assert response.status_code == 200
    html = text(response)
    for fragment in expected:
        assert fragment in html


def test_edition_page_has_programme_registration_and_statement_sections(client):
    html = text(client.get("/2009-tokyo/"))
    assert 'id="programme"' in html
    assert 'id="registration"' in html
    assert 'id="statement"' in html
    assert "statement of commitment on its last day" in html


def test_edition_without_section_text_says_what_is_not_yet_published(client):
    html = text(client.get("/2011-malaysia/"))
    assert "The programme has not been published yet." in html
    assert "Registration has not opened yet." in html


def test_edition_page_lists_its_own_news_only(client):
    html = text(client.get("/2009-tokyo/"))
    assert "AFSE 2009 adopts its statement of commitment" in html
    assert "opens in Manila" not in html


def test_news_index_lists_items_newest_first(client):
    html = text(client.get("/news/"))
    first = html.index("AFSE 2009 adopts its statement of commitment")
    last = html.index("The first Asian Forum for Solidarity Economy opens in Manila")
    assert first < last


def test_news_index_out_of_range_page_is_a_404_in_the_site_design(client):
    response = client.get("/news/?page=99")
    assert response.status_code == 404
    assert "Page not found" in text(response)
    assert 'class="site-header"' in text(response)


def test_news_page_shows_date_and_edition(client):
    html = text(client.get("/news/statement-of-commitment-adopted/"))
    assert '<time datetime="2009-11-10">Nov. 10, 2009</time>' in html
    assert "AFSE 2009" in html


def test_standard_pages_render_their_stream_field_body(client):
    html = text(client.get("/about/"))
    assert "<h2>Who takes part</h2>" in html
    assert "An economic activity, a social mission, democratic governance." in html
    html = text(client.get("/2009-tokyo/fact-finding-visits/"))
    assert "<h1>Fact-finding visits</h1>" in html
    # Breadcrumbs lead back to the edition.
    assert '<a href="/2009-tokyo/">AFSE 2009</a>' in html


def test_navigation_lists_menu_pages_in_the_active_language(client):
    html = text(client.get("/"))
    assert '<a href="/news/">News</a>' in html
    assert '<a href="/about/">About the forum</a>' in html
    html_ja = text(client.get("/ja/"))
    assert '<a href="/ja/news/">お知らせ</a>' in html_ja


def test_unknown_page_and_unknown_edition_give_a_404_in_the_site_design(client):
    for path in ("/no-such-page/", "/2099-nowhere/", "/2009-tokyo/nope/"):
        response = client.get(path)
        assert response.status_code == 404, path
        html = text(response)
        assert "<h1>Page not found</h1>" in html
        assert 'href="#main"' in html
        assert "Traceback" not in html
    response = client.get("/ja/2099-nowhere/")
    assert response.status_code == 404
    assert "<h1>ページが見つかりません</h1>" in text(response)


def test_user_text_in_a_404_path_is_escaped(client):
    response = client.get("/<script>alert(1)</script>/")
    assert response.status_code == 404
    assert "<script>alert(1)</script>" not in text(response)


def test_draft_edition_page_is_not_public(client):
    from cms.services import create_edition_with_page
    from tests.factories import EditionFactory

    edition = EditionFactory.build(
        slug="2031-hanoi",
        year=2031,
        number=31,
        start_date=datetime.date(2031, 5, 1),
        end_date=datetime.date(2031, 5, 3),
    )
    create_edition_with_page(edition=edition)  # a draft
    assert client.get("/2031-hanoi/").status_code == 404


def test_sitemap_lists_pages_in_both_languages(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    xml = text(response)
    base = settings.SITE_URL
    assert f"<loc>{base}/2009-tokyo/</loc>" in xml
    assert f"<loc>{base}/ja/2009-tokyo/</loc>" in xml
    assert f"<loc>{base}/news/statement-of-commitment-adopted/</loc>" in xml
    assert "testserver" not in xml


def test_health_endpoint_answers_ok(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert text(response) == "ok"


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/2009-tokyo/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy


def test_templates_use_no_inline_scripts_styles_or_external_assets(client):
    for path in ("/", "/2009-tokyo/", "/news/", "/search/?q=tokyo", "/nope/"):
        html = text(client.get(path))
        assert "<script" not in html, path
        assert "style=" not in html, path
        assert "<style" not in html, path
        assert "https://" not in html.replace("https://docs", ""), path


def test_escape_helper_matches_django():
    assert escape("<b>") == "&lt;b&gt;"


def test_server_error_page_stands_alone_in_both_languages():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "<h1>Something went wrong</h1>" in html
    assert "しばらくしてからもう一度お試しください" in html
    assert "/static/css/site.css" in html
