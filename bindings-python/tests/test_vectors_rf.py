"""Replays tests/vectors/rf.json."""

from __future__ import annotations

import pytest

import opcorp
from vectors import load

V = load("rf.json")


def test_generate_and_convert() -> None:
    for case in V["generate"]:
        assert opcorp.rf_generate(case["body"]) == case["rf"], case
    for case in V["generate_invalid"]:
        with pytest.raises(opcorp.InvalidInputError):
            opcorp.rf_generate(case["body"])
    for case in V["from_finnish"]:
        assert opcorp.rf_from_finnish(case["finnish"]) == case["rf"], case
    for case in V["to_finnish"]:
        assert opcorp.rf_to_finnish(case["rf"]) == case["finnish"], case


def test_malformed_rf_references_raise_invalid_input() -> None:
    for case in V["invalid"]:
        with pytest.raises(opcorp.InvalidInputError):
            opcorp.rf_to_finnish(case["input"])
