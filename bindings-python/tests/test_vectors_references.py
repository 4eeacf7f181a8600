"""Replays tests/vectors/references.json."""

from __future__ import annotations

import pytest

import opcorp
from vectors import load

V = load("references.json")


def test_valid_references_normalize_and_group() -> None:
    for case in V["valid"]:
        assert opcorp.reference_normalize(case["input"]) == case["normalized"], case
        assert opcorp.reference_grouped(case["input"]) == case["grouped"], case


def test_invalid_references_raise_invalid_input() -> None:
    for case in V["invalid"]:
        with pytest.raises(opcorp.InvalidInputError):
            opcorp.reference_normalize(case["input"])


def test_generate() -> None:
    for case in V["generate"]:
        assert opcorp.reference_generate(case["base"]) == case["reference"], case
    for case in V["generate_invalid"]:
        with pytest.raises(opcorp.InvalidInputError):
            opcorp.reference_generate(case["base"])
