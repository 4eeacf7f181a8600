//! Spreadsheets for finance teams: transactions and reconciliation reports written as
//! `.xlsx` workbooks, open items read from `.xlsx`, `.xls` or `.ods` files.
//!
//! A CSV with `.` decimals opens wrong in a Finnish-locale Excel; a workbook does not, because
//! its cells are typed: dates are dates, amounts are numbers shown with two decimals, ids and
//! references are text (so leading zeros and 20-digit archive ids survive). Every sheet has a
//! bold header row, frozen panes and an autofilter.
//!
//! Excel numbers are IEEE doubles: amounts up to 10^13 keep their cents exactly; the text
//! cells (ids, references) are never numbers.

mod read;
mod report;
mod transactions;

pub use read::read_open_items;
pub use report::reconcile_xlsx;
pub use transactions::{TransactionsWorkbook, transactions_xlsx};

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};
use time::Date;

use crate::domain::amount::Amount;
use crate::error::{Error, Result};

/// Excel's row limit per sheet, header included.
pub const MAX_ROWS: u32 = 1_048_576;

/// The cell formats every sheet shares.
pub(crate) struct Formats {
    pub header: Format,
    pub money: Format,
    pub date: Format,
    pub text: Format,
}

impl Formats {
    pub(crate) fn new() -> Self {
        Formats {
            header: Format::new().set_bold().set_align(FormatAlign::Center),
            money: Format::new().set_num_format("#,##0.00"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            text: Format::new().set_num_format("@"),
        }
    }
}

/// A workbook with fixed document properties: no clock read, so output is reproducible and
/// nothing calls the system time (which does not exist in every runtime).
pub(crate) fn new_workbook() -> Workbook {
    let mut workbook = Workbook::new();
    if let Ok(created) = ExcelDateTime::from_ymd(2000, 1, 1) {
        workbook.set_properties(
            &DocProperties::new()
                .set_creation_datetime(&created)
                .set_author("opcorp"),
        );
    }
    workbook
}

/// Writes the header row, freezes it and sets column widths.
pub(crate) fn header(
    sheet: &mut Worksheet,
    formats: &Formats,
    columns: &[(&str, f64)],
) -> Result<()> {
    for (col, (name, width)) in columns.iter().enumerate() {
        let col = col as u16;
        sheet
            .write_string_with_format(0, col, *name, &formats.header)
            .map_err(xlsx_error)?;
        sheet.set_column_width(col, *width).map_err(xlsx_error)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    Ok(())
}

/// Adds the autofilter over the header and `rows` data rows.
pub(crate) fn autofilter(sheet: &mut Worksheet, rows: u32, columns: usize) -> Result<()> {
    let last_col = columns.saturating_sub(1) as u16;
    sheet.autofilter(0, 0, rows, last_col).map_err(xlsx_error)?;
    Ok(())
}

/// Writes a text cell (an empty value leaves the cell blank but keeps its text format).
pub(crate) fn text(
    sheet: &mut Worksheet,
    formats: &Formats,
    row: u32,
    col: u16,
    value: &str,
) -> Result<()> {
    if value.is_empty() {
        sheet
            .write_blank(row, col, &formats.text)
            .map_err(xlsx_error)?;
    } else {
        sheet
            .write_string_with_format(row, col, value, &formats.text)
            .map_err(xlsx_error)?;
    }
    Ok(())
}

/// Writes an amount as a number with the two-decimal money format.
pub(crate) fn money(
    sheet: &mut Worksheet,
    formats: &Formats,
    row: u32,
    col: u16,
    amount: Amount,
) -> Result<()> {
    let value: f64 = amount.to_string().parse().map_err(|_| {
        Error::invalid_input(format!("amount {amount} cannot be a spreadsheet number"))
    })?;
    sheet
        .write_number_with_format(row, col, value, &formats.money)
        .map_err(xlsx_error)?;
    Ok(())
}

/// Writes a date cell, or a blank one.
pub(crate) fn date(
    sheet: &mut Worksheet,
    formats: &Formats,
    row: u32,
    col: u16,
    value: Option<Date>,
) -> Result<()> {
    match value {
        Some(d) => {
            let excel = ExcelDateTime::from_ymd(
                u16::try_from(d.year()).map_err(|_| {
                    Error::invalid_input(format!("date {d} is outside the spreadsheet range"))
                })?,
                u8::from(d.month()),
                d.day(),
            )
            .map_err(xlsx_error)?;
            sheet
                .write_datetime_with_format(row, col, &excel, &formats.date)
                .map_err(xlsx_error)?;
        }
        None => {
            sheet
                .write_blank(row, col, &formats.date)
                .map_err(xlsx_error)?;
        }
    }
    Ok(())
}

/// Saves the workbook into memory.
pub(crate) fn save(mut workbook: Workbook) -> Result<Vec<u8>> {
    workbook.save_to_buffer().map_err(xlsx_error)
}

/// The writer's failures are caller input the sheet cannot hold (too many rows, a date
/// before 1900, a text over 32,767 characters).
pub(crate) fn xlsx_error(e: XlsxError) -> Error {
    Error::invalid_input(format!("cannot write the spreadsheet: {e}"))
}
