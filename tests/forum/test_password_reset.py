"""Password-reset mail is built from SITE_URL, never from the request's Host header."""

import re

import pytest
from django.core import mail

from tests.factories import UserFactory


def test_password_reset_link_uses_the_site_url_not_the_host_header(
    client, settings, db, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://forum.example.org"
    settings.ALLOWED_HOSTS = ["evil.example.com", "testserver"]
    UserFactory(username="amara", email="amara@example.org")
    mail.outbox = []

    with django_capture_on_commit_callbacks(execute=True):
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
    client, settings, db, prefix, heading, done_heading, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://forum.example.org"
    user = UserFactory(username="bao", email="bao@example.org")
    mail.outbox = []

    form = client.get(f"{prefix}/accounts/password_reset/")
    assert form.status_code == 200
    assert form.templates[0].name == "registration/password_reset_form.html"
    assert 'class="site-header"' in form.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
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


def test_the_reset_email_is_an_outbox_row_in_the_language_asked_in(
    client, settings, db, django_capture_on_commit_callbacks
):
    """Logged in the email log, and sent by the outbox's task (retried if the server is down)."""
    from mail.enums import EmailStatus
    from mail.models import OutboxEmail

    settings.SITE_URL = "https://forum.example.org"
    user = UserFactory(username="chen", email="chen@example.org")
    mail.outbox = []

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/ja/accounts/password_reset/", {"email": "chen@example.org"})

    row = OutboxEmail.objects.get(kind="password_reset")
    assert (row.to_email, row.user_id, row.language) == ("chen@example.org", user.pk, "ja")
    assert row.status == EmailStatus.SENT
    assert "こちらでパスワードを設定してください" in row.body_text
    assert "https://forum.example.org/ja/accounts/reset/" in row.body_text
    assert mail.outbox[0].body == row.body_text


def test_an_unknown_address_writes_no_row(client, db):
    from mail.models import OutboxEmail

    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert not OutboxEmail.objects.exists()
