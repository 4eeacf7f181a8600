//! The closing summary: every expected outcome next to what actually happened.

use serde_json::json;

use super::events::{Printer, Style};
use crate::output::Table;

/// One expected outcome of the demo and what actually happened.
#[derive(Debug, Clone)]
pub struct Check {
    /// Which case it belongs to ("1", "2", "3" or "setup").
    pub case: String,
    /// What is checked.
    pub what: String,
    /// The expected outcome.
    pub expected: String,
    /// The actual outcome.
    pub actual: String,
    /// Whether it happened as expected.
    pub ok: bool,
}

impl Check {
    /// A check whose outcome is decided by the caller.
    pub fn new(case: &str, what: &str, expected: &str, actual: &str, ok: bool) -> Check {
        Check {
            case: case.into(),
            what: what.into(),
            expected: expected.into(),
            actual: actual.into(),
            ok,
        }
    }

    /// A check that passes when expected and actual are the same text.
    pub fn equal(case: &str, what: &str, expected: &str, actual: &str) -> Check {
        Check::new(case, what, expected, actual, expected == actual)
    }
}

/// Prints the summary table and the verdict; returns whether every check passed.
pub fn summarize(checks: &[Check], printer: &Printer, seconds: f64) -> bool {
    let passed = checks.iter().filter(|c| c.ok).count();
    let all = passed == checks.len() && !checks.is_empty();
    if printer.is_json() {
        printer.emit(
            "summary",
            json!({
                "ok": all,
                "passed": passed,
                "failed": checks.len() - passed,
                "seconds": (seconds * 10.0).round() / 10.0,
                "checks": checks.iter().map(|c| json!({
                    "case": c.case,
                    "what": c.what,
                    "expected": c.expected,
                    "actual": c.actual,
                    "ok": c.ok,
                })).collect::<Vec<_>>(),
            }),
        );
        return all;
    }
    printer.section("", "Summary", "");
    let mut table = Table::new(&["case", "outcome", "expected", "actual", ""]);
    for c in checks {
        table.push(vec![
            c.case.clone(),
            c.what.clone(),
            c.expected.clone(),
            c.actual.clone(),
            if c.ok { "ok".into() } else { "FAILED".into() },
        ]);
    }
    // Colour the verdict column after alignment, so escape codes do not skew the widths.
    let rendered = table
        .render()
        .lines()
        .map(|line| {
            if let Some(head) = line.strip_suffix("FAILED") {
                format!("{head}{}", printer.paint(Style::Bad, "FAILED"))
            } else if let Some(head) = line.strip_suffix("ok") {
                format!("{head}{}", printer.paint(Style::Good, "ok"))
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    printer.block(&rendered);
    let verdict = format!(
        "{passed}/{} expected outcomes happened in {seconds:.1} s",
        checks.len()
    );
    println!();
    if all {
        println!(" {}", printer.paint(Style::Good, &format!("✔ {verdict}")));
    } else {
        println!(" {}", printer.paint(Style::Bad, &format!("✘ {verdict}")));
    }
    all
}
