"""Core's log records reach Python's logging: levels, fields, no secrets, cheap when off."""

from __future__ import annotations

import logging
import time

import opcorp


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def wait_for(handler: Collect, predicate, seconds: float = 5.0) -> list[logging.LogRecord]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [r for r in handler.records if predicate(r)]
        if found:
            return found
        time.sleep(0.02)
    return []


def test_debug_records_carry_route_status_and_request_id(emulator) -> None:
    logger = logging.getLogger("opcorp")
    handler = Collect()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        client = opcorp.Client(**emulator.client_kwargs())
        client.accounts()
        answered = wait_for(handler, lambda r: r.getMessage().startswith("attempt answered"))
        assert answered, [r.getMessage() for r in handler.records]
        record = answered[0]
        assert record.name == "opcorp.engine.execute"
        assert record.levelno == logging.DEBUG
        assert record.opcorp_fields["route"] == "accounts"
        assert record.opcorp_fields["status"] == "200"
        assert len(record.opcorp_fields["request_id"]) >= 32
        secret = emulator.identity["clientSecret"]
        for r in handler.records:
            text = r.getMessage()
            assert secret not in text
            assert "Bearer " not in text and "PRIVATE KEY" not in text
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
        opcorp.refresh_logging()


def test_nothing_below_the_logger_level(emulator) -> None:
    logger = logging.getLogger("opcorp")
    handler = Collect()
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    try:
        client = opcorp.Client(**emulator.client_kwargs())
        client.accounts()
        time.sleep(0.2)
        assert not [r for r in handler.records if r.levelno < logging.WARNING]
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
        opcorp.refresh_logging()
