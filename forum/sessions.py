"""Django's database sessions, written once per request instead of up to three times (issue 14).

A visitor who logs in without a session yet (a confirmation link opened in a fresh browser) cost
Django's database engine three queries: `login()` rotates the key with `cycle_key()`, which
looks for a free key (SELECT) and stores the still empty session under it (INSERT); at the end
of the request the session middleware stores it again with the login in it (UPDATE). Here:

- a new key is not looked up first: the INSERT that stores it refuses a key already taken
  (IntegrityError, then `create()` draws another, as Django's own loop does);
- rotating the key of a session that has none yet (never stored, or whose cookie named no live
  session) only marks it modified: it gets a new random key when it is first saved (by the
  middleware, or earlier by whoever asks for its key), and there is no old key to retire. A
  session that had a key is rotated as Django does (a new key, the old row deleted);
- a save that would write exactly what this request already wrote under the same key (the
  middleware saving after django-axes stored the new session to hash its key) writes nothing.

The session is stored and read as before (the same table, encoding and expiry).
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils.crypto import get_random_string


class SessionStore(DatabaseSessionStore):
    # (key, serialized data) this request last wrote
    _written: tuple[str, bytes] | None = None

    def _get_new_session_key(self) -> str:
        # No SELECT first: the INSERT of save(must_create=True) fails on a key already taken,
        # and create() then draws another.
        return get_random_string(32, VALID_KEY_CHARS)

    def cycle_key(self) -> None:
        data = self._session  # (loading forgets a key that names no live session)
        if self.session_key is None:
            # Nothing stored under an old key: a new key is drawn when the session is saved.
            self._session_cache = data
            self.modified = True
            return
        super().cycle_key()

    def save(self, must_create: bool = False) -> None:
        if (
            not must_create
            and self._written is not None
            and self._written == (self.session_key, self._serialized())
        ):
            return  # this request already stored exactly this under this key
        super().save(must_create=must_create)
        if self.session_key is not None:
            self._written = (self.session_key, self._serialized())

    def _serialized(self) -> bytes:
        # (not encode(): its signature holds the time, to the second)
        return self.serializer().dumps(self._get_session())

    def delete(self, session_key: str | None = None) -> None:
        self._written = None
        super().delete(session_key)
