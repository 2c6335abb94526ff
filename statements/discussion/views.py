"""The delegates' actions: comment, reply, edit or withdraw their own comment, report one,
propose, support or withdraw an amendment, choose how they are notified."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.contrib.routable_page.templatetags.wagtailroutablepage_tags import routablepageurl

from forum.models import Edition
from statements.discussion.forms import (
    AmendmentForm,
    CommentEditForm,
    CommentForm,
    NotificationPreferenceForm,
    ReportForm,
)
from statements.discussion.services import (
    edit_comment,
    post_comment,
    propose_amendment,
    report_comment,
    support_amendment,
    withdraw_amendment,
    withdraw_comment,
)
from statements.models import NotificationPreference
from statements.selectors import amendment_of_statement, comment_of_statement
from statements.services import ActionRefusedError
from statements.views import done, load, refused, require


def _url(request, page, name: str, *args) -> str:
    return routablepageurl({"request": request}, page, name, *args)


def _thread_url(request, page, paragraph) -> str:
    if paragraph is None:
        return _url(request, page, "statement_general")
    return _url(request, page, "statement_paragraph", paragraph.key)


def _invalid(request, page, form) -> HttpResponse:
    errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
    return refused(request, page, _("Please correct the form: %(errors)s") % {"errors": errors})


@require_POST
def comment_create(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    statement, _roles = load(request, edition)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _invalid(request, page, form)
    try:
        comment = post_comment(
            statement=statement,
            author=request.user,
            body=form.cleaned_data["body"],
            paragraph_key=form.cleaned_data["paragraph"] or None,
            parent_id=form.cleaned_data["parent"] or None,
            language=get_language() or settings.LANGUAGE_CODE,
        )
    except ActionRefusedError as error:
        return refused(request, page, error)
    url = _thread_url(request, page, comment.paragraph) + f"#comment-{comment.pk}"
    return done(request, _("Your comment has been posted."), url)


def comment_edit(request: HttpRequest, page, edition: Edition, pk: int) -> HttpResponse:
    statement, _roles = load(request, edition)
    denied = require(request, page, request.user.is_authenticated, "")
    if denied:
        return denied
    comment = comment_of_statement(statement, pk)
    if comment is None or comment.author_id != request.user.pk:
        return refused(request, page, _("You can change only your own comments."), status=404)
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST":
        if not form.is_valid():
            return _invalid(request, page, form)
        try:
            edit_comment(comment=comment, actor=request.user, body=form.cleaned_data["body"])
        except ActionRefusedError as error:
            return refused(request, page, error)
        url = _thread_url(request, page, comment.paragraph) + f"#comment-{comment.pk}"
        return done(request, _("Your comment has been changed."), url)
    return render(
        request,
        "statements/comment_edit.html",
        {"page": page, "statement": statement, "comment": comment, "form": form},
    )


@require_POST
def comment_withdraw(request: HttpRequest, page, edition: Edition, pk: int) -> HttpResponse:
    statement, _roles = load(request, edition)
    comment = comment_of_statement(statement, pk)
    if comment is None or comment.author_id != request.user.pk:
        return refused(request, page, _("You can change only your own comments."), status=404)
    try:
        withdraw_comment(comment=comment, actor=request.user)
    except ActionRefusedError as error:
        return refused(request, page, error)
    return done(
        request,
        _("Your comment has been withdrawn."),
        _thread_url(request, page, comment.paragraph),
    )


def comment_report(request: HttpRequest, page, edition: Edition, pk: int) -> HttpResponse:
    statement, roles = load(request, edition)
    denied = require(request, page, roles.may_participate, _("Only delegates report comments."))
    if denied:
        return denied
    comment = comment_of_statement(statement, pk)
    if comment is None:
        return refused(request, page, _("There is no such comment."), status=404)
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return _invalid(request, page, form)
        try:
            report_comment(
                comment=comment, reporter=request.user, reason=form.cleaned_data["reason"]
            )
        except ActionRefusedError as error:
            return refused(request, page, error)
        return done(
            request,
            _("Thank you: the moderators will look at this comment."),
            _thread_url(request, page, comment.paragraph),
        )
    return render(
        request,
        "statements/report.html",
        {"page": page, "statement": statement, "comment": comment, "form": form},
    )


@require_POST
def amendment_create(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    statement, _roles = load(request, edition)
    form = AmendmentForm(request.POST)
    if not form.is_valid():
        return _invalid(request, page, form)
    data = form.cleaned_data
    try:
        amendment = propose_amendment(
            statement=statement,
            author=request.user,
            kind=data["kind"],
            text=data["text"],
            rationale=data["rationale"],
            paragraph_key=data["paragraph"] or None,
            after_key=data["after"] or None,
        )
    except ActionRefusedError as error:
        return refused(request, page, error)
    url = _thread_url(request, page, amendment.paragraph) + f"#amendment-{amendment.pk}"
    return done(request, _("Your amendment has been proposed."), url)


@require_POST
def amendment_support(request: HttpRequest, page, edition: Edition, pk: int) -> HttpResponse:
    statement, _roles = load(request, edition)
    amendment = amendment_of_statement(statement, pk)
    if amendment is None:
        return refused(request, page, _("There is no such amendment."), status=404)
    amendment.statement = statement
    try:
        support_amendment(amendment=amendment, user=request.user)
    except ActionRefusedError as error:
        return refused(request, page, error)
    url = _thread_url(request, page, amendment.paragraph) + f"#amendment-{amendment.pk}"
    return done(request, _("You support this amendment."), url)


@require_POST
def amendment_withdraw(request: HttpRequest, page, edition: Edition, pk: int) -> HttpResponse:
    statement, _roles = load(request, edition)
    amendment = amendment_of_statement(statement, pk)
    if amendment is None or amendment.author_id != request.user.pk:
        return refused(request, page, _("You can withdraw only your own amendments."), status=404)
    try:
        withdraw_amendment(amendment=amendment, actor=request.user)
    except ActionRefusedError as error:
        return refused(request, page, error)
    return done(
        request,
        _("Your amendment has been withdrawn."),
        _thread_url(request, page, amendment.paragraph),
    )


def notification_settings(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    statement, roles = load(request, edition)
    denied = require(
        request, page, roles.may_read_discussion, _("Only delegates receive these notifications.")
    )
    if denied:
        return denied
    preference = NotificationPreference.objects.filter(user=request.user).first()
    preference = preference or NotificationPreference(user=request.user)
    form = NotificationPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        return done(
            request,
            _("Your choice has been saved."),
            _url(request, page, "statement_notifications"),
        )
    return render(
        request,
        "statements/notifications.html",
        {"page": page, "statement": statement, "form": form},
        status=400 if form.errors else 200,
    )
