"""A participant's own documents (badge, visa letter, receipt, certificate) as files of the
private storage, rendered in a Celery task, never in a request.

A document's file name carries a fingerprint of everything it prints (the registration, its
ticket type, edition, letter, passport details and the letterhead), so that a change makes a new
file, and the stale one is removed when the new one is stored. Files live beneath
`participants/<registration id>/` and leave storage only through the participant's own download
view (and the organizers' letter view).
"""

import hashlib
import json
import logging

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from forum.documents import (
    delete_private,
    private_storage,
    save_private,
    siblings,
    start_render_once,
)
from registration.models import PassportDetails, Registration, RegistrationSettings, VisaLetter

logger = logging.getLogger(__name__)

# Raise when a document's template or its rendering changes, so that stored files are renewed.
RENDER_VERSION = 1
FOLDER = "participants"


def _fields(instance: models.Model | None) -> dict | None:
    if instance is None:
        return None
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


def _related(owner: models.Model, attribute: str, missing: type[Exception]):
    try:
        return getattr(owner, attribute)
    except missing:
        return None


def document_name(registration: Registration, kind: str, language: str) -> str:
    """The storage name of `registration`'s document `kind` in `language`, as it stands now."""
    edition = registration.edition
    source = {
        "version": RENDER_VERSION,
        "kind": kind,
        "language": language,
        "registration": _fields(registration),
        "ticket_type": _fields(registration.ticket_type),
        "edition": _fields(edition),
    }
    if kind == "letter":
        source["letter"] = _fields(_related(registration, "visa_letter", VisaLetter.DoesNotExist))
        source["passport"] = _fields(
            _related(registration, "passport", PassportDetails.DoesNotExist)
        )
        source["letterhead"] = _fields(
            _related(edition, "registration_settings", RegistrationSettings.DoesNotExist)
        )
    digest = hashlib.sha256(
        json.dumps(source, cls=DjangoJSONEncoder, sort_keys=True, default=str).encode()
    ).hexdigest()[:32]
    return f"{FOLDER}/{registration.pk}/{kind}-{language}-{digest}.pdf"


def stored_document(registration: Registration, kind: str, language: str) -> str | None:
    """The name of the document's current file, or None while it is not rendered."""
    name = document_name(registration, kind, language)
    return name if private_storage().exists(name) else None


def _render(registration: Registration, kind: str, language: str) -> bytes:
    from registration.documents.pdf.badges import render_badge
    from registration.documents.pdf.certificates import render_certificate
    from registration.documents.pdf.letters import render_visa_letter
    from registration.documents.pdf.receipts import render_receipt

    if kind == "badge":
        return render_badge(registration, language=language)
    if kind == "letter":
        return render_visa_letter(registration.visa_letter, language=language)
    if kind == "receipt":
        return render_receipt(registration, language=language)
    if kind == "certificate":
        return render_certificate(registration, language=language)
    raise ValueError(kind)


def prepared_document(registration, kind: str, language: str) -> str | None:
    """The stored file of the document, or None after starting its render in a task (once:
    a lock in the shared cache). With eager tasks (the embedded default) the render happens
    here and the file is returned."""
    from registration.documents.tasks import task_render_participant_document

    name = stored_document(registration, kind, language)
    if name is None:
        lock = document_name(registration, kind, language)
        start_render_once(
            lock,
            lambda: task_render_participant_document.delay(
                registration_id=registration.pk, kind=kind, language=language, lock=lock
            ),
        )
        name = stored_document(registration, kind, language)
    return name


def render_participant_document(*, registration_id: int, kind: str, language: str) -> str | None:
    """Render the document as the registration stands now and store it; remove its older
    files. Returns the stored name (None when the registration is gone).

    Side effects: writes one file of the private storage, deletes stale ones of the same kind
    and language."""
    registration = (
        Registration.objects.select_related("edition", "ticket_type", "visa_letter__registration")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return None
    name = document_name(registration, kind, language)
    if not private_storage().exists(name):
        save_private(name, _render(registration, kind, language))
    delete_private(*siblings(name, prefix=f"{kind}-{language}-"))
    return name


def delete_participant_documents(registration_ids) -> int:
    """Remove every stored document of these registrations (passport details erased…).
    Returns how many files were removed."""
    storage = private_storage()
    removed = 0
    for pk in registration_ids:
        folder = f"{FOLDER}/{pk}"
        if not storage.exists(folder):
            continue
        _dirs, files = storage.listdir(folder)
        delete_private(*(f"{folder}/{file}" for file in files))
        removed += len(files)
    return removed
