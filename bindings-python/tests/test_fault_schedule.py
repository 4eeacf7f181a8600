"""A bounded share of the randomised fault schedule (reliability.md), through the Python
binding's outbox: each schedule pays one intent (SEPA, instant or a refund) with 0-3 random
faults in its way (request dropped, response cut, delay past the client's timeout, 5xx or
reset after the bank booked, tokens revoked), 30 % delivered twice, then drives until
settled. The oracle reads the emulator's ledger by a per-schedule amount, not by the SDK's
ids: per intent the bank booked 0 or 1 times, a success was booked exactly once with the
archive id the SDK reported, and every unknown settles within a few drives.

OPCORP_PY_SCHEDULES sets the count (default 40), OPCORP_SCHEDULE_SEED replays a run."""

from __future__ import annotations

import datetime
import os
import random
from decimal import Decimal

import opcorp

CREDITOR = "FI2112345600000785"
MAX_DRIVES = 8
#: The client gives up on an attempt after this long; the delay fault waits longer.
TIMEOUT_S = 0.5
DELAY_MS = 800

#: (name, emulator fault kind); None is the token revocation, an admin action.
STEPS = [
    ("drop request", {"type": "reset_before_commit"}),
    ("drop response", {"type": "truncated_body"}),
    ("delay past timeout", {"type": "latency", "millis": DELAY_MS}),
    ("5xx after commit", {"type": "status_after_commit", "status": 503}),
    ("reset after commit", {"type": "reset_after_commit"}),
    ("token expiry", None),
]
ROUTES = {"payment": "sepa_payment", "instant": "sepa_instant_payment", "refund": "refund"}


def _amount(run: int, index: int) -> Decimal:
    """A per-schedule amount no other test books: 7000.00 + run offset + index cents."""
    return (Decimal(7000 + run) + Decimal(index) / 100).quantize(Decimal("0.01"))


def _booked(emulator, amount: Decimal) -> list:
    return [e for e in emulator.admin("GET", "/ledger") if Decimal(e["amount"]) == amount]


def _order(kind: str, client, emulator, account, amount: Decimal) -> dict:
    if kind == "refund":
        incoming = emulator.admin(
            "POST",
            "/incoming",
            {"accountIban": account.iban, "amount": str(amount), "debtorName": "Maksaja", "debtorIban": CREDITOR},
        )
        today = datetime.datetime.now(datetime.timezone.utc).date()
        refund = opcorp.RefundRequest(
            archive_id=incoming["archiveId"],
            amount=amount,
            message="Palautus",
            account_iban=account.iban,
            transaction_date=today,
        )
        return {"refund": refund}
    payment = opcorp.PaymentRequest(
        debtor_name="Demo Oy",
        debtor_iban=account.iban,
        creditor_name="Toimittaja Oy",
        creditor_iban=CREDITOR,
        amount=str(amount),
        message="Lasku",
    )
    return {"payment": payment, "instant": kind == "instant"}


def test_random_fault_schedules_never_pay_twice(emulator, tmp_path) -> None:
    seed = int(os.environ.get("OPCORP_SCHEDULE_SEED", random.randrange(2**32)))
    count = int(os.environ.get("OPCORP_PY_SCHEDULES", "40"))
    rng = random.Random(seed)
    run = rng.randrange(1000)
    print(f"fault schedules: seed {seed}, {count} schedules")
    client = opcorp.Client(**emulator.client_kwargs(), total_timeout=TIMEOUT_S)
    account = client.accounts()[0]
    outbox = client.outbox(tmp_path / "outbox.sqlite")
    unknown_after_submit = 0
    max_drives = 0
    for index in range(count):
        kind = rng.choice(["payment", "payment", "instant", "refund"])
        steps = [(rng.choice(STEPS), 1 + rng.randrange(2)) for _ in range(rng.randrange(4))]
        redeliver = rng.random() < 0.3
        amount = _amount(run, index)
        intent = f"py-schedule:{seed}:{index}"
        order = _order(kind, client, emulator, account, amount)
        what = f"schedule {index} (seed {seed}): {kind} {amount}, {[s[0][0] for s in steps]}"
        for (_, fault), times in steps:
            if fault is None:
                emulator.admin("POST", "/revoke-tokens")
            else:
                emulator.fault(ROUTES[kind], fault, times=times)
        entry = outbox.submit(intent, **order)
        if redeliver:
            again = outbox.submit(intent, **order)
            assert again.id == entry.id, what
        emulator.admin("DELETE", "/faults")
        if entry.state == "unknown":
            unknown_after_submit += 1
        drives = 0
        while outbox.get(intent).state == "unknown":
            drives += 1
            assert drives <= MAX_DRIVES, f"{what}: still unknown after {MAX_DRIVES} drives"
            outbox.drive()
        max_drives = max(max_drives, drives)
        final = outbox.get(intent)
        booked = _booked(emulator, amount)
        assert len(booked) <= 1, f"{what}: booked {len(booked)} times"
        if final.state == "succeeded":
            assert len(booked) == 1, f"{what}: succeeded but not booked"
            assert booked[0]["archiveId"] == final.archive_id, what
        else:
            assert booked == [], f"{what}: {final.state} but booked"
    print(
        f"{count} schedules, {unknown_after_submit} unknown after submit, "
        f"settled within {max_drives} drives, 0 paid twice"
    )
