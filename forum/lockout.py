"""Failed logins throttled by account and by client address (django-axes).

Axes counts failed logins in the database every process shares, on the public login, the
admin's login and (by client address) the password reset. One account is locked after
AXES_FAILURE_LIMIT failures, one client address after LOGIN_FAILURE_LIMIT_PER_CLIENT: higher,
because a venue's Wi-Fi puts everyone behind one address. Both for AXES_COOLOFF_TIME; an
organizer unlocks an account sooner in the admin (Settings → Locked logins).
"""

import logging
import math

from axes.attempts import get_cool_off_threshold
from axes.conf import settings as axes_settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_session_hash, get_cool_off, get_credentials
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render

logger = logging.getLogger("axes.handlers.database")


class ForumAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for the client address.

    AXES_LOCKOUT_PARAMETERS is ["username", "ip_address"]: Axes gives one queryset of recent
    failures for each, and compares the largest count with one limit. Here the account is held
    to AXES_FAILURE_LIMIT and the address to LOGIN_FAILURE_LIMIT_PER_CLIENT.
    """

    def get_failures(self, request, credentials=None) -> int:
        by_account, by_client = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_client >= settings.LOGIN_FAILURE_LIMIT_PER_CLIENT:
            return max(by_account, settings.AXES_FAILURE_LIMIT)
        return by_account

    def user_logged_in(self, sender, request, user, **kwargs):
        """What axes does on a successful login — delete every expired attempt, log the login
        (AccessLog), delete the failures of this account and of this client address
        (AXES_RESET_ON_SUCCESS) — with the attempts deleted in one query (a SELECT, and a
        DELETE when it finds any) where axes makes one for each of the three."""
        if (
            axes_settings.AXES_COOLOFF_TIME is None
            or axes_settings.AXES_USE_ATTEMPT_EXPIRATION
            or not axes_settings.AXES_RESET_ON_SUCCESS
        ):
            return super().user_logged_in(sender, request, user, **kwargs)
        username = user.get_username()
        stale = AccessAttempt.objects.filter(attempt_time__lte=get_cool_off_threshold(request))
        for attempts in self.filter_user_attempts(request, get_credentials(username)):
            stale = stale | attempts
        count, _ = stale.delete()
        if not axes_settings.AXES_DISABLE_ACCESS_LOG:
            AccessLog.objects.create(
                username=username,
                ip_address=request.axes_ip_address,
                user_agent=request.axes_user_agent,
                http_accept=request.axes_http_accept,
                path_info=request.axes_path_info,
                attempt_time=request.axes_attempt_time,
                session_hash=get_client_session_hash(request),
            )
        logger.info("AXES: Successful login by %s; %d attempts deleted.", username, count)
        return None


def lockout_response(request, original_response=None, credentials=None):
    """The page shown while locked out: when to try again, in the visitor's language."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    response = render(
        request,
        "registration/lockout.html",
        {"minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def axes_username(request, credentials=None) -> str:
    """The name a failed login is counted under, cut to the length of a user name: an attacker's
    overlong name is recorded (and locked) under its first 150 characters instead of overflowing
    axes' column."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username", "")
    return str(username or "")[:150]
