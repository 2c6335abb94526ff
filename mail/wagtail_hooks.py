"""The email log in the Wagtail admin: its URLs, the "Participant emails" menu (features add
their own entries to it through the `register_mail_menu_item` hook: registration's
announcements) and the admin home's warning when mail is failing."""

from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component

from mail import selectors, views
from mail.enums import EmailStatus

# Features hook their own mail pages into the menu with this hook (a MenuItem each).
MENU_HOOK = "register_mail_menu_item"


@hooks.register("register_admin_urls")
def register_mail_urls():
    return [
        path("mail/emails/", views.email_log, name="mail_email_log"),
        path("mail/emails/<int:email_id>/resend/", views.resend, name="mail_email_resend"),
        # The addresses of the log while it lived in registration (bookmarks, old links).
        path("registration-mail/emails/", views.moved_email_log),
        path("registration-mail/emails/<int:email_id>/resend/", views.resend),
    ]


class MailMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.manages_mail(request.user)


class MailSubmenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return selectors.manages_mail(request.user)


@hooks.register(MENU_HOOK)
def register_email_log_menu_item():
    return MailMenuItem(
        gettext_lazy("Email log"),
        reverse_lazy("mail_email_log"),
        name="email-log",
        icon_name="list-ul",
        order=200,
    )


@hooks.register("register_admin_menu_item")
def register_mail_menu():
    return MailSubmenuItem(
        gettext_lazy("Participant emails"),
        Menu(register_hook_name=MENU_HOOK),
        name="participant-emails",
        icon_name="mail",
        order=310,
    )


class FailingMailPanel(Component):
    """The admin home tells organizers when mail is failing, with a link to the log."""

    name = "failing_mail"
    order = 50
    template_name = "mail/admin/failing_mail_panel.html"

    def __init__(self, counts: dict[str, int]):
        self.counts = counts

    def get_context_data(self, parent_context=None):
        return {
            **self.counts,
            "retrying_url": reverse("mail_email_log") + f"?status={selectors.RETRYING}",
            "failed_url": reverse("mail_email_log") + f"?status={EmailStatus.FAILED}",
        }


@hooks.register("construct_homepage_panels")
def add_failing_mail_panel(request, panels):
    if not selectors.manages_mail(request.user):
        return
    counts = selectors.failing_mail(user=request.user)
    if counts["retrying"] or counts["failed"]:
        panels.append(FailingMailPanel(counts))
