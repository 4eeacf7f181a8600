//! How the demo shows what happens: timestamped lines for people, JSON lines for machines.
//!
//! Every line carries the seconds since the demo started, so the real-time behaviour is
//! visible: a payment sent at +3.1 s and detected at +3.9 s. Several tasks print at once (the
//! simulated customers and the watcher); each event is one `println!`, which holds the stdout
//! lock for the whole line, so lines never interleave.

use std::io::IsTerminal;
use std::time::Instant;

use serde_json::{Value, json};

/// Prints demo events; cheap to clone into tasks.
#[derive(Debug, Clone)]
pub struct Printer {
    json: bool,
    color: bool,
    start: Instant,
}

/// ANSI styles used sparingly: headings, success, failure, dim details.
#[derive(Debug, Clone, Copy)]
pub enum Style {
    /// Section headings.
    Bold,
    /// Something that went as expected.
    Good,
    /// Something that did not.
    Bad,
    /// Attention without failure (partial, overpaid, unmatched by design).
    Warn,
    /// Secondary details.
    Dim,
}

impl Printer {
    /// A printer for JSON lines (`json`) or human text (colour only on a terminal without
    /// `NO_COLOR`).
    pub fn new(json: bool) -> Printer {
        let color = !json
            && std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Printer {
            json,
            color,
            start: Instant::now(),
        }
    }

    /// Whether events are printed as JSON lines.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Seconds since the demo started.
    pub fn elapsed(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// Wraps `text` in an ANSI style when colour is on.
    pub fn paint(&self, style: Style, text: &str) -> String {
        if !self.color {
            return text.to_owned();
        }
        let code = match style {
            Style::Bold => "1",
            Style::Good => "32",
            Style::Bad => "31",
            Style::Warn => "33",
            Style::Dim => "2",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    /// A section heading (human mode) or a `section` event (JSON).
    pub fn section(&self, number: &str, title: &str, story: &str) {
        if self.json {
            self.emit("section", json!({ "number": number, "title": title }));
            return;
        }
        println!();
        println!(
            "{}",
            self.paint(Style::Bold, &format!("━━ {number} {title} ━━"))
        );
        if !story.is_empty() {
            println!("{}", self.paint(Style::Dim, story));
        }
    }

    /// A line of context without a timestamp (human mode only).
    pub fn note(&self, text: &str) {
        if !self.json {
            println!("   {text}");
        }
    }

    /// A timestamped event: `human` for people, `fields` (plus `event` and `t`) for JSON.
    pub fn event(&self, kind: &str, human: &str, fields: Value) {
        if self.json {
            self.emit(kind, fields);
        } else {
            let t = self.paint(Style::Dim, &format!("+{:5.1}s", self.elapsed()));
            println!(" {t}  {human}");
        }
    }

    /// Prints a JSON event line.
    pub fn emit(&self, kind: &str, fields: Value) {
        let mut object = serde_json::Map::new();
        object.insert("event".into(), Value::String(kind.to_owned()));
        object.insert(
            "t".into(),
            json!((self.elapsed() * 1000.0).round() / 1000.0),
        );
        if let Value::Object(extra) = fields {
            object.extend(extra);
        }
        println!("{}", Value::Object(object));
    }

    /// Raw text block (human mode only), e.g. a table.
    pub fn block(&self, text: &str) {
        if !self.json {
            for line in text.lines() {
                println!("   {line}");
            }
        }
    }
}
