"""Mail to delegates about the statement: a new version is open, a reply, an amendment answered,
and the daily digest for those who chose it. Nothing is sent for a rolled-back write: every mail
is a row of the outbox (the core mail app), queued for sending after commit.

Each mail is written in its recipient's language (the one they registered in: see
`statements.selectors.recipient_languages`), with the statement's title in that language when it
is translated, and links to the statement's page in that language."""

import logging
from collections.abc import Callable

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


def _statement_page_path(statement: Statement, language: str) -> str | None:
    """The path of the edition's live statement page in `language` (None: there is none)."""
    from statements.pages import StatementPage

    page = (
        StatementPage.objects.live()
        .filter(edition_id=statement.edition_id, locale__language_code=language)
        .first()
    )
    return page.url if page is not None and page.url and page.url.startswith("/") else None


def statement_url(statement: Statement, path: str = "", language: str | None = None) -> str:
    """An absolute address beneath the statement, built from SITE_URL (never the Host header):
    on the statement's page in `language` when the edition has one, else the default
    language's."""
    base = settings.SITE_URL.rstrip("/")
    if language and language != settings.LANGUAGE_CODE:
        page_path = _statement_page_path(statement, language)
        if page_path:
            return f"{base}{page_path}{path}"
    return f"{base}/{statement.edition.slug}/statement/{path}"


def frequencies(user_ids) -> dict[int, str]:
    """Each person's chosen frequency (immediate when they never chose). One query."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=list(user_ids)).values_list(
            "user_id", "frequency"
        )
    )
    return {pk: chosen.get(pk, NotificationFrequency.IMMEDIATE) for pk in user_ids}


def send_templated_mail(
    *,
    user,
    template: str,
    context: dict,
    statement: Statement,
    dedupe_key: str,
    language: str = settings.LANGUAGE_CODE,
) -> None:
    """Write one mail (templates/<template>_subject.txt|.txt|.html) in `language` to the
    outbox (the core mail app), which sends it after commit."""
    queue_email(
        to=user.email,
        kind=f"statement:{template.rsplit('/', 1)[-1]}",
        template=template,
        context=context,
        language=language,
        user=user,
        edition=statement.edition,
        dedupe_key=dedupe_key,
    )


class _Localized:
    """What a notification says in each language, each worked out once."""

    def __init__(self, statement: Statement, summary: Callable[[str], str], path: str):
        from statements.translations.selectors import titles_by_language

        self.statement = statement
        self.summary_of = summary
        self.path = path
        self.titles = titles_by_language(statement)
        self._cache: dict[str, tuple[str, str, str]] = {}

    def get(self, language: str) -> tuple[str, str, str]:
        """(title, summary, url) in `language`."""
        if language not in self._cache:
            title = self.titles.get(language) or self.statement.title
            with translation.override(language):
                summary = self.summary_of(title)
            url = statement_url(self.statement, self.path, language)
            self._cache[language] = (title, summary, url)
        return self._cache[language]


def _notify(
    *,
    users: list,
    kind: str,
    statement: Statement,
    summary: Callable[[str], str],
    path: str,
    template: str,
    context: dict,
    dedupe: str,
) -> int:
    """Mail now to those who want it at once, keep it for the digest of the others; each in
    their own language (`summary(title)` is called in it)."""
    from statements.selectors import recipient_languages

    chosen = frequencies([u.pk for u in users])
    languages = recipient_languages([u.pk for u in users], statement.edition)
    localized = _Localized(statement, summary, path)
    pending = []
    sent = 0
    for user in users:
        frequency = chosen[user.pk]
        if not user.email or frequency == NotificationFrequency.NEVER:
            continue
        language = languages[user.pk]
        title, text, url = localized.get(language)
        if frequency == NotificationFrequency.DAILY:
            pending.append(
                PendingNotification(
                    user=user, statement=statement, kind=kind, summary=text[:500], url=url
                )
            )
            continue
        send_templated_mail(
            user=user,
            template=template,
            context={**context, "recipient": user, "title": title, "url": url},
            statement=statement,
            dedupe_key=f"{dedupe}:{user.pk}",
            language=language,
        )
        sent += 1
    PendingNotification.objects.bulk_create(pending)
    return sent


def notify_version_open(*, statement: Statement, version: StatementVersion) -> int:
    """Tell every delegate of the edition that `version` is open for comments."""
    from statements.selectors import delegates_of

    return _notify(
        users=list(delegates_of(statement.edition)),
        kind=NotificationKind.VERSION_OPEN,
        statement=statement,
        summary=lambda title: (
            _("Version %(number)s of “%(title)s” is open for comments.")
            % {"number": version.number, "title": title}
        ),
        path="",
        template="statements/email/version_open",
        context={"statement": statement, "version": version},
        dedupe=f"statement-version-open:{version.pk}",
    )


def notify_reply(*, comment: Comment) -> int:
    """Tell the author of the comment replied to (never the replier themself)."""
    parent = comment.parent
    statement = comment.statement
    name = comment.author.get_full_name() or comment.author.get_username()
    path = f"paragraphs/{comment.paragraph.key}/" if comment.paragraph_id else "general/"
    return _notify(
        users=[parent.author],
        kind=NotificationKind.REPLY,
        statement=statement,
        summary=lambda title: (
            _("%(name)s replied to your comment on “%(title)s”.") % {"name": name, "title": title}
        ),
        path=path + f"#comment-{comment.pk}",
        template="statements/email/reply",
        context={"statement": statement, "comment": comment},
        dedupe=f"statement-reply:{comment.pk}",
    )


def notify_amendment_answered(*, amendment: Amendment) -> int:
    """Tell the author of `amendment` the committee's answer."""
    statement = amendment.statement
    return _notify(
        users=[amendment.author],
        kind=NotificationKind.AMENDMENT_ANSWERED,
        statement=statement,
        summary=lambda title: (
            _("Your amendment to “%(title)s” was answered: %(status)s.")
            % {"title": title, "status": amendment.get_status_display()}
        ),
        path=f"responses/#amendment-{amendment.pk}",
        template="statements/email/amendment_answered",
        context={"statement": statement, "amendment": amendment},
        dedupe=f"statement-answer:{amendment.pk}:{int(amendment.answered_at.timestamp())}",
    )


def send_digests(*, now=None) -> int:
    """One digest mail to each person with notifications kept since the last, in their language
    (the items were written in it when kept); how many sent.

    Side effects: the notifications are marked sent (in the same transaction as the outbox row).
    """
    from statements.selectors import recipient_languages

    now = now or timezone.now()
    pending = list(
        PendingNotification.objects.filter(sent_at__isnull=True)
        .select_related("user", "statement__edition")
        .order_by("user_id", "created_at", "pk")
    )
    by_user: dict[int, list[PendingNotification]] = {}
    for item in pending:
        by_user.setdefault(item.user_id, []).append(item)
    editions: dict[int, tuple] = {}
    for items in by_user.values():
        edition = items[0].statement.edition
        editions.setdefault(edition.pk, (edition, []))[1].append(items[0].user_id)
    languages = {
        (edition_id, user_id): language
        for edition_id, (edition, user_ids) in editions.items()
        for user_id, language in recipient_languages(user_ids, edition).items()
    }
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
                    language=languages[(items[0].statement.edition_id, user.pk)],
                )
                sent += 1
            PendingNotification.objects.filter(pk__in=[i.pk for i in items]).update(sent_at=now)
    return sent
