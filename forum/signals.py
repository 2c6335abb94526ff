"""Signals of the core domain, for the apps built on it (the core never imports them)."""

from django.dispatch import Signal

# Sent by `forum.services.create_edition` with `edition`, inside its transaction: the site
# (cms) creates the edition's pages.
edition_created = Signal()
