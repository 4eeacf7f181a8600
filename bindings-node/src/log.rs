//! Core's log records to a JS function (`setLogger` in `lib/log.js`).
//!
//! Core calls the sink on its own `opcorp-log` thread; each record crosses to the main thread
//! as JSON text through a weak (unref'd) threadsafe function, so logging never blocks a
//! request and never keeps the process alive.

use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Status};
use napi_derive::napi;
use opcorp::log::{self, LogLevel, LogRecord};

use crate::errors::IntoJsResult;

/// The JS side of the sink: called with one record as JSON text.
type Sink = ThreadsafeFunction<String, (), String, Status, false, true>;

/// Sends core's records at `level` (`error` … `trace`, or `off`) and above to `sink`
/// (`{"level","target","message","fields"}` as JSON text); `null` stops logging.
#[napi(ts_args_type = "sink: ((record: string) => void) | null, level: string")]
pub fn set_log_sink(env: Env, sink: Option<Sink>, level: String) -> napi::Result<()> {
    let level = LogLevel::from_name(&level).js(&env)?;
    let Some(sink) = sink.filter(|_| level.is_some()) else {
        log::clear_sink();
        return Ok(());
    };
    log::set_sink(
        level,
        Box::new(move |record| {
            sink.call(json(&record), ThreadsafeFunctionCallMode::NonBlocking);
        }),
    )
    .js(&env)
}

fn json(record: &LogRecord) -> String {
    let fields: serde_json::Map<String, serde_json::Value> = record
        .fields
        .iter()
        .map(|(k, v)| (k.clone(), v.clone().into()))
        .collect();
    serde_json::json!({
        "level": record.level.name(),
        "target": record.target,
        "message": record.message,
        "fields": fields,
    })
    .to_string()
}
