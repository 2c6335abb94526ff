"""The SMTP connection the outbox sends through: one per worker thread, kept open between
emails (a batch sends all its rows over it), checked with NOOP only after an idle moment."""

import logging
import smtplib
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)

# Seconds an SMTP server may take to answer before the attempt counts as a temporary failure.
SMTP_TIMEOUT = 30

# One SMTP connection per worker thread, kept open between emails (checked with NOOP before
# each use): opening one per email would spend more time greeting the server than sending.
_local = threading.local()
TRUSTED_IDLE_SECONDS = 2.0


def _connection_key() -> tuple:
    return (
        settings.EMAIL_BACKEND,
        settings.EMAIL_HOST,
        settings.EMAIL_PORT,
        settings.EMAIL_HOST_USER,
        settings.EMAIL_USE_TLS,
        settings.EMAIL_USE_SSL,
    )


def connection():
    """The mail backend to send with: for SMTP, this thread's open connection (opened now if
    there is none, or if the one kept has gone away)."""
    from django.core.mail import get_connection

    if settings.EMAIL_BACKEND != "django.core.mail.backends.smtp.EmailBackend":
        return get_connection()
    key = _connection_key()
    backend = getattr(_local, "backend", None)
    if backend is not None:
        # A connection used a moment ago is trusted without asking (a burst of emails pays
        # no extra round trip); if the server hung up since, that attempt is retried.
        recent = time.monotonic() - _local.used_at < TRUSTED_IDLE_SECONDS
        closed = backend.connection is None or backend.connection.sock is None
        if _local.key != key or closed or not (recent or _alive(backend)):
            drop_connection()
            backend = None
    if backend is None:
        backend = get_connection(timeout=settings.EMAIL_TIMEOUT or SMTP_TIMEOUT)
        backend.open()
        _local.backend, _local.key = backend, key
    _local.used_at = time.monotonic()
    return backend


def _alive(backend) -> bool:
    if backend.connection is None:
        return False
    try:
        return backend.connection.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False


def drop_connection() -> None:
    """Forget this thread's SMTP connection (closing it if it can): after an error, the next
    email opens a new one."""
    backend = getattr(_local, "backend", None)
    _local.backend = None
    if backend is not None:
        try:
            backend.close()
        except Exception:  # already broken: nothing to close cleanly
            logger.debug("closing a broken SMTP connection failed", exc_info=True)
