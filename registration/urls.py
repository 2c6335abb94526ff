"""Registration's addresses outside the page tree, included by the project's URLconf (within
its language prefixes)."""

from django.urls import path

from registration import views_documents

urlpatterns = [
    path("verify/letter/<uuid:token>/", views_documents.verify_letter, name="verify_letter"),
]
