"""Structured payment addresses: converted to core's address, sent under ISO 20022 names;
an address of lines only is core's InvalidInputError unless the client opts in."""

from __future__ import annotations

from decimal import Decimal

import pytest

import opcorp

STRUCTURED = {
    "street_name": "Tehdastie",
    "building_number": "5",
    "post_code": "33100",
    "town_name": "Tampere",
    "country": "FI",
}
LINES_ONLY = {"country": "FI", "address_line": ["Tehdastie 5", "33100 Tampere"]}


def _request(debtor_iban: str, address, instruction_id: str) -> opcorp.PaymentRequest:
    return opcorp.PaymentRequest(
        debtor_name="Demo Oy",
        debtor_iban=debtor_iban,
        creditor_name="Toimittaja Oy",
        creditor_iban="FI2112345600000785",
        amount=Decimal("3.00"),
        reference="1232",
        instruction_id=instruction_id,
        creditor_address=address,
    )


def test_structured_address_is_sent_and_booked(client: opcorp.Client, emulator) -> None:
    debtor = client.accounts()[0].iban
    request = _request(debtor, STRUCTURED, "pyaddr1")
    assert request.creditor_address == {**STRUCTURED, "address_line": []}
    client.sepa_payment(request)
    booked = [e for e in emulator.admin("GET", "/ledger") if e["instructionId"] == "pyaddr1"]
    assert booked[0]["creditorAddress"] == {
        "streetName": "Tehdastie",
        "buildingNumber": "5",
        "postCode": "33100",
        "townName": "Tampere",
        "country": "FI",
    }


def test_lines_only_address_is_invalid_input_before_sending(client: opcorp.Client, emulator) -> None:
    debtor = client.accounts()[0].iban
    before = len(emulator.admin("GET", "/ledger"))
    with pytest.raises(opcorp.InvalidInputError, match="creditor.address"):
        client.sepa_instant_payment(_request(debtor, LINES_ONLY, "pyaddr2"))
    assert len(emulator.admin("GET", "/ledger")) == before


def test_address_dict_errors_name_the_argument(client: opcorp.Client) -> None:
    debtor = client.accounts()[0].iban
    with pytest.raises(opcorp.InvalidInputError, match="creditor_address"):
        _request(debtor, {"town": "Tampere", "country": "FI"}, "pyaddr3")
    with pytest.raises(opcorp.InvalidInputError, match="creditor.address.townName"):
        _request(debtor, {"street_name": "Tehdastie", "country": "FI"}, "pyaddr4")


def test_opt_in_sends_lines_only_and_the_bank_decides(emulator) -> None:
    client = opcorp.Client(**emulator.client_kwargs(), address_rules="allow_unstructured")
    debtor = client.accounts()[0].iban
    with pytest.raises(opcorp.RejectedError) as refused:
        client.sepa_payment(_request(debtor, LINES_ONLY, "pyaddr5"))
    assert refused.value.status == 400
    emulator.admin("POST", "/quirks", {"unstructuredAddresses": "accepted"})
    try:
        client.sepa_payment(_request(debtor, LINES_ONLY, "pyaddr6"))
    finally:
        emulator.admin("POST", "/quirks", {"unstructuredAddresses": "refused"})
    with pytest.raises(opcorp.ConfigError):
        opcorp.Client(**emulator.client_kwargs(), address_rules="lenient")
