//! The one process-wide tokio runtime and the bridge from Rust futures to JS promises.
//!
//! design.md §4: one runtime per process, created lazily and fallibly, never one per object.
//! It is shared by the main thread and every `worker_threads` worker that loads the addon.
//! Its threads hold no libuv handle, so they never keep Node's event loop alive; a pending
//! promise does (through its deferred's threadsafe function) until it settles, exactly like
//! any other pending I/O in Node.

use std::future::Future;
use std::sync::{Mutex, PoisonError};

use napi::bindgen_prelude::{Object, ToNapiValue};
use napi::{Env, Status};
use tokio::runtime::{Builder, Runtime};

use crate::errors;

/// The runtime, leaked on purpose: it must outlive every environment that may still hold a
/// client, and dropping a runtime from inside one of its own tasks would panic.
static RUNTIME: Mutex<Option<&'static Runtime>> = Mutex::new(None);

/// The process-wide runtime, built on first use.
pub fn runtime() -> napi::Result<&'static Runtime> {
    let mut slot = RUNTIME.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(runtime) = *slot {
        return Ok(runtime);
    }
    let runtime = Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("opcorp-runtime")
        .enable_all()
        .build()
        .map_err(|e| {
            napi::Error::new(
                Status::GenericFailure,
                format!("cannot start the opcorp runtime: {e}"),
            )
        })?;
    let runtime: &'static Runtime = Box::leak(Box::new(runtime));
    *slot = Some(runtime);
    Ok(runtime)
}

/// Runs `future` on the runtime and returns a promise for its outcome: a core error rejects
/// it with an opcorp `Error` object, a success resolves it with `convert(env, value)`, which
/// runs on the JS thread that made the call.
pub fn promise<'env, T, R, F, C>(
    env: &'env Env,
    future: F,
    convert: C,
) -> napi::Result<Object<'env>>
where
    T: Send + 'static,
    R: ToNapiValue + 'static,
    F: Future<Output = opcorp::Result<T>> + Send + 'static,
    C: FnOnce(&Env, T) -> napi::Result<R> + Send + 'static,
{
    let runtime = runtime()?;
    let (deferred, promise) = env.create_deferred()?;
    runtime.spawn(async move {
        let outcome = future.await;
        deferred.resolve(move |env: Env| match outcome {
            Ok(value) => convert(&env, value),
            Err(err) => Err(errors::to_js(&env, &err)),
        });
    });
    Ok(promise)
}

/// A JSON text for the JS layer to `JSON.parse`: one crossing instead of one per field, and
/// the encoding runs on the runtime, off the JS thread.
pub fn json<T: serde::Serialize>(value: &T) -> opcorp::Result<String> {
    serde_json::to_string(value)
        .map_err(|e| opcorp::Error::decode(format!("cannot encode the result as JSON: {e}")))
}

/// Resolves with the value itself (strings, booleans, class instances).
pub fn same<T>(_env: &Env, value: T) -> napi::Result<T> {
    Ok(value)
}
