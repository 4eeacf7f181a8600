//! Open items from a spreadsheet (`.xlsx`, `.xlsm`, `.xls`, `.ods`): the first sheet, the
//! first non-empty row as the header (the same names as the CSV the CLI reads), one open item
//! per following non-empty row. Errors name the cell, e.g. `cell C3 (amount): …`.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};

use crate::error::{Error, Result};
use crate::reconcile::OpenItem;
use crate::reconcile::input::{headers, open_item_from_row};

/// Reads the open items from a workbook's bytes.
pub fn read_open_items(bytes: &[u8]) -> Result<Vec<OpenItem>> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| Error::invalid_input(format!("not a readable spreadsheet: {e}")))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| Error::invalid_input("the spreadsheet has no sheet"))?
        .map_err(|e| Error::invalid_input(format!("cannot read the first sheet: {e}")))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows = range
        .rows()
        .enumerate()
        .filter(|(_, cells)| cells.iter().any(|c| !matches!(c, Data::Empty)));
    let Some((_, header_cells)) = rows.next() else {
        return Ok(Vec::new());
    };
    let names: Vec<String> = header_cells
        .iter()
        .map(|c| c.to_string().trim().to_ascii_lowercase())
        .collect();
    for required in [headers::ID, headers::REFERENCE, headers::AMOUNT] {
        if !names.iter().any(|n| required.contains(&n.as_str())) {
            return Err(Error::invalid_input(format!(
                "the first sheet's header row has no {:?} column (found: {})",
                required[0],
                names.join(", ")
            )));
        }
    }
    let mut items = Vec::new();
    for (index, cells) in rows {
        let row = top + index as u32 + 1;
        let texts = cells
            .iter()
            .enumerate()
            .map(|(col, cell)| {
                cell_text(cell, names.get(col).map_or("", String::as_str))
                    .map_err(|message| at(row, left + col as u32, &names[col], &message))
            })
            .collect::<Result<Vec<String>>>()?;
        let get = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| {
                    names
                        .iter()
                        .position(|n| n == k)
                        .and_then(|col| texts.get(col))
                        .filter(|v| !v.is_empty())
                })
                .map(String::as_str)
        };
        let item = open_item_from_row(get).map_err(|e| {
            let col = names
                .iter()
                .position(|n| header_names(e.field).contains(&n.as_str()));
            match col {
                Some(col) => at(row, left + col as u32, e.field, &e.message),
                None => Error::invalid_input(format!("row {row}: {}", e.message)),
            }
        })?;
        items.push(item);
    }
    Ok(items)
}

/// Every accepted header for a canonical field name.
fn header_names(field: &str) -> &'static [&'static str] {
    [
        headers::ID,
        headers::REFERENCE,
        headers::AMOUNT,
        headers::CURRENCY,
        headers::DUE,
    ]
    .into_iter()
    .find(|names| names[0] == field)
    .unwrap_or(&[])
}

/// The error for one cell: `cell C3 (amount): invalid amount "12,5": …`.
fn at(row: u32, col: u32, field: &str, message: &str) -> Error {
    Error::invalid_input(format!(
        "cell {}{row} ({field}): {message}",
        column_letters(col)
    ))
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`.
fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A cell as the text the shared row rules read. Whole numbers in text columns (an id or
/// reference typed without a text format) keep their digits; an amount with more than two
/// decimals (e.g. a formula result such as 0.30000000000000004) is refused rather than
/// rounded; dates become `YYYY-MM-DD`.
fn cell_text(cell: &Data, header: &str) -> std::result::Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f, headers::AMOUNT.contains(&header))?,
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(format!("the cell holds the error {e}")),
    })
}

/// The shortest decimal text of a number; at most two decimals for amounts.
fn float_text(f: f64, is_amount: bool) -> std::result::Result<String, String> {
    if !f.is_finite() {
        return Err(format!("{f} is not a number"));
    }
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        return Ok(format!("{f:.0}"));
    }
    let text = f.to_string();
    let decimals = text.split_once('.').map_or(0, |(_, frac)| frac.len());
    if is_amount && decimals > 2 {
        return Err(format!(
            "amount {text} has more than two decimals; round it in the sheet"
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_columns_like_a_spreadsheet() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(2), "C");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn reads_numbers_as_the_text_a_person_typed() {
        assert_eq!(float_text(1245.0, false).unwrap(), "1245");
        assert_eq!(float_text(120.5, true).unwrap(), "120.5");
        assert!(
            float_text(0.1 + 0.2, true)
                .unwrap_err()
                .contains("more than two decimals")
        );
        assert!(float_text(f64::NAN, true).is_err());
    }
}
