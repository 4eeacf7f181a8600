"""The payment outbox through Python: a redelivered intent pays once, a different order
under a used intent is refused, and a lost outcome is settled by drive(), booked once."""

from __future__ import annotations

import asyncio
import datetime
from decimal import Decimal

import pytest

import opcorp

CREDITOR = "FI2112345600000785"


def _payment(debtor_iban: str, amount: str) -> opcorp.PaymentRequest:
    return opcorp.PaymentRequest(
        debtor_name="Demo Oy",
        debtor_iban=debtor_iban,
        creditor_name="Vuokralainen",
        creditor_iban=CREDITOR,
        amount=amount,
        message="Vuokravakuus",
    )


def _booked(emulator, key: str) -> list:
    """Ledger entries of one payment (its instructionId) or refund (the refunded archiveId)."""
    return [e for e in emulator.admin("GET", "/ledger") if e["instructionId"] == key]


def test_a_redelivered_intent_pays_once(client: opcorp.Client, emulator, tmp_path) -> None:
    debtor = client.accounts()[0].iban
    outbox = client.outbox(tmp_path / "outbox.sqlite")
    first = outbox.submit("py:crm:1", payment=_payment(debtor, "41.10"))
    assert isinstance(first, opcorp.OutboxEntry)
    assert (first.intent, first.kind, first.state, first.attempts) == ("py:crm:1", "sepa_payment", "succeeded", 1)
    assert isinstance(first.receipt, opcorp.PaymentResponse)
    assert first.receipt.amount == Decimal("41.10")
    assert first.error_code is None
    booked = _booked(emulator, first.id)
    assert len(booked) == 1 and booked[0]["archiveId"] == first.archive_id
    again = outbox.submit("py:crm:1", payment=_payment(debtor, "41.10"))
    assert again == first
    assert len(_booked(emulator, first.id)) == 1
    assert outbox.get("py:crm:1") == first
    assert outbox.get("py:crm:none") is None
    assert first in outbox.list()
    assert outbox.list(unsettled=True) == []
    text = repr(first)
    assert "py:crm:1" in text and "succeeded" in text and "Vuokravakuus" not in text
    assert first.to_dict()["receipt"]["amount"] == Decimal("41.10")


def test_a_different_order_under_a_used_intent_is_refused(client: opcorp.Client, emulator, tmp_path) -> None:
    debtor = client.accounts()[0].iban
    outbox = client.outbox(tmp_path / "outbox.sqlite")
    first = outbox.submit("py:crm:2", payment=_payment(debtor, "12.00"))
    with pytest.raises(opcorp.ConflictError):
        outbox.submit("py:crm:2", payment=_payment(debtor, "12.01"))
    with pytest.raises(opcorp.ConflictError):
        outbox.submit("py:crm:2", payment=_payment(debtor, "12.00"), instant=True)
    assert len(_booked(emulator, first.id)) == 1


def test_bad_arguments_are_invalid_input(client: opcorp.Client, tmp_path) -> None:
    outbox = client.outbox(tmp_path / "outbox.sqlite")
    request = _payment("FI4950009420028730", "1.00")
    with pytest.raises(opcorp.InvalidInputError, match="exactly one of a payment or a refund"):
        outbox.submit("py:crm:3")
    with pytest.raises(opcorp.InvalidInputError):
        outbox.submit("", payment=request)
    with pytest.raises(opcorp.InvalidInputError):
        outbox.submit("a\nb", payment=request)
    assert outbox.list() == []


def test_a_lost_outcome_is_settled_by_drive(client: opcorp.Client, emulator, tmp_path) -> None:
    debtor = client.accounts()[0].iban
    path = tmp_path / "outbox.sqlite"
    emulator.fault("sepa_payment", {"type": "reset_after_commit"}, times=None)
    entry = client.outbox(path).submit("py:crm:4", payment=_payment(debtor, "7.70"))
    assert entry.state == "unknown" and entry.error_code == "UNKNOWN_OUTCOME"
    assert entry.receipt is None and entry.archive_id is None
    emulator.admin("DELETE", "/faults")
    # A restarted process: a new outbox on the same file.
    restarted = opcorp.Client(**emulator.client_kwargs()).outbox(path)
    assert [e.intent for e in restarted.list(unsettled=True)] == ["py:crm:4"]
    driven = restarted.drive()
    assert [(e.intent, e.state) for e in driven] == [("py:crm:4", "succeeded")]
    booked = _booked(emulator, entry.id)
    assert len(booked) == 1 and booked[0]["archiveId"] == driven[0].archive_id
    assert restarted.drive() == []


def test_a_refund_answered_already_refunded_is_found_booked(client: opcorp.Client, emulator, tmp_path) -> None:
    account = client.accounts()[0]
    incoming = emulator.admin(
        "POST",
        "/incoming",
        {"accountIban": account.iban, "amount": "64.00", "debtorName": "Maksaja", "debtorIban": CREDITOR},
    )
    refund = opcorp.RefundRequest(
        archive_id=incoming["archiveId"],
        amount=Decimal("64.00"),
        message="Palautus",
        account_iban=account.iban,
        transaction_date=datetime.datetime.now(datetime.timezone.utc).date(),
    )
    emulator.fault("refund", {"type": "reset_after_commit"}, times=None)
    outbox = client.outbox(tmp_path / "outbox.sqlite")
    entry = outbox.submit("py:crm:5", refund=refund)
    assert entry.state == "unknown"
    emulator.admin("DELETE", "/faults")
    (settled,) = outbox.drive()
    assert settled.state == "succeeded" and settled.kind == "refund"
    assert isinstance(settled.receipt, opcorp.Transaction)
    assert settled.receipt.amount == Decimal("-64.00")
    booked = _booked(emulator, incoming["archiveId"])
    assert len(booked) == 1 and booked[0]["archiveId"] == settled.archive_id


def test_async_outbox(emulator, tmp_path) -> None:
    async def main() -> None:
        client = opcorp.AsyncClient(**emulator.client_kwargs())
        debtor = (await client.accounts())[0].iban
        outbox = client.outbox(tmp_path / "outbox.sqlite")
        assert isinstance(outbox, opcorp.AsyncOutbox)
        first, second = await asyncio.gather(
            outbox.submit("py:crm:6", payment=_payment(debtor, "3.30")),
            outbox.submit("py:crm:6", payment=_payment(debtor, "3.30")),
        )
        assert first.state == second.state == "succeeded"
        assert first.archive_id == second.archive_id
        assert len(_booked(emulator, first.id)) == 1
        assert await outbox.drive() == []
        assert (await outbox.get("py:crm:6")).archive_id == first.archive_id
        assert len(await outbox.list()) == 1

    asyncio.run(main())
