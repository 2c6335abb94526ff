"""The outbox: every email is a row first, written in the writer's transaction."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.models import Edition
from mail.enums import EmailStatus


class OutboxEmail(models.Model):
    """An email written before it is sent: the row is made in the writer's transaction, a
    task sends it after commit, retries on temporary failures and marks it, so that a retry
    or a task delivered twice never sends it twice.

    The table keeps the name it had when the outbox lived in registration (existing rows stay
    where they are). `registration` names the registration an email is about, if any: a lazy
    reference (no import of the feature; the link only lets a registration's deletion clear it
    and its page list its emails)."""

    kind = models.CharField(_("kind"), max_length=32, db_index=True)
    to_email = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=8, default="en")
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # An email written to be rendered by the worker (the sending task), not by the writer's
    # request: the template's name and what the builder registered under `context["builder"]`
    # needs to make its context (ids, numbers: JSON). Empty once rendered, and for an email
    # rendered when written. Defaults in the database too: code of the release before (still
    # running during a deployment) writes rows without them.
    template = models.CharField(max_length=200, blank=True, default="", db_default="")
    context = models.JSONField(
        default=dict, blank=True, db_default=models.Value({}, output_field=models.JSONField())
    )
    message_id = models.CharField(max_length=255, unique=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=EmailStatus.choices,
        default=EmailStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # After a temporary failure: when the next attempt is due (the sweep queues it then).
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    dedupe_key = models.CharField(max_length=255, null=True, blank=True, unique=True)
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    registration = models.ForeignKey(
        "registration.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
    )
    resend_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="resends"
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        db_table = "registration_outboxemail"
        ordering = ["-created_at"]
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        indexes = [
            models.Index(fields=["status", "created_at"], name="registratio_status_8ab215_idx"),
            models.Index(
                fields=["status", "next_attempt_at"], name="registratio_status_265c1d_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject}"

    @property
    def is_rendered(self) -> bool:
        return not self.template
