"""The call for proposals in the Wagtail admin, scoped to the editions a person organizes: the
call, its proposal types and review criteria, the reviewers' declarations, late-submission links
and the proposals (an organizer's edits flow into an accepted proposal's session)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from cfp.models import (
    Call,
    CallQuestion,
    LateSubmissionLink,
    Proposal,
    ProposalType,
    ReviewCriterion,
    ReviewerProfile,
)
from cfp.services.programme import sync_session
from cms.content_translation import SourceLanguageAdminForm, translation_panels
from forum.enums import EditionRoleKind
from forum.permissions import EditionScopedPermissionPolicy
from forum.questions import EDITED_FIELDS, TRANSLATED_FIELDS
from forum.views import (
    EditionScopedDeleteView,
    EditionScopedEditView,
    EditionScopedIndexView,
    EditionScopedInspectView,
    ManagedEditionChoiceMixin,
)

CFP_MANAGERS = (EditionRoleKind.ORGANIZER,)
for model in (Call, ProposalType, ReviewCriterion, CallQuestion, ReviewerProfile, Proposal):
    register_permission_policy(
        model, EditionScopedPermissionPolicy(model, edition_field="edition", managers=CFP_MANAGERS)
    )
register_permission_policy(
    LateSubmissionLink,
    EditionScopedPermissionPolicy(
        LateSubmissionLink, edition_field="call__edition", managers=CFP_MANAGERS
    ),
)


class CfpCreateView(ManagedEditionChoiceMixin, generic.CreateView):
    pass


class CfpEditView(ManagedEditionChoiceMixin, EditionScopedEditView):
    pass


class LateLinkCreateView(generic.CreateView):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        editions = self.permission_policy.managed_editions(self.request.user)
        form.fields["call"].queryset = Call.objects.filter(edition__in=editions)
        return form


class LateLinkEditView(EditionScopedEditView):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        editions = self.permission_policy.managed_editions(self.request.user)
        form.fields["call"].queryset = Call.objects.filter(edition__in=editions)
        return form


class ProposalCreateView(generic.CreateView):
    """Proposals come from their submitters on the call's page, never from the admin."""

    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied


class ProposalEditView(EditionScopedEditView):
    """An organizer's edit; an accepted proposal's unscheduled session follows it."""

    def save_instance(self):
        instance = super().save_instance()
        sync_session(proposal=instance)
        return instance


class CfpViewSet(ModelViewSet):
    index_view_class = EditionScopedIndexView
    add_view_class = CfpCreateView
    edit_view_class = CfpEditView
    delete_view_class = EditionScopedDeleteView
    inspect_view_class = EditionScopedInspectView
    list_filter = ["edition"]


class CallViewSet(CfpViewSet):
    model = Call
    icon = "doc-full"
    edit_handler = ObjectList(
        [
            FieldPanel("edition"),
            FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            FieldPanel("guidelines"),
            FieldRowPanel([FieldPanel("review_opens_at"), FieldPanel("review_closes_at")]),
            FieldPanel("reviewers_per_proposal"),
            FieldRowPanel([FieldPanel("anonymised_review"), FieldPanel("exclude_own_country")]),
            *translation_panels("guidelines"),
        ],
        base_form_class=SourceLanguageAdminForm,
    )
    list_display = ["edition", "opens_at", "closes_at", "anonymised_review"]


class ProposalTypeViewSet(CfpViewSet):
    model = ProposalType
    icon = "tag"
    edit_handler = ObjectList(
        [
            FieldPanel("edition"),
            FieldPanel("name"),
            FieldPanel("session_kind"),
            FieldPanel("durations"),
            FieldPanel("position"),
            *translation_panels("name"),
        ],
        base_form_class=SourceLanguageAdminForm,
    )
    list_display = ["name", "edition", "durations", "session_kind"]


class ReviewCriterionViewSet(CfpViewSet):
    model = ReviewCriterion
    icon = "list-ol"
    edit_handler = ObjectList(
        [
            FieldPanel("edition"),
            FieldPanel("name"),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("weight"), FieldPanel("position")]),
            *translation_panels("name", "description"),
        ],
        base_form_class=SourceLanguageAdminForm,
    )
    list_display = ["name", "edition", "weight"]


class CallQuestionViewSet(CfpViewSet):
    """The edition's own questions on the proposal form: the same builder as the registration
    form's (forum.questions)."""

    model = CallQuestion
    icon = "help"
    edit_handler = ObjectList(
        [
            FieldPanel("edition"),
            *(FieldPanel(name) for name in EDITED_FIELDS),
            *translation_panels(*TRANSLATED_FIELDS),
        ],
        base_form_class=SourceLanguageAdminForm,
    )
    list_display = ["label", "kind", "required", "position", "edition"]
    list_filter = ["edition", "kind"]
    search_fields = ["label"]


class ReviewerProfileViewSet(CfpViewSet):
    model = ReviewerProfile
    icon = "user"
    form_fields = ["edition", "user", "organization", "country"]
    list_display = ["user", "edition", "organization", "country"]


class LateSubmissionLinkViewSet(CfpViewSet):
    model = LateSubmissionLink
    icon = "link"
    add_view_class = LateLinkCreateView
    edit_view_class = LateLinkEditView
    form_fields = ["call", "label", "valid_until"]
    list_display = ["label", "call", "valid_until", "token"]
    list_filter = ["call"]


class ProposalViewSet(CfpViewSet):
    model = Proposal
    icon = "doc-empty"
    add_view_class = ProposalCreateView
    edit_view_class = ProposalEditView
    form_fields = [
        "title",
        "abstract",
        "description",
        "track",
        "duration",
        "language",
        "interpretation_languages",
        "expected_participants",
        "country",
    ]
    list_display = ["title", "edition", "proposal_type", "state", "submitted_at"]
    list_filter = ["edition", "state", "proposal_type"]
    search_fields = ["title"]


class CfpViewSetGroup(ViewSetGroup):
    menu_label = _("Call for proposals")
    menu_icon = "doc-full"
    menu_order = 170
    items = (
        CallViewSet,
        ProposalViewSet,
        ProposalTypeViewSet,
        ReviewCriterionViewSet,
        CallQuestionViewSet,
        ReviewerProfileViewSet,
        LateSubmissionLinkViewSet,
    )


@hooks.register("register_admin_viewset")
def register_cfp_viewsets():
    return CfpViewSetGroup()
