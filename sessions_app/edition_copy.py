"""The programme's part of copying an edition's setup (forum.edition_copy): rooms and tracks.
Sessions, speakers and releases belong to their edition and are never copied."""

from django.utils.translation import gettext_lazy as _

from forum.edition_copy import model_copier, register_copier
from sessions_app.models import Room, Track


def register_copiers() -> None:
    register_copier(
        model_copier(
            key="rooms",
            label=_("Rooms"),
            order=10,
            model=Room,
            fields=[
                "name",
                "capacity",
                "floor",
                "accessibility_notes",
                "has_interpretation_booths",
                "position",
            ],
            match_field="name",
            describe=lambda room: room.name,
        )
    )
    register_copier(
        model_copier(
            key="tracks",
            label=_("Tracks"),
            order=20,
            model=Track,
            fields=["name", "slug", "colour"],
            match_field="slug",
            describe=lambda track: track.name,
        )
    )
