"""The admin view that copies a previous edition's setup into an edition: choose the source,
see what would be copied, confirm (forum.edition_copy does the work)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets.button import MenuItem
from wagtail.permissions import policy_registry

from forum.edition_copy import copy_edition_setup, preview_edition_copy
from forum.models import Edition
from forum.views import EditionScopedIndexView


class SourceForm(forms.Form):
    source = forms.ModelChoiceField(
        label=gettext_lazy("Copy from"), queryset=Edition.objects.none(), empty_label=None
    )

    def __init__(self, *args, editions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = editions


def _target_or_deny(user, pk: int) -> Edition:
    """The edition `pk` if `user` may change it (its organizers, series administrators)."""
    edition = Edition.objects.filter(pk=pk).first()
    if edition is None:
        raise Http404
    policy = policy_registry.get_by_type(Edition)
    if not policy.user_has_permission_for_instance(user, "change", edition):
        raise PermissionDenied
    return edition


def _sources_for(user, target: Edition):
    """The other editions `user` may see (a source is only read)."""
    policy = policy_registry.get_by_type(Edition)
    return (
        policy.instances_user_has_any_permission_for(user, ["change", "view"])
        .exclude(pk=target.pk)
        .order_by("-year", "-number")
    )


def copy_setup(request, pk: int):
    target = _target_or_deny(request.user, pk)
    data = (
        request.POST
        if request.method == "POST"
        else (request.GET if "source" in request.GET else None)
    )
    form = SourceForm(data, editions=_sources_for(request.user, target))
    plans = None
    if form.is_bound and form.is_valid():
        source = form.cleaned_data["source"]
        if request.method == "POST":
            try:
                written = copy_edition_setup(source=source, target=target, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("%(count)d items copied from %(source)s into %(target)s.")
                    % {"count": sum(written.values()), "source": source, "target": target},
                )
                return redirect("edition:edit", target.pk)
        plans = preview_edition_copy(source=source, target=target)
    return render(
        request,
        "forum/admin/copy_setup.html",
        {
            "edition": target,
            "form": form,
            "plans": plans,
            "nothing_to_copy": plans is not None and not any(p.to_copy for p in plans),
            "header_title": _("Copy the setup of another edition into %(edition)s")
            % {"edition": target},
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": reverse("edition:index"), "label": _("Editions")},
                {"url": reverse("edition:edit", args=[target.pk]), "label": str(target)},
                {"url": "", "label": _("Copy setup")},
            ],
        },
    )


class EditionIndexView(EditionScopedIndexView):
    """The edition list, with "Copy setup from another edition" among each row's actions."""

    @cached_property
    def _policy(self):
        return policy_registry.get_by_type(Edition)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self._policy.user_has_permission_for_instance(self.request.user, "change", instance):
            buttons.append(
                MenuItem(
                    _("Copy setup from another edition"),
                    url=reverse("forum_edition_copy_setup", args=[instance.pk]),
                    icon_name="copy",
                    priority=25,
                )
            )
        return buttons
