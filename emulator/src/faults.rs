//! Fault injection: rules that make the OP surface misbehave on purpose.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::bank::Route;

/// A fault rule: which requests it hits, what it does, how many times.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Fault {
    /// A `Route::name()` or `"token"`; `None` hits every OP route except the token endpoint.
    pub route: Option<String>,
    /// What happens to a matching request.
    pub kind: FaultKind,
    /// How many matching requests it hits; `None` until cleared.
    pub times: Option<u32>,
}

/// What a fault does to a request.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer `status` before processing. `body` defaults to an OP-style JSON error and
    /// `content_type` to `application/json`; `retry_after` sets the `Retry-After` header.
    Status {
        /// HTTP status.
        status: u16,
        /// `Retry-After` value (delta-seconds or an HTTP date), sent verbatim.
        retry_after: Option<String>,
        /// Body to send instead of the OP-style error.
        body: Option<String>,
        /// Content type of `body`.
        content_type: Option<String>,
    },
    /// Process (book) the request, then answer `status` instead of the real response.
    StatusAfterCommit {
        /// HTTP status.
        status: u16,
    },
    /// Wait, then process normally.
    Latency {
        /// Delay in milliseconds.
        millis: u64,
    },
    /// Abort the TCP connection (RST) before processing.
    ResetBeforeCommit,
    /// Process (book), then abort the connection without any response.
    ResetAfterCommit,
    /// Process, send status, headers and half the body, then close the connection.
    TruncatedBody,
    /// Answer 200 with a JSON body of `bytes` bytes.
    OversizedBody {
        /// Body size.
        bytes: usize,
    },
    /// Process, then send the real answer at `bytes_per_second` (a chunk every 100 ms),
    /// padded with trailing JSON whitespace to at least `pad_to` bytes: a slow link that
    /// never stalls long enough for a read deadline, only for a total one.
    SlowBody {
        /// Transfer rate of the body (at least 1).
        bytes_per_second: u64,
        /// Minimum body size after padding (`None`: the answer as it is).
        pad_to: Option<usize>,
    },
}

impl Fault {
    /// Whether the rule hits a request to `route` (`"token"` for the token endpoint).
    fn matches(&self, route: &str) -> bool {
        match &self.route {
            Some(name) => name == route,
            None => route != "token",
        }
    }

    /// Why the rule is unusable, if it is: an unknown route or a status outside 100..=599.
    pub(crate) fn problem(&self) -> Option<String> {
        if let Some(route) = &self.route
            && route != "token"
            && !all_routes().iter().any(|r| r.name() == route)
        {
            return Some(format!("unknown route {route:?}"));
        }
        match self.kind {
            FaultKind::Status { status, .. } | FaultKind::StatusAfterCommit { status }
                if !(100..=599).contains(&status) =>
            {
                Some(format!("status {status} is not an HTTP status"))
            }
            FaultKind::SlowBody {
                bytes_per_second: 0,
                ..
            } => Some("bytes_per_second must be at least 1".to_owned()),
            _ => None,
        }
    }
}

/// Every OP route (the match keeps this list in step with `Route`).
pub(crate) fn all_routes() -> [Route; 14] {
    let check = |route: Route| match route {
        Route::Accounts
        | Route::Account
        | Route::TransactionsV1
        | Route::TransactionsV2
        | Route::TransactionsV3
        | Route::SepaPayment
        | Route::SepaInstantPayment
        | Route::InstantStatus
        | Route::Refund
        | Route::FilterDebit
        | Route::FilterCredit
        | Route::PayerDetails
        | Route::Mandates
        | Route::VerifyAccount => route,
    };
    [
        Route::Accounts,
        Route::Account,
        Route::TransactionsV1,
        Route::TransactionsV2,
        Route::TransactionsV3,
        Route::SepaPayment,
        Route::SepaInstantPayment,
        Route::InstantStatus,
        Route::Refund,
        Route::FilterDebit,
        Route::FilterCredit,
        Route::PayerDetails,
        Route::Mandates,
        Route::VerifyAccount,
    ]
    .map(check)
}

/// What the faults decided for one request.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// Total injected delay.
    pub delay: Duration,
    /// The first non-latency fault that matched.
    pub action: Option<FaultKind>,
}

/// The active rules, in injection order.
#[derive(Default)]
pub(crate) struct Faults {
    rules: Vec<Fault>,
}

impl Faults {
    /// Adds a rule after the existing ones.
    pub fn inject(&mut self, fault: Fault) {
        if fault.times != Some(0) {
            self.rules.push(fault);
        }
    }

    /// Removes every rule.
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// The active rules.
    pub fn list(&self) -> Vec<Fault> {
        self.rules.clone()
    }

    /// Applies the rules to one request to `route`: every matching latency rule adds its
    /// delay; the first matching other rule becomes the action. Each rule that applies uses
    /// up one of its `times`; exhausted rules are removed.
    pub fn take(&mut self, route: &str) -> Plan {
        let mut plan = Plan::default();
        for rule in &mut self.rules {
            if !rule.matches(route) {
                continue;
            }
            match &rule.kind {
                FaultKind::Latency { millis } => {
                    plan.delay += Duration::from_millis(*millis);
                }
                _ if plan.action.is_some() => continue,
                other => plan.action = Some(other.clone()),
            }
            if let Some(times) = &mut rule.times {
                *times = times.saturating_sub(1);
            }
        }
        self.rules.retain(|rule| rule.times != Some(0));
        plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(route: Option<&str>, kind: FaultKind, times: Option<u32>) -> Fault {
        Fault {
            route: route.map(str::to_string),
            kind,
            times,
        }
    }

    #[test]
    fn rules_apply_in_order_and_wear_out() {
        let mut faults = Faults::default();
        faults.inject(fault(None, FaultKind::ResetBeforeCommit, Some(1)));
        faults.inject(fault(
            Some("accounts"),
            FaultKind::StatusAfterCommit { status: 502 },
            Some(2),
        ));
        faults.inject(fault(None, FaultKind::Latency { millis: 5 }, None));
        let first = faults.take("accounts");
        assert_eq!(first.action, Some(FaultKind::ResetBeforeCommit));
        assert_eq!(first.delay, Duration::from_millis(5));
        let second = faults.take("accounts");
        assert_eq!(
            second.action,
            Some(FaultKind::StatusAfterCommit { status: 502 })
        );
        assert!(faults.take("token").action.is_none(), "None skips token");
        assert!(faults.take("accounts").action.is_some());
        assert!(faults.take("accounts").action.is_none());
        assert_eq!(
            faults.list().len(),
            1,
            "only the endless latency rule is left"
        );
    }

    #[test]
    fn problems_are_reported() {
        assert!(
            fault(Some("acounts"), FaultKind::TruncatedBody, None)
                .problem()
                .is_some()
        );
        let bad_status = FaultKind::StatusAfterCommit { status: 1000 };
        assert!(fault(None, bad_status, None).problem().is_some());
        let slow = |bytes_per_second| FaultKind::SlowBody {
            bytes_per_second,
            pad_to: None,
        };
        assert!(fault(None, slow(0), None).problem().is_some());
        assert!(fault(None, slow(1), None).problem().is_none());
        assert!(
            fault(Some("token"), FaultKind::TruncatedBody, None)
                .problem()
                .is_none()
        );
    }
}
