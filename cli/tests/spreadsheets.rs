//! `--xlsx` output and `.xlsx` invoices: the workbooks the CLI writes are read back with
//! calamine (cell types and values), and invoices written by another writer are read in.

#![allow(clippy::unwrap_used)]

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{Run, opcorp, opcorp_with};
use opcorp_emulator::{EmulatorConfig, start};

/// Invoices as a finance team keeps them: a text reference with leading zeros, a numeric
/// reference, numbers for amounts and a real date cell.
fn write_invoices(path: &std::path::Path, bad_amount: bool) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, name) in ["Invoice", "Reference", "Amount", "Currency", "Due"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *name).unwrap();
    }
    sheet.write_string(1, 0, "00A-1").unwrap();
    sheet.write_string(1, 1, "00000000000000001232").unwrap();
    sheet.write_number(1, 2, 100.0).unwrap();
    sheet.write_string(1, 3, "EUR").unwrap();
    let due = ExcelDateTime::from_ymd(2025, 1, 31).unwrap();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    sheet.write_datetime_with_format(1, 4, &due, &date).unwrap();
    sheet.write_number(2, 0, 2.0).unwrap();
    sheet.write_number(2, 1, 10016.0).unwrap();
    if bad_amount {
        sheet.write_string(2, 2, "20,5").unwrap();
    } else {
        sheet.write_number(2, 2, 20.5).unwrap();
    }
    workbook.save(path).unwrap();
}

fn strings(run: &Run) -> String {
    format!("{}\n{}", run.stdout, run.stderr)
}

#[test]
fn reconcile_reads_xlsx_invoices_and_writes_one_sheet_per_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let invoices = dir.path().join("invoices.xlsx");
    write_invoices(&invoices, false);
    let payments = dir.path().join("payments.csv");
    std::fs::write(
        &payments,
        "archive id,booked,amount,reference\n\
         20250110000000000001,2025-01-10,100.00,1232\n\
         20250110000000000002,2025-01-11,5.00,10016\n\
         20250110000000000003,2025-01-12,7.00,\n",
    )
    .unwrap();
    let report = dir.path().join("report.xlsx");
    let args = [
        "reconcile",
        "--invoices",
        invoices.to_str().unwrap(),
        "--transactions",
        payments.to_str().unwrap(),
        "--xlsx",
        report.to_str().unwrap(),
    ];
    let run = opcorp(&args);
    assert_eq!(run.code, 0, "{}", strings(&run));
    assert!(
        run.stdout.contains("partially paid (remaining 15.50)"),
        "{}",
        run.stdout
    );

    let mut book: Xlsx<_> = open_workbook(&report).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Summary",
            "Paid",
            "Partially paid",
            "Overpaid",
            "Paid twice",
            "Unpaid",
            "Ambiguous reference",
            "Unmatched payments"
        ]
    );
    let paid = book.worksheet_range("Paid").unwrap();
    assert_eq!(paid.get_size(), (2, 9));
    assert_eq!(paid.get((1, 0)), Some(&Data::String("00A-1".into())));
    // References are shown in their canonical form (leading zeros are not part of one).
    assert_eq!(paid.get((1, 1)), Some(&Data::String("1232".into())));
    assert_eq!(paid.get((1, 2)), Some(&Data::Float(100.0)));
    let Some(Data::DateTime(due)) = paid.get((1, 4)) else {
        panic!("due is not a date: {:?}", paid.get((1, 4)))
    };
    let (y, m, d, ..) = due.to_ymd_hms_milli();
    assert_eq!((y, m, d), (2025, 1, 31));
    let partial = book.worksheet_range("Partially paid").unwrap();
    assert_eq!(partial.get((1, 0)), Some(&Data::String("2".into())));
    assert_eq!(partial.get((1, 6)), Some(&Data::Float(-15.5)));
    let unmatched = book.worksheet_range("Unmatched payments").unwrap();
    assert_eq!(
        unmatched.get((1, 0)),
        Some(&Data::String("20250110000000000003".into()))
    );
    assert_eq!(
        unmatched.get((1, 6)),
        Some(&Data::String("no reference".into()))
    );
    let summary = book.worksheet_range("Summary").unwrap();
    assert_eq!(summary.get((1, 0)), Some(&Data::String("Paid".into())));
    assert_eq!(summary.get((1, 1)), Some(&Data::Float(1.0)));

    write_invoices(&invoices, true);
    let run = opcorp(&args);
    assert_eq!(run.code, 10, "{}", strings(&run));
    assert!(
        run.stderr.contains("cell C3 (amount)") && run.stderr.contains("20,5"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transactions_xlsx_keeps_types_and_every_row() {
    let emu = start(EmulatorConfig {
        quiet: true,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let env = emu.identity().env_vars(&emu.base_url());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tx.xlsx");
    let path_arg = path.to_str().unwrap().to_owned();
    let env2 = env.clone();
    let (xlsx, csv) = tokio::task::spawn_blocking(move || {
        (
            opcorp_with(&["transactions", "--xlsx", &path_arg], &env2, None),
            opcorp_with(&["--csv", "transactions"], &env2, None),
        )
    })
    .await
    .unwrap();
    assert_eq!(xlsx.code, 0, "{}", strings(&xlsx));
    assert!(xlsx.stdout.is_empty(), "{}", xlsx.stdout);
    let mut reader = csv::Reader::from_reader(csv.stdout.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(
        xlsx.stderr
            .contains(&format!("wrote {} transactions", rows.len())),
        "{}",
        xlsx.stderr
    );

    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = book.worksheet_range("Transactions").unwrap();
    assert_eq!(sheet.get_size().0, rows.len() + 1);
    assert_eq!(sheet.get((0, 2)), Some(&Data::String("amount".into())));
    for (n, row) in rows.iter().enumerate() {
        let r = n + 1;
        let Some(Data::Float(amount)) = sheet.get((r, 2)) else {
            panic!("row {r}: amount not a number")
        };
        assert_eq!(*amount, row[1].parse::<f64>().unwrap(), "row {r}");
        assert!(
            matches!(sheet.get((r, 0)), Some(Data::DateTime(_))),
            "row {r}: booked not a date"
        );
        assert_eq!(
            sheet.get((r, 8)),
            Some(&Data::String(row[6].to_owned())),
            "row {r}: archive id"
        );
    }
}
