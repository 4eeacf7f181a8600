"""Replays tests/vectors/iban_bic.json."""

from __future__ import annotations

import pytest

import opcorp
from vectors import load

V = load("iban_bic.json")


def test_ibans() -> None:
    for case in V["ibans"]:
        assert opcorp.iban_normalize(case["input"]) == case["normalized"], case
        assert opcorp.iban_grouped(case["input"]) == case["grouped"], case
        assert opcorp.bic_for_iban(case["input"]) == case["bic"], case
    for case in V["ibans_invalid"]:
        with pytest.raises(opcorp.InvalidInputError):
            opcorp.iban_normalize(case["input"])


def test_bics() -> None:
    for case in V["bics"]:
        assert opcorp.bic_normalize(case["input"]) == case["normalized"], case
    for case in V["bics_invalid"]:
        with pytest.raises(opcorp.InvalidInputError):
            opcorp.bic_normalize(case["input"])
