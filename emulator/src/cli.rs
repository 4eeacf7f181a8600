//! Command-line flags of the `opcorp-emulator` binary, public so that the `opcorp` CLI can
//! offer `opcorp emulator` with the same flags.

use std::path::PathBuf;
use std::time::Duration;

use crate::admin::scenario::Scenario;
use crate::bank::Quirks;
use crate::config::EmulatorConfig;
use crate::emulator::start;
use crate::error::EmulatorError;

/// Flags for running an emulator until Ctrl-C.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Port of the OP API (HTTPS with client certificates); 0 picks a free port.
    #[arg(long, env = "OPCORP_EMULATOR_PORT", default_value_t = 0)]
    pub port: u16,
    /// Port of the admin API (plain HTTP on 127.0.0.1); 0 picks a free port.
    #[arg(long, env = "OPCORP_EMULATOR_ADMIN_PORT", default_value_t = 0)]
    pub admin_port: u16,
    /// Directory for the CA, server certificate and demo identity, reused across starts.
    /// Without it a temporary directory is used and deleted on exit.
    #[arg(long, env = "OPCORP_EMULATOR_STATE_DIR")]
    pub state_dir: Option<PathBuf>,
    /// Seed of the deterministic data generator.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Accounts seeded per client.
    #[arg(long, default_value_t = 3)]
    pub accounts_per_client: usize,
    /// Historical transactions seeded per account.
    #[arg(long, default_value_t = 40)]
    pub transactions_per_account: usize,
    /// Access token lifetime, seconds.
    #[arg(long, default_value_t = 3600)]
    pub token_lifetime: u64,
    /// Allowed distance of a signature's `urn:op.api.iat` from the bank clock, seconds.
    #[arg(long, default_value_t = 300)]
    pub iat_window: u64,
    /// Largest accepted request body, bytes (bigger ones get 413).
    #[arg(long, default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Don't print the start-up banner.
    #[arg(long)]
    pub quiet: bool,
    /// A scenario JSON file of incoming payments to schedule at start:
    /// `{"events":[{"afterMillis":1000,"payment":{...}}]}`.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Switchable behaviours as JSON, e.g. `{"objectIdAnchors":"ignored","refundReplay":true}`
    /// (see emulator/ASSUMPTIONS.md).
    #[arg(long, value_parser = parse_quirks, default_value = "{}")]
    pub quirks: Quirks,
}

impl Args {
    /// The emulator configuration these flags describe.
    pub fn config(&self) -> EmulatorConfig {
        EmulatorConfig {
            port: self.port,
            admin_port: self.admin_port,
            state_dir: self.state_dir.clone(),
            seed: self.seed,
            accounts_per_client: self.accounts_per_client,
            transactions_per_account: self.transactions_per_account,
            token_lifetime: Duration::from_secs(self.token_lifetime),
            iat_window: Duration::from_secs(self.iat_window),
            max_body_bytes: self.max_body_bytes,
            quiet: self.quiet,
            quirks: self.quirks,
        }
    }
}

/// Parses `--quirks` JSON over the defaults.
fn parse_quirks(text: &str) -> Result<Quirks, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("--quirks is not JSON: {e}"))?;
    Quirks::default().merged(&value)
}

/// Starts an emulator with `args`, schedules the scenario, and serves until Ctrl-C.
pub async fn run(args: Args) -> Result<(), EmulatorError> {
    let scenario = match &args.scenario {
        Some(path) => Some(read_scenario(path)?),
        None => None,
    };
    let emulator = start(args.config()).await?;
    if let Some(scenario) = scenario {
        let count = emulator.admin().schedule(scenario);
        if !args.quiet {
            println!("Scheduled {count} incoming payment(s) from the scenario.");
        }
    }
    let stopped = tokio::signal::ctrl_c().await;
    emulator.shutdown().await;
    stopped.map_err(EmulatorError::Io)
}

fn read_scenario(path: &std::path::Path) -> Result<Scenario, EmulatorError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| EmulatorError::Scenario(format!("{}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| EmulatorError::Scenario(format!("{}: {e}", path.display())))
}
