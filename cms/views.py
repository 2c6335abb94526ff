from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cms.selectors import search_pages

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise BadRequest(_("The search text is too long."))
    if "\x00" in query:
        raise BadRequest(_("The search text contains characters that are not allowed."))
    results = None
    if query:
        paginator = Paginator(search_pages(query=query), RESULTS_PER_PAGE)
        try:
            results = paginator.page(request.GET.get("page") or 1)
        except PageNotAnInteger as exc:
            raise BadRequest(_("The page number is not valid.")) from exc
        except EmptyPage as exc:
            raise Http404(_("There is no such page of results.")) from exc
    return render(request, "cms/search.html", {"search_query": query, "search_results": results})


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and the container's health check: the process answers."""
    return HttpResponse("ok", content_type="text/plain")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    # Only a message the site wrote for visitors is shown (a view's BadRequest, or an exception
    # that says so with `message_for_visitors`); others, such as an unknown Host header, repeat
    # what the request sent, which must never be echoed back.
    shown = isinstance(exception, BadRequest) or getattr(exception, "message_for_visitors", False)
    message = str(exception) if shown and exception.args else ""
    return render(request, "400.html", {"message": message}, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", {"request_path": request.path}, status=404)
