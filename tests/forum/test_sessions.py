"""Sessions in the database, written once per request (forum/sessions.py): a login still rotates
the key and keeps the session's data, and a key the visitor brings that names no session is
never taken."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def person(db):
    return UserFactory(username="thandi", email="thandi@example.org")


def _log_in(client):
    return client.post("/accounts/login/", {"username": "thandi", "password": PASSWORD})


def _session_sql(captured) -> list[str]:
    return [q["sql"].split(" ", 1)[0] for q in captured if '"django_session"' in q["sql"]]


def test_settings_use_this_engine():
    assert settings.SESSION_ENGINE == "forum.sessions"


def test_a_login_without_a_session_writes_it_once(client, person):
    with CaptureQueriesContext(connection) as captured:
        response = _log_in(client)
    assert response.status_code == 302
    assert _session_sql(captured) == ["INSERT"]  # no SELECT for a free key, no UPDATE after
    key = response.cookies[settings.SESSION_COOKIE_NAME].value
    stored = Session.objects.get(session_key=key).get_decoded()
    assert int(stored["_auth_user_id"]) == person.pk
    assert client.get("/accounts/login/").wsgi_request.user == person


def test_a_login_rotates_the_key_of_a_session_and_keeps_its_data(client, person):
    session = client.session
    session["seen"] = "the programme"
    session.save()
    old_key = session.session_key
    response = _log_in(client)
    new_key = response.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()
    stored = Session.objects.get(session_key=new_key).get_decoded()
    assert stored["seen"] == "the programme"
    assert int(stored["_auth_user_id"]) == person.pk


def test_a_key_that_names_no_session_is_not_taken_at_login(client, person):
    planted = "a" * 32  # e.g. set by someone else in the visitor's browser
    client.cookies[settings.SESSION_COOKIE_NAME] = planted
    response = _log_in(client)
    new_key = response.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != planted
    assert len(new_key) == 32
    assert not Session.objects.filter(session_key=planted).exists()
    assert int(Session.objects.get(session_key=new_key).get_decoded()["_auth_user_id"]) == (
        person.pk
    )


def test_saving_what_was_written_writes_nothing_and_a_change_is_written():
    store = SessionStore()
    store["step"] = 1
    with CaptureQueriesContext(connection) as captured:
        store.save()
        store.save()  # nothing changed since
    assert _session_sql(captured) == ["INSERT"]
    store["step"] = 2
    with CaptureQueriesContext(connection) as captured:
        store.save()
    assert _session_sql(captured) == ["UPDATE"]
    assert SessionStore(session_key=store.session_key)["step"] == 2


def test_a_taken_key_is_drawn_again(monkeypatch):
    taken = SessionStore()
    taken["owner"] = "someone"
    taken.save()
    keys = iter([taken.session_key, "b" * 32])
    monkeypatch.setattr(SessionStore, "_get_new_session_key", lambda self: next(keys))
    fresh = SessionStore()
    fresh["owner"] = "me"
    fresh.save()
    assert fresh.session_key == "b" * 32
    assert SessionStore(session_key=taken.session_key)["owner"] == "someone"
