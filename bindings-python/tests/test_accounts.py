"""Accounts, account details, transactions (pagination, resumption) against the emulator."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

import opcorp


def test_accounts_are_typed_with_decimal_balances(client: opcorp.Client, emulator) -> None:
    accounts = client.accounts()
    assert len(accounts) == 3
    admin = {a["surrogateId"]: a for a in emulator.admin("GET", "/accounts")}
    for account in accounts:
        assert isinstance(account, opcorp.Account)
        assert isinstance(account.balance, Decimal)
        assert isinstance(account.surrogate_id, str)
        assert account.iban.startswith("FI")
        d = account.to_dict()
        assert d["iban"] == account.iban and d["balance"] == account.balance
        assert account.surrogate_id in admin
        assert Decimal(str(admin[account.surrogate_id]["balance"])) == account.balance


def test_account_details_have_dates_and_exact_amounts(client: opcorp.Client) -> None:
    first = client.accounts()[0]
    details = client.account(first.surrogate_id)
    assert isinstance(details, opcorp.AccountDetails)
    assert details.iban == first.iban
    assert details.creation_date is None or isinstance(details.creation_date, datetime.date)
    assert details.gross_balance is None or isinstance(details.gross_balance, Decimal)
    assert details == client.account(first.surrogate_id)


def test_unknown_account_is_not_found(client: opcorp.Client) -> None:
    with pytest.raises(opcorp.NotFoundError) as info:
        client.account("no-such-account")
    err = info.value
    assert err.code == "NOT_FOUND" and err.status == 404
    assert isinstance(err.request_id, str) and len(err.request_id) > 10
    assert isinstance(err, opcorp.OpcorpError)


def test_transactions_paginate_over_thousands(client: opcorp.Client) -> None:
    account = client.accounts()[0]
    it = client.transactions(account.surrogate_id, page_size=300)
    assert isinstance(it, opcorp.TransactionIterator)
    txs = list(it)
    assert len(txs) == 2500
    ids = [t.object_id for t in txs]
    assert len(set(ids)) == len(ids)
    stamps = [t.timestamp for t in txs]
    assert stamps == sorted(stamps)
    total = sum((t.amount for t in txs), Decimal(0))
    assert isinstance(total, Decimal)
    for t in txs[:50]:
        assert isinstance(t.booking_date, datetime.date)
        assert isinstance(t.archive_id, str)
    # V2 pages of 150 give the same transactions.
    v2 = client.transactions(account.surrogate_id, version=2).to_list()
    assert [t.object_id for t in v2] == ids
    # "auto" (the default) asks V3 first; the emulator serves it.
    auto = client.transactions(account.surrogate_id, version="auto").to_list()
    assert [t.object_id for t in auto] == ids


def test_transactions_resume_after_object_id(client: opcorp.Client) -> None:
    account = client.accounts()[1]
    all_ids = [t.object_id for t in client.transactions(account.surrogate_id)]
    resumed = [t.object_id for t in client.transactions(account.surrogate_id, after_object_id=all_ids[999])]
    assert resumed == all_ids[1000:]


def test_transactions_bad_arguments(client: opcorp.Client) -> None:
    with pytest.raises(opcorp.InvalidInputError):
        client.transactions("acc", version=4)
    with pytest.raises(opcorp.InvalidInputError):
        client.transactions("acc", version="v9")
    with pytest.raises(opcorp.InvalidInputError):
        list(client.transactions(" "))
    with pytest.raises(opcorp.InvalidInputError):
        client.transactions("acc", from_time=datetime.datetime(2024, 1, 1))  # naive
    with pytest.raises(opcorp.InvalidInputError):
        client.transactions("acc", from_date="2024-13-01")


def test_mandates(client: opcorp.Client) -> None:
    mandates = client.mandates()
    assert isinstance(mandates, list)
    for m in mandates:
        assert isinstance(m, opcorp.Mandate) and isinstance(m.status, str)
