//! Core's log records into Python's `logging` (logger `opcorp`, children named after the core
//! module, e.g. `opcorp.engine.execute`).
//!
//! Core calls the Python callback on its own `opcorp-log` thread, which takes the GIL for each
//! record; request threads never wait for Python. The level is taken from the `opcorp`
//! logger's effective level (by `opcorp/_logging.py`) at import and whenever a client is
//! built, so records nobody would see are dropped in Rust at the cost of one atomic load.

use opcorp::log::{self, LogLevel, LogRecord};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::IntoPyResult;

/// `_set_log_sink(callback, level)`: `callback(level, target, message, fields)` receives every
/// record at `level` (`"trace"` … `"error"`, or `"off"`) and above; `None` removes the sink.
#[pyfunction]
#[pyo3(signature = (callback, level))]
pub fn _set_log_sink(callback: Option<Py<PyAny>>, level: &str) -> PyResult<()> {
    let Some(callback) = callback else {
        log::clear_sink();
        return Ok(());
    };
    let level = LogLevel::from_name(level).py()?;
    log::set_sink(level, Box::new(move |record| deliver(&callback, record))).py()
}

/// `_set_log_level(level)`: changes the level of the installed sink.
#[pyfunction]
pub fn _set_log_level(level: &str) -> PyResult<()> {
    log::set_level(LogLevel::from_name(level).py()?);
    Ok(())
}

fn deliver(callback: &Py<PyAny>, record: LogRecord) {
    Python::attach(|py| {
        let fields = PyDict::new(py);
        for (key, value) in &record.fields {
            if fields.set_item(key, value).is_err() {
                return;
            }
        }
        let args = (record.level.name(), record.target, record.message, fields);
        // A failing logging handler must not take the log thread down; Python's own
        // logging reports handler errors on stderr itself.
        if let Err(err) = callback.call1(py, args) {
            err.print(py);
        }
    });
}
