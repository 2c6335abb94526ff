"""The organizers' pages: the dashboard (reviewers' progress, proposals with their weighted
scores, sortable and filterable, the balance of what is accepted), its CSV export, the
assignment of reviewers, the decisions in bulk and their emails, read before they go."""

import csv

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cfp import selectors
from cfp.enums import PROPOSAL_LANGUAGES, ProposalState
from cfp.forms import AssignmentForm, DecisionForm
from cfp.paging import page_of
from cfp.services import decisions as decision_services
from cfp.services import review as review_services
from cfp.services.errors import CfpError
from cfp.tasks import task_send_decision_emails
from cfp.views.submission import _call_or_404, _render, _url
from forum.models import Edition


def _committee_or_deny(request, edition):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.is_committee(request.user, edition):
        raise PermissionDenied
    return None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _filters(request) -> selectors.DashboardFilters:
    get = request.GET
    return selectors.DashboardFilters(
        track=_int(get.get("track")),
        proposal_type=_int(get.get("type")),
        country=get.get("country", "")[:2].upper(),
        language=get.get("language", "")[:16],
        state=get.get("state", "") if get.get("state") in ProposalState.values else "",
        sort=get.get("sort", "score") if get.get("sort") in selectors.SORTS else "score",
    )


def dashboard(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    call = _call_or_404(edition)
    denied = _committee_or_deny(request, edition)
    if denied:
        return denied
    filters = _filters(request)
    board = selectors.dashboard(edition, filters)
    page_obj, page_query = page_of(board.proposals, request)
    board.proposals = list(page_obj.object_list)
    assigned = selectors.assignments_by_proposal(edition, [p.pk for p in board.proposals])
    for proposal in board.proposals:
        proposal.reviewer_list = assigned.get(proposal.pk, [])
    return _render(
        request,
        "cfp/dashboard.html",
        page,
        edition,
        {
            "call": call,
            "board": board,
            "filters": filters,
            "tracks": selectors.tracks(edition),
            "types": list(selectors.proposal_types(edition)),
            "languages": PROPOSAL_LANGUAGES,
            "states": ProposalState.choices,
            "sorts": selectors.SORTS,
            "reviewers": selectors.reviewers_of_edition(edition),
            "pending_emails": selectors.pending_decision_count(edition),
            "query": request.GET.urlencode(),
            "page_obj": page_obj,
            "page_query": page_query,
        },
    )


def _cell(value) -> str:
    """Neutralise spreadsheet formulas."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def export_csv(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    """The dashboard's proposals (with its filters) as CSV. With anonymised review, no names."""
    call = _call_or_404(edition)
    denied = _committee_or_deny(request, edition)
    if denied:
        return denied
    proposals = selectors.committee_proposals(edition, _filters(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{edition.slug}-proposals.csv"'
    writer = csv.writer(response)
    header = [
        _("ID"),
        _("Title"),
        _("Type"),
        _("Track"),
        _("Language"),
        _("Country"),
        _("State"),
        _("Reviews"),
        _("Reviewers assigned"),
        _("Mean weighted score"),
    ]
    if not call.anonymised_review:
        header += [_("Submitter"), _("Organizations")]
    writer.writerow(header)
    for proposal in proposals:
        row = [
            proposal.pk,
            proposal.title,
            proposal.proposal_type.localized_name(),
            proposal.track.name if proposal.track else "",
            proposal.get_language_display(),
            proposal.country.code if proposal.country else "",
            proposal.get_state_display(),
            proposal.review_count,
            proposal.assigned_count,
            f"{proposal.avg_score:.2f}" if proposal.avg_score is not None else "",
        ]
        if not call.anonymised_review:
            row += [
                proposal.submitter.get_full_name() or proposal.submitter.get_username(),
                "; ".join(str(o) for o in proposal.organizations.all()),
            ]
        writer.writerow([_cell(v) for v in row])
    return response


@require_POST
def assign(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    call = _call_or_404(edition)
    denied = _committee_or_deny(request, edition)
    if denied:
        return denied
    form = AssignmentForm(request.POST)
    back = _url(page, "cfp_dashboard")
    if not form.is_valid():
        messages.error(request, _("Choose what to do."))
        return redirect(back)
    action = form.cleaned_data["action"]
    if action == "auto":
        made = review_services.assign_reviewers(
            edition=edition, call=call, assigned_by_id=request.user.pk
        )
        messages.success(request, _("%(count)d assignments made.") % {"count": made})
        return redirect(back)
    proposal = selectors.proposal_of_edition(edition, form.cleaned_data["proposal"])
    reviewer = selectors.reviewer_of_edition(edition, form.cleaned_data["reviewer"])
    if proposal is None or reviewer is None:
        messages.error(request, _("Choose a proposal and a reviewer of this edition."))
        return redirect(back)
    try:
        if action == "add":
            review_services.add_assignment(
                proposal=proposal, reviewer=reviewer, call=call, assigned_by=request.user
            )
        else:
            review_services.remove_assignment(proposal=proposal, reviewer=reviewer)
    except CfpError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The assignment is changed."))
    return redirect(back)


@require_POST
def decide(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    _call_or_404(edition)
    denied = _committee_or_deny(request, edition)
    if denied:
        return denied
    form = DecisionForm(request.POST, proposal_ids=selectors.proposal_ids(edition))
    back = _url(page, "cfp_dashboard")
    if not form.is_valid():
        messages.error(request, _("Choose a decision and at least one proposal of this edition."))
        return redirect(back)
    decided = decision_services.decide_proposals(
        edition=edition,
        proposal_ids=form.cleaned_data["proposals"],
        decision=form.cleaned_data["decision"],
        decided_by=request.user,
    )
    messages.success(
        request,
        _("%(count)d proposals decided. Their emails wait until you send them (Decision emails).")
        % {"count": len(decided)},
    )
    return redirect(back)


def decision_emails(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    """The decision emails not yet sent, each as its recipient will read it; sending queues
    them (a task writes them to the outbox)."""
    _call_or_404(edition)
    denied = _committee_or_deny(request, edition)
    if denied:
        return denied
    if request.method == "POST":
        transaction.on_commit(lambda: task_send_decision_emails.delay(edition_id=edition.pk))
        messages.success(request, _("The decision emails are being sent."))
        return redirect(_url(page, "cfp_dashboard"))
    pending = selectors.pending_decision_emails(edition)
    previews = []
    for proposal in pending[:50]:
        subject, text, _html = decision_services.decision_preview(proposal=proposal)
        previews.append({"proposal": proposal, "subject": subject, "text": text})
    return _render(
        request,
        "cfp/decision_emails.html",
        page,
        edition,
        {"pending": pending, "previews": previews},
    )
