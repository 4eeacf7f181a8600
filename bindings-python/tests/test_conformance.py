"""Core's conformance scenario through the binding: a report dict, and its comparison."""

from __future__ import annotations

import asyncio
import json

import pytest

import opcorp


def test_conformance_report_compares_equal_with_itself(client: opcorp.Client) -> None:
    report = client.conformance()
    assert report["format"] == "opcorp-conformance/1"
    names = [op["name"] for op in report["operations"]]
    assert "accounts" in names and len(names) > 5
    json.dumps(report)  # the report is plain JSON, ready to send back
    again = client.conformance()
    comparison = opcorp.conformance_compare(report, json.dumps(again))
    assert comparison["all_agree"], comparison
    assert comparison["agree"] == comparison["total"] == len(names)


def test_conformance_compare_refuses_a_non_report() -> None:
    with pytest.raises(opcorp.InvalidInputError):
        opcorp.conformance_compare({"format": "nope"}, "{}")


def test_async_conformance(emulator) -> None:
    async def main() -> dict:
        client = opcorp.AsyncClient(**emulator.client_kwargs())
        return await client.conformance()

    report = asyncio.run(main())
    assert report["operations"]
