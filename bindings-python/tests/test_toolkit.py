"""The domain toolkit: references, RF, IBAN, BIC, barcodes, signing, keys."""

from __future__ import annotations

import base64
import datetime
import json
from decimal import Decimal

import pytest

import opcorp


def test_references() -> None:
    assert opcorp.reference_generate("123") == "1232"
    assert opcorp.reference_normalize(" 00000000000000001232 ") == "1232"
    assert opcorp.reference_grouped("1234561") == "12 34561"
    rf = opcorp.rf_from_finnish("1232")
    assert rf.startswith("RF") and opcorp.reference_normalize(rf.lower()) == rf
    assert opcorp.rf_generate("539007547034") == "RF18539007547034"
    for bad in ["1234", "", "RF00123", "12a"]:
        with pytest.raises(opcorp.InvalidInputError):
            opcorp.reference_normalize(bad)


def test_iban_and_bic() -> None:
    assert opcorp.iban_normalize("fi49 5000 9420 0287 30") == "FI4950009420028730"
    assert opcorp.iban_grouped("FI4950009420028730") == "FI49 5000 9420 0287 30"
    assert opcorp.bic_for_iban("FI4950009420028730") == "OKOYFIHH"
    assert opcorp.bic_normalize("okoyfihh") == "OKOYFIHH"
    with pytest.raises(opcorp.InvalidInputError):
        opcorp.iban_normalize("FI4950009420028731")


def test_barcode_round_trip() -> None:
    code = opcorp.barcode_encode("FI4950009420028730", Decimal("482.99"), "1232", datetime.date(2025, 6, 30))
    assert len(code) == 54 and code[0] == "4"
    decoded = opcorp.barcode_decode(code)
    assert decoded == {
        "iban": "FI4950009420028730",
        "amount": Decimal("482.99"),
        "reference": "1232",
        "due_date": datetime.date(2025, 6, 30),
        "version": 4,
    }
    with pytest.raises(opcorp.InvalidInputError):
        opcorp.barcode_encode("FI4950009420028730", 4.5, "1232")


def test_sign_detached_verifies_with_public_key() -> None:
    key = opcorp.generate_key_and_csr("Demo Oy", bits=2048)
    body = b'{"amount":"1.00"}'
    sig = opcorp.sign_detached(body, key.private_key_pem, "kid-1", iat=1700000000)
    header_b64, empty, signature = sig.split(".")
    assert empty == ""
    header = json.loads(base64.urlsafe_b64decode(header_b64 + "=="))
    assert header["alg"] == "RS256" and header["kid"] == "kid-1" and header["b64"] is False
    assert opcorp.public_key_pem(key.private_key_pem).startswith("-----BEGIN PUBLIC KEY-----")
    try:
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding
    except ImportError:
        return
    public = serialization.load_pem_public_key(opcorp.public_key_pem(key.private_key_pem).encode())
    public.verify(
        base64.urlsafe_b64decode(signature + "=="),
        header_b64.encode() + b"." + body,
        padding.PKCS1v15(),
        hashes.SHA256(),
    )


def test_bad_key_inputs() -> None:
    with pytest.raises(opcorp.ConfigError):
        opcorp.sign_detached(b"x", "not a key", "kid")
    with pytest.raises(opcorp.InvalidInputError):
        opcorp.generate_key_and_csr("x", bits=1024)


def test_deprecated_names_warn_and_equal_the_shared_names() -> None:
    pairs = [
        (opcorp.finnish_reference, opcorp.reference_generate, "123"),
        (opcorp.rf_reference, opcorp.rf_generate, "539007547034"),
        (opcorp.validate_reference, opcorp.reference_normalize, "1232"),
        (opcorp.format_reference, opcorp.reference_grouped, "1234561"),
        (opcorp.validate_iban, opcorp.iban_normalize, "fi2112345600000785"),
        (opcorp.format_iban, opcorp.iban_grouped, "FI2112345600000785"),
        (opcorp.validate_bic, opcorp.bic_normalize, "okoyfihh"),
    ]
    for old, new, arg in pairs:
        with pytest.warns(DeprecationWarning, match=new.__name__):
            assert old(arg) == new(arg)
