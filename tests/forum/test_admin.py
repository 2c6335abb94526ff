"""Organizers in the Wagtail admin: editions, roles, images and documents."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cms.models import EditionPage
from forum.enums import EditionRoleKind
from forum.models import Edition, EditionGroup, EditionRole
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_EDITION = {
    "name": "AFSE 2013",
    "slug": "2013-manila",
    "number": "4",
    "year": "2013",
    "theme": "",
    "start_date": "2013-10-15",
    "end_date": "2013-10-18",
    "dates_note": "",
    "city": "Manila",
    "city_native": "",
    "country": "PH",
    "venue": "",
    "venue_address": "",
    "time_zone": "Asia/Manila",
    "expected_participants": "600",
    "organizer": "",
    "summary": "The fourth forum.",
}


def assert_denied(response):
    """Wagtail's admin answers a refused permission by sending the person back to its
    dashboard with a message."""
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


@pytest.fixture
def superuser_client(client):
    client.force_login(get_user_model().objects.get(username="organizer"))
    return client


@pytest.fixture
def tokyo_organizer_client(client):
    client.force_login(get_user_model().objects.get(username="tokyo-organizer"))
    return client


def test_demo_account_logs_into_the_admin(client):
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": "organizer", "password": "afse-demo-2009"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_creating_an_edition_in_the_admin_creates_its_draft_page_and_role_groups(
    superuser_client,
):
    response = superuser_client.post(reverse("edition:add"), NEW_EDITION)
    assert response.status_code == 302, response.content.decode()[:2000]
    edition = Edition.objects.get(slug="2013-manila")
    assert edition.name == "AFSE 2013"
    page = EditionPage.objects.get(edition=edition, locale__language_code="en")
    assert page.slug == "2013-manila"
    assert page.title == "AFSE 2013"
    assert page.live is False
    assert page.get_parent().specific_class.__name__ == "HomePage"
    assert EditionGroup.objects.filter(edition=edition).count() == 5
    # Once published it is served at /2013-manila/.
    page.save_revision().publish()
    assert superuser_client.get("/2013-manila/").status_code == 200


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2013-10-01"}, "end_date", "The last day cannot be before the first day."),
        ({"slug": "manila"}, "slug", "Use the year, a hyphen and the place"),
        ({"slug": "2009-tokyo"}, "slug", "Edition with this Slug already exists."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "is not a known time zone"),
        (
            {"start_date": "2014-01-01", "end_date": "2014-01-02"},
            "start_date",
            "The first day must fall in the edition",
        ),
    ],
)
def test_invalid_edition_gets_a_clear_message_and_changes_nothing(
    superuser_client, changes, field, message
):
    editions, pages = Edition.objects.count(), EditionPage.objects.count()
    response = superuser_client.post(reverse("edition:add"), {**NEW_EDITION, **changes})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in error for error in errors[field]), errors
    assert Edition.objects.count() == editions
    assert EditionPage.objects.count() == pages


def test_organizer_edits_own_edition_record(tokyo_organizer_client):
    edition = Edition.objects.get(slug="2009-tokyo")
    url = reverse("edition:edit", args=[edition.pk])
    assert tokyo_organizer_client.get(url).status_code == 200
    data = {
        **NEW_EDITION,
        "name": "AFSE 2009",
        "slug": "2009-tokyo",
        "number": "2",
        "year": "2009",
        "start_date": "2009-11-07",
        "end_date": "2009-11-10",
        "city": "Tokyo",
        "country": "JP",
        "time_zone": "Asia/Tokyo",
        "venue": "Rikkyo University",
    }
    response = tokyo_organizer_client.post(url, data)
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.venue == "Rikkyo University"


def test_organizer_cannot_reach_another_editions_record_by_changing_the_id(
    tokyo_organizer_client,
):
    manila = Edition.objects.get(slug="2007-manila")
    url = reverse("edition:edit", args=[manila.pk])
    assert_denied(tokyo_organizer_client.get(url))
    assert_denied(tokyo_organizer_client.post(url, {**NEW_EDITION, "slug": "2007-manila"}))
    manila.refresh_from_db()
    assert manila.name == "AFSE 2007"
    assert_denied(tokyo_organizer_client.post(reverse("edition:delete", args=[manila.pk])))
    assert Edition.objects.filter(pk=manila.pk).exists()
    assert_denied(tokyo_organizer_client.get(reverse("edition:inspect", args=[manila.pk])))


def test_organizer_inspects_own_edition(tokyo_organizer_client):
    tokyo = Edition.objects.get(slug="2009-tokyo")
    response = tokyo_organizer_client.get(reverse("edition:inspect", args=[tokyo.pk]))
    assert response.status_code == 200
    assert "Asia/Tokyo" in response.content.decode()


def test_organizer_sees_only_own_edition_in_the_list(tokyo_organizer_client):
    response = tokyo_organizer_client.get(reverse("edition:index"))
    assert response.status_code == 200
    names = [str(e) for e in response.context["object_list"]]
    assert names == ["AFSE 2009"]


def test_organizer_cannot_create_editions(tokyo_organizer_client):
    assert_denied(tokyo_organizer_client.get(reverse("edition:add")))
    assert_denied(tokyo_organizer_client.post(reverse("edition:add"), NEW_EDITION))
    assert not Edition.objects.filter(slug="2013-manila").exists()


def test_organizer_edits_own_edition_page_but_not_another(tokyo_organizer_client):
    tokyo = EditionPage.objects.get(edition__slug="2009-tokyo", locale__language_code="en")
    manila = EditionPage.objects.get(edition__slug="2007-manila", locale__language_code="en")
    assert (
        tokyo_organizer_client.get(reverse("wagtailadmin_pages:edit", args=[tokyo.pk])).status_code
        == 200
    )
    assert_denied(tokyo_organizer_client.get(reverse("wagtailadmin_pages:edit", args=[manila.pk])))


def test_organizer_grants_a_committee_role_for_own_edition(tokyo_organizer_client):
    tokyo = Edition.objects.get(slug="2009-tokyo")
    person = UserFactory(username="yuki")
    response = tokyo_organizer_client.post(
        reverse("editionrole:add"),
        {"edition": tokyo.pk, "user": person.pk, "role": EditionRoleKind.PROGRAMME_COMMITTEE},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    assert EditionRole.objects.filter(
        edition=tokyo, user=person, role=EditionRoleKind.PROGRAMME_COMMITTEE
    ).exists()
    assert person.groups.filter(name="2009-tokyo · Programme committee").exists()


def test_organizer_cannot_grant_roles_for_another_edition(tokyo_organizer_client):
    manila = Edition.objects.get(slug="2007-manila")
    person = UserFactory(username="ana")
    response = tokyo_organizer_client.post(
        reverse("editionrole:add"),
        {"edition": manila.pk, "user": person.pk, "role": EditionRoleKind.ORGANIZER},
    )
    assert response.status_code == 200
    assert "edition" in response.context["form"].errors
    assert not EditionRole.objects.filter(user=person).exists()


def test_revoking_a_role_in_the_admin_removes_the_group(tokyo_organizer_client):
    role = EditionRole.objects.get(user__username="tokyo-programme")
    response = tokyo_organizer_client.post(reverse("editionrole:delete", args=[role.pk]))
    assert response.status_code == 302
    user = get_user_model().objects.get(username="tokyo-programme")
    assert not EditionRole.objects.filter(pk=role.pk).exists()
    assert user.groups.count() == 0


def _png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 32), (29, 92, 77)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_organizer_uploads_an_image_and_a_document(tokyo_organizer_client):
    response = tokyo_organizer_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Plenary hall",
            "file": SimpleUploadedFile("hall.png", _png(), "image/png"),
            "collection": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    image = get_image_model().objects.get(title="Plenary hall")
    assert (image.width, image.height) == (64, 32)

    response = tokyo_organizer_client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Visa letter guide",
            "file": SimpleUploadedFile("guide.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
            "collection": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    assert get_document_model().objects.filter(title="Visa letter guide").exists()


def test_svg_uploads_are_refused(tokyo_organizer_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = tokyo_organizer_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Logo",
            "file": SimpleUploadedFile("logo.svg", svg, "image/svg+xml"),
            "collection": "1",
        },
    )
    assert response.status_code == 200
    assert not get_image_model().objects.filter(title="Logo").exists()


def test_an_edition_page_translated_in_the_admin_gets_its_role_permissions(superuser_client):
    from wagtail.models import Locale

    superuser_client.post(reverse("edition:add"), NEW_EDITION)
    page = EditionPage.objects.get(edition__slug="2013-manila", locale__language_code="en")
    ja = Locale.objects.get(language_code="ja")
    # The Japanese page is made with the edition, beneath the Japanese home page.
    translated = EditionPage.objects.get(edition__slug="2013-manila", locale=ja)
    assert translated.get_parent().locale == ja
    # A new organizer of 2013 may edit the Japanese page too.
    person = UserFactory(username="maria")
    from forum.services import grant_edition_role

    grant_edition_role(edition=page.edition, user=person, role=EditionRoleKind.ORGANIZER)
    assert translated.permissions_for_user(person).can_edit()
