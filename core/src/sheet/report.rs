//! The reconciliation workbook: a summary sheet, one sheet per item outcome (paid, partially
//! paid, overpaid, paid twice, unpaid, ambiguous reference) and one for unmatched payments.

use rust_xlsxwriter::Worksheet;

use super::{Formats, autofilter, date, header, money, new_workbook, save, text, xlsx_error};
use crate::error::Result;
use crate::reconcile::{ItemReport, ItemStatus, Report, UnmatchedPayment};

/// Whether an item belongs on an outcome sheet.
type Belongs = fn(&ItemStatus) -> bool;

/// The outcome sheets, in workbook order, with the test that puts an item on each.
const OUTCOMES: [(&str, Belongs); 6] = [
    ("Paid", |s| matches!(s, ItemStatus::Paid)),
    ("Partially paid", |s| {
        matches!(s, ItemStatus::PartiallyPaid { .. })
    }),
    ("Overpaid", |s| matches!(s, ItemStatus::Overpaid { .. })),
    ("Paid twice", |s| matches!(s, ItemStatus::PaidTwice { .. })),
    ("Unpaid", |s| matches!(s, ItemStatus::Unpaid)),
    ("Ambiguous reference", |s| {
        matches!(s, ItemStatus::AmbiguousReference)
    }),
];

/// Name of the unmatched payments sheet.
const UNMATCHED: &str = "Unmatched payments";

const ITEM_COLUMNS: [(&str, f64); 9] = [
    ("invoice", 16.0),
    ("reference", 24.0),
    ("amount", 14.0),
    ("currency", 9.0),
    ("due", 11.0),
    ("received", 14.0),
    ("difference", 14.0),
    ("status", 20.0),
    ("payments", 40.0),
];

const UNMATCHED_COLUMNS: [(&str, f64); 8] = [
    ("payment", 22.0),
    ("booked", 11.0),
    ("amount", 14.0),
    ("currency", 9.0),
    ("reference", 24.0),
    ("payer", 28.0),
    ("why", 36.0),
    ("did you mean", 24.0),
];

/// The reconciliation report as `.xlsx` bytes.
pub fn reconcile_xlsx(report: &Report) -> Result<Vec<u8>> {
    let mut workbook = new_workbook();
    let formats = Formats::new();
    summary(workbook.add_worksheet(), &formats, report)?;
    for (name, belongs) in OUTCOMES {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).map_err(xlsx_error)?;
        let items: Vec<ItemReport<'_>> =
            report.items.iter().filter(|i| belongs(&i.status)).collect();
        item_sheet(sheet, &formats, &items)?;
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name(UNMATCHED).map_err(xlsx_error)?;
    unmatched_sheet(sheet, &formats, &report.unmatched)?;
    save(workbook)
}

fn item_sheet(sheet: &mut Worksheet, f: &Formats, items: &[ItemReport<'_>]) -> Result<()> {
    header(sheet, f, &ITEM_COLUMNS)?;
    for (n, i) in items.iter().enumerate() {
        let row = n as u32 + 1;
        text(sheet, f, row, 0, &i.item.id)?;
        text(sheet, f, row, 1, i.item.reference.as_str())?;
        money(sheet, f, row, 2, i.item.amount)?;
        text(sheet, f, row, 3, &i.item.currency)?;
        date(sheet, f, row, 4, i.item.due_date)?;
        money(sheet, f, row, 5, i.received)?;
        match i.status.difference() {
            Some(d) => money(sheet, f, row, 6, d)?,
            None => {
                sheet.write_blank(row, 6, &f.money).map_err(xlsx_error)?;
            }
        }
        text(sheet, f, row, 7, i.status.label())?;
        text(sheet, f, row, 8, &i.payment_ids.join(", "))?;
    }
    autofilter(sheet, items.len() as u32, ITEM_COLUMNS.len())
}

fn unmatched_sheet(
    sheet: &mut Worksheet,
    f: &Formats,
    unmatched: &[UnmatchedPayment],
) -> Result<()> {
    header(sheet, f, &UNMATCHED_COLUMNS)?;
    for (n, u) in unmatched.iter().enumerate() {
        let row = n as u32 + 1;
        let p = &u.payment;
        text(sheet, f, row, 0, &p.id)?;
        date(sheet, f, row, 1, p.booking_date)?;
        money(sheet, f, row, 2, p.amount)?;
        text(sheet, f, row, 3, &p.currency)?;
        text(sheet, f, row, 4, p.reference.as_deref().unwrap_or_default())?;
        text(
            sheet,
            f,
            row,
            5,
            p.payer_name.as_deref().unwrap_or_default(),
        )?;
        text(sheet, f, row, 6, &u.reason.describe())?;
        text(
            sheet,
            f,
            row,
            7,
            u.did_you_mean.as_deref().unwrap_or_default(),
        )?;
    }
    autofilter(sheet, unmatched.len() as u32, UNMATCHED_COLUMNS.len())
}

/// Counts per outcome (with the sheet that lists them), then money per currency.
fn summary(sheet: &mut Worksheet, f: &Formats, report: &Report) -> Result<()> {
    sheet.set_name("Summary").map_err(xlsx_error)?;
    header(sheet, f, &[("outcome", 24.0), ("count", 10.0)])?;
    let t = &report.totals;
    let counts = [
        ("Paid", t.paid),
        ("Partially paid", t.partially_paid),
        ("Overpaid", t.overpaid),
        ("Paid twice", t.paid_twice),
        ("Unpaid", t.unpaid),
        ("Ambiguous reference", t.ambiguous),
        ("Invoices", t.items),
        ("Payments", t.payments),
        ("Matched payments", t.matched_payments),
        (UNMATCHED, t.unmatched_payments),
        ("Duplicate payments", t.duplicate_payments),
    ];
    for (n, (label, count)) in counts.iter().enumerate() {
        let row = n as u32 + 1;
        sheet.write_string(row, 0, *label).map_err(xlsx_error)?;
        sheet
            .write_number(row, 1, *count as f64)
            .map_err(xlsx_error)?;
    }
    let top = counts.len() as u32 + 2;
    let money_columns = [
        "currency",
        "billed",
        "received",
        "outstanding",
        "excess",
        "unmatched",
    ];
    for (col, name) in money_columns.iter().enumerate() {
        sheet
            .write_string_with_format(top, col as u16, *name, &f.header)
            .map_err(xlsx_error)?;
    }
    for (n, (currency, c)) in t.by_currency.iter().enumerate() {
        let row = top + 1 + n as u32;
        text(sheet, f, row, 0, currency)?;
        for (col, amount) in [c.billed, c.received, c.outstanding, c.excess, c.unmatched]
            .into_iter()
            .enumerate()
        {
            money(sheet, f, row, col as u16 + 1, amount)?;
        }
    }
    autofilter(sheet, counts.len() as u32, 2)
}
