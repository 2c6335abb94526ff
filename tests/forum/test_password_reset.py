"""Password-reset mail is built from SITE_URL, never from the request's Host header."""

import re

from django.core import mail

from tests.factories import UserFactory


def test_password_reset_link_uses_the_site_url_not_the_host_header(client, settings, db):
    settings.SITE_URL = "https://forum.example.org"
    settings.ALLOWED_HOSTS = ["evil.example.com", "testserver"]
    UserFactory(username="amara", email="amara@example.org")
    mail.outbox = []

    response = client.post(
        "/accounts/password_reset/",
        {"email": "amara@example.org"},
        HTTP_HOST="evil.example.com",
    )

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amara@example.org"]
    assert "evil.example.com" not in message.subject + message.body
    link = re.search(r"https://forum\.example\.org/accounts/reset/\S+/\S+/", message.body)
    assert link is not None
    assert "Your username: amara" in message.body
