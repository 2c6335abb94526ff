"""Copying an edition's setup (rooms, tracks, ticket types, questions, registration settings…)
from a previous edition into a new one, in one step.

`forum` knows no feature app: each app registers an `EditionCopier` for what it owns, from its
`AppConfig.ready()`. A copier lists what it would copy (the preview) and copies it; what the
target already has (same name, same slug…) is left alone, so that copying twice never
duplicates anything.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from forum.content_language import SOURCE_LANGUAGE, translation_values
from forum.models import Edition


@dataclass
class CopyPlan:
    """What one copier would do: the names of the items to copy, and those the target already
    has (which stay as they are)."""

    label: str
    to_copy: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EditionCopier:
    """`plan(source, target)` returns a CopyPlan; `copy(source, target)` copies what the plan
    lists and returns how many rows it wrote. Both run inside copy_edition_setup's
    transaction."""

    key: str
    label: str
    order: int
    plan: Callable[[Edition, Edition], CopyPlan]
    copy: Callable[[Edition, Edition], int]


_copiers: dict[str, EditionCopier] = {}


def register_copier(copier: EditionCopier) -> None:
    """Add (or replace, by key) a feature app's part of the copy."""
    _copiers[copier.key] = copier


def registered_copiers() -> list[EditionCopier]:
    return sorted(_copiers.values(), key=lambda c: (c.order, c.key))


def _check(source: Edition, target: Edition) -> None:
    if source.pk == target.pk:
        raise ValidationError(_("Choose another edition to copy from."))


def preview_edition_copy(*, source: Edition, target: Edition) -> list[CopyPlan]:
    """What copy_edition_setup would copy from `source` into `target`, part by part."""
    _check(source, target)
    return [copier.plan(source, target) for copier in registered_copiers()]


@transaction.atomic
def copy_edition_setup(*, source: Edition, target: Edition, user) -> dict[str, int]:
    """Copy the setup of `source` into `target`: every registered copier, in one transaction.

    Items the target already has are skipped; when there is nothing left to copy the copy is
    refused (ValidationError) and nothing is written. Returns the rows written by copier key.
    Side effects: the rows of each app; a `forum.copy_setup` entry in the target's history.
    """
    _check(source, target)
    Edition.objects.select_for_update().get(pk=target.pk)  # two copies at once: one waits
    plans = {copier.key: copier.plan(source, target) for copier in registered_copiers()}
    if not any(plan.to_copy for plan in plans.values()):
        raise ValidationError(
            _("%(target)s already has everything %(source)s could give it; nothing was copied.")
            % {"target": target, "source": source}
        )
    written = {
        copier.key: copier.copy(source, target) if plans[copier.key].to_copy else 0
        for copier in registered_copiers()
    }
    log(
        instance=target,
        action="forum.copy_setup",
        user=user,
        data={"source": source.slug, "written": written},
    )
    return written


def model_copier(
    *,
    key: str,
    label: str,
    order: int,
    model,
    fields: list[str],
    match_field: str | None,
    describe: Callable = str,
    adjust: Callable[[dict, Edition, Edition], dict] | None = None,
) -> EditionCopier:
    """A copier of the rows of `model` (with an `edition` foreign key): `fields` are copied,
    `match_field` says which rows the target already has (None: the model is one row per
    edition), `adjust` may change the copied values (e.g. shift dates to the new edition)."""

    def rows(source: Edition, target: Edition):
        # Matched, described and copied in the source language, whatever the admin's is.
        with translation.override(SOURCE_LANGUAGE):
            return _rows(source, target)

    def _rows(source: Edition, target: Edition):
        existing = set(
            model.objects.filter(edition=target).values_list(match_field or "edition", flat=True)
        )
        wanted, skipped = [], []
        for row in model.objects.filter(edition=source).order_by("pk"):
            key_value = getattr(row, match_field) if match_field else target.pk
            (skipped if key_value in existing else wanted).append(row)
        return wanted, skipped

    def plan(source: Edition, target: Edition) -> CopyPlan:
        wanted, skipped = rows(source, target)
        return CopyPlan(
            label=label,
            to_copy=[describe(row) for row in wanted],
            already_there=[describe(row) for row in skipped],
        )

    def copy(source: Edition, target: Edition) -> int:
        wanted, _skipped = rows(source, target)
        created = 0
        for row in wanted:
            with translation.override(SOURCE_LANGUAGE):
                values = {name: getattr(row, name) for name in fields}
            if adjust:
                values = adjust(values, source, target)
            # With their translations (django-modeltranslation's columns: name_ja…).
            values = {**translation_values(row, fields), **values}
            with translation.override(SOURCE_LANGUAGE):
                instance = model(edition=target, **values)
            instance.full_clean()
            instance.save()
            created += 1
        return created

    return EditionCopier(key=key, label=label, order=order, plan=plan, copy=copy)
