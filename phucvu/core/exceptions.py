"""Domain errors: raised by services, mapped to HTTP by the API and to page messages by the views."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the action. `message` is Vietnamese, shown as is."""

    code = "domain_error"
    http_status = 422

    def __init__(self, message: str, *, code: str | None = None, details: object = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details


class InvalidInput(DomainError):
    code = "invalid_input"
    http_status = 422


class BadParameter(InvalidInput):
    """A URL's query parameter (or path part) that cannot be read or is out of range: the page answers
    400; the JSON API answers its documented 422."""

    http_status = 400


class InvalidTransition(DomainError):
    code = "invalid_transition"
    http_status = 422


class NotAllowed(DomainError):
    code = "not_allowed"
    http_status = 403


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class StaleAction(DomainError):
    """Someone else changed the record since the user loaded it: nothing was written."""

    code = "stale_action"
    http_status = 409
