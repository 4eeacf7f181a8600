//! Request counters, read by tests to check retry and single-flight behaviour.

use std::collections::BTreeMap;

use serde::Serialize;

/// How many requests the OP surface received since start or the last reset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counters {
    /// Token endpoint requests, failed ones included.
    pub token_requests: u64,
    /// Requests per route, keyed by `Route::name()` and `"token"`. Requests to a known route
    /// are counted even when they are then refused (401, 413) or hit by a fault.
    pub requests: BTreeMap<String, u64>,
}

impl Counters {
    /// Counts one request to `route`.
    pub(crate) fn count(&mut self, route: &str) {
        if route == "token" {
            self.token_requests += 1;
        }
        *self.requests.entry(route.to_string()).or_default() += 1;
    }
}
