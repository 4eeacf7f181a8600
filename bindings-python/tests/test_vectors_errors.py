"""Replays tests/vectors/errors.json through ``opcorp.status_error``."""

from __future__ import annotations

import opcorp
from vectors import load

V = load("errors.json")


def test_responses_map_to_codes() -> None:
    for case in V["responses"]:
        err = opcorp.status_error(case["status"], case["body"].encode(), "rid-1")
        assert isinstance(err, opcorp.OpcorpError)
        assert err.code == case["code"], case
        assert err.status == case["status"], case
        assert err.message == case["message"], case
        assert err.request_id == "rid-1"
