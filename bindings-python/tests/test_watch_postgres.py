"""Watcher on the PostgreSQL store (a real server started by test.sh through
scripts/pg-server.sh): two watchers share the accounts of one group, every payment is
delivered, and an acknowledged one is never delivered again."""

from __future__ import annotations

import os
import time
import uuid

import pytest

import opcorp

URL = os.environ.get("OPCORP_TEST_POSTGRES_URL")


@pytest.fixture()
def store_url() -> str:
    if not URL:
        if os.environ.get("CI") == "true":
            pytest.fail("OPCORP_TEST_POSTGRES_URL is not set although CI=true")
        pytest.skip("no PostgreSQL server (OPCORP_TEST_POSTGRES_URL unset): PostgreSQL store tests skip")
    return URL


def _incoming(emulator, iban: str, amount: str) -> str:
    body = {"accountIban": iban, "amount": amount, "reference": "1232", "debtorName": "Asiakas Oy"}
    return emulator.admin("POST", "/incoming", body)["archiveId"]


def _drain(watchers, wanted: set, seconds: float) -> set:
    """Takes deliveries from every watcher, acknowledging each, until `wanted` is seen."""
    seen: set = set()
    deadline = time.monotonic() + seconds
    while not wanted <= seen and time.monotonic() < deadline:
        for w in watchers:
            d = w.next(timeout=0.2)
            if d is None:
                continue
            try:
                w.ack(d)
                seen.add(d.transaction.archive_id)
            except opcorp.ConflictError:
                pass  # the lease moved to the other watcher: it delivers this one again
    return seen


def test_two_watchers_share_a_group_and_never_redeliver(client: opcorp.Client, emulator, store_url) -> None:
    accounts = client.accounts()[:4]
    ids = [a.surrogate_id for a in accounts]
    group = f"py-{uuid.uuid4().hex[:8]}"
    settings = dict(store_url=store_url, store_group=group, lease_ttl=2.0, poll_interval=0.2)
    first = client.watch(ids, store_init=True, **settings)
    second = client.watch(ids, **settings)
    time.sleep(1.0)
    booked = {_incoming(emulator, a.iban, f"{k + 1}.25") for k, a in enumerate(accounts)}
    seen = _drain([first, second], booked, 30)
    assert booked <= seen
    first.close()
    second.close()
    restarted = client.watch(ids, **settings)
    late = {_incoming(emulator, accounts[0].iban, "9.99")}
    again = _drain([restarted], late | booked, 8)
    assert again == late, "an acknowledged payment was delivered again"
    restarted.close()


def test_all_accounts_and_bad_store_settings(client: opcorp.Client, emulator, store_url) -> None:
    group = f"py-all-{uuid.uuid4().hex[:8]}"
    watcher = client.watch(
        [], store_url=store_url, store_group=group, account_source="all", poll_interval=0.2, store_init=True
    )
    account = client.accounts()[-1]
    time.sleep(1.5)
    sent = {_incoming(emulator, account.iban, "3.10")}
    assert _drain([watcher], sent, 30) == sent
    watcher.close()
    with pytest.raises(opcorp.InvalidInputError):
        client.watch([], store_url=store_url, account_source="everything")
    with pytest.raises(opcorp.InvalidInputError):
        client.watch(["a"], account_source="all")
    with pytest.raises(opcorp.InvalidInputError):
        client.watch(["a"], store_url="postgres://127.0.0.1:notaport/db")


def test_mandates_source_watches_a_client_companys_accounts(client: opcorp.Client, emulator, store_url) -> None:
    mandate = emulator.admin("POST", "/mandates", {"companyName": "Python Asiakas Oy", "accounts": 1})
    group = f"py-mandates-{uuid.uuid4().hex[:8]}"
    watcher = client.watch(
        [], store_url=store_url, store_group=group, account_source="mandates", poll_interval=0.2, store_init=True
    )
    time.sleep(1.5)
    sent = _incoming(emulator, mandate["accounts"][0]["iban"], "4.20")
    deadline = time.monotonic() + 30
    found = None
    while found is None and time.monotonic() < deadline:
        d = watcher.next(timeout=0.2)
        if d is not None:
            watcher.ack(d)
            if d.transaction.archive_id == sent:
                found = d
    watcher.close()
    assert found is not None, "the company's payment was delivered"
    assert found.mandate == mandate["mandateId"]
    assert found.account == mandate["accounts"][0]["surrogateId"]
