"""The admin's Content-Security-Policy.

The public site's strict policy comes from django-csp (CONTENT_SECURITY_POLICY). Wagtail's
admin is left out of that one and gets ADMIN_CONTENT_SECURITY_POLICY here instead: as strict
as Wagtail allows (see the setting for what it still needs)."""

from django.conf import settings


class AdminContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(
            f"{directive} {' '.join(sources)}"
            for directive, sources in settings.ADMIN_CONTENT_SECURITY_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith("/admin/") and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
