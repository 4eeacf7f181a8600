"""Replays tests/vectors/signing.json: exact protected headers of ``sign_detached``."""

from __future__ import annotations

import base64

import pytest

import opcorp
from vectors import load

V = load("signing.json")


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_protected_headers_are_exact() -> None:
    key = opcorp.generate_key_and_csr("vectors", bits=2048).private_key_pem
    for case in V["cases"]:
        jws = opcorp.sign_detached(case["body"].encode(), key, case["kid"], case["iat"])
        header, payload, signature = jws.split(".")
        assert payload == "", "detached"
        assert _b64url(header).decode() == case["protected"], case
        assert len(_b64url(signature)) == 256, "RS256 with a 2048-bit key"
    for case in V["invalid"]:
        with pytest.raises(opcorp.OpcorpError) as raised:
            opcorp.sign_detached(case["body"].encode(), key, case["kid"], case["iat"])
        assert raised.value.code == case["code"]
