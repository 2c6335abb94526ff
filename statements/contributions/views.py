"""The overview of a statement's discussion (every comment and amendment, filtered and sorted),
and supporting a comment."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.models import Edition
from statements.contributions.forms import ContributionFilterForm
from statements.contributions.selectors import contributions, paragraph_choices
from statements.contributions.services import support_comment
from statements.discussion.services import comment_period_is_open
from statements.discussion.views import _thread_url
from statements.enums import StatementState
from statements.selectors import comment_of_statement, visible_version
from statements.services import ActionRefusedError
from statements.views import done, load, refused, require


def overview(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    statement, roles = load(request, edition)
    denied = require(
        request,
        page,
        roles.may_read_discussion,
        _("Only the delegates of %(edition)s take part in drafting its statement.")
        % {"edition": edition.name},
    )
    if denied:
        return denied
    version = visible_version(statement, roles)
    current = paragraph_choices(version) if version else []
    form = ContributionFilterForm(request.GET or None, paragraphs=current)
    filters = form.filters() if form.is_bound else {"sort": "newest"}
    items = contributions(
        statement,
        current_texts=current,
        user=request.user,
        include_hidden=roles.is_moderator,
        **filters,
    )
    return render(
        request,
        "statements/contributions.html",
        {
            "page": page,
            "statement": statement,
            "roles": roles,
            "version": version,
            "period_open": comment_period_is_open(statement),
            "states": StatementState,
            "form": form,
            "filters": filters,
            "items": items,
        },
    )


@require_POST
def comment_support(request: HttpRequest, page, edition: Edition, pk: int) -> HttpResponse:
    statement, _roles = load(request, edition)
    comment = comment_of_statement(statement, pk)
    if comment is None:
        return refused(request, page, _("There is no such comment."), status=404)
    comment.statement = statement
    try:
        support_comment(comment=comment, user=request.user)
    except ActionRefusedError as error:
        return refused(request, page, error)
    url = _thread_url(request, page, comment.paragraph) + f"#comment-{comment.pk}"
    return done(request, _("You support this comment."), url)
