"""Payments, instant status, refunds, prepare/resolve, filter, payer details."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

import opcorp

CREDITOR = "FI2112345600000785"


def _request(debtor_iban: str, **overrides) -> opcorp.PaymentRequest:
    args = dict(
        debtor_name="Demo Oy",
        debtor_iban=debtor_iban,
        creditor_name="Toimittaja Oy",
        creditor_iban=CREDITOR,
        amount=Decimal("120.50"),
        reference="1232",
    )
    args.update(overrides)
    return opcorp.PaymentRequest(**args)


def test_sepa_payment_is_signed_and_booked(client: opcorp.Client, emulator) -> None:
    debtor = client.accounts()[0].iban
    before = len(emulator.admin("GET", "/ledger"))
    response = client.sepa_payment(_request(debtor))
    assert isinstance(response, opcorp.PaymentResponse)
    assert response.amount == Decimal("120.50")
    assert isinstance(response.status, str) and isinstance(response.archive_id, str)
    assert len(emulator.admin("GET", "/ledger")) == before + 1


def test_instant_payment_and_status(client: opcorp.Client) -> None:
    debtor = client.accounts()[0].iban
    response = client.sepa_instant_payment(_request(debtor, instruction_id="pyinst1", amount="5.00"))
    assert response.amount == Decimal("5.00")
    statuses = client.instant_status("pyinst1")
    assert all(isinstance(s, opcorp.PaymentResponse) for s in statuses)
    with pytest.raises(opcorp.InvalidInputError):
        client.instant_status("not valid!")


def test_prepare_then_resolve_books_once(client: opcorp.Client, emulator) -> None:
    debtor = client.accounts()[0].iban
    pending = client.prepare_payment(_request(debtor, amount=7))
    assert isinstance(pending, opcorp.PendingOperation)
    assert pending.kind == "sepa_payment" and len(pending.id) == 32
    assert b'"7.00"' in pending.body
    restored = opcorp.PendingOperation(pending.kind, pending.id, pending.body)
    assert restored == pending
    before = len(emulator.admin("GET", "/ledger"))
    first = client.resolve(pending)
    second = client.resolve(restored)
    assert first.archive_id == second.archive_id
    assert len(emulator.admin("GET", "/ledger")) == before + 1


def test_lost_answer_gives_unknown_outcome_with_pending(client: opcorp.Client, emulator) -> None:
    debtor = client.accounts()[0].iban
    emulator.fault("sepa_payment", {"type": "reset_after_commit"}, times=None)
    with pytest.raises(opcorp.UnknownOutcomeError) as info:
        client.sepa_payment(_request(debtor, amount="3.33"))
    err = info.value
    assert err.code == "UNKNOWN_OUTCOME"
    assert isinstance(err.pending, opcorp.PendingOperation)
    emulator.admin("DELETE", "/faults")
    before = len(emulator.admin("GET", "/ledger"))
    resolved = client.resolve(err.pending)
    assert resolved.amount == Decimal("3.33")
    assert len(emulator.admin("GET", "/ledger")) == before  # booked once, before the reset


def test_float_amount_is_refused(client: opcorp.Client) -> None:
    with pytest.raises(opcorp.InvalidInputError, match="float"):
        _request("FI4950009420028730", amount=120.5)
    with pytest.raises(opcorp.InvalidInputError):
        _request("FI4950009420028730", amount="12.345")
    with pytest.raises(opcorp.InvalidInputError, match="amount"):
        _request("FI4950009420028730", amount=[1])


def test_invalid_iban_and_reference_are_refused() -> None:
    with pytest.raises(opcorp.InvalidInputError, match="iban"):
        _request("FI0000000000000000")
    with pytest.raises(opcorp.InvalidInputError):
        _request("FI4950009420028730", reference="1234")  # wrong check digit
    with pytest.raises(ValueError):  # InvalidInputError is also a ValueError
        _request("FI4950009420028730", reference=None, message=None)


def test_refund_of_incoming_payment(client: opcorp.Client, emulator) -> None:
    account = client.accounts()[0]
    incoming = emulator.admin(
        "POST",
        "/incoming",
        {"accountIban": account.iban, "amount": "40.00", "reference": "1232", "debtorName": "Asiakas Oy"},
    )
    tx = [t for t in client.transactions(account.surrogate_id) if t.archive_id == incoming["archiveId"]][0]
    request = opcorp.RefundRequest(
        archive_id=tx.archive_id,
        amount=Decimal("15.00"),
        message="Hyvitys",
        account_iban=account.iban,
        transaction_date=tx.booking_date,
    )
    refund = client.refund(request)
    assert isinstance(refund, opcorp.RefundResponse)
    assert isinstance(refund.refund, opcorp.PaymentResponse)
    assert isinstance(refund.original, opcorp.RefundOriginal)
    assert refund.refund.amount == Decimal("15.00")
    assert refund.to_dict()["refund"]["amount"] == Decimal("15.00")
    payer = client.payer_details(account.iban, tx.archive_id)
    assert isinstance(payer, opcorp.PayerDetails)
    # Transaction filter finds it by reference.
    today = datetime.date.today()
    found = client.credit_transactions(
        account.iban, today - datetime.timedelta(days=2), today + datetime.timedelta(days=1), reference="1232"
    )
    assert isinstance(found, opcorp.FilterResult)
    assert any(t.archive_id == tx.archive_id for t in found.transactions)
    debits = client.debit_transactions(account.iban, today - datetime.timedelta(days=2), today)
    assert all(isinstance(t, opcorp.FilteredTransaction) for t in debits.transactions)
    # A range over 30 days is split into 30-day windows by core and the answers merged.
    longer = client.credit_transactions(account.iban, today - datetime.timedelta(days=60), today, reference="1232")
    assert any(t.archive_id == tx.archive_id for t in longer.transactions)
    with pytest.raises(opcorp.InvalidInputError):
        client.credit_transactions(account.iban, today - datetime.timedelta(days=600), today)


def test_prepare_refund_and_resolve(client: opcorp.Client) -> None:
    request = opcorp.RefundRequest(
        archive_id="x123",
        amount="1.00",
        message="m",
        account_iban=client.accounts()[0].iban,
        transaction_date="2024-05-01",
    )
    pending = client.prepare_refund(request)
    assert pending.kind == "refund" and pending.id == "x123"
    with pytest.raises(opcorp.NotFoundError):
        client.resolve(pending)
