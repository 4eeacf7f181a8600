"""Bank statements (camt.053/054) into reconciliation, and Verification of Payee."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import opcorp

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors" / "camt"


def _invoices() -> list:
    return [
        {"id": "INV-1001", "reference": "100010", "amount": "150.00"},
        {"id": "INV-1004", "reference": "200046", "amount": "150.00"},
    ]


def test_read_statement_from_bytes_and_path_feeds_reconcile() -> None:
    path = VECTORS / "camt053_v02_references.xml"
    from_bytes = opcorp.read_statement(path.read_bytes())
    assert from_bytes == opcorp.read_statement(path)
    assert len(from_bytes) == 7
    first = from_bytes[0]
    assert first["id"] == "20261130593156000001"
    assert first["amount"] == Decimal("150.00")
    assert first["payer_name"] == "Asunto Oy Kuusikko"
    report = opcorp.reconcile(_invoices(), from_bytes)
    statuses = [i["status"] for i in report.items]
    assert statuses == ["paid", "partially_paid"]


def test_broken_control_sum_raises_decode_error() -> None:
    with pytest.raises(opcorp.DecodeError) as info:
        opcorp.read_statement((VECTORS / "camt053_v02_broken_sum.xml").read_bytes())
    assert info.value.code == "DECODE"
    assert "TtlNtries/Sum" in str(info.value)


def test_verify_payee_outcomes(client: opcorp.Client) -> None:
    match = client.verify_payee("FI5110003500012345", "KONE & TERÄ OY")
    assert isinstance(match, opcorp.PayeeVerification)
    assert match.outcome == "MTCH"
    close = client.verify_payee("FI5110003500012345", "Kone & Tero Oy")
    assert (close.outcome, close.matched_name) == ("CMTC", "Kone & Terä Oy")
    assert close.request_id
    with pytest.raises(opcorp.InvalidInputError):
        client.verify_payee("FI5110003500012346", "Kone")
    assert issubclass(opcorp.PayeeMismatchError, opcorp.OpcorpError)
