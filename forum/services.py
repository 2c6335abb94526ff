"""Writes of the core domain: editions and the roles people hold in them."""

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission

from forum.enums import EditionRoleKind
from forum.models import Edition, EditionGroup, EditionRole
from forum.signals import edition_created

# Organizers and the programme committee build the programme (scoped to their edition by
# sessions_app's permission policy).
PROGRAMME_PERMISSIONS = [
    ("sessions_app", f"{action}_{model}")
    for model in ("room", "track", "speaker", "session")
    for action in ("add", "change", "delete", "view")
] + [("sessions_app", "view_release"), ("sessions_app", "add_release")]

# Organizers run registration (scoped to their edition by registration's permission policies).
# Passport details need `registration.view_passport_details`, granted to named people only.
REGISTRATION_PERMISSIONS = [
    ("registration", f"{action}_{model}")
    for model in ("tickettype", "question", "registrationsettings", "sessioncapacity")
    for action in ("add", "change", "delete", "view")
] + [
    ("registration", "view_registration"),
    ("registration", "change_registration"),
    ("registration", "check_in_registration"),
    ("registration", "view_countryincomegroup"),
    ("registration", "add_countryincomegroup"),
    ("registration", "change_countryincomegroup"),
    ("mail", "view_outboxemail"),
    ("mail", "change_outboxemail"),
    ("registration", "view_announcement"),
    ("registration", "add_announcement"),
    ("registration", "change_announcement"),
    ("registration", "view_visaletter"),
    ("registration", "change_visaletter"),
    ("registration", "view_documentjob"),
    ("registration", "add_documentjob"),
]

# Organizers run the call for proposals: the call, its types and criteria, the reviewers'
# declarations, and the proposals themselves (scoped to their edition by cfp's permission policy).
CFP_PERMISSIONS = [
    ("cfp", f"{action}_{model}")
    for model in (
        "call",
        "proposaltype",
        "reviewcriterion",
        "callquestion",
        "reviewerprofile",
        "latesubmissionlink",
    )
    for action in ("add", "change", "delete", "view")
] + [("cfp", "view_proposal"), ("cfp", "change_proposal")]

# What each staff role may do in the admin beyond its own edition's pages (which cms grants).
ROLE_MODEL_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    EditionRoleKind.ORGANIZER: [
        ("wagtailadmin", "access_admin"),
        ("forum", "change_edition"),
        ("forum", "view_edition"),
        ("forum", "view_editionrole"),
        ("forum", "add_editionrole"),
        ("forum", "change_editionrole"),
        ("forum", "delete_editionrole"),
        ("forum", "view_organization"),
        ("forum", "add_organization"),
        ("forum", "change_organization"),
        *PROGRAMME_PERMISSIONS,
        *REGISTRATION_PERMISSIONS,
        *CFP_PERMISSIONS,
    ],
    EditionRoleKind.PROGRAMME_COMMITTEE: [
        ("wagtailadmin", "access_admin"),
        ("forum", "view_edition"),
        ("forum", "view_organization"),
        *PROGRAMME_PERMISSIONS,
    ],
    EditionRoleKind.DRAFTING_COMMITTEE: [
        ("wagtailadmin", "access_admin"),
        ("forum", "view_edition"),
    ],
    EditionRoleKind.MODERATOR: [
        ("wagtailadmin", "access_admin"),
    ],
    # Delegates act on the public statement pages only, never in the admin.
    EditionRoleKind.DELEGATE: [],
}

# Page-editing roles may upload and choose images and documents.
ROLE_COLLECTION_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    EditionRoleKind.ORGANIZER: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
    ],
    EditionRoleKind.PROGRAMME_COMMITTEE: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    ],
    EditionRoleKind.DRAFTING_COMMITTEE: [
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    ],
    EditionRoleKind.MODERATOR: [],
    EditionRoleKind.DELEGATE: [],
}


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def ensure_edition_groups(*, edition: Edition) -> dict[str, Group]:
    """Create (or repair) one auth group per staff role of `edition`, with its permissions.

    Idempotent. Side effects: creates Group, permission and GroupCollectionPermission rows.
    """
    groups: dict[str, Group] = {}
    root_collection = Collection.get_first_root_node()
    for role in EditionRoleKind:
        link = (
            EditionGroup.objects.select_related("group").filter(edition=edition, role=role).first()
        )
        if link is None:
            group, _ = Group.objects.get_or_create(name=f"{edition.slug} · {role.label}")
            link = EditionGroup.objects.create(edition=edition, role=role, group=group)
        group = link.group
        group.permissions.add(*[_permission(a, c) for a, c in ROLE_MODEL_PERMISSIONS[role]])
        if root_collection is not None:
            for app_label, codename in ROLE_COLLECTION_PERMISSIONS[role]:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=_permission(app_label, codename),
                )
        groups[role] = group
    return groups


@transaction.atomic
@transaction.atomic
def create_edition(*, edition: Edition) -> Edition:
    """Validate and save a new `edition`, and create its role groups.

    Side effects: `forum.signals.edition_created` is sent (the site creates the edition's
    pages in every language, and the feature apps their pages beneath it).
    """
    edition.full_clean()
    edition.save()
    ensure_edition_groups(edition=edition)
    edition_created.send(sender=Edition, edition=edition)
    return edition


@transaction.atomic
def grant_edition_role(
    *,
    edition: Edition,
    user: User,
    role: str,
    granted_by: User | None = None,
) -> EditionRole:
    """Give `user` the staff `role` for `edition` (idempotent).

    Side effects: the user joins the role's group, which carries its admin permissions.
    """
    if role not in EditionRoleKind.values:
        raise ValueError(f"Unknown edition role: {role!r}")
    edition_role, _ = EditionRole.objects.get_or_create(
        edition=edition, user=user, role=role, defaults={"granted_by": granted_by}
    )
    groups = ensure_edition_groups(edition=edition)
    user.groups.add(groups[role])
    return edition_role


@transaction.atomic
def revoke_edition_role(*, edition: Edition, user: User, role: str) -> bool:
    """Take the staff `role` for `edition` away from `user`; False if they did not hold it.

    Side effects: the user leaves the role's group.
    """
    deleted, _ = EditionRole.objects.filter(edition=edition, user=user, role=role).delete()
    link = EditionGroup.objects.filter(edition=edition, role=role).select_related("group").first()
    if link is not None:
        user.groups.remove(link.group)
    return bool(deleted)
