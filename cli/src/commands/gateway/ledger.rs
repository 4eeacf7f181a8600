//! The gateway's daily payment total, kept in an embedded SQLite file so a restart (or a
//! crash) cannot reset it: a reservation is committed durably (WAL, `synchronous=FULL`)
//! before the payment is forwarded, so a payment that may have reached the bank is always
//! counted. The limit arithmetic itself is [`policy::check_daily`], free of I/O.

use std::path::Path;

use opcorp::Amount;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use time::Date;

use super::policy::{self, LimitRefusal, PaymentLimits};
use crate::exit::CliError;

/// One row per payment counted against a UTC day, keyed by its `instructionId` so a resend
/// of the same payment (de-duplicated by OP) is not counted twice. Amounts are exact minor
/// units (cents).
const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS reservations (
    day TEXT NOT NULL,
    instruction_id TEXT NOT NULL,
    cents INTEGER NOT NULL,
    PRIMARY KEY (day, instruction_id)
)";

/// The durable daily ledger.
#[derive(Debug)]
pub struct DailyLedger {
    conn: Connection,
}

impl DailyLedger {
    /// Opens (creating if needed) the ledger file.
    pub fn open(path: &Path) -> Result<Self, CliError> {
        let conn = Connection::open(path).map_err(|e| store_error(path, &e))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .and_then(|()| conn.pragma_update(None, "synchronous", "FULL"))
            .and_then(|()| conn.busy_timeout(std::time::Duration::from_secs(5)))
            .and_then(|()| conn.execute_batch(SCHEMA))
            .map_err(|e| store_error(path, &e))?;
        Ok(DailyLedger { conn })
    }

    /// Checks `amount` against `limits` and, when allowed, reserves it under `id` for `today`
    /// in one immediate transaction. A payment already counted today passes without being
    /// counted again. `Err` is a storage failure (the payment must then be refused).
    pub fn reserve(
        &mut self,
        limits: PaymentLimits,
        id: &str,
        amount: Amount,
        today: Date,
    ) -> Result<Result<(), LimitRefusal>, String> {
        if amount > limits.per_payment {
            return Ok(Err(LimitRefusal::PerPayment {
                limit: limits.per_payment,
            }));
        }
        let cents = amount
            .to_minor_units()
            .map_err(|e| e.message().to_owned())?;
        let day = today.to_string();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| e.to_string())?;
        let counted: Option<i64> = tx
            .query_row(
                "SELECT cents FROM reservations WHERE day = ?1 AND instruction_id = ?2",
                params![day, id],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| e.to_string())?;
        if counted.is_some() {
            return Ok(Ok(()));
        }
        let used: i64 = tx
            .query_row(
                "SELECT COALESCE(SUM(cents), 0) FROM reservations WHERE day = ?1",
                params![day],
                |row| row.get(0),
            )
            .map_err(|e| e.to_string())?;
        let used = Amount::from_minor_units(used);
        if let Err(refusal) = policy::check_daily(limits, used, amount) {
            return Ok(Err(refusal));
        }
        tx.execute(
            "INSERT INTO reservations (day, instruction_id, cents) VALUES (?1, ?2, ?3)",
            params![day, id, cents],
        )
        .map_err(|e| e.to_string())?;
        // Earlier days no longer matter; keep the file small.
        tx.execute("DELETE FROM reservations WHERE day < ?1", params![day])
            .map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())?;
        Ok(Ok(()))
    }

    /// Gives back the reservation of a payment the bank certainly did not book.
    pub fn release(&mut self, id: &str, today: Date) -> Result<(), String> {
        self.conn
            .execute(
                "DELETE FROM reservations WHERE day = ?1 AND instruction_id = ?2",
                params![today.to_string(), id],
            )
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Used so far on `day`.
    #[cfg(test)]
    pub fn used(&self, day: Date) -> Amount {
        let cents: i64 = self
            .conn
            .query_row(
                "SELECT COALESCE(SUM(cents), 0) FROM reservations WHERE day = ?1",
                params![day.to_string()],
                |row| row.get(0),
            )
            .unwrap_or(-1);
        Amount::from_minor_units(cents)
    }
}

fn store_error(path: &Path, err: &rusqlite::Error) -> CliError {
    CliError::config(format!(
        "cannot open the gateway's payment ledger {}: {err}",
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn amt(s: &str) -> Amount {
        s.parse().unwrap()
    }

    #[test]
    fn limits_survive_reopening_and_resends_count_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite");
        let limits = PaymentLimits {
            per_payment: amt("100.00"),
            daily: amt("150.00"),
        };
        let day = date!(2026 - 01 - 05);
        {
            let mut ledger = DailyLedger::open(&path).unwrap();
            assert!(matches!(
                ledger.reserve(limits, "a", amt("100.01"), day).unwrap(),
                Err(LimitRefusal::PerPayment { .. })
            ));
            ledger
                .reserve(limits, "a", amt("100.00"), day)
                .unwrap()
                .unwrap();
            ledger
                .reserve(limits, "a", amt("100.00"), day)
                .unwrap()
                .unwrap();
            assert_eq!(
                ledger.used(day),
                amt("100.00"),
                "a resend is not counted twice"
            );
        }
        let mut ledger = DailyLedger::open(&path).unwrap();
        assert_eq!(
            ledger.used(day),
            amt("100.00"),
            "the total survives a restart"
        );
        assert!(matches!(
            ledger.reserve(limits, "b", amt("50.01"), day).unwrap(),
            Err(LimitRefusal::Daily { .. })
        ));
        ledger
            .reserve(limits, "b", amt("50.00"), day)
            .unwrap()
            .unwrap();
        ledger.release("b", day).unwrap();
        assert_eq!(ledger.used(day), amt("100.00"));
        let next = date!(2026 - 01 - 06);
        ledger
            .reserve(limits, "c", amt("100.00"), next)
            .unwrap()
            .unwrap();
        assert_eq!(
            ledger.used(next),
            amt("100.00"),
            "a new day starts from zero"
        );
        assert_eq!(ledger.used(day), amt("0"), "earlier days are pruned");
    }
}
