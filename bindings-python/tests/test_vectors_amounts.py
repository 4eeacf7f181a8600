"""Replays the shared money vectors (tests/vectors/amounts.json) through the Python binding:
payment and refund amounts by core's strict input rule (before any network call), and the
bank's amounts read leniently but exactly from a real emulator answer."""

from __future__ import annotations

import json
import pathlib
from decimal import Decimal
from typing import Any, Dict, List

import pytest

import opcorp

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors" / "amounts.json"
# JSON numbers load as floats, which the binding refuses as money (they are not exact).
DATA = json.loads(VECTORS.read_text(encoding="utf-8"))


def _cases(section: str) -> List[Dict[str, Any]]:
    return DATA[section]


def _payment(amount: Any) -> opcorp.PaymentRequest:
    return opcorp.PaymentRequest(
        debtor_name="Esimerkki Oy",
        debtor_iban="FI3859991620004143",
        creditor_name="Toimittaja Oy",
        creditor_iban="FI2112345600000785",
        amount=amount,
        reference="RF18539007547034",
        instruction_id="VEC1",
    )


def _refund(amount: Any) -> opcorp.RefundRequest:
    return opcorp.RefundRequest(
        archive_id="20260105593497O10004",
        amount=amount,
        message="Palautus",
        account_iban="FI3859991620004143",
        transaction_date="2026-01-05",
    )


@pytest.mark.parametrize("case", _cases("input"), ids=lambda c: c["name"])
def test_strict_input(case: Dict[str, Any], client: opcorp.Client) -> None:
    amount = case["input"]
    if "payment" in case:
        pending = client.prepare_payment(_payment(amount))
        assert json.loads(pending.body)["instructedAmount"]["amount"] == case["payment"]
        refund = client.prepare_refund(_refund(amount))
        assert json.loads(refund.body)["amount"] == case["payment"]
        # A Decimal of the same text is read by the same rule.
        if isinstance(amount, str):
            assert _payment(Decimal(amount)).amount == Decimal(case["payment"])
    else:
        for build in (_payment, _refund):
            with pytest.raises(opcorp.InvalidInputError) as raised:
                build(amount)
            assert raised.value.code == case["error"]
            assert "amount" in str(raised.value)


@pytest.mark.parametrize("case", _cases("response"), ids=lambda c: c["name"])
def test_lenient_response(case: Dict[str, Any], emulator, client: opcorp.Client) -> None:
    balance = case["input"]
    account = {"iban": "FI3859991620004143", "balance": balance, "currency": "EUR", "surrogateId": "v1"}
    body = json.dumps([account])
    emulator.fault("accounts", {"type": "status", "status": 200, "body": body, "content_type": "application/json"})
    if "value" in case:
        got = client.accounts()[0].balance
        assert isinstance(got, Decimal)
        assert str(got) == case["value"]
    else:
        with pytest.raises(opcorp.OpcorpError) as raised:
            client.accounts()
        assert raised.value.code == case["error"]
