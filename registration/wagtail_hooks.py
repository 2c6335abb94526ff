"""Registration in the Wagtail admin: one "Registration" menu with each edition's list,
dashboard and check-in, and the viewsets of settings, ticket types, questions, seats and the
income table; everything scoped to the editions a person organizes.

Other registration admin modules add items to the same menu with
`@hooks.register("register_registration_menu_item")` (ordered after these: 200 and up).
"""

from django.urls import path, reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from cms.content_translation import SourceLanguageAdminForm, translation_panels
from forum.questions import EDITED_FIELDS, TRANSLATED_FIELDS
from registration.checkin import admin as checkin
from registration.models import (
    CountryIncomeGroup,
    Question,
    RegistrationSettings,
    SessionCapacity,
    TicketType,
)
from registration.organizer import admin as organizer
from registration.payments import admin as payments
from registration.permissions import OrganizerScopedPermissionPolicy

for _model in (RegistrationSettings, TicketType, Question):
    register_permission_policy(_model, OrganizerScopedPermissionPolicy(_model))
register_permission_policy(
    SessionCapacity,
    OrganizerScopedPermissionPolicy(SessionCapacity, edition_field="session__edition"),
)


class RegistrationConfigViewSet(ModelViewSet):
    index_view_class = organizer.RegistrationIndexView
    add_view_class = organizer.RegistrationCreateView
    edit_view_class = organizer.RegistrationEditView
    delete_view_class = organizer.RegistrationDeleteView
    inspect_view_class = organizer.RegistrationInspectView
    list_filter = ["edition"]


class RegistrationSettingsViewSet(RegistrationConfigViewSet):
    model = RegistrationSettings
    icon = "cog"
    menu_label = _("Settings")
    edit_handler = ObjectList(
        [
            FieldPanel("edition"),
            FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            FieldRowPanel([FieldPanel("currency"), FieldPanel("contact_email")]),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("bank_account_holder"), FieldPanel("bank_name")]),
                    FieldRowPanel([FieldPanel("bank_account"), FieldPanel("bank_swift")]),
                    FieldPanel("on_site_payment"),
                    FieldPanel("payment_instructions"),
                ],
                heading=_("How to pay"),
            ),
            FieldRowPanel(
                [FieldPanel("reminder_days_before"), FieldPanel("passport_retention_days")]
            ),
            MultiFieldPanel(
                [FieldPanel("letterhead"), FieldPanel("letter_signatory")],
                heading=_("Visa invitation letters"),
            ),
            *translation_panels(
                "bank_account_holder",
                "bank_account",
                "bank_swift",
                "bank_name",
                "on_site_payment",
                "payment_instructions",
            ),
        ],
        base_form_class=SourceLanguageAdminForm,
    )
    list_display = ["edition", "opens_at", "closes_at", "currency", "passport_retention_days"]


class TicketTypeViewSet(RegistrationConfigViewSet):
    model = TicketType
    icon = "tag"
    edit_view_class = organizer.CapacityEditView
    edit_handler = ObjectList(
        [
            FieldPanel("edition"),
            FieldRowPanel([FieldPanel("name"), FieldPanel("position")]),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("capacity"), FieldPanel("colour")]),
            FieldRowPanel(
                [
                    FieldPanel("requires_approval"),
                    FieldPanel("allows_drafting"),
                    FieldPanel("is_public"),
                ]
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("fee_high"), FieldPanel("fee_upper_middle")]),
                    FieldRowPanel([FieldPanel("fee_lower_middle"), FieldPanel("fee_low")]),
                ],
                heading=_("Fees by the country's income group"),
            ),
            *translation_panels("name", "description"),
        ],
        base_form_class=SourceLanguageAdminForm,
    )
    list_display = ["name", "edition", "capacity", "requires_approval", "fee_high", "fee_low"]
    list_filter = ["edition", "requires_approval", "is_public"]
    search_fields = ["name"]


class QuestionViewSet(RegistrationConfigViewSet):
    model = Question
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


class SessionCapacityViewSet(RegistrationConfigViewSet):
    model = SessionCapacity
    icon = "calendar-alt"
    menu_label = _("Session seats")
    edit_view_class = organizer.CapacityEditView
    form_fields = ["session", "capacity", "signup_open"]
    list_display = ["session", "capacity", "signup_open"]
    list_filter = ["signup_open"]


class CountryIncomeGroupViewSet(ModelViewSet):
    model = CountryIncomeGroup
    icon = "globe"
    menu_label = _("Income groups")
    form_fields = ["country", "income_group"]
    list_display = ["country", "income_group"]
    list_filter = ["income_group"]
    list_per_page = 100


class EditionPageMenuItem(MenuItem):
    """A page of the edition chooser (list, dashboard or check-in) for those allowed."""

    def __init__(self, label, go: str, permission: str, **kwargs):
        self.permission = permission
        url = format_lazy("{}?go={}", reverse_lazy("registration_admin_home"), go)
        super().__init__(label, url, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class RegistrationViewSetGroup(ViewSetGroup):
    menu_label = _("Registration")
    menu_icon = "form"
    menu_order = 170
    submenu_hook = "register_registration_menu_item"
    items = (
        TicketTypeViewSet,
        QuestionViewSet,
        SessionCapacityViewSet,
        RegistrationSettingsViewSet,
        CountryIncomeGroupViewSet,
    )

    def get_submenu_items(self):
        pages = [
            EditionPageMenuItem(
                _("Registrations"),
                "list",
                organizer.VIEW,
                name="registrations",
                icon_name="list-ul",
                order=1,
            ),
            EditionPageMenuItem(
                _("Dashboard"),
                "dashboard",
                organizer.VIEW,
                name="registration-dashboard",
                icon_name="doc-full",
                order=2,
            ),
            EditionPageMenuItem(
                _("Payments"),
                "payments",
                organizer.CHANGE,
                name="payments",
                icon_name="doc-full-inverse",
                order=4,
            ),
            EditionPageMenuItem(
                _("Check-in"),
                "checkin",
                checkin.CHECK_IN,
                name="check-in",
                icon_name="tick-inverse",
                order=3,
            ),
        ]
        items = super().get_submenu_items()
        for index, item in enumerate(items):
            item.order = 10 + index
        return pages + items


@hooks.register("register_admin_viewset")
def register_registration_viewsets():
    return RegistrationViewSetGroup()


@hooks.register("register_log_actions")
def register_registration_log_actions(actions):
    for action, label, message in (
        ("approve", _("Approve registration"), _("Registration approved")),
        ("refuse", _("Refuse registration"), _("Registration refused")),
        ("payment", _("Record payment"), _("Payment recorded")),
        ("waiver", _("Decide waiver"), _("Waiver decided")),
        ("ticket-type", _("Change ticket type"), _("Moved to another ticket type")),
    ):
        actions.register_action(f"registration.{action}", label, message)


@hooks.register("register_admin_urls")
def register_registration_admin_urls():
    slug = "registration/<slug:edition_slug>"
    return [
        path("registration/", organizer.registration_home, name="registration_admin_home"),
        path(f"{slug}/", organizer.registration_index, name="registration_admin_list"),
        path(f"{slug}/export.csv", organizer.export_csv, name="registration_admin_export_csv"),
        path(f"{slug}/export.xlsx", organizer.export_xlsx, name="registration_admin_export_xlsx"),
        path(f"{slug}/dashboard/", checkin.dashboard_page, name="registration_admin_dashboard"),
        path(f"{slug}/check-in/", checkin.checkin_page, name="registration_admin_checkin"),
        path(f"{slug}/payments/", payments.payments_page, name="registration_admin_payments"),
        path(
            f"{slug}/payments/imports/<int:pk>/",
            payments.import_page,
            name="registration_admin_bank_import",
        ),
        path(
            f"{slug}/payments/imports/<int:pk>/columns/",
            payments.mapping_page,
            name="registration_admin_bank_mapping",
        ),
        path(
            f"{slug}/payments/lines/<int:pk>/",
            payments.line_page,
            name="registration_admin_bank_line",
        ),
        path(f"{slug}/<int:pk>/", organizer.registration_detail, name="registration_admin_detail"),
        path(
            f"{slug}/<int:pk>/<slug:action>/",
            organizer.registration_action,
            name="registration_admin_action",
        ),
    ]


# The other registration admin modules register their own menu items and views.
# So do the bulk actions of the registration list (registration.organizer.bulk_actions).
from registration.documents import admin as documents_admin  # noqa: E402, F401
from registration.mail import admin as mail_admin  # noqa: E402, F401
from registration.organizer import bulk_actions  # noqa: E402, F401
