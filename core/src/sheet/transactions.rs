//! The transactions workbook: one sheet, one row per transaction, written as rows arrive.

use rust_xlsxwriter::Workbook;

use super::{Formats, MAX_ROWS, autofilter, date, header, money, new_workbook, save, text};
use crate::error::{Error, Result};
use crate::model::Transaction;

/// Column headers and widths of the transactions sheet.
const COLUMNS: [(&str, f64); 10] = [
    ("booked", 11.0),
    ("value date", 11.0),
    ("amount", 14.0),
    ("currency", 9.0),
    ("reference", 22.0),
    ("counterparty", 28.0),
    ("counterparty account", 24.0),
    ("message", 36.0),
    ("archive id", 22.0),
    ("end-to-end id", 24.0),
];

/// Builds the transactions workbook row by row, so a caller streaming transactions from the
/// API never holds them all as objects (the workbook keeps its cells until [`finish`]).
///
/// [`finish`]: TransactionsWorkbook::finish
pub struct TransactionsWorkbook {
    workbook: Workbook,
    formats: Formats,
    rows: u32,
}

impl std::fmt::Debug for TransactionsWorkbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransactionsWorkbook")
            .field("rows", &self.rows)
            .finish()
    }
}

impl TransactionsWorkbook {
    /// An empty workbook with the header row.
    pub fn new() -> Result<Self> {
        let mut workbook = new_workbook();
        let formats = Formats::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name("Transactions").map_err(super::xlsx_error)?;
        header(sheet, &formats, &COLUMNS)?;
        Ok(TransactionsWorkbook {
            workbook,
            formats,
            rows: 0,
        })
    }

    /// Appends one transaction. Fails once Excel's row limit is reached.
    pub fn push(&mut self, t: &Transaction) -> Result<()> {
        if self.rows + 1 >= MAX_ROWS {
            return Err(Error::invalid_input(format!(
                "a sheet holds at most {} transactions; narrow the date range",
                MAX_ROWS - 1
            )));
        }
        let row = self.rows + 1;
        let f = &self.formats;
        let sheet = self
            .workbook
            .worksheet_from_index(0)
            .map_err(super::xlsx_error)?;
        let (counterparty, account) = if t.is_debit() {
            (&t.creditor_name, &t.creditor_account)
        } else {
            (&t.debtor_name, &t.debtor_account)
        };
        date(sheet, f, row, 0, Some(t.booking_date))?;
        date(sheet, f, row, 1, t.value_date)?;
        money(sheet, f, row, 2, t.amount)?;
        text(sheet, f, row, 3, t.currency.as_deref().unwrap_or("EUR"))?;
        text(sheet, f, row, 4, t.any_reference().unwrap_or_default())?;
        text(
            sheet,
            f,
            row,
            5,
            counterparty.as_deref().unwrap_or_default(),
        )?;
        text(sheet, f, row, 6, account.as_deref().unwrap_or_default())?;
        text(sheet, f, row, 7, t.message.as_deref().unwrap_or_default())?;
        text(sheet, f, row, 8, &t.archive_id)?;
        text(
            sheet,
            f,
            row,
            9,
            t.end_to_end_id.as_deref().unwrap_or_default(),
        )?;
        self.rows = row;
        Ok(())
    }

    /// How many transactions were written.
    pub fn len(&self) -> u32 {
        self.rows
    }

    /// Whether no transaction was written.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Adds the autofilter and returns the `.xlsx` file's bytes.
    pub fn finish(mut self) -> Result<Vec<u8>> {
        let sheet = self
            .workbook
            .worksheet_from_index(0)
            .map_err(super::xlsx_error)?;
        autofilter(sheet, self.rows, COLUMNS.len())?;
        save(self.workbook)
    }
}

/// The transactions workbook for a list of transactions, as `.xlsx` bytes.
pub fn transactions_xlsx<'a>(
    transactions: impl IntoIterator<Item = &'a Transaction>,
) -> Result<Vec<u8>> {
    let mut workbook = TransactionsWorkbook::new()?;
    for t in transactions {
        workbook.push(t)?;
    }
    workbook.finish()
}
