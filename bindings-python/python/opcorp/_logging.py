"""Core's log records in Python's ``logging``.

Records go to the logger ``opcorp`` and its children named after the core module
(``opcorp.engine.execute``, ``opcorp.auth.oauth``, ...), with the event's fields as text in
``record.opcorp_fields`` and appended to the message (``attempt answered route=accounts
status=200 request_id=... latency_ms=8``). Levels: ``error``, ``warning``, ``info``,
``debug``, and core's ``trace`` as level 5 (named ``TRACE``). No record carries a secret, a
token or a request body.

The SDK reads the ``opcorp`` logger's effective level at import and whenever a client is
built; call :func:`refresh` after changing it for clients that already exist.
"""

from __future__ import annotations

import atexit
import logging

from . import _native

TRACE = 5
logging.addLevelName(TRACE, "TRACE")

_LEVELS = {
    "error": logging.ERROR,
    "warn": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
    "trace": TRACE,
}

_root = logging.getLogger("opcorp")


def _emit(level: str, target: str, message: str, fields: dict[str, str]) -> None:
    number = _LEVELS.get(level, logging.INFO)
    logger = logging.getLogger(target.replace("::", "."))
    if logger.isEnabledFor(number):
        text = " ".join([message, *(f"{key}={value}" for key, value in fields.items())])
        logger.log(number, "%s", text, extra={"opcorp_fields": fields})


def _core_level() -> str:
    effective = _root.getEffectiveLevel()
    for name, number in sorted(_LEVELS.items(), key=lambda item: item[1]):
        if effective <= number:
            return name
    return "off"


def refresh() -> None:
    """Applies the ``opcorp`` logger's current effective level to core's records."""
    _native._set_log_level(_core_level())


def _shutdown() -> None:
    _native._set_log_sink(None, "off")


_native._set_log_sink(_emit, _core_level())
atexit.register(_shutdown)
