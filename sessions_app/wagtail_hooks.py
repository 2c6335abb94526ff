"""The programme in the Wagtail admin, scoped to the editions a person organizes or programmes."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from cms.content_translation import SourceLanguageAdminForm, translation_panels
from forum.enums import EditionRoleKind
from forum.permissions import EditionScopedPermissionPolicy
from sessions_app import views_admin as views
from sessions_app.forms import SessionForm
from sessions_app.models import Release, Room, Session, Speaker, Track

PROGRAMME_MANAGERS = (EditionRoleKind.ORGANIZER, EditionRoleKind.PROGRAMME_COMMITTEE)
for model in (Room, Track, Speaker, Session, Release):
    register_permission_policy(
        model,
        EditionScopedPermissionPolicy(model, edition_field="edition", managers=PROGRAMME_MANAGERS),
    )


class ProgrammeViewSet(ModelViewSet):
    index_view_class = views.ProgrammeIndexView
    add_view_class = views.ProgrammeCreateView
    edit_view_class = views.ProgrammeEditView
    delete_view_class = views.ProgrammeDeleteView
    inspect_view_class = views.ProgrammeInspectView
    list_filter = ["edition"]


class RoomViewSet(ProgrammeViewSet):
    model = Room
    icon = "home"
    edit_handler = ObjectList(
        [
            FieldPanel("edition"),
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("capacity"), FieldPanel("floor")]),
            FieldPanel("has_interpretation_booths"),
            FieldPanel("accessibility_notes"),
            FieldPanel("position"),
            *translation_panels("name", "accessibility_notes"),
        ],
        base_form_class=SourceLanguageAdminForm,
    )
    list_display = ["name", "edition", "capacity", "floor", "has_interpretation_booths"]
    list_filter = ["edition", "has_interpretation_booths"]
    search_fields = ["name", "floor"]


class TrackViewSet(ProgrammeViewSet):
    model = Track
    icon = "tag"
    edit_handler = ObjectList(
        [
            FieldPanel("edition"),
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("colour"),
            *translation_panels("name"),
        ],
        base_form_class=SourceLanguageAdminForm,
    )
    list_display = ["name", "edition", "colour"]
    search_fields = ["name"]


class SpeakerViewSet(ProgrammeViewSet):
    model = Speaker
    icon = "user"
    index_view_class = views.SpeakerIndexView
    panels = [
        FieldPanel("edition"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("name_native"), FieldPanel("native_language")]),
        FieldRowPanel([FieldPanel("organization"), FieldPanel("country")]),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("links"),
        InlinePanel("availabilities", heading=_("Availability"), label=_("Window")),
    ]
    list_display = ["name", "name_native", "organization", "country", "edition"]
    list_filter = ["edition", "country"]
    search_fields = ["name", "name_native"]
    # The list is already scoped to the person's editions: search it in the database (the
    # search index cannot filter on that scope, and SQLite's cannot search named fields).
    search_backend_name = None


class SessionViewSet(ProgrammeViewSet):
    model = Session
    icon = "calendar-alt"
    edit_handler = ObjectList(
        [
            FieldPanel("edition"),
            FieldRowPanel([FieldPanel("title"), FieldPanel("slug")]),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("track"), FieldPanel("status")]),
            FieldPanel("abstract"),
            MultiFieldPanel(
                [
                    FieldPanel("room"),
                    FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                    FieldPanel("expected_attendance"),
                ],
                heading=_("Time and place"),
            ),
            FieldRowPanel([FieldPanel("language"), FieldPanel("interpretation_languages")]),
            MultiFieldPanel(
                [FieldPanel("meeting_point"), FieldPanel("transport_notes")],
                heading=_("Fact-finding visits"),
            ),
            InlinePanel("speaker_links", heading=_("Speakers"), label=_("Speaker")),
            FieldPanel("materials"),
            *translation_panels("title", "abstract", "meeting_point", "transport_notes"),
        ],
        base_form_class=SessionForm,
    )
    index_view_class = views.SessionIndexView
    list_display = [
        "title",
        "kind",
        "status",
        "room",
        "start",
        "edition",
        Column("conflict_count", label=_("Conflicts")),
        Column("conflict_summary", label=_("Details")),
    ]
    list_filter = ["edition", "status", "kind", "track"]
    search_fields = ["title"]
    # The list is already scoped to the person's editions: search it in the database (the
    # search index cannot filter on that scope, and SQLite's cannot search named fields).
    search_backend_name = None
    list_export = ["title", "kind", "status", "room", "start", "end", "language"]


class ReleaseViewSet(ProgrammeViewSet):
    model = Release
    icon = "upload"
    add_view_class = views.PublishReleaseView
    form_fields = ["edition", "title", "notes"]
    list_display = ["title", "edition", "number", "published_at", "published_by"]

    def get_form_class(self, for_update=False):
        return views.ReleaseForm


class ProgrammeViewSetGroup(ViewSetGroup):
    menu_label = _("Programme")
    menu_icon = "calendar-alt"
    menu_order = 160
    items = (SessionViewSet, SpeakerViewSet, RoomViewSet, TrackViewSet, ReleaseViewSet)


@hooks.register("register_admin_viewset")
def register_programme_viewsets():
    return ProgrammeViewSetGroup()


@hooks.register("register_admin_urls")
def register_schedule_grid_urls():
    """The schedule grid editor: /admin/programme/ and one grid per edition."""
    from sessions_app.views_grid import admin_urls

    return admin_urls()


@hooks.register("register_admin_menu_item")
def register_schedule_grid_menu_item():
    from sessions_app.views_grid import admin_menu_item

    return admin_menu_item()


# Bulk actions of the session and speaker lists (registered by their own hooks).
from sessions_app import bulk_actions  # noqa: E402, F401
