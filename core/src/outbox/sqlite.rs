//! [`SqliteOutboxStore`]: the embedded default store, one SQLite file.
//!
//! Crash safety: the file is in WAL mode with `synchronous=FULL`, so a transaction that
//! returned is on disk (fsynced) before the outbox sends anything; a `kill -9` or power loss
//! afterwards cannot lose the entry. (`NORMAL` with WAL would only risk the last commits on
//! power loss, but those are exactly the "stored before the first send" rows, so it is not
//! used.) Several processes may share one file: writers wait up to
//! [`BUSY_TIMEOUT`] for each other.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::entry::{Failure, OutboxEntry, Outcome, Receipt, kind_from_name, kind_name};
use super::store::{ListFilter, OutboxStore};
use crate::error::{Error, ErrorKind, PendingOperation, Result};

/// The schema version this code writes (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;

/// How long a writer waits for another process holding the file's write lock.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS opcorp_outbox (
    intent        TEXT PRIMARY KEY NOT NULL,
    kind          TEXT NOT NULL,
    operation_id  TEXT NOT NULL,
    body          BLOB NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'rejected')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    receipt       TEXT,
    error_code    TEXT,
    error_message TEXT,
    error_status  INTEGER,
    created_ms    INTEGER NOT NULL,
    updated_ms    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS opcorp_outbox_pending ON opcorp_outbox (created_ms)
    WHERE state = 'pending';
";

const COLUMNS: &str = "intent, kind, operation_id, body, state, attempts, receipt, error_code, \
                       error_message, error_status, created_ms, updated_ms";

/// An outbox in one SQLite file (WAL, `synchronous=FULL`).
pub struct SqliteOutboxStore {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for SqliteOutboxStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteOutboxStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteOutboxStore {
    /// Opens (creating when missing) the outbox file at `path`. Fails with
    /// [`ErrorKind::Config`] when the file is not an SQLite database or was written by a
    /// newer version.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteOutboxStore> {
        let path = path.as_ref().to_path_buf();
        let fail = |e: rusqlite::Error| db_error(&path, e);
        let conn = Connection::open(&path).map_err(fail)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(fail)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(fail)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::config(format!(
                "outbox file {}: cannot switch to WAL mode (got {mode})",
                path.display()
            )));
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(fail)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(fail)?;
        if version > SCHEMA_VERSION {
            return Err(Error::config(format!(
                "outbox file {} has schema version {version}; this opcorp reads up to \
                 {SCHEMA_VERSION}",
                path.display()
            )));
        }
        conn.execute_batch(SCHEMA).map_err(fail)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(fail)?;
        Ok(SqliteOutboxStore {
            path,
            conn: Mutex::new(conn),
        })
    }

    /// The file this store writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (its own
        // transactions are atomic), so a poisoned lock is safe to keep using.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn fail(&self, e: rusqlite::Error) -> Error {
        db_error(&self.path, e)
    }

    fn select(&self, conn: &Connection, intent: &str) -> Result<Option<OutboxEntry>> {
        let sql = format!("SELECT {COLUMNS} FROM opcorp_outbox WHERE intent = ?1");
        let raw = conn
            .query_row(&sql, params![intent], raw_row)
            .optional()
            .map_err(|e| self.fail(e))?;
        raw.map(RawRow::into_entry).transpose()
    }
}

impl OutboxStore for SqliteOutboxStore {
    fn insert(&self, entry: &OutboxEntry) -> Result<Option<OutboxEntry>> {
        let conn = self.conn();
        let inserted = conn
            .execute(
                "INSERT INTO opcorp_outbox (intent, kind, operation_id, body, state, attempts, \
                 created_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, 'pending', 0, ?5, ?5) \
                 ON CONFLICT (intent) DO NOTHING",
                params![
                    entry.intent,
                    kind_name(entry.operation.kind),
                    entry.operation.id,
                    entry.operation.body,
                    entry.created_ms,
                ],
            )
            .map_err(|e| self.fail(e))?;
        if inserted == 1 {
            return Ok(None);
        }
        self.select(&conn, &entry.intent)
    }

    fn get(&self, intent: &str) -> Result<Option<OutboxEntry>> {
        self.select(&self.conn(), intent)
    }

    fn begin_attempt(&self, intent: &str, now_ms: i64) -> Result<Option<OutboxEntry>> {
        let conn = self.conn();
        let sql = format!(
            "UPDATE opcorp_outbox SET attempts = attempts + 1, updated_ms = ?2 \
             WHERE intent = ?1 AND state = 'pending' RETURNING {COLUMNS}"
        );
        let raw = conn
            .query_row(&sql, params![intent, now_ms], raw_row)
            .optional()
            .map_err(|e| self.fail(e))?;
        let Some(mut entry) = raw.map(RawRow::into_entry).transpose()? else {
            return Ok(None);
        };
        entry.attempts = entry.attempts.saturating_sub(1);
        Ok(Some(entry))
    }

    fn record(&self, intent: &str, outcome: &Outcome, now_ms: i64) -> Result<Option<OutboxEntry>> {
        let conn = self.conn();
        let (state, receipt, failure) = match outcome {
            Outcome::Succeeded(receipt) => {
                let json = serde_json::to_string(receipt).map_err(|e| {
                    Error::config("cannot encode the receipt for the outbox").with_source(e)
                })?;
                ("succeeded", Some(json), None)
            }
            Outcome::Rejected(failure) => ("rejected", None, Some(failure)),
            Outcome::Unknown(None) => return self.select(&conn, intent),
            Outcome::Unknown(Some(failure)) => ("pending", None, Some(failure)),
        };
        conn.execute(
            "UPDATE opcorp_outbox SET state = ?2, receipt = ?3, error_code = ?4, \
             error_message = ?5, error_status = ?6, updated_ms = ?7 \
             WHERE intent = ?1 AND state = 'pending'",
            params![
                intent,
                state,
                receipt,
                failure.map(|f| f.kind.code()),
                failure.map(|f| f.message.as_str()),
                failure.and_then(|f| f.status),
                now_ms,
            ],
        )
        .map_err(|e| self.fail(e))?;
        self.select(&conn, intent)
    }

    fn list(&self, filter: ListFilter) -> Result<Vec<OutboxEntry>> {
        let conn = self.conn();
        let condition = match filter {
            ListFilter::All => "",
            ListFilter::Unsettled => "WHERE state = 'pending'",
        };
        let sql =
            format!("SELECT {COLUMNS} FROM opcorp_outbox {condition} ORDER BY created_ms, intent");
        let mut statement = conn.prepare(&sql).map_err(|e| self.fail(e))?;
        let rows = statement
            .query_map([], raw_row)
            .map_err(|e| self.fail(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.fail(e))?;
        rows.into_iter().map(RawRow::into_entry).collect()
    }
}

/// One row as SQLite returns it, before its texts are checked.
struct RawRow {
    intent: String,
    kind: String,
    operation_id: String,
    body: Vec<u8>,
    state: String,
    attempts: i64,
    receipt: Option<String>,
    error_code: Option<String>,
    error_message: Option<String>,
    error_status: Option<i64>,
    created_ms: i64,
    updated_ms: i64,
}

fn raw_row(row: &Row<'_>) -> rusqlite::Result<RawRow> {
    Ok(RawRow {
        intent: row.get(0)?,
        kind: row.get(1)?,
        operation_id: row.get(2)?,
        body: row.get(3)?,
        state: row.get(4)?,
        attempts: row.get(5)?,
        receipt: row.get(6)?,
        error_code: row.get(7)?,
        error_message: row.get(8)?,
        error_status: row.get(9)?,
        created_ms: row.get(10)?,
        updated_ms: row.get(11)?,
    })
}

impl RawRow {
    fn into_entry(self) -> Result<OutboxEntry> {
        let failure = match self.error_code.as_deref() {
            None => None,
            Some(code) => Some(Failure {
                kind: ErrorKind::from_code(code).ok_or_else(|| {
                    Error::config(format!("outbox holds an unknown error code {code:?}"))
                })?,
                message: self.error_message.unwrap_or_default(),
                status: self.error_status.and_then(|s| u16::try_from(s).ok()),
            }),
        };
        let outcome = match (self.state.as_str(), failure) {
            ("pending", failure) => Outcome::Unknown(failure),
            ("succeeded", _) => {
                let text = self.receipt.unwrap_or_default();
                let receipt: Receipt = serde_json::from_str(&text).map_err(|e| {
                    Error::config(format!("outbox receipt of {:?} is unreadable", self.intent))
                        .with_source(e)
                })?;
                Outcome::Succeeded(receipt)
            }
            ("rejected", Some(failure)) => Outcome::Rejected(failure),
            (state, _) => {
                return Err(Error::config(format!(
                    "outbox entry {:?} has an invalid state {state:?}",
                    self.intent
                )));
            }
        };
        Ok(OutboxEntry {
            operation: PendingOperation {
                kind: kind_from_name(&self.kind)?,
                id: self.operation_id,
                body: self.body,
            },
            intent: self.intent,
            attempts: u32::try_from(self.attempts).unwrap_or(u32::MAX),
            created_ms: self.created_ms,
            updated_ms: self.updated_ms,
            outcome,
        })
    }
}

/// A [`ErrorKind::Config`] error naming the file and the SQLite failure.
fn db_error(path: &Path, e: rusqlite::Error) -> Error {
    Error::config(format!("outbox file {}: {e}", path.display())).with_source(e)
}
