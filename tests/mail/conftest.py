"""The outbox's tests use registration's SMTP sink and real-worker fixtures (emails about
registrations are the ones the site sends most)."""

from tests.registration.conftest import (  # noqa: F401 (fixtures)
    _english,
    outbox,
    private_redis,
    smtp_server,
    smtp_settings,
    start_worker,
)
