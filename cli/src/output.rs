//! How results reach the user: aligned tables for people, `--json` and `--csv` for machines.
//!
//! Commands build a [`Table`] of strings (money stays a decimal string, ids stay strings) and
//! hand it to [`Table::print`] with the chosen [`Format`]. JSON output prints the records as an
//! array of objects keyed by column name, so the three formats always carry the same data.

use std::io::{IsTerminal, Write};

use serde_json::Value;

use crate::exit::CliError;

/// The output format chosen on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns for a terminal.
    Table,
    /// One JSON document (or JSON lines for streaming commands).
    Json,
    /// RFC 4180 CSV with a header row.
    Csv,
}

impl Format {
    /// The format from the global `--json` / `--csv` flags (`--json` wins).
    pub fn from_flags(json: bool, csv: bool) -> Format {
        if json {
            Format::Json
        } else if csv {
            Format::Csv
        } else {
            Format::Table
        }
    }
}

/// Rows of text cells under named columns.
#[derive(Debug, Clone, Default)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Columns aligned to the right (amounts).
    right: Vec<bool>,
}

impl Table {
    /// A table with these column names.
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            right: vec![false; headers.len()],
        }
    }

    /// Aligns the named column to the right (for amounts).
    pub fn align_right(mut self, header: &str) -> Table {
        if let Some(i) = self.headers.iter().position(|h| h == header) {
            self.right[i] = true;
        }
        self
    }

    /// Adds a row; missing cells are blank, extra cells are dropped.
    pub fn push(&mut self, cells: Vec<String>) {
        let mut cells = cells;
        cells.resize(self.headers.len(), String::new());
        self.rows.push(cells);
    }

    /// The rows as JSON objects keyed by column name.
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.rows
                .iter()
                .map(|row| {
                    Value::Object(
                        self.headers
                            .iter()
                            .zip(row)
                            .map(|(h, c)| (h.clone(), Value::String(c.clone())))
                            .collect(),
                    )
                })
                .collect(),
        )
    }

    /// Renders the aligned text form, two spaces between columns.
    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let line = |cells: &[String], out: &mut String| {
            let mut parts = Vec::with_capacity(cells.len());
            for (i, cell) in cells.iter().enumerate() {
                let pad = widths[i].saturating_sub(cell.chars().count());
                let last = i + 1 == cells.len();
                if self.right[i] {
                    parts.push(format!("{}{cell}", " ".repeat(pad)));
                } else if last {
                    parts.push(cell.clone());
                } else {
                    parts.push(format!("{cell}{}", " ".repeat(pad)));
                }
            }
            out.push_str(parts.join("  ").trim_end());
            out.push('\n');
        };
        line(&self.headers, &mut out);
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(&rule, &mut out);
        for row in &self.rows {
            line(row, &mut out);
        }
        out
    }

    /// Renders CSV with a header row.
    pub fn to_csv(&self) -> Result<String, CliError> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let csv_err = |e: csv::Error| CliError::invalid(format!("cannot write CSV: {e}"));
        writer.write_record(&self.headers).map_err(csv_err)?;
        for row in &self.rows {
            writer.write_record(row).map_err(csv_err)?;
        }
        let bytes = writer
            .into_inner()
            .map_err(|e| CliError::invalid(format!("cannot write CSV: {e}")))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Prints the table to stdout in `format`.
    pub fn print(&self, format: Format) -> Result<(), CliError> {
        match format {
            Format::Table => print_str(&self.render()),
            Format::Json => print_json(&self.to_json()),
            Format::Csv => print_str(&self.to_csv()?),
        }
    }
}

/// Writes text to stdout; a closed pipe (`| head`) ends quietly instead of panicking.
pub fn print_str(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::io("cannot write to stdout", e)),
    }
}

/// Prints one pretty JSON document followed by a newline.
pub fn print_json(value: &Value) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::invalid(format!("cannot encode JSON: {e}")))?;
    print_str(&format!("{text}\n"))
}

/// Prints one compact JSON document on its own line (for streams of events).
pub fn print_json_line(value: &Value) -> Result<(), CliError> {
    let text = serde_json::to_string(value)
        .map_err(|e| CliError::invalid(format!("cannot encode JSON: {e}")))?;
    print_str(&format!("{text}\n"))
}

/// Converts any serialisable SDK value into JSON for display.
pub fn to_value<T: serde::Serialize>(value: &T) -> Result<Value, CliError> {
    serde_json::to_value(value).map_err(|e| CliError::invalid(format!("cannot encode JSON: {e}")))
}

/// An amount with at least two decimals, as money is written (`0.00`, `12.50`).
pub fn money(amount: opcorp::Amount) -> String {
    let mut value = amount.as_decimal();
    if value.scale() < 2 {
        value.rescale(2);
    }
    value.to_string()
}

/// A JSON value as display text: strings without quotes, null as empty, numbers in their
/// exact textual form (arbitrary precision keeps 20-digit ids intact).
pub fn plain(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Whether stderr is a terminal (progress indicators and colours only go there).
pub fn stderr_is_tty() -> bool {
    std::io::stderr().is_terminal()
}

/// A progress line on stderr, redrawn in place; silent unless enabled.
#[derive(Debug)]
pub struct Progress {
    enabled: bool,
    label: String,
    count: u64,
    tty: bool,
}

impl Progress {
    /// A progress indicator for `label`, shown when `enabled`.
    pub fn new(label: &str, enabled: bool) -> Progress {
        Progress {
            enabled,
            label: label.to_owned(),
            count: 0,
            tty: stderr_is_tty(),
        }
    }

    /// Counts one more item; redraws every 100 items (every item on a terminal is too slow).
    pub fn tick(&mut self) {
        self.count += 1;
        if self.enabled && self.count.is_multiple_of(100) {
            self.draw();
        }
    }

    fn draw(&self) {
        if self.tty {
            eprint!("\r{}: {} …", self.label, self.count);
        } else {
            eprintln!("{}: {} …", self.label, self.count);
        }
    }

    /// Prints the final count.
    pub fn finish(&self) {
        if self.enabled {
            let clear = if self.tty { "\r" } else { "" };
            eprintln!("{clear}{}: {} done", self.label, self.count);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(&["iban", "amount"]).align_right("amount");
        t.push(vec!["FI21 1234".into(), "5.00".into()]);
        t.push(vec!["FI9".into(), "1250.10".into()]);
        t
    }

    #[test]
    fn table_aligns_columns_and_amounts_right() {
        let text = sample().render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "iban        amount");
        assert_eq!(lines[2], "FI21 1234     5.00");
        assert_eq!(lines[3], "FI9        1250.10");
    }

    #[test]
    fn csv_quotes_and_json_keys_by_column() {
        let mut t = Table::new(&["name", "n"]);
        t.push(vec!["Oy \"Ab\", Ltd".into(), "1".into()]);
        assert_eq!(t.to_csv().unwrap(), "name,n\n\"Oy \"\"Ab\"\", Ltd\",1\n");
        assert_eq!(t.to_json()[0]["name"], "Oy \"Ab\", Ltd");
    }

    #[test]
    fn money_has_two_decimals() {
        assert_eq!(money(opcorp::Amount::ZERO), "0.00");
        assert_eq!(money("12.5".parse().unwrap()), "12.50");
        assert_eq!(money("1.125".parse().unwrap()), "1.125");
    }

    #[test]
    fn plain_keeps_big_numbers_exact() {
        let v: Value = serde_json::from_str(r#"{"a":20190524593156999999,"b":null}"#).unwrap();
        assert_eq!(plain(&v["a"]), "20190524593156999999");
        assert_eq!(plain(&v["b"]), "");
    }
}
