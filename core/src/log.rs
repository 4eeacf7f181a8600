//! Logs in the user's own logging: core emits `tracing` events — route, request id, attempt,
//! status, latency, retry decisions, token refreshes, watch failures; never a secret, a token
//! or a body — and this module delivers them where each user looks.
//!
//! - Rust programs with their own `tracing` subscriber get the events directly (targets
//!   `opcorp::…`) and need nothing here.
//! - The CLI calls [`log_to_stderr`] (`-v`, `RUST_LOG`).
//! - Bindings call [`set_sink`]: Python hands records to `logging`, Node to its logger option,
//!   C to a callback. The sink runs on one dedicated thread (`opcorp-log`), in order, so a
//!   slow or GIL-bound sink never blocks a request, and events below the level cost one
//!   atomic load.
//! - `OPCORP_LOG_FILE` (with `OPCORP_LOG` as the level, default `trace`) appends every record
//!   to a file from any process that builds a client: the test command uses it to scan the
//!   whole suite's logs for secrets.
//!
//! Only one global `tracing` subscriber can exist per process; these functions install one
//! (a registry with this module's bridge) the first time any of them is called, and return a
//! `CONFIG` error if the application installed its own first (use that one instead).

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::{Mutex, OnceLock, PoisonError};

use tracing::field::{Field, Visit};
use tracing::{Event, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Filter, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

use crate::error::{Error, Result};

/// Environment variable naming a file every process appends its log records to.
pub const LOG_FILE_ENV: &str = "OPCORP_LOG_FILE";
/// Environment variable with the level for [`LOG_FILE_ENV`] (default `trace`).
pub const LOG_LEVEL_ENV: &str = "OPCORP_LOG";

/// Records waiting for a slow sink; beyond this they are counted and dropped, never blocking.
const QUEUE: usize = 4096;

/// How severe a record is, most severe first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    /// Something failed.
    Error = 1,
    /// Something unusual happened: a retry, a re-sign, an exhausted budget.
    Warn = 2,
    /// Notable progress.
    Info = 3,
    /// Every attempt: route, status, request id, latency.
    Debug = 4,
    /// Everything.
    Trace = 5,
}

impl LogLevel {
    /// The level from a name (`error`, `warn`/`warning`, `info`, `debug`, `trace`; any case);
    /// `off` or `none` is `Ok(None)`.
    pub fn from_name(name: &str) -> Result<Option<LogLevel>> {
        match name.trim().to_ascii_lowercase().as_str() {
            "off" | "none" => Ok(None),
            "error" => Ok(Some(LogLevel::Error)),
            "warn" | "warning" => Ok(Some(LogLevel::Warn)),
            "info" => Ok(Some(LogLevel::Info)),
            "debug" => Ok(Some(LogLevel::Debug)),
            "trace" => Ok(Some(LogLevel::Trace)),
            other => Err(Error::config(format!(
                "log level must be off, error, warn, info, debug or trace, not {other:?}"
            ))),
        }
    }

    /// The lower-case name.
    pub const fn name(self) -> &'static str {
        match self {
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
            LogLevel::Trace => "trace",
        }
    }

    fn of(level: &tracing::Level) -> LogLevel {
        match *level {
            tracing::Level::ERROR => LogLevel::Error,
            tracing::Level::WARN => LogLevel::Warn,
            tracing::Level::INFO => LogLevel::Info,
            tracing::Level::DEBUG => LogLevel::Debug,
            tracing::Level::TRACE => LogLevel::Trace,
        }
    }
}

/// One log record as a binding hands it on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRecord {
    /// Severity.
    pub level: LogLevel,
    /// Where in core it comes from, e.g. `opcorp::engine::execute`.
    pub target: String,
    /// The event's message.
    pub message: String,
    /// The event's fields (`route`, `request_id`, `attempt`, `status`, `latency_ms`, …) in
    /// the order core wrote them, values as text.
    pub fields: Vec<(String, String)>,
}

impl LogRecord {
    /// `message key=value …`: the record as one line of text.
    pub fn line(&self) -> String {
        let mut line = self.message.clone();
        for (key, value) in &self.fields {
            let _ = write!(line, " {key}={value}");
        }
        line
    }
}

/// A binding's log sink, called on the `opcorp-log` thread.
pub type LogSink = Box<dyn FnMut(LogRecord) + Send + 'static>;

/// 0 = off, else the most verbose [`LogLevel`] the sink wants.
static SINK_LEVEL: AtomicU8 = AtomicU8::new(0);
static SINK: Mutex<Option<SyncSender<LogRecord>>> = Mutex::new(None);
static DROPPED: AtomicU64 = AtomicU64::new(0);
static FILE_LEVEL: AtomicU8 = AtomicU8::new(0);
static FILE: Mutex<Option<(LogLevel, std::fs::File)>> = Mutex::new(None);
static INSTALLED: OnceLock<std::result::Result<(), String>> = OnceLock::new();

/// Sends core's records at `level` and more severe to `sink` (`None`: none), replacing any
/// earlier sink. The sink runs on its own thread; when it falls more than 4096 records
/// behind, records are dropped and a warning says how many.
pub fn set_sink(level: Option<LogLevel>, mut sink: LogSink) -> Result<()> {
    install(None)?;
    let (sender, receiver) = std::sync::mpsc::sync_channel::<LogRecord>(QUEUE);
    std::thread::Builder::new()
        .name("opcorp-log".into())
        .spawn(move || {
            for record in receiver {
                sink(record);
            }
        })
        .map_err(|e| Error::config(format!("cannot start the log thread: {e}")))?;
    *SINK.lock().unwrap_or_else(PoisonError::into_inner) = Some(sender);
    set_level(level);
    Ok(())
}

/// Removes the sink: its thread delivers what is queued and ends (bindings call this when
/// their runtime shuts down, e.g. Python's `atexit`).
pub fn clear_sink() {
    SINK_LEVEL.store(0, Ordering::Relaxed);
    *SINK.lock().unwrap_or_else(PoisonError::into_inner) = None;
    tracing::callsite::rebuild_interest_cache();
}

/// Changes the sink's level without replacing it (`None`: off).
pub fn set_level(level: Option<LogLevel>) {
    SINK_LEVEL.store(level.map_or(0, |l| l as u8), Ordering::Relaxed);
    tracing::callsite::rebuild_interest_cache();
}

/// Prints core's records to stderr, filtered by `directives` (`RUST_LOG` syntax, e.g.
/// `opcorp=debug`). For command-line programs; call it once, before anything logs.
pub fn log_to_stderr(directives: &str) -> Result<()> {
    install(Some(directives))
}

/// Appends records to [`LOG_FILE_ENV`]'s file when it is set (once per process; called by
/// every client build). A file that cannot be opened is a `CONFIG` error.
pub fn init_from_env() -> Result<()> {
    static DONE: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    let outcome = DONE.get_or_init(|| {
        let Some(path) = std::env::var_os(LOG_FILE_ENV) else {
            return Ok(());
        };
        let level = match std::env::var(LOG_LEVEL_ENV) {
            Ok(name) => LogLevel::from_name(&name).map_err(|e| e.message().to_owned())?,
            Err(_) => Some(LogLevel::Trace),
        };
        let Some(level) = level else { return Ok(()) };
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| format!("{LOG_FILE_ENV}: cannot open {path:?}: {e}"))?;
        *FILE.lock().unwrap_or_else(PoisonError::into_inner) = Some((level, file));
        FILE_LEVEL.store(level as u8, Ordering::Relaxed);
        install(None).map_err(|e| e.message().to_owned())
    });
    outcome.clone().map_err(Error::config)
}

/// Installs the global subscriber (once): the bridge, plus a stderr printer when asked.
fn install(stderr: Option<&str>) -> Result<()> {
    let outcome = INSTALLED.get_or_init(|| {
        let printer = stderr.map(|directives| {
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                .with_filter(tracing_subscriber::EnvFilter::new(directives))
        });
        tracing_subscriber::registry()
            .with(Bridge.with_filter(Wanted))
            .with(printer)
            .try_init()
            .map_err(|e| format!("another tracing subscriber is installed: {e}"))
    });
    outcome.clone().map_err(Error::config)
}

/// The most verbose level anyone (sink or file) wants, 0 for none.
fn wanted() -> u8 {
    SINK_LEVEL
        .load(Ordering::Relaxed)
        .max(FILE_LEVEL.load(Ordering::Relaxed))
}

/// The bridge's own filter (per layer, so the stderr printer filters independently): core's
/// events at the level the sink or the file wants.
struct Wanted;

impl<S: Subscriber> Filter<S> for Wanted {
    fn callsite_enabled(&self, _: &'static Metadata<'static>) -> tracing::subscriber::Interest {
        // Levels change at run time (set_level), so ask every time; `enabled` is cheap.
        tracing::subscriber::Interest::sometimes()
    }

    fn enabled(&self, metadata: &Metadata<'_>, _: &Context<'_, S>) -> bool {
        is_core(metadata.target()) && LogLevel::of(metadata.level()) as u8 <= wanted()
    }
}

/// Whether an event comes from this crate (not from `opcorp_emulator` or a dependency).
fn is_core(target: &str) -> bool {
    target == "opcorp" || target.starts_with("opcorp::")
}

/// Forwards `opcorp` events to the sink and the file.
struct Bridge;

impl<S: Subscriber> Layer<S> for Bridge {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let metadata = event.metadata();
        if !is_core(metadata.target()) {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let record = LogRecord {
            level: LogLevel::of(metadata.level()),
            target: metadata.target().to_owned(),
            message: fields.message,
            fields: fields.fields,
        };
        write_file(&record);
        send(record);
    }
}

fn write_file(record: &LogRecord) {
    if record.level as u8 > FILE_LEVEL.load(Ordering::Relaxed) {
        return;
    }
    let mut file = FILE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((level, file)) = file.as_mut()
        && record.level <= *level
    {
        let _ = writeln!(
            file,
            "{} {} {}",
            record.level.name(),
            record.target,
            record.line()
        );
    }
}

fn send(record: LogRecord) {
    if record.level as u8 > SINK_LEVEL.load(Ordering::Relaxed) {
        return;
    }
    let sink = SINK.lock().unwrap_or_else(PoisonError::into_inner);
    let Some(sender) = sink.as_ref() else { return };
    let dropped = DROPPED.swap(0, Ordering::Relaxed);
    if dropped > 0 {
        let notice = LogRecord {
            level: LogLevel::Warn,
            target: "opcorp::log".into(),
            message: format!("{dropped} log records dropped: the log sink fell behind"),
            fields: Vec::new(),
        };
        if sender.try_send(notice).is_err() {
            DROPPED.fetch_add(dropped, Ordering::Relaxed);
        }
    }
    if let Err(TrySendError::Full(_)) = sender.try_send(record) {
        DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

/// Collects an event's message and fields as text.
#[derive(Default)]
struct Fields {
    message: String,
    fields: Vec<(String, String)>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.put(field, format!("{value:?}"));
    }
}

impl Fields {
    fn put(&mut self, field: &Field, value: String) {
        if field.name() == "message" {
            self.message = value;
        } else {
            self.fields.push((field.name().to_owned(), value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_names() {
        assert_eq!(
            LogLevel::from_name("WARNING").unwrap(),
            Some(LogLevel::Warn)
        );
        assert_eq!(LogLevel::from_name(" off ").unwrap(), None);
        assert!(LogLevel::from_name("loud").is_err());
        assert!(LogLevel::Error < LogLevel::Trace);
    }

    #[test]
    fn a_sink_gets_core_events_at_its_level_and_nothing_else() {
        let (tx, rx) = std::sync::mpsc::channel();
        set_sink(
            Some(LogLevel::Debug),
            Box::new(move |r| {
                let _ = tx.send(r);
            }),
        )
        .unwrap();
        tracing::trace!(target: "opcorp::test", "too verbose");
        tracing::debug!(target: "other_crate", "not ours");
        tracing::debug!(target: "opcorp::test", route = "accounts", attempt = 2, "attempt answered");
        let record = rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
        assert_eq!(record.level, LogLevel::Debug);
        assert_eq!(record.message, "attempt answered");
        assert_eq!(
            record.fields,
            vec![
                ("route".to_owned(), "accounts".to_owned()),
                ("attempt".to_owned(), "2".to_owned())
            ]
        );
        assert_eq!(record.line(), "attempt answered route=accounts attempt=2");
        set_level(Some(LogLevel::Warn));
        tracing::debug!(target: "opcorp::test", "below the new level");
        tracing::warn!(target: "opcorp::test", "retrying");
        let next = rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
        assert_eq!(next.message, "retrying");
        set_level(None);
    }
}
