"""Watcher with acknowledgement (blocking and async), reconciliation, DataFrames."""

from __future__ import annotations

import asyncio
import datetime
from decimal import Decimal

import pytest

import opcorp


def _incoming(emulator, iban: str, amount: str, reference: str) -> dict:
    return emulator.admin(
        "POST", "/incoming", {"accountIban": iban, "amount": amount, "reference": reference, "debtorName": "Asiakas Oy"}
    )


def test_watch_delivers_and_acknowledged_is_not_redelivered(client: opcorp.Client, emulator, tmp_path) -> None:
    account = client.accounts()[2]
    checkpoint = tmp_path / "cp.json"
    watcher = client.watch([account.surrogate_id], checkpoint_file=checkpoint, poll_interval=0.1)
    assert isinstance(watcher, opcorp.Watcher)
    first = _incoming(emulator, account.iban, "11.00", "1232")
    second = _incoming(emulator, account.iban, "12.00", "1245")
    got = [watcher.next(timeout=10), watcher.next(timeout=10)]
    assert all(isinstance(d, opcorp.Delivery) for d in got)
    assert {d.transaction.archive_id for d in got} == {first["archiveId"], second["archiveId"]}
    assert got[0].account == account.surrogate_id
    assert isinstance(got[0].detected_at, datetime.datetime)
    watcher.ack(got[0])  # only the first is acknowledged
    watcher.close()
    assert checkpoint.exists()
    restarted = client.watch([account.surrogate_id], checkpoint_file=checkpoint, poll_interval=0.1)
    again = restarted.next(timeout=10)
    assert again is not None and again.object_id == got[1].object_id
    restarted.ack(again)
    assert restarted.next(timeout=0.5) is None
    restarted.close()


def test_watch_async(emulator) -> None:
    async def main() -> None:
        client = opcorp.AsyncClient(**emulator.client_kwargs())
        account = (await client.accounts())[1]
        watcher = client.watch([account.surrogate_id], poll_interval=0.1)
        sent = _incoming(emulator, account.iban, "5.55", "1232")
        async for delivery in watcher:
            assert delivery.transaction.amount == Decimal("5.55")
            assert delivery.transaction.archive_id == sent["archiveId"]
            await watcher.ack_async(delivery)
            break
        watcher.close()

    asyncio.run(asyncio.wait_for(main(), 30))


def test_watch_bad_settings(client: opcorp.Client) -> None:
    with pytest.raises(opcorp.InvalidInputError):
        client.watch([])
    with pytest.raises(opcorp.InvalidInputError):
        client.watch(["a"], start_from="yesterday")


def test_reconcile_with_transactions_and_dicts(client: opcorp.Client, emulator) -> None:
    account = client.accounts()[0]
    items = [
        {"id": "INV-1", "reference": opcorp.reference_generate("900001"), "amount": Decimal("100.00")},
        {"id": "INV-2", "reference": opcorp.reference_generate("900002"), "amount": "50.00", "currency": "EUR"},
        {"id": "INV-3", "reference": opcorp.rf_from_finnish(opcorp.reference_generate("900003")), "amount": 20},
    ]
    _incoming(emulator, account.iban, "100.00", items[0]["reference"])
    _incoming(emulator, account.iban, "20.00", items[1]["reference"])
    txs = client.transactions(account.surrogate_id, from_date=datetime.date.today()).to_list()
    report = opcorp.reconcile(items, txs + [{"id": "manual", "reference": "900003" + "4", "amount": "1"}])
    assert isinstance(report, opcorp.ReconcileReport)
    by_id = {i["id"]: i for i in report.items}
    assert by_id["INV-1"]["status"] == "paid" and by_id["INV-1"]["received"] == Decimal("100.00")
    assert by_id["INV-2"]["status"] == "partially_paid"
    assert by_id["INV-2"]["remaining"] == Decimal("30.00")
    assert by_id["INV-3"]["status"] == "unpaid"
    assert isinstance(report.totals["paid"], int)
    assert report.to_dict()["totals"] == report.totals
    with pytest.raises(opcorp.InvalidInputError):
        opcorp.reconcile([{"id": "x", "reference": "1234", "amount": "1"}], [])
    with pytest.raises(opcorp.InvalidInputError):
        opcorp.reconcile([{"id": "x", "reference": "1232", "amount": 1.5}], [])


def test_streaming_reconciler() -> None:
    reconciler = opcorp.Reconciler([{"id": "A", "reference": "1232", "amount": "10.00"}])
    event = reconciler.push({"id": "p1", "reference": "00000000000000001232", "amount": "10.00"})
    assert event["event"] == "matched" and event["item_id"] == "A"
    assert reconciler.push({"id": "p1", "reference": "1232", "amount": "10.00"})["event"] == "duplicate"
    report = reconciler.finish()
    assert report.items[0]["status"] == "paid"
    with pytest.raises(opcorp.InvalidInputError):
        reconciler.finish()


def test_dataframe(client: opcorp.Client) -> None:
    pd = pytest.importorskip("pandas")
    account = client.accounts()[0]
    frame = opcorp.to_dataframe(client.transactions(account.surrogate_id))
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) >= 2500
    assert isinstance(frame["amount"].iloc[0], Decimal)
    assert {"object_id", "archive_id", "booking_date", "reference"} <= set(frame.columns)
