"""The drafting committee's pages (create the statement, write versions, change its state,
answer amendments) and the moderators' page (reports, hidden comments, the log)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.contrib.routable_page.templatetags.wagtailroutablepage_tags import routablepageurl

from forum.languages import edition_languages
from forum.models import Edition
from statements.committee.forms import (
    AnswerForm,
    ModerationForm,
    StatementCreateForm,
    TransitionForm,
    VersionForm,
)
from statements.committee.services import dismiss_report, hide_comment, unhide_comment
from statements.selectors import (
    amendment_of_statement,
    answered_amendments_to_take,
    comment_of_statement,
    hidden_comments,
    moderation_log,
    open_reports,
    pending_amendments,
    report_of_statement,
    statement_for_edition,
    statement_roles,
    transition_log,
    with_amended_texts,
)
from statements.services import ActionRefusedError
from statements.services.versions import create_version, version_source
from statements.services.workflow import (
    allowed_transitions,
    create_statement,
    transition_statement,
)
from statements.translations.selectors import translation_overview
from statements.views import done, load, refused, require

COMMITTEE_ONLY = gettext_lazy("Only the drafting committee of this edition can do this.")


def _url(request, page, name: str, *args) -> str:
    return routablepageurl({"request": request}, page, name, *args)


def _invalid(request, page, form) -> HttpResponse:
    errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
    return refused(request, page, _("Please correct the form: %(errors)s") % {"errors": errors})


def dashboard(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    statement, roles = load(request, edition)
    denied = require(request, page, roles.is_committee, COMMITTEE_ONLY)
    if denied:
        return denied
    versions = list(statement.versions.order_by("-number"))
    translations = translation_overview(statement, versions[0]) if versions else []
    return render(
        request,
        "statements/committee/dashboard.html",
        {
            "page": page,
            "statement": statement,
            "roles": roles,
            "versions": versions,
            "translations": translations,
            "transitions": allowed_transitions(statement),
            "transition_form": TransitionForm(time_zone=edition.time_zone),
            "pending": with_amended_texts(list(pending_amendments(statement))),
            "to_take": list(answered_amendments_to_take(statement)),
            "log": transition_log(statement),
            "writable": statement.state in ("drafting", "comments_closed"),
        },
    )


def create(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    roles = statement_roles(request.user, edition)
    denied = require(request, page, roles.is_committee, COMMITTEE_ONLY)
    if denied:
        return denied
    if statement_for_edition(edition) is not None:
        return refused(request, page, _("This edition already has a statement."), status=400)
    form = StatementCreateForm(
        request.POST or None, initial={"source_language": edition_languages(edition)[0]}
    )
    if request.method == "POST":
        if not form.is_valid():
            return _invalid(request, page, form)
        try:
            create_statement(
                edition=edition,
                title=form.cleaned_data["title"],
                actor=request.user,
                source=form.cleaned_data["source"],
                source_language=form.cleaned_data["source_language"],
            )
        except ActionRefusedError as error:
            return refused(request, page, error)
        return done(
            request,
            _("The statement has been created."),
            _url(request, page, "statement_committee"),
        )
    return render(request, "statements/committee/create.html", {"page": page, "form": form})


def new_version(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    statement, roles = load(request, edition)
    denied = require(request, page, roles.is_committee, COMMITTEE_ONLY)
    if denied:
        return denied
    to_take = list(answered_amendments_to_take(statement))
    latest = statement.versions.order_by("-number").first()
    form = VersionForm(
        request.POST or None,
        amendments=to_take,
        initial={"source": version_source(latest) if latest else ""},
    )
    if request.method == "POST":
        if not form.is_valid():
            return _invalid(request, page, form)
        try:
            version = create_version(
                statement=statement,
                actor=request.user,
                source=form.cleaned_data["source"],
                note=form.cleaned_data["note"],
                taken_amendment_ids=form.cleaned_data["amendments"],
            )
        except ActionRefusedError as error:
            return refused(request, page, error)
        return done(
            request,
            _("Version %(number)s has been saved.") % {"number": version.number},
            _url(request, page, "statement_committee"),
        )
    return render(
        request,
        "statements/committee/version.html",
        {"page": page, "statement": statement, "form": form, "latest": latest},
    )


@require_POST
def transition(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    statement, _roles = load(request, edition)
    form = TransitionForm(request.POST, time_zone=edition.time_zone)
    if not form.is_valid():
        return _invalid(request, page, form)
    data = form.cleaned_data
    try:
        transition_statement(
            statement=statement,
            to_state=data["to_state"],
            actor=request.user,
            comment_deadline=data["comment_deadline"],
            adopted_on=data["adopted_on"],
            adopted_at_place=data["adopted_at_place"],
            note=data["note"],
        )
    except ActionRefusedError as error:
        return refused(request, page, error)
    return done(
        request,
        _("The statement is now: %(state)s.") % {"state": statement.get_state_display()},
        _url(request, page, "statement_committee"),
    )


def answer(request: HttpRequest, page, edition: Edition, pk: int) -> HttpResponse:
    statement, roles = load(request, edition)
    denied = require(request, page, roles.is_committee, COMMITTEE_ONLY)
    if denied:
        return denied
    amendment = amendment_of_statement(statement, pk)
    if amendment is None:
        return refused(request, page, _("There is no such amendment."), status=404)
    amendment.statement = statement
    with_amended_texts([amendment])
    form = AnswerForm(
        request.POST or None,
        initial={"status": amendment.status, "answer": amendment.answer},
    )
    if request.method == "POST":
        if not form.is_valid():
            return _invalid(request, page, form)
        try:
            from statements.discussion.services import answer_amendment

            answer_amendment(
                amendment=amendment,
                actor=request.user,
                status=form.cleaned_data["status"],
                answer=form.cleaned_data["answer"],
            )
        except ActionRefusedError as error:
            return refused(request, page, error)
        return done(
            request, _("The answer has been saved."), _url(request, page, "statement_committee")
        )
    return render(
        request,
        "statements/committee/answer.html",
        {"page": page, "statement": statement, "amendment": amendment, "form": form},
    )


def moderation(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    statement, roles = load(request, edition)
    denied = require(
        request, page, roles.is_moderator, _("Only the moderators of this edition can do this.")
    )
    if denied:
        return denied
    return render(
        request,
        "statements/moderation.html",
        {
            "page": page,
            "statement": statement,
            "reports": list(open_reports(statement)),
            "hidden": list(hidden_comments(statement)),
            "log": moderation_log(statement),
            "form": ModerationForm(),
        },
    )


@require_POST
def moderate_comment(
    request: HttpRequest, page, edition: Edition, pk: int, action: str
) -> HttpResponse:
    statement, _roles = load(request, edition)
    comment = comment_of_statement(statement, pk)
    if comment is None:
        return refused(request, page, _("There is no such comment."), status=404)
    comment.statement = statement
    form = ModerationForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if action == "hide":
            hide_comment(comment=comment, actor=request.user, reason=reason)
            message = _("The comment is hidden.")
        else:
            unhide_comment(comment=comment, actor=request.user, reason=reason)
            message = _("The comment is shown again.")
    except ActionRefusedError as error:
        return refused(request, page, error)
    return done(request, message, _url(request, page, "statement_moderation"))


@require_POST
def report_dismiss(request: HttpRequest, page, edition: Edition, pk: int) -> HttpResponse:
    statement, _roles = load(request, edition)
    report = report_of_statement(statement, pk)
    if report is None:
        return refused(request, page, _("There is no such report."), status=404)
    report.comment.statement = statement
    form = ModerationForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        dismiss_report(report=report, actor=request.user, reason=reason)
    except ActionRefusedError as error:
        return refused(request, page, error)
    return done(request, _("The report is dismissed."), _url(request, page, "statement_moderation"))
