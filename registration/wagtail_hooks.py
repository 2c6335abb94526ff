from registration import admin_mail  # noqa: F401
