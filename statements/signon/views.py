"""Sign-on to the adopted statement and its confirmation."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from forum import ratelimit
from forum.models import Edition
from statements.services import ActionRefusedError
from statements.signon.forms import SignOnForm
from statements.signon.selectors import (
    is_open_for_sign_on,
    signatory_by_token,
)
from statements.signon.services import AlreadySignedError, confirm_signatory, sign_on
from statements.views import done, load, page_url, refused

# Sign-on is limited per email address (each request sends a mail) and, far more loosely, per
# client address; only requests that went through count.
SIGN_ON_LIMIT = "statements.sign_on"


def sign(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    """Sign on to the adopted statement: an unconfirmed signatory and a confirmation mail."""
    statement, roles = load(request, edition)
    if not statement.is_frozen:
        raise Http404(_("The statement has not been adopted yet."))
    context = {"page": page, "statement": statement, "roles": roles}
    if not is_open_for_sign_on(statement):
        return render(request, "statements/public/sign_closed.html", context, status=400)
    form = SignOnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if ratelimit.email_or_client_exceeded(SIGN_ON_LIMIT, request, data["email"]):
            response = refused(
                request,
                page,
                _("Too many signatures from your address in a short time; try again later."),
                status=429,
            )
            response["Retry-After"] = str(
                ratelimit.retry_after(ratelimit.get_limit("statements.sign_on.client"))
            )
            return response
        try:
            result = sign_on(
                statement=statement,
                kind=data["kind"],
                name=data["name"],
                name_native=data["name_native"],
                native_language=data["native_language"],
                affiliation=data["affiliation"],
                organization_kind=data["organization_kind"],
                country=data["country"],
                email=data["email"],
                language=get_language() or settings.LANGUAGE_CODE,
            )
        except AlreadySignedError as error:
            form.add_error("email", error.message)
        except ActionRefusedError as error:
            return refused(request, page, error)
        else:
            ratelimit.record_email_and_client(SIGN_ON_LIMIT, request, data["email"])
            context["signatory"] = result.signatory
            context["resent"] = not result.created
            return render(request, "statements/public/sign_sent.html", context)
    context["form"] = form
    return render(
        request,
        "statements/public/sign.html",
        context,
        status=400 if form.errors else 200,
    )


def sign_confirm(request: HttpRequest, page, edition: Edition, token: str) -> HttpResponse:
    """The link from the confirmation mail: a button (mail scanners follow links, they do not
    press buttons), then the signatory is confirmed and listed."""
    statement, roles = load(request, edition)
    signatory = signatory_by_token(token)
    if signatory is None or signatory.statement_id != statement.pk:
        raise Http404(_("This confirmation link is not valid."))
    context = {"page": page, "statement": statement, "roles": roles, "signatory": signatory}
    if request.method == "POST":
        try:
            confirmed_now = confirm_signatory(signatory=signatory)
        except ActionRefusedError as error:
            return refused(request, page, error)
        message = (
            _("Thank you: your signature is confirmed and listed.")
            if confirmed_now
            else _("Your signature was already confirmed.")
        )
        return done(request, message, page_url(request, page, "statement") + "#signatories")
    return render(request, "statements/public/sign_confirm.html", context)
