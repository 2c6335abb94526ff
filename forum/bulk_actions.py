"""Bulk actions in the admin lists, built on Wagtail's bulk action framework
(`wagtail.admin.views.bulk_action.BulkAction`, registered with the `register_bulk_action` hook).

Each feature app defines its actions on top of `EditionScopedBulkAction`: the selection is read
through `scoped_queryset()` (the editions the person may act on), so that an id of another
edition's object, forged into the URL, reaches nothing. Every action shows Wagtail's
confirmation page, then calls the app's service function for each object, one by one: a refusal
of one object is reported with its reason and does not undo the others.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.permissions import policy_registry

CONFIRM_TEMPLATE = "forum/admin/bulk_action_confirm.html"
MAX_SELECTION = 500


@dataclass
class BulkOutcome:
    """What an action did: the objects changed, and those refused with the reason."""

    done: list = field(default_factory=list)
    refused: list[tuple[object, str]] = field(default_factory=list)


class EditionScopedBulkAction(BulkAction):
    """A bulk action over objects of the editions the person may `permission_action`.

    Subclasses set `models`, `display_name`, `action_type`, `aria_label`, `confirm_text` and
    `button_text`, and implement `act(obj, form)` (calling a service; raise ValidationError to
    refuse one object) and `done_message(count)`.
    """

    template_name = CONFIRM_TEMPLATE
    permission_action = "change"
    confirm_text = ""
    button_text = ""

    def scoped_queryset(self) -> QuerySet:
        """The objects the person may act on (the model's edition-scoped permission policy)."""
        policy = policy_registry.get_by_type(self.model)
        return policy.instances_user_has_any_permission_for(
            self.request.user, [self.permission_action]
        )

    def selected_ids(self) -> list[int]:
        ids = [value for value in self.request.GET.getlist("id") if value.isdigit()]
        return [int(value) for value in ids[:MAX_SELECTION]]

    @cached_property
    def selection(self) -> list:
        """The selected objects found in scope, in id order; none found is a 404."""
        objects = list(self.scoped_queryset().filter(pk__in=self.selected_ids()).order_by("pk"))
        if not objects:
            raise Http404
        return objects

    def get_actionable_objects(self):
        return self.selection, {"items_with_no_access": []}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "confirm_text": self.confirm_text,
                "button_text": self.button_text,
                "header_title": self.display_name,
                "ignored_count": len(set(self.selected_ids())) - len(self.selection),
            }
        )
        return context

    def get_execution_context(self):
        return {"action": self}

    @classmethod
    def execute_action(cls, objects, action=None, **kwargs):
        outcome = action.run(objects)
        action.outcome = outcome
        return len(outcome.done), 0

    def run(self, objects) -> BulkOutcome:
        outcome = BulkOutcome()
        for obj in objects:
            try:
                self.act(obj, self.cleaned_form)
            except ValidationError as error:
                outcome.refused.append((obj, " ".join(error.messages)))
            else:
                outcome.done.append(obj)
        return outcome

    def act(self, obj, form) -> None:
        raise NotImplementedError

    def done_message(self, count: int) -> str:
        raise NotImplementedError

    def get_success_message(self, num_parent_objects, num_child_objects):
        for obj, reason in self.outcome.refused:
            messages.warning(
                self.request, _("%(object)s: %(reason)s") % {"object": obj, "reason": reason}
            )
        return self.done_message(num_parent_objects)


class BulkActionsIndexMixin:
    """A ModelViewSet index with a selection checkbox per row and the bulk actions' footer."""

    bulk_obj_type = "object"
    template_name = "forum/admin/bulk_index.html"

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type=self.bulk_obj_type),
            *super().columns,
        ]

    def _get_title_column(self, *args, **kwargs):
        return super()._get_title_column(
            *args, **kwargs, get_title_id=lambda obj: f"{self.bulk_obj_type}_{obj.pk}_title"
        )
