"""Mail to delegates about the statement: a new version is open, a reply, an amendment answered,
and the daily digest for those who chose it. Nothing is sent for a rolled-back write: every mail
is a row of the outbox (the core mail app), queued for sending after commit."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mail.services.outbox import queue_email
from statements.enums import NotificationFrequency, NotificationKind
from statements.models import (
    Amendment,
    Comment,
    NotificationPreference,
    PendingNotification,
    Statement,
    StatementVersion,
)

logger = logging.getLogger(__name__)


def statement_url(statement: Statement, path: str = "") -> str:
    """An absolute address beneath the statement, built from SITE_URL (never the Host header)."""
    return f"{settings.SITE_URL.rstrip('/')}/{statement.edition.slug}/statement/{path}"


def frequencies(user_ids) -> dict[int, str]:
    """Each person's chosen frequency (immediate when they never chose). One query."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=list(user_ids)).values_list(
            "user_id", "frequency"
        )
    )
    return {pk: chosen.get(pk, NotificationFrequency.IMMEDIATE) for pk in user_ids}


def send_templated_mail(
    *, user, template: str, context: dict, statement: Statement, dedupe_key: str
) -> None:
    """Write one mail (templates/<template>_subject.txt|.txt|.html) to the outbox,
    which sends it after commit."""
    queue_email(
        to=user.email,
        kind=f"statement:{template.rsplit('/', 1)[-1]}",
        template=template,
        context=context,
        language=settings.LANGUAGE_CODE,
        user=user,
        edition=statement.edition,
        dedupe_key=dedupe_key,
    )


def _notify(
    *,
    users: list,
    kind: str,
    statement: Statement,
    summary: str,
    url: str,
    template: str,
    context: dict,
    dedupe: str,
) -> int:
    """Mail now to those who want it at once, keep it for the digest of the others."""
    chosen = frequencies([u.pk for u in users])
    pending = []
    sent = 0
    for user in users:
        frequency = chosen[user.pk]
        if not user.email or frequency == NotificationFrequency.NEVER:
            continue
        if frequency == NotificationFrequency.DAILY:
            pending.append(
                PendingNotification(
                    user=user, statement=statement, kind=kind, summary=summary[:500], url=url
                )
            )
            continue
        send_templated_mail(
            user=user,
            template=template,
            context={**context, "recipient": user},
            statement=statement,
            dedupe_key=f"{dedupe}:{user.pk}",
        )
        sent += 1
    PendingNotification.objects.bulk_create(pending)
    return sent


def notify_version_open(*, statement: Statement, version: StatementVersion) -> int:
    """Tell every delegate of the edition that `version` is open for comments."""
    from statements.selectors import delegates_of

    with translation.override(settings.LANGUAGE_CODE):
        summary = _("Version %(number)s of “%(title)s” is open for comments.") % {
            "number": version.number,
            "title": statement.title,
        }
    url = statement_url(statement)
    return _notify(
        users=list(delegates_of(statement.edition)),
        kind=NotificationKind.VERSION_OPEN,
        statement=statement,
        summary=summary,
        url=url,
        template="statements/email/version_open",
        context={"statement": statement, "version": version, "url": url},
        dedupe=f"statement-version-open:{version.pk}",
    )


def notify_reply(*, comment: Comment) -> int:
    """Tell the author of the comment replied to (never the replier themself)."""
    parent = comment.parent
    statement = comment.statement
    with translation.override(settings.LANGUAGE_CODE):
        summary = _("%(name)s replied to your comment on “%(title)s”.") % {
            "name": comment.author.get_full_name() or comment.author.get_username(),
            "title": statement.title,
        }
    path = f"paragraphs/{comment.paragraph.key}/" if comment.paragraph_id else "general/"
    url = statement_url(statement, path) + f"#comment-{comment.pk}"
    return _notify(
        users=[parent.author],
        kind=NotificationKind.REPLY,
        statement=statement,
        summary=summary,
        url=url,
        template="statements/email/reply",
        context={"statement": statement, "comment": comment, "url": url},
        dedupe=f"statement-reply:{comment.pk}",
    )


def notify_amendment_answered(*, amendment: Amendment) -> int:
    """Tell the author of `amendment` the committee's answer."""
    statement = amendment.statement
    with translation.override(settings.LANGUAGE_CODE):
        summary = _("Your amendment to “%(title)s” was answered: %(status)s.") % {
            "title": statement.title,
            "status": amendment.get_status_display(),
        }
    url = statement_url(statement, "responses/") + f"#amendment-{amendment.pk}"
    return _notify(
        users=[amendment.author],
        kind=NotificationKind.AMENDMENT_ANSWERED,
        statement=statement,
        summary=summary,
        url=url,
        template="statements/email/amendment_answered",
        context={"statement": statement, "amendment": amendment, "url": url},
        dedupe=f"statement-answer:{amendment.pk}:{int(amendment.answered_at.timestamp())}",
    )


def send_digests(*, now=None) -> int:
    """One digest mail to each person with notifications kept since the last; how many sent.

    Side effects: the notifications are marked sent (in the same transaction as the outbox row).
    """
    now = now or timezone.now()
    pending = list(
        PendingNotification.objects.filter(sent_at__isnull=True)
        .select_related("user", "statement__edition")
        .order_by("user_id", "created_at", "pk")
    )
    by_user: dict[int, list[PendingNotification]] = {}
    for item in pending:
        by_user.setdefault(item.user_id, []).append(item)
    sent = 0
    for items in by_user.values():
        user = items[0].user
        with transaction.atomic():
            if user.email and user.is_active:
                send_templated_mail(
                    user=user,
                    template="statements/email/digest",
                    context={"recipient": user, "items": items},
                    statement=items[0].statement,
                    dedupe_key=f"statement-digest:{user.pk}:{items[-1].pk}",
                )
                sent += 1
            PendingNotification.objects.filter(pk__in=[i.pk for i in items]).update(sent_at=now)
    return sent
