"""The lazy report: ReconcileItems / ReconcileItem read the same values as to_dict(), and
columns() / to_pandas() hand the same data over by column, money kept exact."""

from __future__ import annotations

import datetime
import decimal
import gc
from collections.abc import Mapping, Sequence
from decimal import Decimal

import pytest

import opcorp
from vectors import load, plain

V = load("reconcile.json")

ITEMS = [
    {"id": "A", "reference": "1232", "amount": "10.00", "due_date": "2026-01-31"},
    {"id": "B", "reference": "12454", "amount": "10.00"},
    {"id": "C", "reference": "123453", "amount": "10.00"},
    {"id": "D", "reference": "1245", "amount": "7.50"},
    {"id": "E", "reference": "1258", "amount": "3.00"},
]
PAYMENTS = [
    {"id": "1", "reference": "1232", "amount": "4.00"},
    {"id": "2", "reference": "12454", "amount": "12.00"},
    {"id": "3", "reference": "123453", "amount": "10.00"},
    {"id": "4", "reference": "123453", "amount": "10.00"},
    {"id": "5", "reference": "1245", "amount": "7.50"},
    {"id": "5", "reference": "1245", "amount": "7.50"},
]


def _report() -> opcorp.ReconcileReport:
    return opcorp.reconcile(ITEMS, PAYMENTS)


def test_items_read_like_the_dicts_of_to_dict() -> None:
    for case in V["cases"]:
        report = opcorp.reconcile(case["items"], case["payments"])
        expected = report.to_dict()["items"]
        assert len(report.items) == len(expected), case["name"]
        for item, want in zip(report.items, expected):
            assert item == want and want == item.to_dict(), case["name"]
            assert list(item.keys()) == list(want.keys()), case["name"]
            assert dict(item) == want and len(item) == len(want)
        assert plain([i.to_dict() for i in report.items]) == case["report"]["items"]


def test_items_are_a_sequence_of_mappings() -> None:
    items = _report().items
    assert isinstance(items, Sequence) and isinstance(items[0], Mapping)
    assert [i["id"] for i in items] == ["A", "B", "C", "D", "E"]
    assert items[-1]["id"] == "E" and [i.id for i in items[1:4:2]] == ["B", "D"]
    with pytest.raises(IndexError):
        items[5]
    with pytest.raises(IndexError):
        items[-6]
    a, b, c, d, e = items
    assert (a.status, a.remaining, a.excess) == ("partially_paid", Decimal("6.00"), None)
    assert a["due_date"] == datetime.date(2026, 1, 31) and b.due_date is None
    assert (b.status, b["excess"], b.received) == ("overpaid", Decimal("2.00"), Decimal("12.00"))
    assert (c.status, c.covering_payments, c.excess, c.payment_ids) == ("paid_twice", 2, Decimal("10.00"), ["3", "4"])
    assert (d.status, d.payment_ids) == ("paid", ["5"])
    assert (e.status, e.get("remaining", "none"), "remaining" in e) == ("unpaid", "none", False)
    with pytest.raises(KeyError):
        e["remaining"]
    assert "ReconcileItem(" in repr(a) and "len=5" in repr(items)


def test_columns_hold_every_item_exactly() -> None:
    report = _report()
    rows = report.to_dict()["items"]
    columns = report.columns()
    assert list(columns) == [
        "id", "reference", "amount", "currency", "due_date", "received", "status",
        "remaining", "excess", "covering_payments", "payment_ids",
    ]
    for name, values in columns.items():
        assert values == [row.get(name) for row in rows], name
    cents = report.columns(money="cents")
    assert cents["amount"] == [1000, 1000, 1000, 750, 300]
    assert cents["received"] == [400, 1200, 2000, 750, 0]
    assert cents["remaining"] == [600, None, None, None, None]
    assert all(type(v) is int for v in cents["amount"])
    with pytest.raises(opcorp.InvalidInputError, match="money"):
        report.columns(money="float")


def test_amounts_keep_their_digits_and_exponent_whatever_the_callers_context() -> None:
    big = "79228162514264337593543950.335"  # rust_decimal's largest value, 29 digits
    items = [
        {"id": "X", "reference": "1232", "amount": big},
        {"id": "Y", "reference": "12454", "amount": "10.50"},
        {"id": "Z", "reference": "123453", "amount": "0.0000001"},
    ]
    with decimal.localcontext() as context:
        context.prec = 2
        context.traps[decimal.Inexact] = context.traps[decimal.Rounded] = True
        report = opcorp.reconcile(items, [{"id": "1", "reference": "12454", "amount": "3.10"}])
        amounts = [(str(i.amount), str(i.received)) for i in report.items]
        assert not context.flags[decimal.Inexact] and not context.flags[decimal.Rounded]
    assert amounts == [(big, "0"), ("10.50", "3.10"), ("1E-7", "0")]
    assert report.items[0].amount.as_tuple() == Decimal(big).as_tuple()


def test_cents_refuse_amounts_they_cannot_hold() -> None:
    report = opcorp.reconcile([{"id": "X", "reference": "1232", "amount": "1.005"}], [])
    assert report.columns()["amount"] == [Decimal("1.005")]
    with pytest.raises(opcorp.InvalidInputError, match="item 0 amount"):
        report.columns(money="cents")


def test_columns_and_to_dict_leave_the_garbage_collector_as_they_found_it() -> None:
    # Both pause the cyclic collector while they build (a million payment-id lists set it
    # off again and again); it must come back on, after an error too, and stay off if off.
    report = _report()
    bad = opcorp.reconcile([{"id": "X", "reference": "1232", "amount": "1.005"}], [])
    assert gc.isenabled()
    report.columns()
    report.to_dict()
    assert gc.isenabled()
    with pytest.raises(opcorp.InvalidInputError):
        bad.columns(money="cents")
    assert gc.isenabled()
    gc.disable()
    try:
        report.columns()
        report.to_dict()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_to_pandas_keeps_money_exact() -> None:
    pytest.importorskip("pandas")
    frame = _report().to_pandas()
    assert list(frame["id"]) == ["A", "B", "C", "D", "E"]
    assert frame["amount"].map(type).eq(Decimal).all()
    assert _report().to_pandas(money="cents")["received"].tolist() == [400, 1200, 2000, 750, 0]


def test_inputs_may_be_generators() -> None:
    streamed = opcorp.reconcile((i for i in ITEMS), (p for p in PAYMENTS))
    assert streamed.to_dict() == _report().to_dict()
    reconciler = opcorp.Reconciler(iter(ITEMS))
    for payment in PAYMENTS:
        reconciler.push(payment)
    assert reconciler.finish().to_dict() == _report().to_dict()
