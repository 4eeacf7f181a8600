//! Python's cyclic garbage collector, paused while a large result is built.

use pyo3::prelude::*;
use pyo3::types::PyModule;

/// Keeps the collector off until dropped, then switches it back on if it was on (on error
/// paths too). A million new containers (each report item's list of payment ids, each
/// item's dict) set off collection after collection, each walking every container made so
/// far: 61 % of `columns()`'s time at a million items. What is built here holds no cycles,
/// and the GIL is held throughout, so no other Python code runs while it is off.
pub(crate) struct GcPause<'py> {
    gc: Option<Bound<'py, PyModule>>,
}

impl<'py> GcPause<'py> {
    /// Pauses the collector if it is enabled.
    pub(crate) fn new(py: Python<'py>) -> PyResult<Self> {
        let gc = py.import("gc")?;
        if !gc.call_method0("isenabled")?.is_truthy()? {
            return Ok(GcPause { gc: None });
        }
        gc.call_method0("disable")?;
        Ok(GcPause { gc: Some(gc) })
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.gc {
            // gc.enable() takes no input and cannot fail; nothing could be done here if it did.
            let _ = gc.call_method0("enable");
        }
    }
}
