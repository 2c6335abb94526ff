"""The organizers' pages: the dashboard (reviewers' progress, proposals with their weighted
scores, sortable and filterable and paged in SQL, the balance of what is accepted), its CSV
export (written by a task; a page shows its progress and hands out the file), the assignment of
reviewers, the decisions in bulk and their emails, read before they go."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cfp import selectors
from cfp.enums import PROPOSAL_LANGUAGES, ExportStatus, ProposalState
from cfp.forms import AssignmentForm, DecisionForm
from cfp.paging import page_of
from cfp.services import decisions as decision_services
from cfp.services import exports as export_services
from cfp.services import review as review_services
from cfp.services.errors import CfpError
from cfp.tasks import task_send_decision_emails
from cfp.views.submission import _call_or_404, _render, _url
from forum.documents import file_response
from forum.models import Edition

# How often the export's page asks again while the file is being written (a meta refresh).
EXPORT_REFRESH_SECONDS = 2


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
    page_obj, page_query = page_of(selectors.committee_proposals(edition, filters), request)
    board = selectors.dashboard(edition, page_obj.object_list)
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
            "reviewers": board.assignable,
            "pending_emails": selectors.pending_decision_count(edition),
            "exports": selectors.recent_exports(edition),
            "page_obj": page_obj,
            "page_query": page_query,
        },
    )


@require_POST
def export_csv(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    """Start the CSV export of the dashboard's proposals (with the filters in the address) in
    the background, and show its page."""
    _call_or_404(edition)
    denied = _committee_or_deny(request, edition)
    if denied:
        return denied
    export = export_services.start_proposal_export(
        edition=edition, filters=_filters(request), language=get_language(), actor=request.user
    )
    return redirect(_url(page, "cfp_export_status", pk=export.pk))


def _export_or_404(edition: Edition, pk: int):
    export = selectors.export_of_edition(edition, pk)
    if export is None:
        raise Http404
    return export_services.expire_lost_export(export)


def _export_state(export, *, page, call) -> dict:
    """What the export's page shows, and its JSON answer."""
    stale = export.status == ExportStatus.DONE and call.anonymised_review and not export.anonymised
    ready = export.status == ExportStatus.DONE and bool(export.file) and not stale
    return {
        "id": export.pk,
        "status": export.status,
        "status_label": str(export.get_status_display()),
        "finished": export.finished,
        "rows": export.rows,
        "anonymised": export.anonymised,
        "stale": stale,
        "download_url": _url(page, "cfp_export_download", pk=export.pk) if ready else "",
        "error": export.error if export.status == ExportStatus.FAILED else "",
    }


def export_status(request: HttpRequest, page, edition: Edition, pk: int) -> HttpResponse:
    """The export's progress: a page that refreshes itself (no script) until the file is
    ready, then links to it; `Accept: application/json` gets the same as JSON."""
    call = _call_or_404(edition)
    denied = _committee_or_deny(request, edition)
    if denied:
        return denied
    export = _export_or_404(edition, pk)
    state = _export_state(export, page=page, call=call)
    if "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse(state)
    else:
        response = _render(
            request,
            "cfp/export_status.html",
            page,
            edition,
            {"export": export, "state": state, "retry_after": EXPORT_REFRESH_SECONDS},
        )
    response["Cache-Control"] = "no-store"
    return response


def export_download(request: HttpRequest, page, edition: Edition, pk: int) -> HttpResponse:
    """The export's file, for the edition's committee only; a file written with names is not
    handed out once the review is anonymised."""
    call = _call_or_404(edition)
    denied = _committee_or_deny(request, edition)
    if denied:
        return denied
    export = _export_or_404(edition, pk)
    if not _export_state(export, page=page, call=call)["download_url"]:
        raise Http404
    return file_response(
        export.file.name,
        filename=f"{edition.slug}-proposals.csv",
        content_type="text/csv; charset=utf-8",
        as_attachment=True,
    )


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
