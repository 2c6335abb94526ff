"""Payments in the admin: importing a bank statement (CSV with a column mapping, MT940,
CAMT.053), confirming the lines matched to registrations, and reviewing the others (assign
to a registration found by search, or ignore).

Every page is reached through the edition's slug, needs the right to change registrations and
the organizer role of that edition; imports, lines and registrations are looked up within that
edition only (another edition's id: 404).
"""

from django import forms
from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from registration.models import BankImport, BankLine
from registration.organizer.admin import CHANGE, _breadcrumbs
from registration.payments import services as service
from registration.payments.bankfiles import MAX_BYTES, StatementError, csv_file
from registration.payments.selectors import (
    bank_import_for,
    bank_imports_of,
    bank_line_for,
    lines_of,
    registrations_to_assign,
)
from registration.permissions import organizer_edition_or_deny
from registration.services.errors import RegistrationError


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bank statement"),
        help_text=gettext_lazy("CSV, MT940 (.sta, .940, .txt) or CAMT.053 (.xml), up to 10 MB."),
    )
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        required=False,
        choices=[("", gettext_lazy("Recognise it")), *BankImport.Format.choices],
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class MappingForm(forms.Form):
    delimiter = forms.ChoiceField(
        label=gettext_lazy("Columns separated by"),
        choices=[
            ("comma", gettext_lazy("Comma (,)")),
            ("semicolon", gettext_lazy("Semicolon (;)")),
            ("tab", gettext_lazy("Tab")),
        ],
    )
    date_column = forms.TypedChoiceField(label=gettext_lazy("Date"), coerce=int)
    date_format = forms.ChoiceField(
        label=gettext_lazy("Date format"),
        choices=[
            ("iso", "2009-11-03"),
            ("dmy_dot", "03.11.2009"),
            ("dmy_slash", "03/11/2009"),
            ("mdy_slash", "11/03/2009"),
            ("ymd_slash", "2009/11/03"),
        ],
    )
    amount_column = forms.TypedChoiceField(label=gettext_lazy("Amount"), coerce=int)
    decimal_comma = forms.BooleanField(
        label=gettext_lazy("Amounts use a decimal comma (1.234,50)"), required=False
    )
    currency_column = forms.TypedChoiceField(
        label=gettext_lazy("Currency"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=gettext_lazy("Without one, every line is in the edition's currency."),
    )
    text_columns = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Reference and description"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The columns searched for payment references."),
    )

    def __init__(self, *args, header: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        columns = [
            (index, name or _("Column %(n)s") % {"n": index + 1})
            for index, name in enumerate(header)
        ]
        for name in ("date_column", "amount_column", "text_columns"):
            self.fields[name].choices = columns
        self.fields["currency_column"].choices = [("", _("None")), *columns]

    def mapping(self, default_currency: str) -> csv_file.Mapping:
        data = self.cleaned_data
        return csv_file.Mapping(
            date_column=data["date_column"],
            amount_column=data["amount_column"],
            text_columns=tuple(data["text_columns"]),
            currency_column=data["currency_column"],
            delimiter=data["delimiter"],
            decimal_comma=data["decimal_comma"],
            date_format=data["date_format"],
            default_currency=default_currency,
        )


def _guess(header: list[str], *words: str) -> int | None:
    for index, name in enumerate(header):
        if any(word in name.lower() for word in words):
            return index
    return None


def _edition(request, edition_slug):
    return organizer_edition_or_deny(request.user, edition_slug, CHANGE)


def _context(edition, title: str, *crumbs, **extra) -> dict:
    payments_url = reverse("registration_admin_payments", args=[edition.slug])
    return {
        "edition": edition,
        "tab": "payments",
        "header_title": title,
        "breadcrumbs_items": _breadcrumbs(edition, (payments_url, _("Payments")), *crumbs),
        **extra,
    }


def _import_url(bank_import) -> str:
    return reverse(
        "registration_admin_bank_import", args=[bank_import.edition.slug, bank_import.pk]
    )


@require_http_methods(["GET", "POST"])
def payments_page(request: HttpRequest, edition_slug: str) -> HttpResponse:
    edition = _edition(request, edition_slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                bank_import = service.start_bank_import(
                    edition=edition,
                    file_name=upload.name,
                    data=upload.read(),
                    file_format=form.cleaned_data["file_format"],
                    actor=request.user,
                )
            except StatementError as error:
                form.add_error("file", error)
            except IntegrityError:
                form.add_error("file", _("This file is being imported already; try again."))
            else:
                if not bank_import.parsed:
                    return redirect("registration_admin_bank_mapping", edition.slug, bank_import.pk)
                return redirect(_import_url(bank_import))
        status = 400
    context = _context(
        edition,
        _("Payments: %(edition)s") % {"edition": edition.name},
        form=form,
        imports=bank_imports_of(edition=edition)[:50],
    )
    context["breadcrumbs_items"] = _breadcrumbs(edition, ("", _("Payments")))
    return render(request, "registration/admin/payments.html", context, status=status)


def _import_or_404(edition, pk: int) -> BankImport:
    bank_import = bank_import_for(edition=edition, pk=pk)
    if bank_import is None:
        raise Http404
    return bank_import


@require_http_methods(["GET", "POST"])
def mapping_page(request: HttpRequest, edition_slug: str, pk: int) -> HttpResponse:
    edition = _edition(request, edition_slug)
    bank_import = _import_or_404(edition, pk)
    if bank_import.parsed:
        return redirect(_import_url(bank_import))
    text = bank_import.pending_text
    delimiter = request.POST.get("delimiter") or csv_file.sniff_delimiter(text)
    try:
        header = csv_file.header_of(
            text, delimiter if delimiter in csv_file.DELIMITERS else "comma"
        )
    except StatementError:
        header = []
    initial = {
        "delimiter": delimiter,
        "date_column": _guess(header, "date", "datum", "日付"),
        "amount_column": _guess(header, "amount", "betrag", "credit", "金額"),
        "currency_column": _guess(header, "currency", "ccy", "währung", "通貨"),
        "text_columns": [
            i
            for i in (
                _guess(header, "reference", "ref"),
                _guess(header, "descr", "purpose", "zweck", "memo", "text", "摘要"),
            )
            if i is not None
        ],
        "decimal_comma": delimiter == "semicolon",
    }
    form = MappingForm(request.POST or None, header=header, initial=initial)
    status = 200
    if request.method == "POST" and "refresh" not in request.POST:
        if form.is_valid():
            from registration.selectors import registration_settings

            settings_row = registration_settings(edition)
            currency = settings_row.currency if settings_row else ""
            try:
                service.apply_csv_mapping(bank_import=bank_import, mapping=form.mapping(currency))
            except StatementError as error:
                form.add_error(None, error)
            except IntegrityError:
                form.add_error(None, _("This file is being imported already; try again."))
            else:
                return redirect(_import_url(bank_import))
        status = 400
    preview = csv_file.rows_of(text[:5000], delimiter)[:6] if header else []
    context = _context(
        edition,
        _("Columns of %(file)s") % {"file": bank_import.file_name},
        ("", bank_import.file_name),
        form=form,
        bank_import=bank_import,
        preview=preview,
    )
    return render(request, "registration/admin/bank_mapping.html", context, status=status)


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, edition_slug: str, pk: int) -> HttpResponse:
    edition = _edition(request, edition_slug)
    bank_import = _import_or_404(edition, pk)
    if not bank_import.parsed:
        return redirect("registration_admin_bank_mapping", edition.slug, bank_import.pk)
    if request.method == "POST":
        recorded, refused = service.confirm_matched_lines(
            bank_import=bank_import, line_ids=request.POST.getlist("line"), actor=request.user
        )
        if recorded:
            messages.success(
                request,
                ngettext("%(n)s payment recorded.", "%(n)s payments recorded.", recorded)
                % {"n": recorded},
            )
        if refused:
            messages.warning(
                request,
                ngettext(
                    "%(n)s line could not be recorded; see the lines to review.",
                    "%(n)s lines could not be recorded; see the lines to review.",
                    refused,
                )
                % {"n": refused},
            )
        if not recorded and not refused:
            messages.info(request, _("No line was chosen."))
        return redirect(_import_url(bank_import))
    context = _context(
        edition,
        _("Statement %(file)s") % {"file": bank_import.file_name},
        ("", bank_import.file_name),
        bank_import=bank_import,
        matched=list(lines_of(bank_import=bank_import, status=BankLine.Status.MATCHED)),
        unmatched=list(lines_of(bank_import=bank_import, status=BankLine.Status.UNMATCHED)),
        recorded=list(lines_of(bank_import=bank_import, status=BankLine.Status.RECORDED)),
        ignored=list(lines_of(bank_import=bank_import, status=BankLine.Status.IGNORED)),
    )
    return render(request, "registration/admin/bank_import.html", context)


@require_http_methods(["GET", "POST"])
def line_page(request: HttpRequest, edition_slug: str, pk: int) -> HttpResponse:
    edition = _edition(request, edition_slug)
    line = bank_line_for(edition=edition, pk=pk)
    if line is None:
        raise Http404
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "assign":
                try:
                    registration_id = int(request.POST.get("registration", ""))
                except ValueError:
                    raise RegistrationError(_("Choose a registration of this edition.")) from None
                line = service.assign_line(
                    edition=edition,
                    line_id=line.pk,
                    registration_id=registration_id,
                    actor=request.user,
                )
                messages.success(
                    request,
                    _("Payment recorded for %(name)s.") % {"name": line.registration.name},
                )
            elif action == "ignore":
                service.ignore_line(edition=edition, line_id=line.pk, actor=request.user)
                messages.success(request, _("The line is ignored."))
            else:
                raise RegistrationError(_("Choose an action."))
        except RegistrationError as refused:
            error = " ".join(refused.messages)
        else:
            return redirect(_import_url(line.bank_import))
    query = request.GET.get("q", "").strip()[:100]
    context = _context(
        edition,
        _("Review a line"),
        (_import_url(line.bank_import), line.bank_import.file_name),
        ("", _("Review a line")),
        line=line,
        query=query,
        results=registrations_to_assign(edition=edition, query=query) if query else None,
        error=error,
    )
    return render(
        request, "registration/admin/bank_line.html", context, status=400 if error else 200
    )
