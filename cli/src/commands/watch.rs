//! `opcorp watch`: prints new incoming transactions as they arrive.
//!
//! With `--checkpoint FILE` the watcher resumes where it stopped: a transaction printed and
//! acknowledged is never printed again, one that was being printed when the process died is
//! printed again (at-least-once). `--max-events` and `--exit-after` make it terminate, for
//! scripts and tests.
//!
//! With `--store postgres://…` any number of `opcorp watch` processes share the accounts
//! through PostgreSQL (leases with fencing tokens, see the opcorp crate's `watch::postgres`):
//! a crashed worker's accounts are taken over when its leases expire, and an
//! acknowledgement that comes after its lease was lost is refused and reported on stderr.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use clap::Args;
use opcorp::checkpoint::FileCheckpointStore;
use opcorp::watch::postgres::PgStore;
use opcorp::watch::{AccountSource, Delivery, StartFrom, Watcher, WatcherBuilder};
use serde_json::json;

use crate::commands::Context;
use crate::commands::accounts::find_account;
use crate::commands::args::parse_date_time;
use crate::commands::transactions::{HEADERS, cells, fixed_line};
use crate::commands::watch_journal::Journal;
use crate::exit::CliError;
use crate::output::{Format, print_json_line, print_str, to_value};

/// Watch accounts for new incoming transactions.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Account (IBAN or surrogate id); repeat for several; default: the first account.
    #[arg(long)]
    pub account: Vec<String>,
    /// Watch every account of the client.
    #[arg(long, conflicts_with = "account")]
    pub all: bool,
    /// Watch every account of every client company that gave this service provider an
    /// active mandate for account data, re-read while running (needs --store). Calls for
    /// those accounts carry the mandate id in a header (an inference; see the opcorp docs).
    #[arg(long, conflicts_with_all = ["account", "all"], requires = "store")]
    pub mandates: bool,
    /// Checkpoint file: resume from it, and record every printed transaction in it.
    #[arg(long, value_name = "FILE", conflicts_with = "store")]
    pub checkpoint: Option<PathBuf>,
    /// PostgreSQL store (postgres://user:pass@host:port/db): share the accounts with every
    /// other watcher of the same group. With --all or --mandates the account set is re-read
    /// while running.
    #[arg(
        long,
        value_name = "URL",
        env = "OPCORP_WATCH_STORE",
        hide_env_values = true
    )]
    pub store: Option<String>,
    /// Create or upgrade the store's schema first (idempotent, safe from several processes).
    #[arg(long, requires = "store")]
    pub init: bool,
    /// Watch group in the store: workers of one group share its accounts.
    #[arg(long, default_value = "default")]
    pub group: String,
    /// Seconds a store lease lasts without renewal: the takeover time after a crash.
    #[arg(long, value_name = "SECS", default_value_t = 30.0)]
    pub lease_ttl: f64,
    /// CA certificate (PEM) that signed the database's TLS certificate.
    #[arg(long, value_name = "FILE")]
    pub store_ca: Option<PathBuf>,
    /// Ceiling on requests per second (with --store: shared by every worker of the client id).
    #[arg(long)]
    pub max_rate: Option<f64>,
    /// Accounts polled at the same time.
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Append every delivery and acknowledgement to FILE as JSON lines.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// Seconds between polls.
    #[arg(long, default_value_t = 2.0)]
    pub interval: f64,
    /// Without a checkpoint, start at this date or RFC 3339 time instead of now.
    #[arg(long)]
    pub since: Option<String>,
    /// Also print outgoing transactions.
    #[arg(long)]
    pub outgoing: bool,
    /// Exit after printing this many transactions.
    #[arg(long)]
    pub max_events: Option<u64>,
    /// Exit after this many seconds.
    #[arg(long, value_name = "SECS")]
    pub exit_after: Option<f64>,
}

/// Runs `watch`.
pub async fn run(args: &WatchArgs, ctx: &Context) -> Result<(), CliError> {
    let interval = seconds(args.interval, "--interval")?;
    let deadline = args
        .exit_after
        .map(|s| seconds(s, "--exit-after"))
        .transpose()?;
    let start = args
        .since
        .as_deref()
        .map(parse_date_time)
        .transpose()?
        .map(|t| StartFrom::Timestamp(i64::try_from(t.unix_timestamp_nanos() / 1000).unwrap_or(0)));
    let client = ctx.settings()?.client()?;
    let mut ids = Vec::new();
    if args.all && args.store.is_none() {
        ids = client
            .account_data()
            .accounts()
            .await?
            .into_iter()
            .map(|a| a.surrogate_id)
            .collect();
    } else if args.all || args.mandates {
        // The store's workers re-read the set themselves.
    } else if args.account.is_empty() {
        ids.push(find_account(&client, None).await?.surrogate_id);
    } else {
        for wanted in &args.account {
            ids.push(find_account(&client, Some(wanted)).await?.surrogate_id);
        }
    }
    let mut builder = Watcher::builder(client)
        .accounts(ids)
        .poll_interval(interval)
        .include_outgoing(args.outgoing);
    if let Some(start) = start {
        builder = builder.start_from(start);
    }
    if let Some(rate) = args.max_rate {
        builder = builder.max_requests_per_second(rate);
    }
    if let Some(n) = args.concurrency {
        builder = builder.max_concurrency(n);
    }
    if let Some(path) = &args.checkpoint {
        builder = builder.checkpoint(FileCheckpointStore::open(path)?);
    }
    if let Some(url) = &args.store {
        builder = with_store(builder, args, url).await?;
    }
    let mut journal = args.journal.as_deref().map(Journal::open).transpose()?;
    let mut watcher = builder.build()?;
    if ctx.format == Format::Table {
        print_str(&format!("{}  {}\n", fixed_line(&header_cells()), "latency"))?;
    }
    let work = async {
        let mut printed = 0u64;
        while args.max_events.is_none_or(|max| printed < max) {
            let delivery = match watcher.next().await {
                Ok(delivery) => delivery,
                // A shared-store worker keeps serving its other accounts.
                Err(e) if args.store.is_some() => {
                    eprintln!("opcorp watch: {e}");
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            print_delivery(&delivery, ctx.format)?;
            if let Some(journal) = journal.as_mut() {
                journal.record("delivered", &delivery)?;
            }
            match watcher.ack(&delivery).await {
                Ok(()) => {
                    if let Some(journal) = journal.as_mut() {
                        journal.record("acked", &delivery)?;
                    }
                }
                Err(e) if args.store.is_some() => {
                    // Lost lease or unreachable store: the delivery stays unacknowledged
                    // and is delivered again (here or by the account's new owner).
                    eprintln!("opcorp watch: acknowledgement refused: {e}");
                    if let Some(journal) = journal.as_mut() {
                        journal.record("ack-refused", &delivery)?;
                    }
                }
                Err(e) => return Err(e.into()),
            }
            printed += 1;
        }
        Ok::<(), CliError>(())
    };
    match deadline {
        Some(limit) => match tokio::time::timeout(limit, work).await {
            Ok(result) => result,
            Err(_) => Ok(()),
        },
        None => work.await,
    }
}

/// Connects the PostgreSQL store (applying migrations first with `--init`).
async fn with_store(
    builder: WatcherBuilder,
    args: &WatchArgs,
    url: &str,
) -> Result<WatcherBuilder, CliError> {
    let ca = args
        .store_ca
        .as_ref()
        .map(|p| {
            std::fs::read(p).map_err(|e| CliError::io(format!("cannot read {}", p.display()), e))
        })
        .transpose()?;
    if args.init {
        let applied = PgStore::migrate(url, ca.as_deref()).await?;
        eprintln!("opcorp watch: store schema current ({applied} migration(s) applied)");
    }
    let store = PgStore::connect_with_ca(url, &args.group, ca.as_deref()).await?;
    let source = if args.mandates {
        AccountSource::Mandates
    } else if args.all {
        AccountSource::All
    } else {
        AccountSource::Listed
    };
    Ok(builder
        .postgres(Arc::new(store))
        .account_source(source)
        .lease_ttl(seconds(args.lease_ttl, "--lease-ttl")?))
}

fn header_cells() -> Vec<String> {
    HEADERS.iter().map(|h| (*h).to_owned()).collect()
}

/// Prints one delivery with its detection latency (registration at the bank → found).
fn print_delivery(delivery: &Delivery, format: Format) -> Result<(), CliError> {
    let latency = latency_ms(delivery.transaction.timestamp, delivery.detected_at);
    match format {
        Format::Json => print_json_line(&json!({
            "account": delivery.account,
            "mandate": delivery.mandate,
            "latencyMs": latency,
            "transaction": to_value(&delivery.transaction)?,
        })),
        Format::Table | Format::Csv => {
            let latency = latency.map(|ms| format!("{ms} ms")).unwrap_or_default();
            print_str(&format!(
                "{}  {latency}\n",
                fixed_line(&cells(&delivery.transaction))
            ))
        }
    }
}

/// Milliseconds from a bank timestamp (µs since the epoch) to `detected`.
pub fn latency_ms(timestamp_micros: i64, detected: SystemTime) -> Option<i64> {
    let detected = detected.duration_since(SystemTime::UNIX_EPOCH).ok()?;
    let detected_micros = i64::try_from(detected.as_micros()).ok()?;
    Some((detected_micros - timestamp_micros) / 1000)
}

/// A positive, finite number of seconds as a Duration.
fn seconds(value: f64, flag: &str) -> Result<Duration, CliError> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| CliError::invalid(format!("{flag} must be a positive number of seconds")))
}
