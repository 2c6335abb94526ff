"""What the public registration form of an edition shows the same to everyone, kept in the
shared cache: the registration settings, the public ticket types and their fees, the edition's
questions, the income table and the fee data of the form's script, and the HTML of an unbound
form (per language, chosen country and prefilled address).

Each edition has a generation (a random token in the cache) that is part of every key; saving or
deleting its settings, a ticket type or a question gives it a new one (the receivers below), and
a change of the income table gives every edition a new one: the next request builds the parts
again from the database, so an organizer's change shows at once. A generation is random, never
counted up, so that a generation lost from the cache (evicted, flushed, Redis restarted) can
never bring back parts built before it. A cache that is down reads as a miss: the form is built
from the database, as before.

Each process also keeps what it read from the shared cache (parts and HTML) in its memory,
under the same keys: a warm form costs one round trip to Redis (the generations) and no
unpickling. A key holds the generation, so what a process keeps is never read after a change.

The seats left are not kept here: they change with every confirmation, and are counted per
request (`seats_taken`) and written into the kept fee table (`fee_table_html`).
"""

import hashlib
import json
import secrets
import threading
from copy import copy as shallow_copy
from dataclasses import dataclass, field

from cachetools import LRUCache
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.formats import localize
from django.utils.html import escape, json_script
from django.utils.translation import gettext as _

from forum.models import Edition
from registration import selectors
from registration.enums import RegistrationStatus
from registration.models import (
    CountryIncomeGroup,
    Question,
    Registration,
    RegistrationSettings,
    TicketType,
)

# How long built parts stay (a generation changes on every edit; this only bounds what an
# edit made without a signal, e.g. a bulk update, could leave behind).
TIMEOUT = 60 * 60
_GLOBAL = "regform:gen:income"
# What this process read from the shared cache, by key (a key names its generation); the least
# recently used go first (a form's HTML is some 50 kB: at most a few MB per process).
_LOCAL: LRUCache[str, object] = LRUCache(maxsize=128)
_LOCAL_LOCK = threading.Lock()


def _kept(key: str):
    """The value under `key`: from this process's memory, else from the shared cache (then
    kept in memory too); None when neither has it."""
    with _LOCAL_LOCK:
        value = _LOCAL.get(key)
    if value is None:
        value = cache.get(key)
        if value is not None:
            _keep(key, value)
    return value


def _keep(key: str, value) -> None:
    with _LOCAL_LOCK:
        _LOCAL[key] = value


def _store(key: str, value) -> None:
    cache.set(key, value, TIMEOUT)
    _keep(key, value)


@dataclass
class FormParts:
    """The parts of one edition's form in one language (`language` only names the cache
    entry: labels are translated when rendered)."""

    generation: str
    settings_row: RegistrationSettings | None
    ticket_types: list[TicketType]
    questions: list[Question]
    income_groups: dict[str, str]
    fee_data: dict
    fee_data_script: str = field(repr=False)

    @property
    def currency(self) -> str:
        return self.settings_row.currency if self.settings_row else ""

    def income_group_of(self, country: str) -> str:
        return self.income_groups.get(country or "", "")

    def ticket_type(self, pk) -> TicketType | None:
        return next((ticket for ticket in self.ticket_types if str(ticket.pk) == str(pk)), None)


def _edition_key(edition_id: int) -> str:
    return f"regform:gen:{edition_id}"


def _generations(edition_id: int) -> str:
    """The edition's generation joined with the income table's; new ones where missing."""
    keys = [_edition_key(edition_id), _GLOBAL]
    found = cache.get_many(keys)
    parts = []
    for key in keys:
        value = found.get(key)
        if value is None:
            value = secrets.token_hex(8)
            # add(): two processes starting a generation at once agree on the first one.
            if not cache.add(key, value, None):
                value = cache.get(key) or value
        parts.append(value)
    return "-".join(parts)


def _fee_data(ticket_types: list[TicketType], currency: str, groups: dict) -> dict:
    return {
        "currency": currency,
        "groups": groups,
        "tickets": [
            {
                "name": ticket.name,
                "fees": {
                    "high": float(ticket.fee_high),
                    "upper_middle": float(ticket.fee_upper_middle),
                    "lower_middle": float(ticket.fee_lower_middle),
                    "low": float(ticket.fee_low),
                },
            }
            for ticket in ticket_types
        ],
    }


def _build(edition: Edition, generation: str) -> FormParts:
    settings_row = selectors.registration_settings(edition)
    ticket_types = list(
        TicketType.objects.filter(edition=edition, is_public=True).order_by("position", "name")
    )
    questions = selectors.edition_questions(edition)
    groups = {
        str(country): group
        for country, group in CountryIncomeGroup.objects.values_list("country", "income_group")
    }
    currency = settings_row.currency if settings_row else ""
    fee_data = _fee_data(ticket_types, currency, groups)
    return FormParts(
        generation=generation,
        settings_row=settings_row,
        ticket_types=ticket_types,
        questions=questions,
        income_groups=groups,
        fee_data=fee_data,
        fee_data_script=str(json_script(fee_data, "fee-data")),
    )


def form_parts(edition: Edition, language: str) -> FormParts:
    """The unchanging parts of `edition`'s form (FormParts), shared by every request (never
    changed by one): from this process's memory after one round trip to the cache (the
    generations), else from the cache, else built in four queries and kept. Ticket type
    names, fees and questions are translated fields: each language has its entry."""
    generation = _generations(edition.pk)
    key = f"regform:parts:{edition.pk}:{language}:{generation}"
    parts = _kept(key)
    if parts is None:
        parts = _build(edition, generation)
        _store(key, parts)
    return parts


def seats_taken(ticket_types: list[TicketType]) -> list[TicketType]:
    """Copies of `ticket_types` with `seats_taken` (confirmed registrations) counted now, in one
    query; those with no limit are not counted."""
    limited = [ticket.pk for ticket in ticket_types if ticket.capacity is not None]
    taken = (
        dict(
            Registration.objects.filter(
                ticket_type_id__in=limited, status=RegistrationStatus.CONFIRMED
            )
            .values_list("ticket_type_id")
            .annotate(count=Count("pk"))
            .order_by()
        )
        if limited
        else {}
    )
    counted = []
    for ticket in ticket_types:
        copy = shallow_copy(ticket)  # the cached instance stays as it was
        copy.seats_taken = taken.get(ticket.pk, 0)  # type: ignore[attr-defined]
        counted.append(copy)
    return counted


def form_html_key(parts: FormParts, edition: Edition, language: str, *extra: str) -> str:
    """The cache key of an unbound form's HTML: the generation, the language and whatever else
    changes it (the country chosen, the prefilled address: hashed, never stored in clear)."""
    digest = hashlib.sha256(json.dumps(extra, cls=DjangoJSONEncoder).encode()).hexdigest()[:24]
    return f"regform:html:{edition.pk}:{language}:{parts.generation}:{digest}"


def cached_html(key: str, build) -> str:
    html = _kept(key)
    if html is None:
        html = build()
        _store(key, html)
    return html


def _seats_marker(ticket: TicketType) -> str:
    return f"<!--seats:{ticket.pk}-->"


def seats_left_text(ticket: TicketType) -> str:
    """What the fee table says of a ticket type's seats (`seats_taken` counted)."""
    left = ticket.seats_left
    if left is None:
        return _("no limit")
    if left:
        return _("%(left)s of %(total)s") % {
            "left": localize(left),
            "total": localize(ticket.capacity),
        }
    return _("full: waiting list")


def fee_table_html(
    parts: FormParts, edition: Edition, language: str, income_group: str, counted: list
) -> str:
    """The fee table (registration/register_fees.html) of `counted` (`seats_taken(...)` of the
    parts' ticket types): drawn once per generation, language and income group, with the seats
    left written in per request."""
    key = f"regform:fees:{edition.pk}:{language}:{parts.generation}:{income_group}"

    def draw() -> str:
        # Each seats cell holds a marker, <!--seats:<id>-->, replaced below.
        context = {
            "ticket_types": parts.ticket_types,
            "income_group": income_group,
            "settings_row": parts.settings_row,
        }
        return render_to_string("registration/register_fees.html", context)

    html = cached_html(key, draw)
    for ticket in counted:
        html = html.replace(_seats_marker(ticket), escape(seats_left_text(ticket)), 1)
    return html


# --- invalidation -------------------------------------------------------------------------


def forget_edition(edition_id: int | None) -> None:
    """A new generation for the edition's form: its cached parts and HTML are not read again.
    Done after the writer's transaction commits (a request in between would otherwise build
    and keep the parts as they were before the change), and also right away."""
    if edition_id is None:
        return

    def forget() -> None:
        cache.set(_edition_key(edition_id), secrets.token_hex(8), None)

    forget()
    transaction.on_commit(forget)


def forget_income_table() -> None:
    """A new generation for every edition (the income table is shared)."""

    def forget() -> None:
        cache.set(_GLOBAL, secrets.token_hex(8), None)

    forget()
    transaction.on_commit(forget)


@receiver(post_save, sender=RegistrationSettings, dispatch_uid="regform.settings_saved")
@receiver(post_delete, sender=RegistrationSettings, dispatch_uid="regform.settings_deleted")
@receiver(post_save, sender=TicketType, dispatch_uid="regform.ticket_saved")
@receiver(post_delete, sender=TicketType, dispatch_uid="regform.ticket_deleted")
@receiver(post_save, sender=Question, dispatch_uid="regform.question_saved")
@receiver(post_delete, sender=Question, dispatch_uid="regform.question_deleted")
def _edition_part_changed(sender, instance, **kwargs) -> None:
    forget_edition(instance.edition_id)


@receiver(post_save, sender=Edition, dispatch_uid="regform.edition_saved")
def _edition_changed(sender, instance, **kwargs) -> None:
    forget_edition(instance.pk)


@receiver(post_save, sender=CountryIncomeGroup, dispatch_uid="regform.income_saved")
@receiver(post_delete, sender=CountryIncomeGroup, dispatch_uid="regform.income_deleted")
def _income_changed(sender, instance, **kwargs) -> None:
    forget_income_table()
