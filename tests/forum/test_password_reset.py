"""Password-reset mail is built from SITE_URL, never from the request's Host header."""

import re

import pytest
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


@pytest.mark.parametrize(
    ("prefix", "heading", "done_heading"),
    [
        ("", "Forgotten your password?", "Check your inbox"),
        ("/ja", "Forgotten your password?", "メールをご確認ください"),
    ],
)
def test_every_step_of_the_reset_answers_in_the_site_layout(
    client, settings, db, prefix, heading, done_heading
):
    settings.SITE_URL = "https://forum.example.org"
    user = UserFactory(username="bao", email="bao@example.org")
    mail.outbox = []

    form = client.get(f"{prefix}/accounts/password_reset/")
    assert form.status_code == 200
    assert form.templates[0].name == "registration/password_reset_form.html"
    assert 'class="site-header"' in form.content.decode()

    sent = client.post(f"{prefix}/accounts/password_reset/", {"email": "bao@example.org"})
    assert sent["Location"] == f"{prefix}/accounts/password_reset/done/"
    done = client.get(sent["Location"])
    assert f"<h1>{done_heading}</h1>" in done.content.decode()

    path = re.search(r"https://forum\.example\.org(/\S+/)", mail.outbox[0].body).group(1)
    assert path.startswith(f"{prefix}/accounts/reset/")
    if prefix == "/ja":
        assert "こちらでパスワードを設定してください" in mail.outbox[0].body
    confirm = client.get(path, follow=True)
    assert confirm.templates[0].name == "registration/password_reset_confirm.html"
    assert confirm.context["validlink"] is True
    complete = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
        follow=True,
    )
    assert complete.redirect_chain[-1][0] == f"{prefix}/accounts/reset/done/"
    assert complete.templates[0].name == "registration/password_reset_complete.html"
    user.refresh_from_db()
    assert user.check_password("a-long-new-passphrase")

    used = client.get(path)
    assert used.status_code == 200
    assert used.context["validlink"] is False
