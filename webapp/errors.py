"""Domain errors raised by services and turned into one error shape by the web layer."""

from __future__ import annotations


class PortalError(Exception):
    """Base class: `status` is the HTTP status the web layer answers with."""

    status = 400

    def __init__(self, message: str, **detail: object) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        # Response headers that belong to the refusal (WWW-Authenticate, Retry-After).
        self.headers: dict[str, str] = {}


class NotFound(PortalError):
    status = 404


class InvalidInput(PortalError):
    """Well-formed input that breaks a rule (a field is missing or has the wrong type)."""

    status = 422


class BadRequest(PortalError):
    """Input that cannot be parsed at all (bad query parameter, invalid JSON)."""

    status = 400


class Conflict(PortalError):
    status = 409


class Forbidden(PortalError):
    status = 403


class Unauthorized(PortalError):
    """Credentials are needed (or the ones sent are wrong): asks for a Bearer token."""

    status = 401

    def __init__(self, message: str, **detail: object) -> None:
        super().__init__(message, **detail)
        self.headers["WWW-Authenticate"] = 'Bearer realm="Lang Portal admin"'


class TooManyRequests(PortalError):
    status = 429

    def __init__(self, message: str, retry_after: int, **detail: object) -> None:
        super().__init__(message, retry_after=retry_after, **detail)
        self.headers["Retry-After"] = str(retry_after)


class ServiceUnavailable(PortalError):
    """The portal cannot do this right now (disk full, database read-only)."""

    status = 503


class UnsupportedMediaType(PortalError):
    status = 415


class PayloadTooLarge(PortalError):
    status = 413
