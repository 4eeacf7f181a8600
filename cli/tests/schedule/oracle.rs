//! The oracle of "no payment is sent twice, none silently lost", and the run's figures.

use opcorp::outbox::{OutboxEntry, Outcome};
use opcorp_emulator::{Emulator, LedgerEntry};

use super::plan::{Schedule, Step};

/// The bank's ledger entries of one schedule: every booked payment or refund of `amount`
/// (amounts are unique per emulator, so this finds a second payment under any id).
pub fn ledger_matches(emu: &Emulator, amount: &str) -> Vec<LedgerEntry> {
    emu.admin()
        .ledger()
        .into_iter()
        .filter(|e| e.amount == amount)
        .collect()
}

/// The oracle for one settled intent: booked at most once; a success names the booking; a
/// rejection booked nothing; nothing is left unknown; and an order the bank accepts is
/// never reported rejected (nor one it refuses reported booked).
pub fn settle_check(
    intent: &str,
    entry: &OutboxEntry,
    bookable: bool,
    booked: &[LedgerEntry],
) -> Result<(), String> {
    if booked.len() > 1 {
        return Err(format!(
            "{intent}: booked {} times: {booked:?}",
            booked.len()
        ));
    }
    match &entry.outcome {
        Outcome::Succeeded(receipt) => match booked.first() {
            Some(b) if b.archive_id == receipt.archive_id() && bookable => Ok(()),
            other => Err(format!(
                "{intent}: reported booked as {} but the ledger holds {other:?}",
                receipt.archive_id()
            )),
        },
        Outcome::Rejected(_) if booked.is_empty() && !bookable => Ok(()),
        Outcome::Rejected(failure) => Err(format!(
            "{intent}: reported rejected ({} {}) but the ledger holds {booked:?}",
            failure.kind, failure.message
        )),
        Outcome::Unknown(failure) => Err(format!("{intent}: left unknown: {failure:?}")),
    }
}

/// Figures of a run.
#[derive(Debug, Default)]
pub struct Tally {
    pub schedules: usize,
    pub succeeded: usize,
    pub rejected: usize,
    /// Submits that ended unknown and were settled by `drive()`.
    pub unknown_after_submit: usize,
    pub redeliveries: usize,
    pub max_drives: usize,
    pub steps: [usize; Step::NAMES.len()],
}

impl Tally {
    pub fn record(&mut self, s: &Schedule, first: &Outcome, drives: usize, last: &Outcome) {
        self.schedules += 1;
        match last {
            Outcome::Succeeded(_) => self.succeeded += 1,
            Outcome::Rejected(_) => self.rejected += 1,
            Outcome::Unknown(_) => {}
        }
        self.unknown_after_submit += usize::from(!first.is_final());
        self.redeliveries += usize::from(s.redeliver);
        self.max_drives = self.max_drives.max(drives);
        for (step, _) in &s.steps {
            self.steps[step.index()] += 1;
        }
    }

    pub fn add(&mut self, other: &Tally) {
        self.schedules += other.schedules;
        self.succeeded += other.succeeded;
        self.rejected += other.rejected;
        self.unknown_after_submit += other.unknown_after_submit;
        self.redeliveries += other.redeliveries;
        self.max_drives = self.max_drives.max(other.max_drives);
        for (sum, n) in self.steps.iter_mut().zip(other.steps) {
            *sum += n;
        }
    }

    pub fn summary(&self) -> String {
        let steps: Vec<String> = Step::NAMES
            .iter()
            .zip(self.steps)
            .map(|(name, n)| format!("{name} {n}"))
            .collect();
        format!(
            "{} schedules: {} succeeded, {} rejected, {} unknown after submit settled by \
             drive (at most {} drives), {} redelivered intents; faults: {}",
            self.schedules,
            self.succeeded,
            self.rejected,
            self.unknown_after_submit,
            self.max_drives,
            self.redeliveries,
            steps.join(", ")
        )
    }
}
