"""The registration's documents in the Wagtail admin: the review queue of visa letters (issue,
refuse with a reason, view the letter) and badge batches (start one for an edition, follow its
progress, download the file). Everything is scoped to the editions the person organizes (all of
them for a series administrator); passport details show only with the view_passport_details
permission. Registered by registration.wagtail_hooks."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from forum.documents import being_prepared, file_response, read_private, signed_file_url
from forum.enums import EditionRoleKind
from forum.models import Edition
from forum.permissions import is_series_admin
from forum.selectors import editions_where_user_has_role
from registration.documents.selectors import (
    job_of_editions,
    jobs_of_editions,
    letter_of_editions,
    letter_queue,
)
from registration.documents.services.batches import (
    DocumentJobError,
    expire_lost_job,
    retry_document_job,
    start_document_job,
)
from registration.documents.services.letters import LetterError, issue_letter, refuse_letter
from registration.documents.services.participant import prepared_document
from registration.enums import DocumentJobKind, DocumentJobStatus, LetterStatus
from registration.enums import RegistrationStatus as Status
from registration.models import TicketType

PER_PAGE = 50


def managed_editions(user) -> QuerySet[Edition]:
    """The editions whose letters and badges `user` handles: those they organize."""
    if is_series_admin(user):
        return Edition.objects.all()
    return editions_where_user_has_role(user, [EditionRoleKind.ORGANIZER])


def _editions_or_deny(request: HttpRequest) -> QuerySet[Edition]:
    editions = managed_editions(request.user)
    if not editions.exists():
        raise PermissionDenied
    return editions


def _breadcrumbs(*items) -> list[dict]:
    return [{"url": reverse("wagtailadmin_home"), "label": _("Home")}, *items]


# --- The letter queue -----------------------------------------------------------------------


class LetterFilterForm(forms.Form):
    edition = forms.ModelChoiceField(
        queryset=Edition.objects.none(),
        required=False,
        empty_label=gettext_lazy("All my editions"),
        label=gettext_lazy("Edition"),
        to_field_name="slug",
    )
    status = forms.ChoiceField(
        choices=[("", gettext_lazy("Any status")), *LetterStatus.choices],
        required=False,
        label=gettext_lazy("Status"),
    )

    def __init__(self, data, *, editions):
        super().__init__(data)
        self.fields["edition"].queryset = editions.order_by("-year")


@require_GET
def letters(request: HttpRequest) -> HttpResponse:
    editions = _editions_or_deny(request)
    data = request.GET.copy()
    data.setdefault("status", LetterStatus.REQUESTED)
    form = LetterFilterForm(data, editions=editions)
    chosen, status = editions, LetterStatus.REQUESTED
    if form.is_valid():
        if form.cleaned_data["edition"]:
            chosen = editions.filter(pk=form.cleaned_data["edition"].pk)
        status = form.cleaned_data["status"]
    page = Paginator(letter_queue(chosen, status=status or None), PER_PAGE).get_page(
        request.GET.get("p")
    )
    return render(
        request,
        "registration/admin/letters.html",
        {
            "form": form,
            "page": page,
            "show_passport": request.user.has_perm("registration.view_passport_details"),
            "query": urlencode({k: v for k, v in data.items() if k != "p"}),
            "header_title": _("Visa invitation letters"),
            "breadcrumbs_items": _breadcrumbs({"url": "", "label": _("Visa invitation letters")}),
        },
    )


@require_POST
def letter_decide(request: HttpRequest, letter_id: int, decision: str) -> HttpResponse:
    editions = _editions_or_deny(request)
    letter = letter_of_editions(editions, letter_id)
    if letter is None:
        raise Http404
    back = request.POST.get("next", "")
    if not back.startswith(reverse("registration_letters")):
        back = reverse("registration_letters")
    try:
        if decision == "issue":
            letter = issue_letter(letter=letter, actor=request.user)
            messages.success(
                request,
                _("Letter %(number)s issued to %(name)s.")
                % {"number": letter.number, "name": letter.registration.name},
            )
        else:
            refuse_letter(letter=letter, actor=request.user, reason=request.POST.get("reason", ""))
            messages.success(
                request,
                _("Letter for %(name)s refused.") % {"name": letter.registration.name},
            )
    except LetterError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(back)


@require_GET
def letter_pdf(request: HttpRequest, letter_id: int) -> HttpResponse:
    editions = _editions_or_deny(request)
    letter = letter_of_editions(editions, letter_id)
    if letter is None or letter.status != LetterStatus.ISSUED:
        raise Http404
    registration = letter.registration
    name = prepared_document(registration, "letter", registration.language)
    if name is None:
        return being_prepared(request, title=_("Visa invitation letter (PDF)"))
    response = HttpResponse(read_private(name), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{letter.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Badge batches --------------------------------------------------------------------------


class BadgeBatchForm(forms.Form):
    edition = forms.ModelChoiceField(
        queryset=Edition.objects.none(), label=gettext_lazy("Edition"), to_field_name="slug"
    )
    ticket_types = forms.ModelMultipleChoiceField(
        queryset=TicketType.objects.none(),
        required=False,
        label=gettext_lazy("Ticket types"),
        help_text=gettext_lazy("None chosen: every ticket type."),
        widget=forms.CheckboxSelectMultiple,
    )
    statuses = forms.MultipleChoiceField(
        choices=[
            (Status.CONFIRMED, Status.CONFIRMED.label),
            (Status.PENDING_APPROVAL, Status.PENDING_APPROVAL.label),
            (Status.WAITLISTED, Status.WAITLISTED.label),
        ],
        initial=[Status.CONFIRMED],
        label=gettext_lazy("Statuses"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, editions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = editions.order_by("-year")
        self.fields["ticket_types"].queryset = (
            TicketType.objects.filter(edition__in=editions)
            .select_related("edition")
            .order_by("edition__year", "position", "name")
        )
        self.fields["ticket_types"].label_from_instance = lambda t: f"{t.edition.name}: {t.name}"

    def clean(self):
        data = super().clean()
        edition, tickets = data.get("edition"), data.get("ticket_types") or []
        if edition and any(ticket.edition_id != edition.pk for ticket in tickets):
            self.add_error("ticket_types", _("Choose ticket types of this edition."))
        return data


@require_http_methods(["GET", "POST"])
def badge_batches(request: HttpRequest) -> HttpResponse:
    editions = _editions_or_deny(request)
    form = BadgeBatchForm(request.POST or None, editions=editions)
    if request.method == "POST" and form.is_valid():
        try:
            job = start_document_job(
                edition=form.cleaned_data["edition"],
                kind=DocumentJobKind.BADGES,
                filters={
                    "ticket_types": [t.pk for t in form.cleaned_data["ticket_types"]],
                    "statuses": form.cleaned_data["statuses"],
                },
                actor=request.user,
            )
        except DocumentJobError as error:
            form.add_error(None, error)
        else:
            return redirect("registration_document_job", job_id=job.pk)
    return render(
        request,
        "registration/admin/badges.html",
        {
            "form": form,
            "jobs": jobs_of_editions(editions)[:20],
            "header_title": _("Badge printing"),
            "breadcrumbs_items": _breadcrumbs({"url": "", "label": _("Badge printing")}),
        },
        status=400 if form.errors else 200,
    )


def _job_or_404(request: HttpRequest, job_id: int):
    job = job_of_editions(_editions_or_deny(request), job_id)
    if job is None:
        raise Http404
    return expire_lost_job(job)


def job_filename(job) -> str:
    return f"{job.edition.slug}-{job.kind}-{job.pk}.pdf"


def job_state(job, *, user) -> dict:
    """What the job page's script shows (a small JSON answer polled while the job runs). The
    download is a signed link for `user` alone that expires (PRIVATE_FILE_LINK_MAX_AGE)."""
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.status in (DocumentJobStatus.DONE, DocumentJobStatus.FAILED),
        "download_url": (
            signed_file_url(
                job.file.name, user=user, filename=job_filename(job), as_attachment=True
            )
            if job.status == DocumentJobStatus.DONE and job.file
            else None
        ),
        "error": job.error if job.status == DocumentJobStatus.FAILED else "",
    }


@require_GET
def document_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job_or_404(request, job_id)
    title = _("Badges for %(edition)s") % {"edition": job.edition.name}
    count_template = _("%(done)s of %(total)s badges")
    return render(
        request,
        "registration/admin/job.html",
        {
            "job": job,
            "state": job_state(job, user=request.user),
            "count_template": count_template,
            "count_text": count_template % {"done": job.done, "total": job.total},
            "header_title": title,
            "breadcrumbs_items": _breadcrumbs(
                {"url": reverse("registration_badges"), "label": _("Badge printing")},
                {"url": "", "label": title},
            ),
        },
    )


@require_POST
def document_job_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job_or_404(request, job_id)
    try:
        retry_document_job(job=job)
    except DocumentJobError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The job was started again with the badges still missing."))
    return redirect("registration_document_job", job_id=job.pk)


@require_GET
def document_job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    response = JsonResponse(job_state(_job_or_404(request, job_id), user=request.user))
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def document_job_download(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job_or_404(request, job_id)
    if job.status != DocumentJobStatus.DONE or not job.file:
        raise Http404
    return file_response(job.file.name, filename=job_filename(job), as_attachment=True)


# --- URLs and menu --------------------------------------------------------------------------


def admin_urls() -> list:
    # Beside, not beneath, /admin/registration/<edition>/…, the registration admin's own URLs.
    return [
        path("registration-documents/letters/", letters, name="registration_letters"),
        path(
            "registration-documents/letters/<int:letter_id>/issue/",
            letter_decide,
            {"decision": "issue"},
            name="registration_letter_issue",
        ),
        path(
            "registration-documents/letters/<int:letter_id>/refuse/",
            letter_decide,
            {"decision": "refuse"},
            name="registration_letter_refuse",
        ),
        path(
            "registration-documents/letters/<int:letter_id>/letter.pdf",
            letter_pdf,
            name="registration_letter_pdf",
        ),
        path("registration-documents/badges/", badge_batches, name="registration_badges"),
        path(
            "registration-documents/jobs/<int:job_id>/",
            document_job,
            name="registration_document_job",
        ),
        path(
            "registration-documents/jobs/<int:job_id>/retry/",
            document_job_retry,
            name="registration_document_job_retry",
        ),
        path(
            "registration-documents/jobs/<int:job_id>/status.json",
            document_job_status,
            name="registration_document_job_status",
        ),
        path(
            "registration-documents/jobs/<int:job_id>/download/",
            document_job_download,
            name="registration_document_job_download",
        ),
    ]


class OrganizerMenuItem(MenuItem):
    def is_shown(self, request):
        return managed_editions(request.user).exists()


def letters_menu_item() -> MenuItem:
    return OrganizerMenuItem(
        gettext_lazy("Visa letters"),
        reverse("registration_letters"),
        name="visa-letters",
        icon_name="doc-full",
        order=215,
    )


def badges_menu_item() -> MenuItem:
    return OrganizerMenuItem(
        gettext_lazy("Badge printing"),
        reverse("registration_badges"),
        name="badge-printing",
        icon_name="user",
        order=216,
    )


@hooks.register("register_admin_urls")
def register_document_urls():
    return admin_urls()


@hooks.register("register_admin_menu_item")
def register_letters_menu_item():
    return letters_menu_item()


@hooks.register("register_admin_menu_item")
def register_badges_menu_item():
    return badges_menu_item()
