"""Failed logins are throttled by account and by client address (django-axes, counted in the
database every process shares) on the public login, the admin's login and the password reset;
a locked-out visitor is told when to try again; an organizer unlocks an account."""

import datetime
import hashlib

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mail.models import OutboxEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def person(db):
    return UserFactory(username="thandi", email="thandi@example.org")


def _login(client, url, username, password, address="192.0.2.10"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_an_account_is_locked_after_5_wrong_passwords_even_with_the_right_one(client, person, url):
    statuses = [
        _login(client, url, "thandi", f"wrong-{i}", address=f"192.0.2.{i}").status_code
        for i in range(5)
    ]
    assert statuses[:4] == [200] * 4
    assert statuses[4] == 429  # the fifth failure locks
    locked = _login(client, url, "thandi", PASSWORD, address="198.51.100.1")
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    text = locked.content.decode()
    assert "Too many failed attempts" in text
    assert "Please try again in 15 minutes." in text
    assert 'class="site-header"' in text
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not affected.
    UserFactory(username="kofi")
    assert _login(client, url, "kofi", PASSWORD).status_code == 302


def test_a_client_address_is_locked_after_50_failures_across_accounts(client, person, settings):
    for i in range(50):
        _login(client, "/accounts/login/", f"guess-{i}", "nope", address="203.0.113.9")
    locked = _login(client, "/accounts/login/", "thandi", PASSWORD, address="203.0.113.9")
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    elsewhere = _login(client, "/accounts/login/", "thandi", PASSWORD, address="203.0.113.10")
    assert elsewhere.status_code == 302


def test_the_lockout_message_is_translated(client, person):
    for i in range(5):
        _login(client, "/ja/accounts/login/", "thandi", f"wrong-{i}")
    locked = _login(client, "/ja/accounts/login/", "thandi", PASSWORD)
    assert locked.status_code == 429
    assert '<html lang="ja"' in locked.content.decode()


def test_the_client_address_is_the_one_behind_the_trusted_proxy(client, person, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(5):
        client.post(
            "/accounts/login/",
            {"username": "thandi", "password": f"wrong-{i}"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.77",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.77"}


def test_an_organizer_unlocks_an_account_in_the_admin(client, person):
    for i in range(5):
        _login(client, "/accounts/login/", "thandi", f"wrong-{i}")
    assert _login(client, "/accounts/login/", "thandi", PASSWORD).status_code == 429
    attempt = AccessAttempt.objects.get(username="thandi")

    admin = client.__class__()
    admin.force_login(get_user_model().objects.get(username="organizer"))
    listing = admin.get("/admin/locked_logins/")
    assert listing.status_code == 200
    assert "thandi" in listing.content.decode()
    assert "/admin/locked_logins/new/" not in listing.content.decode()
    unlocked = admin.post(f"/admin/locked_logins/delete/{attempt.pk}/")
    assert unlocked.status_code == 302
    assert not AccessAttempt.objects.filter(username="thandi").exists()

    assert _login(client, "/accounts/login/", "thandi", PASSWORD).status_code == 302


def test_a_participant_without_the_permission_cannot_unlock(client, person):
    client.force_login(get_user_model().objects.get(username="tokyo-participant"))
    assert client.get("/admin/locked_logins/").status_code in (302, 403)


def test_password_reset_is_refused_to_a_locked_out_client_address(client, person, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_CLIENT = 3
    for i in range(3):
        _login(client, "/accounts/login/", f"guess-{i}", "nope")
    mail.outbox = []
    response = client.post(
        "/accounts/password_reset/", {"email": "thandi@example.org"}, REMOTE_ADDR="192.0.2.10"
    )
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert mail.outbox == []
    assert not OutboxEmail.objects.exists()


def test_password_reset_requests_are_limited_per_address_known_or_not(client, person):
    mail.outbox = []
    for email in ("thandi@example.org", "nobody@example.org"):
        statuses = [
            client.post(
                "/accounts/password_reset/", {"email": email}, REMOTE_ADDR=f"192.0.2.{i}"
            ).status_code
            for i in range(4)
        ]
        assert statuses == [302, 302, 302, 429]
    rows = OutboxEmail.objects.filter(kind="password_reset")
    assert sorted(rows.values_list("to_email", flat=True)) == ["thandi@example.org"] * 3


def _attempt(username: str, address: str, minutes_ago: int) -> AccessAttempt:
    attempt = AccessAttempt.objects.create(
        username=username,
        ip_address=address,
        user_agent="",
        http_accept="",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return attempt


def test_a_login_deletes_expired_attempts_and_those_of_its_account_and_address_at_once(
    client, person
):
    _attempt("someone", "198.51.100.1", minutes_ago=16)  # past the 15 minutes: expired
    _attempt("thandi", "198.51.100.2", minutes_ago=1)  # this account, elsewhere
    _attempt("kofi", "192.0.2.10", minutes_ago=1)  # this address, another account
    _attempt("kofi", "198.51.100.3", minutes_ago=1)  # neither: kept
    with CaptureQueriesContext(connection) as captured:
        response = _login(client, "/accounts/login/", "thandi", PASSWORD, address="192.0.2.10")
    assert response.status_code == 302
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [
        ("kofi", "198.51.100.3")
    ]
    # One look for the three kinds (axes' own handler made one each), then the deletion.
    looked = [
        q["sql"]
        for q in captured
        if q["sql"].startswith('SELECT "axes_accessattempt"."id"') and "SUM(" not in q["sql"]
    ]
    assert len(looked) == 1
    assert len([q for q in captured if q["sql"].startswith('DELETE FROM "axes_accessattempt"')])
    log = AccessLog.objects.get()
    assert (log.username, log.ip_address) == ("thandi", "192.0.2.10")
    assert log.path_info == "/accounts/login/"
    session_key = response.cookies["sessionid"].value
    assert log.session_hash == hashlib.sha256(session_key.encode()).hexdigest()
