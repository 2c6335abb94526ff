"""Site search: live pages in the visitor's language, bad input answered with a 400."""

import pytest

pytestmark = pytest.mark.django_db


def test_search_finds_pages_in_the_active_language(client):
    response = client.get("/search/", {"q": "Tokyo"})
    assert response.status_code == 200
    titles = [page.title for page in response.context["search_results"].object_list]
    assert "AFSE 2009" in titles
    assert all(
        page.locale.language_code == "en" for page in response.context["search_results"].object_list
    )


def test_search_in_japanese_returns_japanese_pages(client):
    response = client.get("/ja/search/", {"q": "現地視察"})
    assert response.status_code == 200
    titles = [page.title for page in response.context["search_results"].object_list]
    assert "現地視察" in titles


def test_empty_search_shows_the_form_only(client):
    response = client.get("/search/")
    assert response.status_code == 200
    assert response.context["search_results"] is None
    assert 'role="search"' in response.content.decode()


def test_search_with_no_match_says_so(client):
    response = client.get("/search/", {"q": "zzyzxquux"})
    assert "Nothing matched your search." in response.content.decode()


def test_search_text_is_escaped(client):
    response = client.get("/search/", {"q": '<img src=x onerror="alert(1)">'})
    html = response.content.decode()
    assert '<img src=x onerror="alert(1)">' not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 201}, "The search text is too long."),
        ({"q": "tokyo", "page": "abc"}, "The page number is not valid."),
    ],
)
def test_malformed_search_is_a_400_in_the_site_design(client, params, message):
    response = client.get("/search/", params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<h1>Bad request</h1>" in html
    assert message in html
    assert 'class="site-header"' in html


def test_search_page_beyond_the_results_is_a_404(client):
    response = client.get("/search/", {"q": "forum", "page": "50"})
    assert response.status_code == 404


def test_draft_pages_are_not_found(client):
    from tests.factories import add_edition_with_page

    page = add_edition_with_page(theme="Zanzibarian weaving")
    page.unpublish()
    response = client.get("/search/", {"q": "Zanzibarian"})
    assert response.context["search_results"].paginator.count == 0
