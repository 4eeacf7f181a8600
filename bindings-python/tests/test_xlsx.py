"""Spreadsheets: workbooks written by opcorp read back with openpyxl (an independent reader),
cell types and values checked exactly; invoices written by openpyxl read by opcorp; and one
workbook opened by headless LibreOffice."""

from __future__ import annotations

import csv
import datetime
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

import opcorp

openpyxl = pytest.importorskip("openpyxl")


def test_transactions_workbook_has_typed_cells(client: opcorp.Client, tmp_path: Path) -> None:
    account = client.accounts()[0]
    transactions = list(client.transactions(account.surrogate_id))
    assert transactions
    path = tmp_path / "tx.xlsx"
    data = opcorp.transactions_to_xlsx(iter(transactions), path)
    assert data == path.read_bytes()
    book = openpyxl.load_workbook(path)
    sheet = book["Transactions"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["booked", "value date", "amount"]
    assert header[8] == "archive id"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:J{len(transactions) + 1}"
    assert sheet.max_row == len(transactions) + 1
    for row, tx in zip(sheet.iter_rows(min_row=2), transactions):
        assert row[0].value == datetime.datetime.combine(tx.booking_date, datetime.time())
        assert row[0].is_date and row[0].number_format == "yyyy-mm-dd"
        # A number cell (openpyxl gives whole amounts as int, others as float), exact.
        assert row[2].data_type == "n" and type(row[2].value) in (int, float)
        assert Decimal(repr(row[2].value)) == tx.amount
        assert row[2].number_format == "#,##0.00"
        assert row[8].data_type == "s" and row[8].value == tx.archive_id
        assert row[8].number_format == "@"
        assert (row[4].value or None) == (tx.reference or tx.rf_reference)


def _invoices(path: Path, bad: str | None = None) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "Reference", "amount", "currency", "due"])
    sheet.append(["INV-1", "00000000000000001232", 100, "EUR", datetime.date(2026, 3, 1)])
    sheet.append([2, 10016, 20.5, None, None])
    sheet.append(["INV-3", "RF18539007547034", "50.00" if bad is None else bad, "eur", "2026-04-01"])
    book.save(path)


def test_read_invoices_from_an_openpyxl_workbook(tmp_path: Path) -> None:
    path = tmp_path / "invoices.xlsx"
    _invoices(path)
    items = opcorp.read_invoices(path)
    assert items == opcorp.read_invoices(path.read_bytes())
    assert [i["id"] for i in items] == ["INV-1", "2", "INV-3"]
    assert items[0]["reference"] == "1232"  # canonical form
    assert items[0]["amount"] == Decimal("100")
    assert items[0]["due_date"] == datetime.date(2026, 3, 1)
    assert items[1]["reference"] == "10016" and items[1]["amount"] == Decimal("20.5")
    assert items[1]["currency"] == "EUR" and items[1]["due_date"] is None
    assert items[2]["currency"] == "EUR" and items[2]["due_date"] == datetime.date(2026, 4, 1)


@pytest.mark.parametrize("bad", ["12,50", "1e3", "twelve"])
def test_a_bad_amount_names_its_cell(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "invoices.xlsx"
    _invoices(path, bad=bad)
    with pytest.raises(opcorp.InvalidInputError) as caught:
        opcorp.read_invoices(path)
    assert "cell C4 (amount)" in str(caught.value)
    assert bad in str(caught.value)


def test_a_number_amount_with_more_than_two_decimals_names_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "invoices.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["id", "reference", "amount"])
    book.active.append(["A", "1232", 12.345])
    book.save(path)
    with pytest.raises(opcorp.InvalidInputError, match=r"cell C2 \(amount\).*more than two decimals"):
        opcorp.read_invoices(path)


def test_a_bad_reference_names_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "invoices.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["id", "reference", "amount"])
    book.active.append(["A", "1233", 1])
    book.save(path)
    with pytest.raises(opcorp.InvalidInputError, match=r"cell B2 \(reference\)"):
        opcorp.read_invoices(path)


def _report(tmp_path: Path) -> tuple[opcorp.ReconcileReport, Path]:
    path = tmp_path / "invoices.xlsx"
    _invoices(path)
    items = opcorp.read_invoices(path)
    payments = [
        {"id": "20260301000000000001", "reference": "1232", "amount": "100.00", "booking_date": datetime.date(2026, 3, 1)},
        {"id": "20260301000000000002", "reference": "10016", "amount": "5.00"},
        {"id": "20260301000000000003", "reference": opcorp.reference_generate("99999"), "amount": "7.00"},
    ]
    report = opcorp.reconcile(items, payments)
    out = tmp_path / "report.xlsx"
    assert report.to_xlsx(out) == out.read_bytes()
    return report, out


def test_reconcile_workbook_has_a_sheet_per_outcome_and_a_summary(tmp_path: Path) -> None:
    report, out = _report(tmp_path)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "Summary", "Paid", "Partially paid", "Overpaid", "Paid twice", "Unpaid", "Ambiguous reference", "Unmatched payments",
    ]
    paid = book["Paid"]
    assert [c.value for c in paid[2]][:6] == ["INV-1", "1232", 100, "EUR", datetime.datetime(2026, 3, 1), 100]
    assert paid["B2"].data_type == "s" and paid["C2"].number_format == "#,##0.00"
    assert paid.freeze_panes == "A2" and paid.auto_filter.ref == "A1:I2"
    partial = book["Partially paid"]
    assert partial["A2"].value == "2" and partial["G2"].value == -15.5 and partial["H2"].value == "partially paid"
    assert partial["I2"].value == "20260301000000000002"
    unpaid = book["Unpaid"]
    assert unpaid["A2"].value == "INV-3" and unpaid["F2"].value == 0
    unmatched = book["Unmatched payments"]
    assert unmatched["A2"].value == "20260301000000000003" and unmatched["A2"].data_type == "s"
    assert unmatched["G2"].value == "unknown reference"
    summary = {r[0].value: r[1].value for r in book["Summary"].iter_rows(min_row=2, max_row=12)}
    assert summary["Paid"] == 1 and summary["Partially paid"] == 1 and summary["Unpaid"] == 1
    assert summary["Unmatched payments"] == report.totals["unmatched_payments"] == 1


def _rstrip(row: list[str]) -> list[str]:
    while row and row[-1] == "":
        row = row[:-1]
    return row


def test_libreoffice_opens_the_workbook(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("soffice is missing in CI: test.sh installs libreoffice-calc-nogui")
        pytest.skip("LIBREOFFICE NOT INSTALLED: the headless conversion test did not run")
    _, out = _report(tmp_path)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(out)],
        check=True, timeout=180, capture_output=True, env={**os.environ, "HOME": str(tmp_path)},
    )
    with (tmp_path / "report.csv").open(encoding="utf-8", errors="replace") as f:
        # The sheet's used range is as wide as its widest row: drop the empty cells after it.
        rows = [_rstrip(row) for row in csv.reader(f)]
    # The first sheet (Summary) is what --convert-to csv writes.
    assert rows[0] == ["outcome", "count"]
    assert ["Paid", "1"] in rows and ["Unmatched payments", "1"] in rows
