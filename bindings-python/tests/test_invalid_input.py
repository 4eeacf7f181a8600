"""Wrong types and text that has no UTF-8 form are the SDK's InvalidInputError naming the
argument, never a bare TypeError or UnicodeEncodeError."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import opcorp

PAYMENT = dict(
    debtor_name="Esimerkki Oy",
    debtor_iban="FI3859991620004143",
    creditor_name="Toimittaja Oy",
    creditor_iban="FI2112345600000785",
    amount=Decimal("12.50"),
    message="Lasku 42",
)
REFUND = dict(
    archive_id="20260105593497O10004",
    amount="12.50",
    message="Palautus",
    account_iban="FI3859991620004143",
    transaction_date="2026-01-05",
)


def _raises_invalid(field: str, build: Any, **kwargs: Any) -> None:
    with pytest.raises(opcorp.InvalidInputError) as raised:
        build(**kwargs)
    assert raised.value.code == "INVALID_INPUT"
    assert field in str(raised.value), str(raised.value)


@pytest.mark.parametrize("amount", [True, False, 1.5, None, [1], b"12.50", object()])
def test_amount_of_a_wrong_type(amount: Any) -> None:
    _raises_invalid("amount", opcorp.PaymentRequest, **{**PAYMENT, "amount": amount})
    _raises_invalid("amount", opcorp.RefundRequest, **{**REFUND, "amount": amount})


@pytest.mark.parametrize("field", ["message", "creditor_name", "debtor_name", "creditor_iban"])
def test_lone_surrogate_in_payment_text(field: str) -> None:
    _raises_invalid(field, opcorp.PaymentRequest, **{**PAYMENT, field: "Lasku \ud800 42"})


def test_lone_surrogate_and_wrong_types_in_refund_text() -> None:
    _raises_invalid("message", opcorp.RefundRequest, **{**REFUND, "message": "x\udfff"})
    _raises_invalid("archive_id", opcorp.RefundRequest, **{**REFUND, "archive_id": 123})
    _raises_invalid("reference", opcorp.PaymentRequest, **{**PAYMENT, "message": None, "reference": 1232})


def test_invalid_input_is_still_a_value_error() -> None:
    with pytest.raises(ValueError):
        opcorp.PaymentRequest(**{**PAYMENT, "amount": "1e3"})


def test_valid_text_still_works() -> None:
    request = opcorp.PaymentRequest(**{**PAYMENT, "message": "Kiitos 🚚 ÅÄÖ"})
    assert request.amount == Decimal("12.50")
