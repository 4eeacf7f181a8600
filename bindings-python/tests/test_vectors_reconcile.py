"""Replays tests/vectors/reconcile.json: the same report as core for the same input.

The ``transaction_cases`` need OP transactions built from JSON, which the Python API does
not construct (``Transaction`` objects come from the client); core, Node, WASM and the CLI
replay them.
"""

from __future__ import annotations

import opcorp
from vectors import load, plain

V = load("reconcile.json")


def test_payments_give_the_expected_reports() -> None:
    for case in V["cases"]:
        report = opcorp.reconcile(case["items"], case["payments"])
        assert plain(report.to_dict()) == case["report"], case["name"]


def test_streaming_gives_the_same_report() -> None:
    for case in V["cases"]:
        reconciler = opcorp.Reconciler(case["items"])
        for payment in case["payments"]:
            reconciler.push(payment)
        assert plain(reconciler.finish().to_dict()) == case["report"], case["name"]
