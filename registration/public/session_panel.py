"""Registration's panel on a session's public page (the programme's `sessions/<slug>/`): the
seats left of a session with limited seats, and for a registered participant the sign-up or a
place on the waiting list. Contributed through the core's extension point
(`cms.extensions.register_session_panel`, registered in `RegistrationConfig.ready`): the
programme does not import registration."""

from django.contrib.auth.views import redirect_to_login
from django.template.loader import render_to_string
from django.utils import translation

from cms.extensions import Panel
from registration.enums import ACTIVE_STATUSES, RegistrationStatus
from registration.models import Registration
from registration.selectors import session_has_seats, sessions_with_seats


def _registration_page(edition):
    from registration.pages import RegistrationPage

    return (
        RegistrationPage.objects.live()
        .public()
        .filter(edition=edition, locale__language_code=translation.get_language())
        .first()
    )


def session_panel(*, request, edition, session_slug: str) -> Panel | None:
    """The seats panel of session `session_slug`, or None when it has no limited seats (one
    light query) or the edition has no live registration page. Never cached: seats change."""
    if not session_has_seats(edition=edition, slug=session_slug):
        return None
    user = request.user
    registration = None
    if user.is_authenticated:
        registration = (
            Registration.objects.filter(user=user, edition=edition, status__in=ACTIVE_STATUSES)
            .order_by("-created_at", "-pk")
            .first()
        )
    sessions = sessions_with_seats(edition=edition, registration=registration, slug=session_slug)
    if not sessions:
        return None
    page = _registration_page(edition)
    if page is None:
        return None
    session = sessions[0]
    context = {
        "session": session,
        "page": page,
        "registration": registration,
        "can_sign_up": registration is not None
        and registration.status == RegistrationStatus.CONFIRMED,
        "login_url": redirect_to_login(request.get_full_path())["Location"],
        "next": request.path,
    }
    html = render_to_string("registration/session_panel.html", context, request=request)
    return Panel(html=html, public=False)
