//! Scripted incoming payments: `{"events":[{"afterMillis": n, "payment": {...}}]}`, each
//! booked `afterMillis` after the scenario is scheduled.

use std::time::Duration;

use serde::Deserialize;

use crate::bank::IncomingPayment;
use crate::shared::{Shared, lock};

/// A list of incoming payments to book at given offsets.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    /// The payments.
    pub events: Vec<ScenarioEvent>,
}

/// One scheduled incoming payment.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScenarioEvent {
    /// Delay from scheduling, milliseconds.
    pub after_millis: u64,
    /// The payment to book.
    pub payment: IncomingPayment,
}

/// Spawns one task per event; returns the number scheduled. A payment the bank refuses is
/// logged and skipped.
pub(crate) fn schedule(shared: &std::sync::Arc<Shared>, scenario: Scenario) -> usize {
    let count = scenario.events.len();
    let mut scheduled = lock(&shared.scheduled);
    scheduled.retain(|handle| !handle.is_finished());
    for event in scenario.events {
        let shared = shared.clone();
        let task = shared.runtime.spawn({
            let shared = shared.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(event.after_millis)).await;
                let now = shared.now_micros();
                let booked = lock(&shared.bank).simulate_incoming(&event.payment, now);
                match booked {
                    Ok(tx) => {
                        tracing::info!(archive_id = %tx.archive_id, "scenario payment booked")
                    }
                    Err(reason) => tracing::warn!(%reason, "scenario payment refused"),
                }
            }
        });
        scheduled.push(task.abort_handle());
    }
    count
}
