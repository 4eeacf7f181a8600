//! `opcorp watch --journal FILE`: one JSON line per delivery and per acknowledgement
//! outcome, appended as it happens. An audit trail for operators, and the evidence the
//! multi-process tests read: which worker delivered and acknowledged what, and when.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use opcorp::watch::Delivery;
use serde_json::json;

use crate::exit::CliError;

/// An append-only journal file. Each line is written with a single `write` call on a file
/// opened with `O_APPEND`, so lines of several processes never interleave and a `kill -9`
/// loses at most the line being written.
#[derive(Debug)]
pub struct Journal {
    file: File,
}

impl Journal {
    /// Opens (creating) the journal at `path` for appending.
    pub fn open(path: &Path) -> Result<Self, CliError> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| CliError::io(format!("cannot open journal {}", path.display()), e))?;
        Ok(Journal { file })
    }

    /// Records `event` (`delivered`, `acked` or `ack-refused`) for `delivery`.
    pub fn record(&mut self, event: &str, delivery: &Delivery) -> Result<(), CliError> {
        let at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_micros());
        let detected = delivery
            .detected_at
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_micros());
        let mut line = json!({
            "event": event,
            "pid": std::process::id(),
            "atMicros": at as u64,
            "detectedMicros": detected as u64,
            "account": delivery.account,
            "mandate": delivery.mandate,
            "objectId": delivery.transaction.object_id,
            "archiveId": delivery.transaction.archive_id,
            "timestampMicros": delivery.transaction.timestamp,
        })
        .to_string();
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .map_err(|e| CliError::io("cannot write the journal", e))
    }
}
