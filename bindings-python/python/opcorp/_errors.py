"""Exception classes of opcorp: one base class and one subclass per core error kind.

The Rust extension picks the class by the error's kind and sets the attributes below; the
mapping is exhaustive (``opcorp._native._error_kinds()`` lists it).
"""

from __future__ import annotations

import builtins
from typing import Optional

__all__ = [
    "OpcorpError",
    "AuthError",
    "ForbiddenError",
    "TlsError",
    "RateLimitedError",
    "TimeoutError",
    "NetworkError",
    "InvalidInputError",
    "RejectedError",
    "NotFoundError",
    "ConflictError",
    "ServerError",
    "DecodeError",
    "SignatureError",
    "ConfigError",
    "UnknownOutcomeError",
    "ClockSkewError",
    "PayeeMismatchError",
]


class OpcorpError(Exception):
    """Base class of every opcorp error.

    Attributes: ``code`` (stable string such as ``"RATE_LIMITED"``), ``message``, ``status``
    (HTTP status or None), ``request_id`` (the X-Request-ID sent, or None), ``retryable``,
    ``retry_after`` (seconds or None), ``body_snippet`` (redacted) and ``pending`` (a
    ``PendingOperation`` for UNKNOWN_OUTCOME, else None).
    """

    code: str = "UNKNOWN"
    message: str = ""
    status: Optional[int] = None
    request_id: Optional[str] = None
    retryable: bool = False
    retry_after: Optional[float] = None
    body_snippet: Optional[str] = None
    pending: object = None


class AuthError(OpcorpError):
    """OAuth2 failed or the bank answered 401 even after a token refresh (``AUTH``)."""


class ForbiddenError(OpcorpError):
    """The bank refused the operation for these credentials, HTTP 403 (``FORBIDDEN``)."""


class TlsError(OpcorpError):
    """TLS handshake or certificate problem (``TLS``)."""


class RateLimitedError(OpcorpError):
    """HTTP 429 after the retry policy gave up (``RATE_LIMITED``)."""


class TimeoutError(OpcorpError, builtins.TimeoutError):  # noqa: A001 - opcorp.TimeoutError
    """A connect, read or total deadline passed (``TIMEOUT``)."""


class NetworkError(OpcorpError):
    """Connection refused, reset, DNS failure or another transport error (``NETWORK``)."""


class InvalidInputError(OpcorpError, ValueError):
    """Input rejected locally before any network call (``INVALID_INPUT``)."""


class RejectedError(OpcorpError):
    """The bank rejected the request as invalid, HTTP 400/422 (``REJECTED``)."""


class NotFoundError(OpcorpError):
    """The resource does not exist, HTTP 404 (``NOT_FOUND``)."""


class ConflictError(OpcorpError):
    """The request conflicts with an earlier one, HTTP 409 (``CONFLICT``)."""


class ServerError(OpcorpError):
    """The bank failed, HTTP 5xx, after the retry policy gave up (``SERVER``)."""


class DecodeError(OpcorpError):
    """The response could not be decoded (``DECODE``)."""


class SignatureError(OpcorpError):
    """Signing failed locally or the bank rejected the signature (``SIGNATURE``)."""


class ConfigError(OpcorpError):
    """The client configuration is invalid (``CONFIG``)."""


class UnknownOutcomeError(OpcorpError):
    """A payment or refund was sent but its outcome is unknown (``UNKNOWN_OUTCOME``).

    ``pending`` holds the operation; ``Client.resolve(err.pending)`` resends the same bytes,
    which cannot pay twice.
    """


class ClockSkewError(OpcorpError):
    """The local clock differs too much from the bank's (``CLOCK_SKEW``)."""


class PayeeMismatchError(OpcorpError):
    """Verification of Payee stopped a payment before it was signed (``PAYEE_MISMATCH``)."""
