//! The one process-wide tokio runtime every blocking call runs on (design.md §4): created
//! on first use, and a failure to create it is an error, not a panic.

use std::future::Future;
use std::sync::OnceLock;

use opcorp::Error;
use tokio::runtime::Runtime;

static RUNTIME: OnceLock<Runtime> = OnceLock::new();

/// The shared runtime, created on first use.
pub(crate) fn get() -> Result<&'static Runtime, Error> {
    if let Some(runtime) = RUNTIME.get() {
        return Ok(runtime);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("opcorp-runtime")
        .on_thread_start(crate::sigpipe::block_in_this_thread)
        .enable_all()
        .build()
        .map_err(|e| Error::config(format!("cannot start the opcorp runtime: {e}")))?;
    // If another thread won the race, its runtime is kept and this one is dropped.
    let _ = RUNTIME.set(runtime);
    RUNTIME
        .get()
        .ok_or_else(|| Error::config("the opcorp runtime is unavailable"))
}

/// The shared runtime if it was already created (for drops, which must not start one).
pub(crate) fn existing() -> Option<&'static Runtime> {
    RUNTIME.get()
}

/// Runs `future` to completion on the shared runtime, blocking the calling thread.
pub(crate) fn block_on<F: Future>(future: F) -> Result<F::Output, Error> {
    let runtime = get()?;
    let _sigpipe = crate::sigpipe::Guard::new();
    Ok(runtime.block_on(future))
}
