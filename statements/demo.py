"""The demo statement of commitment of AFSE 2009 Tokyo (filled in with the statement domain)."""

from forum.models import Edition


def build_demo_statement(edition: Edition) -> bool:
    """Add the demo statement, its versions, comments and signatories; True if created."""
    return False
