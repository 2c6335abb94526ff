"""The programme committee's pages: the proposals a reviewer may review (their edition's, minus
their conflicts of interest) and the review form. With anonymised review no name of a submitter,
speaker or organization is shown."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cfp import selectors
from cfp.forms import ReviewForm
from cfp.paging import page_of
from cfp.services.errors import CfpError
from cfp.services.review import save_review
from cfp.views.submission import _call_or_404, _render, _url
from forum.models import Edition


def _reviewer_or_deny(request, edition):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.is_reviewer(request.user, edition):
        raise PermissionDenied
    return None


def review_list(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    call = _call_or_404(edition)
    denied = _reviewer_or_deny(request, edition)
    if denied:
        return denied
    only_assigned = request.GET.get("mine") == "1"
    proposals = selectors.review_list(edition, request.user, call=call, only_assigned=only_assigned)
    page_obj, page_query = page_of(proposals, request)
    selectors.with_labels(page_obj.object_list)
    return _render(
        request,
        "cfp/review_list.html",
        page,
        edition,
        {
            "call": call,
            "proposals": page_obj.object_list,
            # Each row links to review/<pk>/ beneath this address (one reverse a page, not a
            # row: reversing a route of the page cost 1 to 2 ms a row).
            "review_base": _url(page, "cfp_review_list"),
            "page_obj": page_obj,
            "page_query": page_query,
            "only_assigned": only_assigned,
            "anonymised": call.anonymised_review,
            "review_open": call.review_is_open(),
        },
    )


def review_proposal(request: HttpRequest, page, edition: Edition, pk: int) -> HttpResponse:
    call = _call_or_404(edition)
    denied = _reviewer_or_deny(request, edition)
    if denied:
        return denied
    proposal = selectors.proposal_for_reviewer(edition, request.user, pk, call=call)
    if proposal is None:
        raise Http404
    criteria = selectors.criteria(edition)
    review = selectors.review_of(proposal, request.user)
    initial = {}
    if review is not None:
        initial = {
            "comment_committee": review.comment_committee,
            "comment_submitter": review.comment_submitter,
            **{f"score_{s.criterion_id}": s.score for s in review.scores.all()},
        }
    form = ReviewForm(request.POST or None, initial=initial, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            save_review(
                proposal=proposal,
                reviewer=request.user,
                call=call,
                scores=form.scores(),
                comment_committee=form.cleaned_data["comment_committee"],
                comment_submitter=form.cleaned_data["comment_submitter"],
            )
        except CfpError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your review is saved."))
            return redirect(_url(page, "cfp_review_list"))
    return _render(
        request,
        "cfp/review_form.html",
        page,
        edition,
        {
            "call": call,
            "proposal": proposal,
            "answers": selectors.answers_shown(proposal),
            "form": form,
            "review": review,
            "anonymised": call.anonymised_review,
            "review_open": call.review_is_open(),
        },
    )
