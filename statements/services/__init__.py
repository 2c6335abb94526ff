"""Every write of the statement of commitment: workflow, versions, discussion, moderation,
notifications. Each refusal raises `ActionRefusedError` with a message for the person."""


class ActionRefusedError(Exception):
    """The action is not allowed; `message` says why, in the person's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PermissionRefusedError(ActionRefusedError):
    """The person may not do this at all (as opposed to: not now, or not with this input)."""
