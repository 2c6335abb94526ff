"""For the feature apps' data migrations: add a feature page beneath every existing edition page
with the historical models (a migration cannot use Wagtail's tree methods)."""

import uuid

from django.db.models import F

_STEPS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's path alphabet, 4 characters a step


def _next_step(step: str) -> str:
    number = 0
    for char in step:
        number = number * len(_STEPS) + _STEPS.index(char)
    number += 1
    digits = ""
    for _ in range(len(step)):
        number, rest = divmod(number, len(_STEPS))
        digits = _STEPS[rest] + digits
    return digits


def add_section_pages(
    apps, *, app_label: str, model_name: str, slug: str, titles: dict[str, str], intro_field: str
) -> None:
    """One `app_label.model_name` page at `<edition>/<slug>/` beneath each edition page that has
    none, in the edition page's language, live when it is, with the edition page's old section
    introduction (`intro_field`); the pages of one edition share a translation key."""
    page_model = apps.get_model("wagtailcore", "Page")
    edition_page_model = apps.get_model("cms", "EditionPage")
    locale_model = apps.get_model("wagtailcore", "Locale")
    content_type_model = apps.get_model("contenttypes", "ContentType")
    section_model = apps.get_model(app_label, model_name)
    content_type, _ = content_type_model.objects.get_or_create(
        app_label=app_label, model=model_name.lower()
    )
    languages = dict(locale_model.objects.values_list("pk", "language_code"))
    keys: dict[uuid.UUID, uuid.UUID] = {}
    for parent in edition_page_model.objects.order_by("path"):
        children = page_model.objects.filter(
            path__startswith=parent.path, depth=parent.depth + 1
        ).order_by("-path")
        if children.filter(content_type=content_type).exists():
            continue
        last = children.first()
        path = parent.path + (_next_step(last.path[-4:]) if last else "0001")
        title = titles.get(languages.get(parent.locale_id, ""), titles["en"])
        section_model.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type,
            path=path,
            depth=parent.depth + 1,
            numchild=0,
            url_path=f"{parent.url_path}{slug}/",
            locale_id=parent.locale_id,
            translation_key=keys.setdefault(parent.translation_key, uuid.uuid4()),
            live=parent.live,
            show_in_menus=True,
            has_unpublished_changes=not parent.live,
            first_published_at=parent.first_published_at if parent.live else None,
            last_published_at=parent.last_published_at if parent.live else None,
            edition_id=parent.edition_id,
            introduction=getattr(parent, intro_field, "") or "",
        )
        page_model.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
