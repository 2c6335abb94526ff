"""The outbox: every email is a row first, sent by a task after the writer's transaction
commits.

A row is rendered once, in the recipient's language, when it is written; the task sends exactly
that. Celery with Redis delivers a task at least once, so the task locks the row and sends only
if it is still pending: a retry or a duplicate delivery finds it sent and does nothing. If Redis
is down when the row commits, the row stays pending and the periodic sweep queues it later.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import strip_tags

from registration.enums import EmailStatus
from registration.models import OutboxEmail

logger = logging.getLogger(__name__)


def render_email(*, template: str, context: dict, language: str) -> tuple[str, str, str]:
    """Subject, text and HTML of `template` (`<template>_subject.txt`, `.txt`, `.html`) in
    `language`. The HTML part is optional; the text part is made from it when missing."""
    context = {"site_url": settings.SITE_URL, "site_name": settings.WAGTAIL_SITE_NAME, **context}
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
        subject = " ".join(subject.split())[:255]
        try:
            html = render_to_string(f"{template}.html", context)
        except Exception as error:  # TemplateDoesNotExist: text only
            if type(error).__name__ != "TemplateDoesNotExist":
                raise
            html = ""
        try:
            text = render_to_string(f"{template}.txt", context)
        except Exception as error:
            if type(error).__name__ != "TemplateDoesNotExist" or not html:
                raise
            text = strip_tags(html)
    return subject, text.strip() + "\n", html


def queue_email(
    *,
    to: str,
    kind: str,
    template: str,
    context: dict,
    language: str,
    user=None,
    edition=None,
    registration=None,
    dedupe_key: str | None = None,
) -> OutboxEmail | None:
    """Write an email to the outbox and send it after the current transaction commits.

    Side effects: one OutboxEmail row; after commit, `task_send_email` queued for it.
    With `dedupe_key`, an email already written under the same key is not written again
    (returns None), e.g. one reminder per registration.
    """
    if dedupe_key and OutboxEmail.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    subject, text, html = render_email(template=template, context=context, language=language)
    email = OutboxEmail.objects.create(
        kind=kind,
        to_email=to,
        language=language,
        subject=subject,
        body_text=text,
        body_html=html,
        message_id=_new_message_id(),
        dedupe_key=dedupe_key,
        user=user,
        edition=edition,
        registration=registration,
    )
    enqueue_after_commit(email_id=email.pk)
    return email


def resend_email(*, email: OutboxEmail) -> OutboxEmail:
    """A new copy of `email` (same content, a new Message-ID), queued after commit."""
    copy = OutboxEmail.objects.create(
        kind=email.kind,
        to_email=email.to_email,
        language=email.language,
        subject=email.subject,
        body_text=email.body_text,
        body_html=email.body_html,
        message_id=_new_message_id(),
        user=email.user,
        edition=email.edition,
        registration=email.registration,
        resend_of=email,
    )
    enqueue_after_commit(email_id=copy.pk)
    return copy


def enqueue_after_commit(*, email_id: int) -> None:
    from registration.tasks import task_send_email

    def _enqueue():
        try:
            task_send_email.delay(email_id=email_id)
        except Exception:  # the broker is down: the sweep will queue it when it is back
            logger.warning("could not queue email %s; the outbox sweep will", email_id)

    transaction.on_commit(_enqueue)


def send_outbox_email(*, email_id: int) -> str:
    """Send one outbox row through the configured mail backend, once.

    Returns what happened: "sent", "already sent", "gone" or "failed". Raises the backend's
    exception on a failure worth retrying (the task retries with backoff); the row records
    each attempt. The row stays locked while it is being sent, so a duplicate delivery of the
    task waits and then finds it sent.
    """
    from django.core.mail import EmailMultiAlternatives

    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            return "gone"
        if email.status == EmailStatus.SENT:
            return "already sent"
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to_email],
            headers={"Message-ID": email.message_id},
        )
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        email.attempts += 1
        try:
            message.send(fail_silently=False)
        except Exception as error:
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            email.save(update_fields=["attempts", "last_error"])
            raise TemporaryEmailError(email.last_error) from error
        email.status = EmailStatus.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["status", "sent_at", "attempts", "last_error"])
        return "sent"


def mark_email_failed(*, email_id: int, error: str) -> None:
    """Give up on a row after the last retry."""
    OutboxEmail.objects.filter(pk=email_id).exclude(status=EmailStatus.SENT).update(
        status=EmailStatus.FAILED, last_error=error[:2000]
    )


def sweep_outbox(*, older_than_seconds: int = 60, limit: int = 1000) -> int:
    """Queue again the pending rows older than `older_than_seconds` (written while the broker
    was down, or whose task was lost). Returns how many were queued."""
    from registration.tasks import task_send_email

    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    ids = list(
        OutboxEmail.objects.filter(status=EmailStatus.PENDING, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for email_id in ids:
        task_send_email.delay(email_id=email_id)
    return len(ids)


class TemporaryEmailError(Exception):
    """Sending failed in a way worth trying again (the server refused or was unreachable)."""


def _new_message_id() -> str:
    from django.core.mail import make_msgid

    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "localhost"
    return make_msgid(domain=domain)
