"""The committee's long lists (review list, dashboard) shown a page at a time: with thousands of
proposals, drawing every row costs seconds (bench/cfp_bench.py), the queries do not change."""

from django.core.paginator import Page, Paginator

PER_PAGE = 100


def page_of(rows: list, request) -> tuple[Page, str]:
    """The page of `rows` the request asks for (?page=, the last one if beyond), and the
    request's other query parameters for the page links."""
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
