"""The submitters' pages: the call, their proposals (draft, edit, submit, withdraw, status), and
co-speakers' invitations. Every proposal is looked up through a selector scoped to the person:
another person's proposal answers 404."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cfp import selectors
from cfp.enums import ProposalState
from cfp.forms import InviteForm, ProposalForm, SpeakerProfileForm
from cfp.services import proposals as services
from cfp.services.errors import CfpError
from forum.models import Edition
from forum.questions import form_initial

LATE_SESSION_KEY = "cfp_late_links"


def _url(page, route: str, **kwargs) -> str:
    return page.url + page.reverse_subpage(route, kwargs=kwargs or None)


def _call_or_404(edition: Edition):
    call = selectors.call_for_edition(edition)
    if call is None:
        raise Http404
    return call


def _late_link(request: HttpRequest, call):
    tokens = request.session.get(LATE_SESSION_KEY, {})
    return selectors.valid_late_link(call, tokens.get(str(call.pk), ""))


def _render(request, template: str, page, edition, context: dict) -> HttpResponse:
    return TemplateResponse(
        request, template, {"page": page, "self": page, "edition": edition, **context}
    )


def call_index(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    call = _call_or_404(edition)
    return _render(
        request,
        "cfp/index.html",
        page,
        edition,
        {
            "call": call,
            "accepting": services.call_accepts(call, _late_link(request, call)),
            "types": list(selectors.proposal_types(edition)),
            "proposals": selectors.proposals_of_user(edition, request.user),
            "is_reviewer": selectors.is_reviewer(request.user, edition),
            "is_committee": selectors.is_committee(request.user, edition),
        },
    )


def late_link(request: HttpRequest, page, edition: Edition, token: str) -> HttpResponse:
    """A personal late-submission link: remembered in the session, then the new proposal."""
    call = _call_or_404(edition)
    link = selectors.valid_late_link(call, token)
    if link is None:
        messages.error(request, _("This late-submission link is not valid (any more)."))
        return redirect(_url(page, "cfp"))
    tokens = request.session.get(LATE_SESSION_KEY, {})
    tokens[str(call.pk)] = token
    request.session[LATE_SESSION_KEY] = tokens
    return redirect(_url(page, "cfp_new"))


def proposal_create(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    call = _call_or_404(edition)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    late = _late_link(request, call)
    if not services.call_accepts(call, late):
        messages.error(request, _("The call for proposals is closed."))
        return redirect(_url(page, "cfp"))
    form = ProposalForm(
        request.POST or None, edition=edition, questions=selectors.call_questions(edition)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organizations = data.pop("organizations")
        try:
            proposal = services.create_proposal(
                call=call,
                submitter=request.user,
                data=data,
                organizations=organizations,
                answers=form.answers(),
                email_language=(get_language() or "en").split("-")[0],
                late_link=late,
            )
        except CfpError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your draft is saved. Submit it before the deadline."))
            return redirect(_url(page, "cfp_proposal", pk=proposal.pk))
    return _render(request, "cfp/proposal_form.html", page, edition, {"call": call, "form": form})


def proposal_status(request: HttpRequest, page, edition: Edition, pk: int) -> HttpResponse:
    call = _call_or_404(edition)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    proposal = selectors.proposal_for_speaker(edition, request.user, pk)
    if proposal is None:
        raise Http404
    is_submitter = proposal.submitter_id == request.user.pk
    accepting = services.call_accepts(call, proposal.late_link)
    return _render(
        request,
        "cfp/proposal_status.html",
        page,
        edition,
        {
            "call": call,
            "proposal": proposal,
            "answers": selectors.answers_shown(proposal),
            "is_submitter": is_submitter,
            "can_edit": is_submitter and accepting and proposal.state in services.EDITABLE_STATES,
            "can_submit": is_submitter and accepting and proposal.state == ProposalState.DRAFT,
            "can_withdraw": is_submitter
            and proposal.state
            in (ProposalState.DRAFT, ProposalState.SUBMITTED, ProposalState.WAITLISTED),
            "invite_form": InviteForm(initial={"language": get_language()})
            if is_submitter
            else None,
            "comments": selectors.reviews_for_submitter(proposal),
        },
    )


def proposal_edit(request: HttpRequest, page, edition: Edition, pk: int) -> HttpResponse:
    call = _call_or_404(edition)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    proposal = selectors.proposal_of_submitter(edition, request.user, pk)
    if proposal is None:
        raise Http404
    back = _url(page, "cfp_proposal", pk=proposal.pk)
    if proposal.state not in services.EDITABLE_STATES or not services.call_accepts(
        call, proposal.late_link
    ):
        messages.error(request, _("This proposal can no longer be changed."))
        return redirect(back)
    questions = selectors.call_questions(edition)
    initial = {name: getattr(proposal, name) for name in services.PROPOSAL_FIELDS}
    initial["organizations"] = list(proposal.organizations.all())
    initial.update(form_initial(questions, selectors.stored_answers(proposal)))
    form = ProposalForm(request.POST or None, initial=initial, edition=edition, questions=questions)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organizations = data.pop("organizations")
        try:
            services.update_proposal(
                proposal=proposal,
                call=call,
                data=data,
                organizations=organizations,
                answers=form.answers(),
            )
        except CfpError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your proposal is saved."))
            return redirect(back)
    return _render(
        request,
        "cfp/proposal_form.html",
        page,
        edition,
        {"call": call, "form": form, "proposal": proposal},
    )


def _submitter_action(request, page, edition, pk, action) -> HttpResponse:
    call = _call_or_404(edition)
    if not request.user.is_authenticated:
        return redirect_to_login(_url(page, "cfp_proposal", pk=pk))
    proposal = selectors.proposal_of_submitter(edition, request.user, pk)
    if proposal is None:
        raise Http404
    try:
        message = action(call, proposal)
    except CfpError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return redirect(_url(page, "cfp_proposal", pk=proposal.pk))


@require_POST
def proposal_submit(request: HttpRequest, page, edition: Edition, pk: int) -> HttpResponse:
    def action(call, proposal):
        services.submit_proposal(proposal=proposal, call=call)
        return _("Your proposal is submitted. We have sent you a receipt.")

    return _submitter_action(request, page, edition, pk, action)


@require_POST
def proposal_withdraw(request: HttpRequest, page, edition: Edition, pk: int) -> HttpResponse:
    def action(call, proposal):
        services.withdraw_proposal(proposal=proposal)
        return _("Your proposal is withdrawn.")

    return _submitter_action(request, page, edition, pk, action)


@require_POST
def speaker_invite(request: HttpRequest, page, edition: Edition, pk: int) -> HttpResponse:
    form = InviteForm(request.POST)

    def action(call, proposal):
        if not form.is_valid():
            raise CfpError(_("Give the co-speaker's name and a valid email address."))
        services.invite_speaker(proposal=proposal, **form.cleaned_data)
        return _("The invitation is on its way to %(email)s.") % {
            "email": form.cleaned_data["email"]
        }

    return _submitter_action(request, page, edition, pk, action)


def speaker_confirm(request: HttpRequest, page, edition: Edition, token: str) -> HttpResponse:
    """A co-speaker's personal link: log in (or create an account), then confirm and fill in
    one's own profile."""
    speaker = selectors.speaker_invitation(edition, token)
    if speaker is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if speaker.user_id and speaker.user_id != request.user.pk:
        raise Http404
    form = SpeakerProfileForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "name": speaker.name,
            "name_native": speaker.name_native,
            "organization": speaker.organization_id,
            "country": speaker.country,
            "bio": speaker.bio,
            "availability": speaker.availability,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_speaker(speaker=speaker, user=request.user, profile=form.cleaned_data)
        except CfpError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Thank you: you are confirmed as a speaker."))
            return redirect(_url(page, "cfp_proposal", pk=speaker.proposal_id))
    return _render(
        request,
        "cfp/speaker_confirm.html",
        page,
        edition,
        {"speaker": speaker, "proposal": speaker.proposal, "form": form},
    )
