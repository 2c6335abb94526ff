class CfpError(Exception):
    """A refused action; the message is shown to the person (translated)."""
