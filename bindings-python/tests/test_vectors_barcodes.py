"""Replays tests/vectors/barcodes.json."""

from __future__ import annotations

import pytest

import opcorp
from vectors import load, plain

V = load("barcodes.json")


def test_encode_then_decode() -> None:
    for case in V["encode"]:
        code = opcorp.barcode_encode(case["iban"], case["amount"], case["reference"], case["due_date"])
        assert code == case["barcode"], case
        assert plain(opcorp.barcode_decode(code)) == case["decoded"], case


def test_bad_fields_and_barcodes_raise_invalid_input() -> None:
    for case in V["encode_invalid"]:
        with pytest.raises(opcorp.InvalidInputError):
            opcorp.barcode_encode(case["iban"], case["amount"], case["reference"], case["due_date"])
    for case in V["decode_invalid"]:
        with pytest.raises(opcorp.InvalidInputError):
            opcorp.barcode_decode(case["barcode"])
