"""Runs the examples in examples/python against the emulator."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"


def _run(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )


def test_did_customer_pay(emulator, client) -> None:
    import opcorp

    account = client.accounts()[0]
    reference = opcorp.reference_generate("777001")
    emulator.admin(
        "POST", "/incoming", {"accountIban": account.iban, "amount": "64.00", "reference": reference, "debtorName": "Maksaja Oy"}
    )
    paid = _run(emulator.env, str(EXAMPLES / "did_customer_pay.py"), reference, "64.00")
    assert paid.returncode == 0, paid.stderr
    assert "paid" in paid.stdout and "Maksaja Oy" in paid.stdout
    unpaid = _run(emulator.env, str(EXAMPLES / "did_customer_pay.py"), opcorp.reference_generate("777002"), "10")
    assert unpaid.returncode == 1 and "unpaid" in unpaid.stdout
    bad = _run(emulator.env, str(EXAMPLES / "did_customer_pay.py"), "1234", "10")
    assert bad.returncode == 2


def test_month_to_dataframe(emulator, tmp_path) -> None:
    pytest.importorskip("pandas")
    out = tmp_path / "month.csv"
    result = _run(emulator.env, str(EXAMPLES / "month_to_dataframe.py"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "transactions booked" in result.stdout
    assert out.exists()
