from registration import admin_documents  # noqa: F401
