"""Pages of the statement of commitment beneath an edition's page (`/<edition>/statement/…`).

Helpers shared by the views of every concern package (reading, discussion, committee…): each
view loads the edition's statement and the person's roles once, and answers a refused action
with a page that says why (403 when the person may not act at all, 400 when the input or the
moment is wrong)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.contrib.routable_page.templatetags.wagtailroutablepage_tags import routablepageurl

from forum.models import Edition
from statements.models import Statement
from statements.selectors import (
    StatementRoles,
    statement_for_edition,
    statement_roles,
    visible_version,
)
from statements.services import PermissionRefusedError


def load(request: HttpRequest, edition: Edition) -> tuple[Statement, StatementRoles]:
    statement = statement_for_edition(edition)
    if statement is None:
        raise Http404(_("This edition has no statement of commitment yet."))
    return statement, statement_roles(request.user, edition)


def refused(request, page, error, status: int | None = None):
    message = getattr(error, "message", error)
    if status is None:
        status = 403 if isinstance(error, PermissionRefusedError) else 400
    return render(
        request,
        "statements/refused.html",
        {"page": page, "message": message},
        status=status,
    )


def require(request, page, allowed: bool, message: str):
    """Anonymous visitors go to the login page; others without the right get a 403 page."""
    if allowed:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return refused(request, page, message, status=403)


def done(request, message: str, url: str) -> HttpResponseRedirect:
    messages.success(request, message)
    return HttpResponseRedirect(url)


def page_url(request, page, name: str, *args) -> str:
    return routablepageurl({"request": request}, page, name, *args)


def readable_version(request, page, statement: Statement, roles):
    """The version the person may read, or the refusal (login for visitors, else 404)."""
    version = visible_version(statement, roles)
    if version is None:
        if not request.user.is_authenticated:
            return None, require(request, page, False, "")
        raise Http404(_("The statement is not public yet."))
    return version, None
