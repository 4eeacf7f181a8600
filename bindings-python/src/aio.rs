//! The asyncio bridge: a core future runs on the shared tokio runtime and completes an
//! `asyncio.Future` of the caller's event loop through `call_soon_threadsafe`. Cancelling
//! the asyncio future aborts the tokio task.

use std::future::Future;

use pyo3::prelude::*;
use tokio::task::AbortHandle;

use crate::convert::ToPy;
use crate::errors::IntoPyResult;
use crate::runtime;

/// Spawns `future` and returns an awaitable `asyncio.Future` for its converted result.
/// Must be called from a coroutine (a running event loop).
pub fn future_into_py<'py, T, F>(py: Python<'py>, future: F) -> PyResult<Bound<'py, PyAny>>
where
    T: ToPy + Send + 'static,
    F: Future<Output = opcorp::Result<T>> + Send + 'static,
{
    let event_loop = py.import("asyncio")?.call_method0("get_running_loop")?;
    let py_future = event_loop.call_method0("create_future")?;
    let complete = py.import("opcorp._aio")?.getattr("complete")?.unbind();
    let target = py_future.clone().unbind();
    let event_loop = event_loop.unbind();
    let task = runtime::handle()?.spawn(async move {
        let result = future.await;
        Python::attach(|py| {
            let (ok, value) = match result.py().and_then(|v| v.to_py(py)) {
                Ok(value) => (true, value.unbind()),
                Err(err) => (false, err.into_value(py).into_any()),
            };
            // A closed loop means nobody awaits any more; there is no one to tell.
            let _ = event_loop
                .bind(py)
                .call_method1("call_soon_threadsafe", (complete, target, ok, value));
        });
    });
    let canceller = Canceller {
        task: task.abort_handle(),
    };
    py_future.call_method1("add_done_callback", (canceller,))?;
    Ok(py_future)
}

/// A ready `asyncio.Future` holding `value` (for results already buffered).
pub fn ready<'py>(py: Python<'py>, value: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let event_loop = py.import("asyncio")?.call_method0("get_running_loop")?;
    let py_future = event_loop.call_method0("create_future")?;
    py_future.call_method1("set_result", (value,))?;
    Ok(py_future)
}

/// Done-callback that aborts the tokio task when the asyncio future was cancelled.
#[pyclass(module = "opcorp", frozen)]
struct Canceller {
    task: AbortHandle,
}

#[pymethods]
impl Canceller {
    fn __call__(&self, future: &Bound<'_, PyAny>) -> PyResult<()> {
        if future.call_method0("cancelled")?.is_truthy()? {
            self.task.abort();
        }
        Ok(())
    }
}
