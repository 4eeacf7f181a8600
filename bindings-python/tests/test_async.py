"""AsyncClient: the same API as awaitables, async iteration, cancellation."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

import opcorp


def test_async_calls(emulator) -> None:
    async def main() -> None:
        client = opcorp.AsyncClient(**emulator.client_kwargs())
        accounts, mandates = await asyncio.gather(client.accounts(), client.mandates())
        assert len(accounts) == 3 and isinstance(accounts[0].balance, Decimal)
        details = await client.account(accounts[0].surrogate_id)
        assert details.iban == accounts[0].iban
        count = 0
        async for tx in client.transactions(accounts[0].surrogate_id, page_size=500):
            assert isinstance(tx, opcorp.Transaction)
            count += 1
        assert count >= 2500
        payment = await client.sepa_payment(
            opcorp.PaymentRequest(
                debtor_name="Demo Oy",
                debtor_iban=accounts[0].iban,
                creditor_name="Toimittaja Oy",
                creditor_iban="FI2112345600000785",
                amount="9.99",
                message="async",
            )
        )
        assert payment.amount == Decimal("9.99")
        with pytest.raises(opcorp.NotFoundError):
            await client.account("missing")

    asyncio.run(main())


def test_async_from_env_and_cancellation(env, emulator) -> None:
    async def main() -> None:
        client = opcorp.AsyncClient.from_env()
        await client.mandates()
        emulator.fault("mandates", {"type": "latency", "millis": 2000})
        task = asyncio.ensure_future(client.mandates())
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The loop stays usable and other calls complete.
        assert len(await client.accounts()) == 3

    asyncio.run(main())


def test_async_errors_carry_attributes(emulator) -> None:
    async def main() -> None:
        client = opcorp.AsyncClient(**emulator.client_kwargs())
        emulator.fault("accounts", {"type": "status", "status": 503}, times=None)
        with pytest.raises(opcorp.ServerError) as info:
            await client.accounts()
        assert info.value.status == 503 and info.value.request_id

    asyncio.run(main())
