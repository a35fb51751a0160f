"""Errors a service raises for a person to read: pages show them, the API returns 400/409."""


class ServiceError(Exception):
    """A refused request with a plain-words reason, optionally naming the field at fault."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Conflict(ServiceError):
    """Someone else changed the same thing first."""

    status_code = 409


class NotAllowed(ServiceError):
    """The person may see the thing but not do this to it."""

    status_code = 403
