"""The participant's registration pages beneath an edition's page (/<edition>/register/…).

Every object reached from a URL or a form is looked up through a selector scoped to the
person and the edition; services do the writing and refuse with RegistrationError.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_countries import countries

from forum import ratelimit
from forum.models import Edition
from registration import selectors
from registration.documents.selectors import documents_for
from registration.enums import ACTIVE_STATUSES, RegistrationStatus, SignupStatus
from registration.models import Registration
from registration.payments.selectors import payment_block
from registration.public.form_cache import (
    cached_html,
    fee_table_html,
    form_html_key,
    form_parts,
    seats_taken,
)
from registration.public.forms import (
    DetailsForm,
    RegistrationForm,
    SignupForm,
    SupportForm,
    details_initial,
)
from registration.services.errors import RegistrationError
from registration.services.registrations import (
    cancel_registration,
    confirm_email,
    registration_is_open,
    request_waiver,
    submit_registration,
    update_details,
)
from registration.services.signups import cancel_signup, sign_up_for_session

PARTICIPANTS_PER_PAGE = 100
COUNTRY_CODES = frozenset(dict(countries))


def _url(page, route: str) -> str:
    return page.url + page.reverse_subpage(route)


def _no_store(response: HttpResponse) -> HttpResponse:
    """Forms that may hold passport details are never kept by browsers or proxies."""
    add_never_cache_headers(response)
    return response


def _show_error(form, error: RegistrationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _base_context(page, edition: Edition, **extra) -> dict:
    return {"page": page, "edition": edition, **extra}


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    language = translation.get_language() or "en"
    # The settings, ticket types, questions and fee table, as every visitor sees them.
    parts = form_parts(edition, language)
    settings_row = parts.settings_row
    if not registration_is_open(edition, settings_row=settings_row):
        opens_later = bool(
            settings_row and settings_row.opens_at and settings_row.opens_at > timezone.now()
        )
        context = _base_context(page, edition, settings_row=settings_row, opens_later=opens_later)
        return render(request, "registration/closed.html", context)
    if request.method == "GET" and request.GET.get("sent"):
        return render(request, "registration/sent.html", _base_context(page, edition))
    country = (request.POST.get("country") or request.GET.get("country") or "")[:2]
    currency = parts.currency
    options = {
        "ticket_types": parts.ticket_types,
        "questions": parts.questions,
        "currency": currency,
    }
    limited = False
    cache_key = None
    form = None  # a bound form (POST); an unbound one is built only to be drawn
    initial: dict = {}
    if request.method == "POST" and request.POST.get("show_fees"):
        # The fees for the chosen country, without JavaScript: the same form again, with
        # everything typed kept and nothing judged yet.
        form = RegistrationForm(request.POST, **options)
        form.keep_input_without_errors()
    elif request.method == "POST":
        form = RegistrationForm(request.POST, **options)
        if form.is_valid() and ratelimit.email_or_client_exceeded(
            REGISTER_LIMIT, request, form.cleaned_data["email"]
        ):
            limited = True
            form.add_error(
                None,
                _(
                    "Too many registrations from this address or network in a short time. "
                    "Please try again in %(minutes)s minutes."
                )
                % {"minutes": _registration_retry_minutes()},
            )
        elif form.is_valid():
            try:
                submit_registration(
                    edition=edition,
                    ticket_type=form.cleaned_data["ticket_type"],
                    data=form.details(),
                    answers=form.answers(),
                    passport=form.passport(),
                    language=form.cleaned_data["language"],
                    user=request.user if request.user.is_authenticated else None,
                    settings_row=settings_row,
                    questions=parts.questions,
                    income_group=parts.income_group_of(form.cleaned_data["country"]),
                )
            except RegistrationError as error:
                _show_error(form, error)
            else:
                ratelimit.record_email_and_client(
                    REGISTER_LIMIT, request, form.cleaned_data["email"]
                )
                return HttpResponseRedirect(_url(page, "register") + "?sent=1")
    else:
        if country not in parts.income_groups and country not in COUNTRY_CODES:
            country = ""  # an unknown code selects nothing, as no code does
        initial["language"] = language
        if country:
            initial["country"] = country
        if request.user.is_authenticated:
            initial["email"] = request.user.email
        # An unbound form is the same for everyone with this language, country and address:
        # built only when its HTML is not kept yet.
        cache_key = form_html_key(parts, edition, language, country, initial.get("email", ""))
    # Shown again: each ticket type with its fee for the chosen country.
    income_group = parts.income_group_of(country) if country else ""
    fee_data = parts.fee_data
    fields_context = {
        "settings_row": settings_row,
        "show_fee_button": True,
        "my_fees": [
            (ticket.name, fee_data["tickets"][i]["fees"].get(income_group or "high"))
            for i, ticket in enumerate(parts.ticket_types)
        ]
        if income_group
        else [],
    }

    def draw_fields() -> str:
        drawn = form if form is not None else RegistrationForm(initial=initial, **options)
        drawn.fields["ticket_type"].income_group = income_group
        return render_to_string(
            "registration/register_fields.html", {"form": drawn, **fields_context}
        )

    form_html = cached_html(cache_key, draw_fields) if cache_key else draw_fields()
    context = _base_context(
        page,
        edition,
        form_html=mark_safe(form_html),  # noqa: S308 — drawn by our template, escaped there
        fees_html=mark_safe(  # noqa: S308 — drawn by our template, the seats escaped
            fee_table_html(parts, edition, language, income_group, seats_taken(parts.ticket_types))
        ),
        fee_data=fee_data,
        fee_data_script=mark_safe(parts.fee_data_script),  # noqa: S308 — json_script's output
        form=form,
        already_registered=selectors.has_active_registration(user=request.user, edition=edition),
        **fields_context,
    )
    return _no_store(
        render(request, "registration/register.html", context, status=429 if limited else 200)
    )


# Registrations are limited per address (each sends a mail) and per client address, loosely
# enough for a whole delegation on one network; only forms that went through count, and a known
# address counts the same as an unknown one.
REGISTER_LIMIT = "registration.register"


def _registration_retry_minutes() -> int:
    seconds = max(
        ratelimit.retry_after(ratelimit.get_limit("registration.register.email")),
        ratelimit.retry_after(ratelimit.get_limit("registration.register.client")),
    )
    return max(1, -(-seconds // 60))


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, page, edition: Edition, token: str) -> HttpResponse:
    """GET shows a button; POST confirms. A link scanner that only fetches the address
    neither confirms nor gets a logged-in session."""
    found = Registration.objects.filter(edition=edition, confirmation_token=token)
    if request.method == "POST":
        # What confirming reads before it locks and reads the registration again.
        found = found.only("pk", "edition_id", "ticket_type_id", "status", "confirmation_token")
    else:
        found = found.select_related("ticket_type", "user")
    registration = found.first()
    if registration is None:
        raise Http404(_("This confirmation link is not valid."))
    registration.edition = edition  # the one it was looked up in
    if registration.status != RegistrationStatus.UNCONFIRMED:
        messages.info(request, _("Your email address is already confirmed."))
        return HttpResponseRedirect(_url(page, "register_me"))
    if request.method == "GET":
        context = _base_context(
            page,
            edition,
            registration=registration,
            payment=payment_block(registration, selectors.registration_settings(edition)),
        )
        return _no_store(render(request, "registration/confirm.html", context))
    try:
        registration = confirm_email(registration=registration, token=token)
    except RegistrationError as error:
        context = _base_context(page, edition, registration=registration, error=error)
        return render(request, "registration/confirm.html", context, status=400)
    user = registration.user
    if user.is_staff or user.is_superuser:
        # A staff account is never opened by an emailed link: they log in with their password.
        messages.success(request, _("Your address is confirmed. Log in to see your registration."))
        return redirect_to_login(_url(page, "register_me"))
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your email address is confirmed."))
    response = HttpResponseRedirect(_url(page, "register_me"))
    return _no_store(response)


def _mine_or_login(request: HttpRequest, page, edition: Edition):
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    return selectors.my_registration(user=request.user, edition=edition), None


def my_registration(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    registration, redirect = _mine_or_login(request, page, edition)
    if redirect:
        return redirect
    context = _base_context(page, edition, registration=registration)
    if registration is not None:
        settings_row = selectors.registration_settings(edition)
        context.update(
            settings_row=settings_row,
            payment=payment_block(registration, settings_row),
            is_active=registration.status in ACTIVE_STATUSES,
            may_ask_support=selectors.support_refusal(registration) is None,
            position=selectors.waitlist_position_of(registration),
            sessions=selectors.sessions_with_seats(edition=edition, registration=registration)
            if registration.status == RegistrationStatus.CONFIRMED
            else [],
            documents=documents_for(registration),
            can_set_password=not request.user.has_usable_password(),
        )
    else:
        context["registration_open"] = registration_is_open(edition)
    return _no_store(render(request, "registration/me.html", context))


def _active_or_404(request, page, edition):
    registration, redirect = _mine_or_login(request, page, edition)
    if redirect:
        return None, redirect
    if registration is None or registration.status not in ACTIVE_STATUSES:
        raise Http404(_("You have no active registration for this edition."))
    return registration, None


@require_http_methods(["GET", "POST"])
def edit_registration(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    registration, redirect = _active_or_404(request, page, edition)
    if redirect:
        return redirect
    questions = selectors.edition_questions(edition)
    has_passport = hasattr(registration, "passport")
    if request.method == "POST":
        form = DetailsForm(request.POST, questions=questions, has_passport=has_passport)
        if form.is_valid():
            try:
                update_details(
                    registration=registration,
                    data=form.details(),
                    answers=form.answers(),
                    passport=form.passport(),
                )
            except RegistrationError as error:
                _show_error(form, error)
            else:
                messages.success(request, _("Your details are saved."))
                return HttpResponseRedirect(_url(page, "register_me"))
    else:
        form = DetailsForm(
            initial=details_initial(registration), questions=questions, has_passport=has_passport
        )
    context = _base_context(
        page, edition, form=form, registration=registration, has_passport=has_passport
    )
    return _no_store(render(request, "registration/edit.html", context))


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    registration, redirect = _active_or_404(request, page, edition)
    if redirect:
        return redirect
    if request.method == "POST":
        try:
            cancel_registration(registration=registration, actor=request.user)
        except RegistrationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return HttpResponseRedirect(_url(page, "register_me"))
    context = _base_context(page, edition, registration=registration)
    return render(request, "registration/cancel.html", context)


@require_http_methods(["GET", "POST"])
def ask_support(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    registration, redirect = _active_or_404(request, page, edition)
    if redirect:
        return redirect
    form = SupportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_waiver(
                registration=registration,
                kind=form.cleaned_data["waiver_kind"],
                reason=form.cleaned_data["waiver_reason"],
            )
        except RegistrationError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Your request for support is sent to the organizers."))
            return HttpResponseRedirect(_url(page, "register_me"))
    context = _base_context(page, edition, registration=registration, form=form)
    return render(request, "registration/support.html", context)


@require_POST
def session_signup(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    registration, redirect = _active_or_404(request, page, edition)
    if redirect:
        return redirect
    form = SignupForm(request.POST)
    if not form.is_valid():
        raise Http404(_("No such session."))
    session = selectors.session_for_signup(edition=edition, session_id=form.cleaned_data["session"])
    if session is None:
        raise Http404(_("No such session."))
    try:
        if form.cleaned_data["action"] == "sign_up":
            signup = sign_up_for_session(registration=registration, session=session)
            if signup.status == SignupStatus.WAITLISTED:
                messages.info(request, _("This session is full: you are on its waiting list."))
            else:
                messages.success(request, _("You have a seat in this session."))
        else:
            signup = selectors.my_signup(registration=registration, session=session)
            if signup is None:
                raise Http404(_("No such sign-up."))
            cancel_signup(signup=signup)
            messages.success(request, _("Your sign-up is cancelled."))
    except RegistrationError as error:
        messages.error(request, " ".join(error.messages))
    back = form.cleaned_data.get("next") or ""
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(back + "#seats")
    return HttpResponseRedirect(_url(page, "register_me") + "#sessions")


def participants(request: HttpRequest, page, edition: Edition) -> HttpResponse:
    paginator = Paginator(selectors.public_participants(edition), PARTICIPANTS_PER_PAGE)
    participants_page = paginator.get_page(request.GET.get("page"))
    context = _base_context(page, edition, participants_page=participants_page)
    return render(request, "registration/participants.html", context)
