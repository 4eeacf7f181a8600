//! The one process-wide tokio runtime, the blocking bridge (GIL released while Rust works)
//! and fork detection.
//!
//! design.md §4: one runtime per process, created lazily and fallibly, never one per object.
//! After `os.fork()` the child has none of the parent's runtime threads, so the runtime is
//! rebuilt for the new process id; a [`Client`](opcorp::client::Client) built in the parent
//! holds connections owned by the dead runtime and is refused with a clear error instead of
//! hanging (see [`ForkGuard`]).

use std::future::Future;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use tokio::runtime::{Builder, Handle, Runtime};

/// The runtime and the process id it was built in. Runtimes are leaked on purpose: after a
/// fork the old one's worker threads do not exist, so dropping it could block forever.
static RUNTIME: Mutex<Option<(u32, &'static Runtime)>> = Mutex::new(None);

/// How often a blocking call wakes up to let Python handle signals such as Ctrl-C.
const SIGNAL_CHECK_INTERVAL: Duration = Duration::from_millis(100);

/// The process-wide runtime, built on first use (and again in a forked child).
pub fn runtime() -> PyResult<&'static Runtime> {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((owner, runtime)) = *slot
        && owner == pid
    {
        return Ok(runtime);
    }
    let runtime = Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("opcorp-runtime")
        .enable_all()
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start the opcorp runtime: {e}")))?;
    let runtime: &'static Runtime = Box::leak(Box::new(runtime));
    *slot = Some((pid, runtime));
    Ok(runtime)
}

/// A handle to the runtime, for spawning from callbacks.
pub fn handle() -> PyResult<Handle> {
    runtime().map(|r| r.handle().clone())
}

/// Runs `future` to completion on the runtime with the GIL released, waking every
/// [`SIGNAL_CHECK_INTERVAL`] to run Python's signal handlers; a `KeyboardInterrupt` (or any
/// exception a handler raises) abandons the call and is returned.
pub fn block_on<F>(py: Python<'_>, future: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    let runtime = runtime()?;
    py.detach(|| {
        runtime.block_on(async {
            let mut future = std::pin::pin!(future);
            loop {
                tokio::select! {
                    output = &mut future => return Ok(output),
                    () = tokio::time::sleep(SIGNAL_CHECK_INTERVAL) => {
                        Python::attach(|py| py.check_signals())?;
                    }
                }
            }
        })
    })
}

/// Remembers which process created an object that holds runtime-bound resources
/// (connection pools, watcher tasks), so a forked child gets an error, not a hang.
#[derive(Debug, Clone, Copy)]
pub struct ForkGuard {
    pid: u32,
}

impl ForkGuard {
    /// A guard for the current process.
    pub fn new() -> Self {
        ForkGuard {
            pid: std::process::id(),
        }
    }

    /// Fails with a CONFIG error when called in a process other than the creator's.
    pub fn check(&self, what: &str) -> opcorp::Result<()> {
        if self.pid == std::process::id() {
            Ok(())
        } else {
            Err(opcorp::Error::config(format!(
                "this {what} was created in process {} before a fork; its connections belong \
                 to that process. Create a new {what} in the child process.",
                self.pid
            )))
        }
    }
}
