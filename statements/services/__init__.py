"""The writes every concern of the statement shares: its workflow (states), versions and
notifications; each concern package holds its own (discussion.services, committee.services…).
Each refusal raises `ActionRefusedError` (defined here) with a message for the person."""


class ActionRefusedError(Exception):
    """The action is not allowed; `message` says why, in the person's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PermissionRefusedError(ActionRefusedError):
    """The person may not do this at all (as opposed to: not now, or not with this input)."""
