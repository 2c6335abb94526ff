"""Searching an edition-scoped admin list answers with the matching rows (it once answered 500:
Wagtail's search backend cannot filter on the edition scope)."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "found", "absent"),
    [
        ("/admin/session/?q=solidarity", "Solidarity", "Tea"),
        ("/admin/speaker/?q=zzzz-nobody", None, None),
        ("/admin/room/?q=hall", None, None),
        ("/admin/track/?q=finance", None, None),
    ],
)
def test_searching_an_edition_scoped_list_answers(client, url, found, absent):
    admin = get_user_model().objects.filter(is_superuser=True).first()
    client.force_login(admin)
    response = client.get(url)
    assert response.status_code == 200, url
    if found:
        assert found in response.content.decode()
