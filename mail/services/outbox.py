"""The outbox: every email is a row first, sent by a task after the writer's transaction
commits.

A row is rendered once, in the recipient's language: when it is written (`queue_email`), or —
for the emails of a busy request, such as registering — by the worker just before its first
attempt (`queue_email_rendered_later`: the row keeps the template's name and the ids its
context is built from; a builder registered by the feature app rebuilds the context, and the
result is stored on the row in the transaction that sends it). Either way the task sends exactly
what the row holds, and every retry sends the same.

Celery with Redis delivers a task at least once, so the task locks the row and sends only if it
is still pending: a retry or a duplicate delivery finds it sent and does nothing. If Redis
is down when the row commits, the row stays pending and the periodic sweep queues it later.

Each attempt is counted on the row (committed even when the attempt fails) with the time the
next one is due (`next_attempt_at`: 1, 2, 4, 8 minutes, then every 15 minutes). A temporary
failure (a 4xx answer, a refused connection, a time-out) is retried that way for RETRY_FOR (two
days: a mail server can be down for hours); only a permanent refusal (5xx) fails the row at
once. The worker's task retries itself at the due time, and the sweep queues every due row
whose retry was lost (eager tasks, a worker killed, a broker restarted), so the schedule holds
either way. The one duplicate this cannot rule out is a worker killed between the SMTP server's
"250 OK" and the commit that records it (at least once, not exactly once, at that one point:
what the worker had sent in the transaction it died in goes out again — one message for a
single send, at most EMAIL_BATCH_GROUP for a batch; nothing is ever lost).

Throughput: the rows written in one transaction (an announcement, the reminders, a release's
notices, the statement's digests) are queued as batches of EMAIL_BATCH_SIZE ids, one task each,
on the dedicated `mail` queue; a batch task sends its rows over one open SMTP connection,
EMAIL_BATCH_GROUP rows to a transaction: one `SELECT … FOR UPDATE SKIP LOCKED` locks the group
(a row another worker holds is left to it), the pending ones are sent one after the other, one
UPDATE marks those sent and the commit records them, with each failure recorded on its own row
as for a single send. Over SMTP the message is built as bytes (mail/services/mime.py: the
bytes Django's EmailMultiAlternatives makes, without its cost) and handed to the kept
connection. A lone email is queued as a single-send task: a group of one.
"""

import logging
import smtplib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.html import strip_tags

from forum.timezones import edition_time_zone
from mail.enums import EmailStatus
from mail.models import OutboxEmail
from mail.services.mime import message_bytes
from mail.services.smtp import connection as _connection
from mail.services.smtp import drop_connection as _drop_connection

logger = logging.getLogger(__name__)


class TemporaryEmailError(Exception):
    """Sending failed in a way worth trying again (the server refused for now or was
    unreachable); `retry_in` says after how many seconds."""

    def __init__(self, message: str, *, retry_in: int = 60, connection_failed: bool = False):
        super().__init__(message)
        self.retry_in = retry_in
        self.connection_failed = connection_failed


def render_email(
    *, template: str, context: dict, language: str, edition=None
) -> tuple[str, str, str]:
    """Subject, text and HTML of `template` (`<template>_subject.txt`, `.txt`, `.html`) in
    `language`, with times in the time zone of `edition` (or of the context's `edition`). The
    HTML part is optional; the text part is made from it when missing.

    The subject and text are rendered without HTML escaping (they are not HTML: "R&D" stays
    "R&D"); the HTML part is escaped as usual."""
    context = {
        "site_url": settings.SITE_URL,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "language": language,
        **context,
    }
    edition = edition if edition is not None else context.get("edition")
    with translation.override(language), edition_time_zone(edition):
        subject = " ".join(_render_plain(f"{template}_subject.txt", context).split())[:255]
        try:
            html = get_template(f"{template}.html").render(context)
        except TemplateDoesNotExist:
            html = ""
        try:
            text = _render_plain(f"{template}.txt", context)
        except TemplateDoesNotExist:
            if not html:
                raise
            text = strip_tags(html)
    return subject, text.strip() + "\n", html


def _render_plain(name: str, context: dict) -> str:
    # The backend's Template wraps the engine's; rendering that one with autoescape=False is
    # the documented way to turn escaping off for a whole plain-text template.
    return get_template(name).template.render(Context(context, autoescape=False))


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

    Side effects: one OutboxEmail row; after commit, `task_send_email` queued for it (if the
    broker is down, the row waits for the sweep). With `dedupe_key`, an email already written
    under the same key is not written again (returns None), e.g. one reminder per registration
    — also when two writers race for the key.
    """
    if dedupe_key and OutboxEmail.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    subject, text, html = render_email(
        template=template, context=context, language=language, edition=edition
    )
    fields = {
        "kind": kind,
        "to_email": to,
        "language": language,
        "subject": subject,
        "body_text": text,
        "body_html": html,
        "message_id": _new_message_id(),
        "dedupe_key": dedupe_key,
        "user": user,
        "edition": edition,
        "registration": registration,
    }
    if dedupe_key:
        try:
            with transaction.atomic():  # a savepoint: losing the race keeps the caller's work
                email = OutboxEmail.objects.create(**fields)
        except IntegrityError:
            if OutboxEmail.objects.filter(dedupe_key=dedupe_key).exists():
                return None
            raise
    else:
        email = OutboxEmail.objects.create(**fields)
    enqueue_after_commit(email_id=email.pk)
    return email


# name → a function taking the row's `context` (JSON) and returning the template's context;
# filled by the feature apps at start-up (their AppConfig.ready()), so that the worker can
# render what they write without this core app importing them.
CONTEXT_BUILDERS: dict[str, Callable[[dict], dict]] = {}


class EmailSubjectGone(Exception):  # noqa: N818 — what happened, not an error of the code
    """What a context builder raises when the email's subject no longer exists (the
    registration it was about was deleted): the row fails, it is never sent."""


def register_context_builder(name: str, builder: Callable[[dict], dict]) -> None:
    """Make `builder` available to the worker under `name` (see queue_email_rendered_later)."""
    CONTEXT_BUILDERS[name] = builder


def queue_email_rendered_later(
    *,
    to: str,
    kind: str,
    template: str,
    builder: str,
    values: dict,
    language: str,
    user=None,
    edition=None,
    registration=None,
) -> OutboxEmail:
    """Write an email to the outbox to be rendered by the worker, and send it after the
    current transaction commits: the writer pays for one INSERT, not for rendering three
    templates.

    `builder` names a function registered with `register_context_builder`; it receives
    `values` (ids and numbers, stored as JSON on the row) and returns the template's context.
    The worker renders it in `language`, with times in the edition's time zone, exactly as
    `queue_email` would have, stores subject and bodies on the row and sends them (once: the
    row is locked while rendered and sent; a retry sends what was stored).

    Side effects: one OutboxEmail row; after commit, `task_send_email` queued for it (if the
    broker is down, the row waits for the sweep)."""
    if builder not in CONTEXT_BUILDERS:
        raise LookupError(f"no email context builder is registered as {builder!r}")
    email = OutboxEmail.objects.create(
        kind=kind,
        to_email=to,
        language=language,
        subject="",
        body_text="",
        body_html="",
        template=template,
        context={"builder": builder, "values": values},
        message_id=_new_message_id(),
        user=user,
        edition=edition,
        registration=registration,
    )
    enqueue_after_commit(email_id=email.pk)
    return email


def render_outbox_email(email: OutboxEmail) -> OutboxEmail:
    """Render a row written by `queue_email_rendered_later` (nothing for a rendered one): its
    subject, text and HTML from the template and the registered builder's context, in the row's
    language and the edition's time zone; saved on the row. Raises EmailSubjectGone when the
    builder finds nothing to write about."""
    if email.is_rendered:
        return email
    builder = CONTEXT_BUILDERS[email.context["builder"]]
    context = builder(email.context.get("values") or {})
    email.subject, email.body_text, email.body_html = render_email(
        template=email.template,
        context=context,
        language=email.language,
        edition=context.get("edition") or email.edition,
    )
    email.template, email.context = "", {}
    email.save(update_fields=["subject", "body_text", "body_html", "template", "context"])
    return email


def resend_email(*, email: OutboxEmail) -> OutboxEmail:
    """A new copy of `email` (same content, a new Message-ID), queued after commit.

    Side effects: one OutboxEmail row pointing at the original (`resend_of`); the original is
    left as it was, so the log keeps what happened to it."""
    copy = OutboxEmail.objects.create(
        kind=email.kind,
        to_email=email.to_email,
        language=email.language,
        subject=email.subject,
        body_text=email.body_text,
        body_html=email.body_html,
        template=email.template,
        context=email.context,
        message_id=_new_message_id(),
        user=email.user,
        edition=email.edition,
        registration=email.registration,
        resend_of=email,
    )
    enqueue_after_commit(email_id=copy.pk)
    return copy


def enqueue_after_commit(*, email_id: int) -> None:
    """Queue the row for sending once the current transaction commits (nothing for a
    rolled-back one). The rows a transaction writes are queued together when it commits: one
    task per batch of EMAIL_BATCH_SIZE (a single-send task for a lone row). A broker that is
    down is logged, not raised: the rows are committed and the sweep will queue them."""
    connection = transaction.get_connection()
    # The list belongs to the outermost transaction now open: ids left by another one (rolled
    # back, its callbacks gone) are dropped, never sent with this one's — a rolled-back row's
    # id may be given again to a new row (SQLite reuses them).
    owner = id(connection.atomic_blocks[0]) if connection.atomic_blocks else None
    stored_owner, waiting = connection.__dict__.get(_WAITING, (None, []))
    if stored_owner != owner or not connection.run_on_commit:
        waiting = []
    waiting.append(email_id)
    connection.__dict__[_WAITING] = (owner, waiting)
    # One callback per row, so that a savepoint rolled back drops only its own; the first one
    # to run after commit queues every row waiting, the others find nothing left.
    transaction.on_commit(lambda: _queue_waiting(connection))


# The ids written in the connection's current transaction, queued when it commits.
_WAITING = "_outbox_waiting_ids"


def _queue_waiting(connection) -> None:
    _owner, email_ids = connection.__dict__.pop(_WAITING, (None, []))
    if email_ids:
        queue_for_sending(email_ids=email_ids)


def queue_for_sending(*, email_ids: list[int]) -> int:
    """Queue tasks sending these rows now: one single-send task for a lone row, batches of
    EMAIL_BATCH_SIZE otherwise. Returns how many rows were queued; stops at the first error
    of the broker (logged: the sweep queues the rest when it is back)."""
    from mail.tasks import task_send_email, task_send_emails

    size = max(1, settings.EMAIL_BATCH_SIZE)
    queued = 0
    try:
        if len(email_ids) == 1:
            task_send_email.delay(email_id=email_ids[0])
            return 1
        for start in range(0, len(email_ids), size):
            batch = email_ids[start : start + size]
            task_send_emails.delay(email_ids=batch)
            queued += len(batch)
    except Exception:  # the broker is down: the sweep will queue them when it is back
        logger.warning(
            "could not queue %s emails; the outbox sweep will",
            len(email_ids) - queued,
            exc_info=True,
        )
    return queued


def send_outbox_email(*, email_id: int, skip_locked: bool = False) -> str:
    """Send one outbox row through the configured mail backend, once.

    Returns what happened: "sent", "already sent", "already failed", "gone", "not due" (a
    retry is scheduled later: a duplicate or early delivery does nothing), or "failed" (a
    permanent refusal, or temporary ones for longer than RETRY_FOR: the row is FAILED). Raises
    TemporaryEmailError when the attempt failed but another is worth making; the attempt, its
    error and when the next is due are recorded on the row either way. The row stays locked
    while it is being sent, so a duplicate delivery of the task waits and then finds it sent;
    with `skip_locked` it does not wait but returns "busy": whoever holds the row sends it.
    """
    ((_email_id, result, error),) = _send_group([email_id], skip_locked=skip_locked)
    if error is not None:
        raise error
    return result


# Refusals of one message (its sender, a recipient, its content) on a working connection; any
# other error means the server could not be reached or hung up.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


@dataclass
class BatchOutcome:
    """What a batch did: how many rows ended how, and the rows to try again later with the
    delay in seconds (those that failed for now, and those not tried because the server
    could not be reached)."""

    counts: Counter = field(default_factory=Counter)
    retry: dict[int, list[int]] = field(default_factory=dict)


def send_outbox_batch(*, email_ids: list[int]) -> BatchOutcome:
    """Send these rows over one SMTP connection (kept open between them), each as
    `send_outbox_email` with `skip_locked` would: locked while sent, sent only if still
    pending, its attempt recorded; a row another worker holds is left to it.

    The rows are taken EMAIL_BATCH_GROUP at a time, each group in one transaction: one SELECT
    … FOR UPDATE SKIP LOCKED locks the group, its messages are sent, one UPDATE marks those
    sent, and the commit records them (a few queries and one commit for the group instead of
    four queries and a commit per email). A worker killed in the middle of a group sends that
    group's messages again (never loses one); the groups before it are recorded.

    A message refused for now is retried after its own delay; when the server cannot be
    reached, the rows not yet tried are not tried now (no attempt is counted on them) but
    retried with the failed one."""
    outcome = BatchOutcome()
    email_ids = list(dict.fromkeys(email_ids))  # an id listed twice is sent once
    size = max(1, settings.EMAIL_BATCH_GROUP)
    for start in range(0, len(email_ids), size):
        group = email_ids[start : start + size]
        results = _send_group(group, skip_locked=True)
        for email_id, result, error in results:
            outcome.counts[result] += 1
            if error is None:
                continue
            later = outcome.retry.setdefault(error.retry_in, [])
            later.append(email_id)
            if error.connection_failed:
                done = {done_id for done_id, _result, _error in results}
                rest = [i for i in group if i not in done] + email_ids[start + size :]
                later.extend(rest)
                outcome.counts["deferred"] += len(rest)
                return outcome
    return outcome


def _send_group(
    email_ids: list[int], *, skip_locked: bool
) -> list[tuple[int, str, TemporaryEmailError | None]]:
    """Lock, send and mark these rows in one transaction: (id, what happened, the error to
    retry after) for each row dealt with, in order; it stops at the first row whose server
    could not be reached (the rows after it are not tried and not listed)."""
    results: list[tuple[int, str, TemporaryEmailError | None]] = []
    with transaction.atomic():
        locked = OutboxEmail.objects.select_for_update(skip_locked=skip_locked).order_by("pk")
        rows = {email.pk: email for email in locked.filter(pk__in=email_ids)}
        busy: set[int] = set()
        if skip_locked and len(rows) < len(email_ids):
            missing = [email_id for email_id in email_ids if email_id not in rows]
            busy = set(OutboxEmail.objects.filter(pk__in=missing).values_list("pk", flat=True))
        now = timezone.now()
        pending: list[OutboxEmail] = []
        # First what needs no server (and the rendering: an error there sends nothing).
        for email_id in email_ids:
            email = rows.get(email_id)
            if email is None:
                results.append((email_id, "busy" if email_id in busy else "gone", None))
            elif email.status == EmailStatus.SENT:
                results.append((email_id, "already sent", None))
            elif email.status == EmailStatus.FAILED:
                results.append((email_id, "already failed", None))
            elif email.next_attempt_at and email.next_attempt_at > now + DUE_TOLERANCE:
                results.append((email_id, "not due", None))
            elif not email.is_rendered and not _render_or_fail(email):
                results.append((email_id, "failed", None))
            else:
                pending.append(email)
        sent: list[int] = []
        for email in pending:
            try:
                _deliver(email)
            except Exception as error:
                _drop_connection()
                result, retry = _record_failure(email, error, now)
                results.append((email.pk, result, retry))
                if retry is not None and retry.connection_failed:
                    break
            else:
                sent.append(email.pk)
                results.append((email.pk, "sent", None))
        if sent:
            OutboxEmail.objects.filter(pk__in=sent).update(
                status=EmailStatus.SENT,
                sent_at=timezone.now(),
                attempts=F("attempts") + 1,
                last_error="",
                next_attempt_at=None,
            )
    return results


def _render_or_fail(email: OutboxEmail) -> bool:
    """Render a row written to be rendered by the worker; False (the row FAILED) when what it
    was about is gone."""
    try:
        render_outbox_email(email)
    except EmailSubjectGone as gone:
        email.status = EmailStatus.FAILED
        email.last_error = f"nothing to send: {gone}"[:2000]
        email.save(update_fields=["status", "last_error"])
        logger.warning("email %s not sent: %s", email.pk, gone)
        return False
    return True


def _deliver(email: OutboxEmail) -> None:
    """Hand the row's message to the mail backend. Over SMTP, the message is built as bytes
    (mail/services/mime.py: what Django would build, faster) and sent on the kept connection;
    other backends (console, the tests' locmem) get Django's EmailMultiAlternatives."""
    from django.core.mail import EmailMultiAlternatives
    from django.core.mail.backends.smtp import EmailBackend

    backend = _connection()
    if type(backend) is EmailBackend:
        built = message_bytes(
            subject=email.subject,
            text=email.body_text,
            html=email.body_html,
            to=email.to_email,
            message_id=email.message_id,
        )
        if built is not None:
            if backend.connection is None:
                raise smtplib.SMTPServerDisconnected("the SMTP connection is closed")
            sender, recipient, data = built
            backend.connection.sendmail(sender, [recipient], data)
            return
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        headers={"Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    message.connection = backend
    message.send(fail_silently=False)


def _record_failure(
    email: OutboxEmail, error: Exception, now: datetime
) -> tuple[str, TemporaryEmailError | None]:
    """Count the failed attempt on the row (saved with the group's transaction): FAILED for a
    permanent refusal or after RETRY_FOR, else due again after the back-off."""
    email.attempts += 1
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    retry_for = timedelta(hours=settings.EMAIL_RETRY_FOR_HOURS)
    if _is_permanent(error) or email.created_at <= now - retry_for:
        email.status = EmailStatus.FAILED
        email.next_attempt_at = None
        email.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
        logger.error("email %s failed for good: %s", email.pk, email.last_error)
        return "failed", None
    retry_in = retry_delay(email.attempts)
    email.next_attempt_at = now + timedelta(seconds=retry_in)
    email.save(update_fields=["attempts", "last_error", "next_attempt_at"])
    retry = TemporaryEmailError(
        email.last_error,
        retry_in=retry_in,
        connection_failed=not isinstance(error, MESSAGE_ERRORS),
    )
    return "retry", retry


# A retry delivered this much before its due time still runs (clocks of the worker and the
# database's writer differ a little).
DUE_TOLERANCE = timedelta(seconds=1)


def retry_delay(attempts: int) -> int:
    """Seconds to wait before the next attempt after `attempts` failed ones: by default 1, 2,
    4, 8 minutes, then every 15 minutes (settings EMAIL_RETRY_FIRST_SECONDS and
    EMAIL_RETRY_MAX_SECONDS)."""
    first, cap = settings.EMAIL_RETRY_FIRST_SECONDS, settings.EMAIL_RETRY_MAX_SECONDS
    return int(min(first * 2 ** min(max(attempts - 1, 0), 20), cap))


def sweep_outbox(*, older_than_seconds: int = 60, limit: int = 1000) -> int:
    """Queue again the pending rows that no task is expected to send any more.

    A row never tried qualifies once it is `older_than_seconds` old (written while the broker
    was down, or whose task was lost); a row that failed for now, `older_than_seconds` after its
    next attempt was due (a worker retries it itself at the due time; the sweep takes over when
    that retry was lost). In eager mode (no worker) the sweep is what retries. Returns how many
    were queued; stops early if the broker is down.
    """
    now = timezone.now()
    grace = timedelta(seconds=older_than_seconds)
    due = Q(next_attempt_at__isnull=True, created_at__lte=now - grace) | Q(
        next_attempt_at__lte=now - grace
    )
    ids = list(
        OutboxEmail.objects.filter(due, status=EmailStatus.PENDING)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return queue_for_sending(email_ids=ids) if ids else 0


def _is_permanent(error: Exception) -> bool:
    """A 5xx answer is final (an unknown mailbox, a message refused): trying again would not
    help. Refused connections, time-outs and 4xx answers are temporary."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _new_message_id() -> str:
    from django.core.mail import make_msgid

    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "localhost"
    return make_msgid(domain=domain)
