//! Load L1 of the reliability matrix: 200 concurrent tasks sharing one client make 100,000
//! transaction-list reads in total against the emulator *binary* (out of process, so the
//! client's memory is its own), side by side with bare reqwest doing the same reads.
//!
//! Each contender runs in a fresh child process (this binary re-executed with
//! `--contender NAME`), so its peak RSS, CPU time and descriptors are its own:
//! - **opcorp**: one `Client`, every read a typed page of Transactions V3
//!   (`transactions(…).take(page)`), core's connection cap (32 by default);
//! - **reqwest**: one `reqwest::Client` with the same certificates, one token, the same
//!   URL built by core's pager, the body read in full and not decoded, behind a semaphore
//!   of the same size as opcorp's cap so both queue the same way.
//!
//! What is reported per contender: failures, throughput, latency p50/p99 of a read (queueing
//! for a connection included), client CPU, RSS at each quarter of the reads and its drift
//! over the second half (after warm-up), open descriptors after a quarter and at the end,
//! and the most TCP connections to the emulator seen at once.
//!
//! Run: `cargo build --release -p opcorp-emulator && cargo bench -p opcorp --bench load`
//! Environment: `BENCH_TASKS` (200), `BENCH_READS` (100000), `BENCH_PAGE` (100 transactions
//! per read), `BENCH_CONNECTIONS` (32), `OPCORP_EMULATOR_BIN` (default
//! `target/release/opcorp-emulator`).

use std::error::Error;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use opcorp::client::Client;
use opcorp::paths::{ApiPaths, Learned, TransactionsVersion};
use opcorp::query::TransactionQuery;
use opcorp::walk::TransactionWalk;
use serde_json::{Value, json};
use tokio::sync::Semaphore;

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

/// Reads a numeric setting from the environment.
fn setting(name: &str, default: usize) -> Res<usize> {
    match std::env::var(name) {
        Ok(v) => Ok(v.parse().map_err(|e| format!("{name}={v:?}: {e}"))?),
        Err(_) => Ok(default),
    }
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--contender") {
        let name = args.get(i + 1).ok_or("--contender needs a name")?.clone();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let report = runtime.block_on(contender(&name))?;
        println!("{report}");
        return Ok(());
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: skip the long
    // run there.
    if !args.iter().any(|a| a == "--bench") {
        println!("load: run with `cargo bench` to measure");
        return Ok(());
    }
    parent()
}

/// Starts the emulator, runs each contender in its own process, prints the comparison.
fn parent() -> Res<()> {
    let default_bin = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/release/opcorp-emulator"
    );
    let bin = std::env::var("OPCORP_EMULATOR_BIN").unwrap_or_else(|_| default_bin.to_owned());
    let state = tempfile::tempdir()?;
    let mut emulator = Emulator::start(&bin, state.path())?;
    let result = compare(&emulator);
    emulator.stop();
    result
}

fn compare(emulator: &Emulator) -> Res<()> {
    let identity = admin_get(&format!("{}/identity", emulator.admin_url))?;
    let setup = json!({ "baseUrl": emulator.base_url, "identity": identity });
    let settings = serde_json::to_string(&setup)?;
    let exe = std::env::current_exe()?;
    println!(
        "load: {} tasks, {} reads of {} transactions, {} connections; emulator {}",
        setting("BENCH_TASKS", 200)?,
        setting("BENCH_READS", 100_000)?,
        setting("BENCH_PAGE", 100)?,
        setting("BENCH_CONNECTIONS", 32)?,
        emulator.bin
    );
    let mut reports = Vec::new();
    for name in ["opcorp", "reqwest"] {
        let out = Command::new(&exe)
            .args(["--contender", name])
            .env("LOAD_SETTINGS", &settings)
            .env("LOAD_EMULATOR_PORT", emulator.port.to_string())
            .stderr(Stdio::inherit())
            .output()?;
        if !out.status.success() {
            return Err(format!("contender {name} failed: {}", out.status).into());
        }
        let text = String::from_utf8(out.stdout)?;
        let report: Value = serde_json::from_str(text.trim())?;
        reports.push(report);
    }
    println!(
        "\n| Contender | Failures | Reads/s | p50 | p99 | Client CPU | RSS at 25 / 50 / 75 / 100 % | drift 50 → 100 % | fds at 25 % → end | Most connections |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for r in &reports {
        let rss: Vec<f64> = (0..4)
            .map(|i| r["rssKiB"][i].as_f64().unwrap_or(0.0) / 1024.0)
            .collect();
        println!(
            "| {} | {} | {:.0} | {:.2} ms | {:.2} ms | {:.2} s | {:.1} / {:.1} / {:.1} / {:.1} MiB | {:+.1} % | {} → {} | {} |",
            r["name"].as_str().unwrap_or("?"),
            r["failures"],
            r["readsPerSecond"].as_f64().unwrap_or(0.0),
            r["p50Ms"].as_f64().unwrap_or(0.0),
            r["p99Ms"].as_f64().unwrap_or(0.0),
            r["cpuSeconds"].as_f64().unwrap_or(0.0),
            rss[0],
            rss[1],
            rss[2],
            rss[3],
            (rss[3] - rss[1]) / rss[1].max(1e-9) * 100.0,
            r["fdsWarm"],
            r["fdsEnd"],
            r["maxConnections"],
        );
    }
    // One machine-readable line per contender for scripts/bench: the emulator is named by
    // the executable of its running process, so the record shows which build served it.
    let running = std::fs::read_link(format!("/proc/{}/exe", emulator.child.id()))
        .map_or_else(|_| emulator.bin.clone(), |p| p.display().to_string());
    for r in &reports {
        let reads = r["reads"].as_u64().unwrap_or(0);
        let cpu = r["cpuSeconds"].as_f64().unwrap_or(0.0);
        println!(
            "BENCH_RESULT {}",
            json!({
                "bench": "load",
                "name": "load",
                "contender": r["name"],
                "emulator": running,
                "units": {
                    "reads_per_s": "1/s", "p50": "ms", "p99": "ms", "cpu_seconds": "s",
                    "cpu_us_per_read": "µs", "rss_end_mib": "MiB",
                },
                "values": {
                    "tasks": setting("BENCH_TASKS", 200)?,
                    "reads": reads,
                    "page": setting("BENCH_PAGE", 100)?,
                    "failures": r["failures"],
                    "reads_per_s": r["readsPerSecond"],
                    "p50": r["p50Ms"],
                    "p99": r["p99Ms"],
                    "cpu_seconds": cpu,
                    "cpu_us_per_read": cpu / reads.max(1) as f64 * 1e6,
                    "rss_end_mib": r["rssKiB"][3].as_f64().unwrap_or(0.0) / 1024.0,
                },
            })
        );
    }
    if let [opcorp, bare] = &reports[..] {
        let p99 = |r: &Value| r["p99Ms"].as_f64().unwrap_or(0.0);
        let rate = |r: &Value| r["readsPerSecond"].as_f64().unwrap_or(0.0);
        println!(
            "\nopcorp p99 overhead over reqwest: {:+.2} ms; throughput ratio {:.2}",
            p99(opcorp) - p99(bare),
            rate(opcorp) / rate(bare).max(1e-9)
        );
    }
    Ok(())
}

/// A running emulator binary and its addresses.
struct Emulator {
    bin: String,
    child: Child,
    base_url: String,
    admin_url: String,
    port: u16,
}

impl Emulator {
    /// Starts `bin` on free loopback ports and reads the two URLs from its banner.
    fn start(bin: &str, state: &std::path::Path) -> Res<Emulator> {
        let page = setting("BENCH_PAGE", 100)?;
        let mut child = Command::new(bin)
            .args(["--port", "0", "--admin-port", "0", "--state-dir"])
            .arg(state)
            .args(["--transactions-per-account", &(page + 50).to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("{bin}: {e} (cargo build --release -p opcorp-emulator)"))?;
        let stdout = child.stdout.take().ok_or("no emulator stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let (mut base_url, mut admin_url) = (String::new(), String::new());
        for line in lines.by_ref() {
            let line = line?;
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["OP", "API", url, ..] => base_url = (*url).to_owned(),
                ["Admin", "API", url, ..] => {
                    admin_url = (*url).to_owned();
                    break;
                }
                _ => {}
            }
        }
        // Keep reading what it prints later: a closed pipe would fail its next write.
        std::thread::spawn(move || lines.for_each(drop));
        let port = base_url
            .rsplit(':')
            .next()
            .and_then(|p| p.trim_end_matches('/').parse().ok())
            .ok_or("the emulator printed no OP API address")?;
        Ok(Emulator {
            bin: bin.to_owned(),
            child,
            base_url,
            admin_url,
            port,
        })
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A blocking GET of a JSON document from the emulator's plain-HTTP admin API.
fn admin_get(url: &str) -> Res<Value> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let answer = reqwest::Client::builder()
            .no_proxy()
            .build()?
            .get(url)
            .send()
            .await?
            .error_for_status()?;
        Ok(answer.json().await?)
    })
}

/// What the contender processes share: the settings, the read counter and the samples.
struct Run {
    tasks: usize,
    page: usize,
    connections: usize,
    emulator_port: u16,
    done: AtomicUsize,
    failures: AtomicUsize,
    /// Each read's latency in µs, by ticket: allocated (and written) before the first read,
    /// so the bench's own bookkeeping does not grow the RSS it measures.
    latencies_us: Vec<AtomicU64>,
}

/// Memory, descriptors and connections at one moment.
#[derive(Clone, Copy, Default)]
struct Sample {
    rss_kib: u64,
    fds: usize,
}

/// Runs one contender in this process and returns its report as a JSON line.
async fn contender(name: &str) -> Res<Value> {
    let settings: Value = serde_json::from_str(&std::env::var("LOAD_SETTINGS")?)?;
    let base_url = settings["baseUrl"].as_str().ok_or("no baseUrl")?.to_owned();
    let identity = &settings["identity"];
    let field = |key: &str| -> Res<String> {
        Ok(identity[key]
            .as_str()
            .ok_or_else(|| format!("identity without {key}"))?
            .to_owned())
    };
    let run = Arc::new(Run {
        tasks: setting("BENCH_TASKS", 200)?,
        page: setting("BENCH_PAGE", 100)?,
        connections: setting("BENCH_CONNECTIONS", 32)?,
        emulator_port: std::env::var("LOAD_EMULATOR_PORT")?.parse()?,
        done: AtomicUsize::new(0),
        failures: AtomicUsize::new(0),
        latencies_us: (0..setting("BENCH_READS", 100_000)?)
            .map(|_| AtomicU64::new(0))
            .collect(),
    });
    let reader: Arc<dyn Reader> = match name {
        "opcorp" => Arc::new(
            OpcorpReader::new(
                Client::builder()
                    .base_url(&base_url)
                    .client_id(field("clientId")?)
                    .client_secret(field("clientSecret")?)
                    .certificate_pem(field("certPem")?)
                    .private_key_pem(field("keyPem")?)
                    .ca_certificate_pem(field("caPem")?)
                    .max_connections(run.connections)
                    .build()?,
                run.page,
            )
            .await?,
        ),
        "reqwest" => Arc::new(
            BareReader::new(
                &base_url,
                &field("clientId")?,
                &field("clientSecret")?,
                &format!("{}{}", field("certPem")?, field("keyPem")?),
                &field("caPem")?,
                run.page,
                run.connections,
            )
            .await?,
        ),
        other => return Err(format!("unknown contender {other}").into()),
    };

    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (run, sampling) = (Arc::clone(&run), Arc::clone(&sampling));
        std::thread::spawn(move || sample(&run, &sampling).map_err(|e| e.to_string()))
    };
    let cpu_before = cpu_seconds()?;
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..run.tasks {
        let run = Arc::clone(&run);
        let reader = Arc::clone(&reader);
        workers.push(tokio::spawn(async move {
            loop {
                let ticket = run.done.fetch_add(1, Ordering::Relaxed);
                let Some(slot) = run.latencies_us.get(ticket) else {
                    break;
                };
                let t0 = Instant::now();
                if let Err(e) = reader.read().await
                    && run.failures.fetch_add(1, Ordering::Relaxed) < 3
                {
                    eprintln!("read failed: {e}");
                }
                slot.store(t0.elapsed().as_micros() as u64, Ordering::Relaxed);
            }
        }));
    }
    for worker in workers {
        worker.await?;
    }
    let wall = started.elapsed();
    let cpu = cpu_seconds()? - cpu_before;
    let end = Sample {
        rss_kib: rss_kib()?,
        fds: fds()?,
    };
    sampling.store(false, Ordering::Relaxed);
    let (quarters, max_connections, sampler_cpu) =
        sampler.join().map_err(|_| "the sampler panicked")??;
    // The sampler's scans of /proc/net/tcp are the bench's work, not the contender's: left
    // in, they were over a third of bare reqwest's CPU and flattered every ratio.
    let cpu = cpu - sampler_cpu;
    let quarter = |i: usize| quarters.get(i).copied().unwrap_or_default();
    let mut latencies: Vec<u64> = run
        .latencies_us
        .iter()
        .map(|l| l.load(Ordering::Relaxed))
        .collect();
    latencies.sort_unstable();
    let ms = |q: f64| {
        let rank = ((latencies.len() as f64 - 1.0) * q).round() as usize;
        latencies.get(rank).map_or(0.0, |us| *us as f64 / 1000.0)
    };
    Ok(json!({
        "name": name,
        "reads": latencies.len(),
        "failures": run.failures.load(Ordering::Relaxed),
        "readsPerSecond": latencies.len() as f64 / wall.as_secs_f64(),
        "p50Ms": ms(0.50),
        "p99Ms": ms(0.99),
        "cpuSeconds": cpu,
        "rssKiB": [quarter(0).rss_kib, quarter(1).rss_kib, quarter(2).rss_kib, end.rss_kib],
        "fdsWarm": quarter(0).fds,
        "fdsEnd": end.fds,
        "maxConnections": max_connections,
    }))
}

/// Every 20 ms: a sample as each quarter of the reads is passed (25, 50, 75 %), and the
/// most connections to the emulator seen so far. Runs on a thread of its own so that its
/// CPU time (returned last) can be taken out of the contender's.
fn sample(run: &Run, sampling: &AtomicBool) -> Res<(Vec<Sample>, usize, f64)> {
    let mut quarters = Vec::new();
    let mut max_connections = 0;
    while sampling.load(Ordering::Relaxed) {
        let next = (quarters.len() + 1) * run.latencies_us.len() / 4;
        if quarters.len() < 3 && run.done.load(Ordering::Relaxed) >= next {
            quarters.push(Sample {
                rss_kib: rss_kib()?,
                fds: fds()?,
            });
        }
        max_connections = max_connections.max(connections_to(run.emulator_port)?);
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok((quarters, max_connections, cpu_of("/proc/thread-self/stat")?))
}

/// One read as a contender does it.
trait Reader: Send + Sync {
    fn read(&self) -> futures::future::BoxFuture<'_, Res<()>>;
}

/// opcorp: one typed page of the first account's transactions.
struct OpcorpReader {
    client: Client,
    account: String,
    page: usize,
}

impl OpcorpReader {
    async fn new(client: Client, page: usize) -> Res<Self> {
        let accounts = client.account_data().accounts().await?;
        let account = accounts
            .first()
            .ok_or("the emulator has no account")?
            .surrogate_id
            .clone();
        Ok(OpcorpReader {
            client,
            account,
            page,
        })
    }
}

impl Reader for OpcorpReader {
    fn read(&self) -> futures::future::BoxFuture<'_, Res<()>> {
        Box::pin(async move {
            let query = TransactionQuery::new()
                .version(TransactionsVersion::V3)
                .page_size(self.page);
            let items: Vec<_> = self
                .client
                .account_data()
                .transactions(&self.account, query)
                .take(self.page)
                .try_collect()
                .await?;
            if items.len() != self.page {
                return Err(format!("{} transactions, expected {}", items.len(), self.page).into());
            }
            Ok(())
        })
    }
}

/// Bare reqwest: the same page's bytes, not decoded.
struct BareReader {
    client: reqwest::Client,
    url: String,
    token: String,
    slots: Semaphore,
}

impl BareReader {
    async fn new(
        base_url: &str,
        client_id: &str,
        client_secret: &str,
        identity_pem: &str,
        ca_pem: &str,
        page: usize,
        connections: usize,
    ) -> Res<Self> {
        let client = reqwest::Client::builder()
            .tls_certs_only([reqwest::Certificate::from_pem(ca_pem.as_bytes())?])
            .identity(reqwest::Identity::from_pem(identity_pem.as_bytes())?)
            .no_proxy()
            .timeout(Duration::from_secs(60))
            .build()?;
        let token: Value = client
            .post(format!("{base_url}/corporate-oidc/v1/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", client_secret),
            ])
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let token = token["access_token"]
            .as_str()
            .ok_or("no access_token")?
            .to_owned();
        let accounts: Value = client
            .get(format!("{base_url}/corporate-account-data/v1/accounts"))
            .bearer_auth(&token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let account = accounts[0]["surrogateId"]
            .as_str()
            .ok_or("the emulator has no account")?;
        let query = TransactionQuery::new()
            .version(TransactionsVersion::V3)
            .page_size(page);
        let paths = ApiPaths::default();
        let request = TransactionWalk::new(&paths, account, &query, &Learned::default())?
            .next_request(&paths)?;
        Ok(BareReader {
            client,
            url: format!("{base_url}{}", request.path_and_query()),
            token,
            slots: Semaphore::new(connections),
        })
    }
}

impl Reader for BareReader {
    fn read(&self) -> futures::future::BoxFuture<'_, Res<()>> {
        Box::pin(async move {
            let _slot = self.slots.acquire().await?;
            let body = self
                .client
                .get(&self.url)
                .bearer_auth(&self.token)
                .header("x-request-id", uuid::Uuid::new_v4().to_string())
                .send()
                .await?
                .error_for_status()?
                .bytes()
                .await?;
            if body.is_empty() {
                return Err("empty page".into());
            }
            Ok(())
        })
    }
}

/// This process's resident memory (`VmRSS`), KiB.
fn rss_kib() -> Res<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .ok_or("no VmRSS")?;
    Ok(line.split_whitespace().nth(1).ok_or("bad VmRSS")?.parse()?)
}

/// Open file descriptors of this process.
fn fds() -> Res<usize> {
    Ok(std::fs::read_dir("/proc/self/fd")?.count())
}

/// User + system CPU of every thread of this process.
fn cpu_seconds() -> Res<f64> {
    cpu_of("/proc/self/stat")
}

/// User + system CPU from a `stat` file of `/proc` (the process's or one thread's), in the
/// kernel's fixed `USER_HZ` of 100 ticks per second.
fn cpu_of(path: &str) -> Res<f64> {
    let stat = std::fs::read_to_string(path)?;
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
    let after = stat.rsplit_once(')').ok_or("bad /proc/self/stat")?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| -> Res<f64> { Ok(fields.get(i).ok_or("short stat")?.parse::<f64>()?) };
    Ok((ticks(11)? + ticks(12)?) / 100.0)
}

/// Established TCP connections from this machine to `port` on loopback (`/proc/net/tcp`).
fn connections_to(port: u16) -> Res<usize> {
    let table = std::fs::read_to_string("/proc/net/tcp")?;
    let remote = format!(":{port:04X}");
    Ok(table
        .lines()
        .skip(1)
        .filter(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            cols.get(2).is_some_and(|r| r.ends_with(&remote)) && cols.get(3) == Some(&"01")
        })
        .count())
}
