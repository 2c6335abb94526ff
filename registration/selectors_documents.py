"""The documents a participant can download from "My registration".

A placeholder on the reg-core branch: helper rd's version (branch reg-docs: badge, visa letter,
receipt, certificate) replaces this module when the lead merges them. Each document is a dict
with "title" and "url".
"""

from registration.models import Registration


def documents_for(registration: Registration) -> list[dict]:
    """The documents ready for this registration (none until reg-docs is merged)."""
    return []
