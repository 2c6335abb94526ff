"""Registration's addresses outside the page tree, included by the project's URLconf (within
its language prefixes)."""

from django.urls import path

from registration.documents import views as documents

urlpatterns = [
    path("verify/letter/<uuid:token>/", documents.verify_letter, name="verify_letter"),
]
