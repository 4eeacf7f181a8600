//! A reconciliation fed in steps: the lifecycle of every binding's reconciler object.

use super::{OpenItem, Reconciler, Report};
use crate::error::{Error, Result};

/// A reconciliation fed in steps: open items added (in one go or in chunks) until the first
/// payment, then payments matched, then the report taken, once. Every binding's reconciler
/// object is one of these, so the order rules and their errors are the same in every
/// language.
pub struct ReconcileRun {
    phase: Phase,
}

/// Where a run is.
enum Phase {
    /// Open items are being added.
    Collecting(Vec<OpenItem>),
    /// Payments are being matched.
    Matching(Box<Reconciler>),
    /// The report was taken.
    Finished,
}

impl std::fmt::Debug for ReconcileRun {
    /// The phase and counts only: a run may hold millions of items.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.phase {
            Phase::Collecting(items) => write!(f, "ReconcileRun(collecting {} items)", items.len()),
            Phase::Matching(engine) => write!(f, "ReconcileRun({engine:?})"),
            Phase::Finished => f.write_str("ReconcileRun(finished)"),
        }
    }
}

impl ReconcileRun {
    /// A run that starts with these open items (more may be added before the first payment).
    pub fn new(items: impl IntoIterator<Item = OpenItem>) -> Self {
        ReconcileRun {
            phase: Phase::Collecting(items.into_iter().collect()),
        }
    }

    /// Adds open items: only before the first payment.
    pub fn add_items(&mut self, items: impl IntoIterator<Item = OpenItem>) -> Result<()> {
        match &mut self.phase {
            Phase::Collecting(collected) => {
                collected.extend(items);
                Ok(())
            }
            Phase::Matching(_) => Err(Error::invalid_input(
                "items can only be added before the first payment",
            )),
            Phase::Finished => Err(finished()),
        }
    }

    /// The engine for the next payment, indexing the collected items on first use.
    pub fn engine(&mut self) -> Result<&mut Reconciler> {
        if let Phase::Collecting(items) = &mut self.phase {
            let items = std::mem::take(items);
            self.phase = Phase::Matching(Box::new(Reconciler::new(items)));
        }
        match &mut self.phase {
            Phase::Matching(engine) => Ok(engine),
            _ => Err(finished()),
        }
    }

    /// Ends the run: the report, once.
    pub fn finish(&mut self) -> Result<Report> {
        self.engine()?;
        match std::mem::replace(&mut self.phase, Phase::Finished) {
            Phase::Matching(engine) => Ok(engine.finish()),
            _ => Err(finished()),
        }
    }
}

/// The error for a run used after its report was taken.
fn finished() -> Error {
    Error::invalid_input("this reconciler is finished (its report was taken); create a new one")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::amount::Amount;
    use crate::domain::reference::Reference;
    use crate::reconcile::{Absorbed, Payment};

    fn item(id: &str, reference: &str) -> OpenItem {
        OpenItem {
            id: id.into(),
            reference: Reference::parse(reference).unwrap(),
            amount: Amount::from_minor_units(1000),
            currency: "EUR".into(),
            due_date: None,
        }
    }

    #[test]
    fn items_come_first_and_the_report_once() {
        let mut run = ReconcileRun::new([item("a", "1232")]);
        run.add_items([item("b", "1245")]).unwrap();
        assert!(format!("{run:?}").contains("collecting 2 items"));
        let payment = Payment {
            id: "p".into(),
            reference: Some("1245".into()),
            amount: Amount::from_minor_units(1000),
            currency: "EUR".into(),
            booking_date: None,
            payer_name: None,
        };
        let outcome = run.engine().unwrap().absorb(payment.borrowed());
        assert!(matches!(outcome, Absorbed::Matched { item_index: 1, .. }));
        let late = run.add_items([item("c", "1258")]).unwrap_err();
        assert!(
            late.message().contains("before the first payment"),
            "{late}"
        );
        let report = run.finish().unwrap();
        assert_eq!((report.totals.items, report.totals.paid), (2, 1));
        for error in [run.finish().unwrap_err(), run.engine().unwrap_err()] {
            assert!(error.message().contains("is finished"), "{error}");
        }
        assert!(
            run.add_items([])
                .unwrap_err()
                .message()
                .contains("is finished")
        );
    }

    #[test]
    fn a_run_without_payments_reports_every_item_unpaid() {
        let report = ReconcileRun::new([item("a", "1232")]).finish().unwrap();
        assert_eq!(report.totals.unpaid, 1);
    }
}
