//! Start-up settings of an emulator instance.

use std::path::PathBuf;
use std::time::Duration;

use crate::bank::Quirks;

/// How to start an emulator: ports, where its identities live, the seeded data set and limits.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Port of the OP surface (HTTPS, mTLS); 0 picks a free port.
    pub port: u16,
    /// Port of the admin API (plain HTTP, loopback only); 0 picks a free port.
    pub admin_port: u16,
    /// Directory holding the CA, server certificate and demo identity. `None` creates a
    /// fresh temporary directory that is deleted on shutdown.
    pub state_dir: Option<PathBuf>,
    /// Seed of the deterministic data generator.
    pub seed: u64,
    /// Accounts seeded for each client.
    pub accounts_per_client: usize,
    /// Historical transactions seeded for each account.
    pub transactions_per_account: usize,
    /// Lifetime of issued access tokens.
    pub token_lifetime: Duration,
    /// Allowed distance between a signature's `urn:op.api.iat` and the bank clock.
    pub iat_window: Duration,
    /// Largest request body accepted; bigger bodies get 413.
    pub max_body_bytes: usize,
    /// Don't print the start-up banner.
    pub quiet: bool,
    /// Switchable behaviours of the bank (refund resends, objectId anchors, …); changeable
    /// at run time through `POST /admin/quirks`.
    pub quirks: Quirks,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            port: 0,
            admin_port: 0,
            state_dir: None,
            seed: 42,
            accounts_per_client: 3,
            transactions_per_account: 40,
            token_lifetime: Duration::from_secs(3600),
            iat_window: Duration::from_secs(300),
            max_body_bytes: 1024 * 1024,
            quiet: false,
            quirks: Quirks::default(),
        }
    }
}
