"""The committee's long lists (review list, dashboard) shown a page at a time, paged in SQL:
the selectors return query sets, filtered and sorted by the database, and the page costs one
COUNT and one query for its rows (LIMIT/OFFSET), however many proposals there are
(bench/cfp_bench.py)."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

PER_PAGE = 100


def page_of(rows: QuerySet, request) -> tuple[Page, str]:
    """The page of `rows` the request asks for (?page=, the last one if beyond, the first if
    not a number), its rows loaded, and the request's other query parameters for the page
    links."""
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
