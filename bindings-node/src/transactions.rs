//! `TransactionCursor`: pulls a core transaction stream in batches for the JS async
//! iterator. A batch is every transaction already fetched (up to a page), so one promise and
//! one `JSON.parse` serve a whole page instead of one per transaction.

use std::pin::Pin;
use std::sync::Arc;

use futures::{FutureExt, Stream, StreamExt};
use napi::Env;
use napi::bindgen_prelude::Object;
use napi_derive::napi;
use opcorp::model::Transaction;
use tokio::sync::Mutex;

use crate::runtime::{json, promise, same};

/// Most transactions handed to JS in one batch.
const MAX_BATCH: usize = 1000;

/// A boxed core transaction stream.
type TxStream = Pin<Box<dyn Stream<Item = opcorp::Result<Transaction>> + Send>>;

/// The stream and what it has already said.
struct State {
    /// `None` once the stream ended, failed or was closed.
    stream: Option<TxStream>,
    /// An error met after a batch was already collected, reported by the next call.
    deferred_error: Option<opcorp::Error>,
}

/// A lazy cursor over one account's transactions, oldest first.
#[napi]
pub struct TransactionCursor {
    state: Arc<Mutex<State>>,
}

impl TransactionCursor {
    /// Wraps a core stream.
    pub fn new(stream: impl Stream<Item = opcorp::Result<Transaction>> + Send + 'static) -> Self {
        TransactionCursor {
            state: Arc::new(Mutex::new(State {
                stream: Some(Box::pin(stream)),
                deferred_error: None,
            })),
        }
    }
}

#[napi]
impl TransactionCursor {
    /// The next transactions as a JSON array, or `null` at the end. Waits for the network
    /// only for the first one; the first error ends the cursor.
    #[napi(ts_return_type = "Promise<string | null>")]
    pub fn next_batch<'e>(&self, env: &'e Env) -> napi::Result<Object<'e>> {
        let state = Arc::clone(&self.state);
        promise(env, async move { next_batch(&state).await }, same)
    }

    /// Stops the cursor; later batches are `null`.
    #[napi]
    pub fn close(&self) {
        if let Ok(mut state) = self.state.try_lock() {
            state.stream = None;
        } else {
            let state = Arc::clone(&self.state);
            if let Ok(runtime) = crate::runtime::runtime() {
                runtime.spawn(async move { state.lock().await.stream = None });
            }
        }
    }
}

/// Collects one batch.
async fn next_batch(state: &Mutex<State>) -> opcorp::Result<Option<String>> {
    let mut state = state.lock().await;
    if let Some(err) = state.deferred_error.take() {
        return Err(err);
    }
    let Some(stream) = state.stream.as_mut() else {
        return Ok(None);
    };
    let first = match stream.next().await {
        None => {
            state.stream = None;
            return Ok(None);
        }
        Some(Err(err)) => {
            state.stream = None;
            return Err(err);
        }
        Some(Ok(tx)) => tx,
    };
    let mut batch = vec![first];
    while batch.len() < MAX_BATCH {
        // The stream keeps any fetch it starts, so an item that is not ready yet is not lost.
        match stream.next().now_or_never() {
            Some(Some(Ok(tx))) => batch.push(tx),
            Some(Some(Err(err))) => {
                state.deferred_error = Some(err);
                state.stream = None;
                break;
            }
            Some(None) => {
                state.stream = None;
                break;
            }
            None => break,
        }
    }
    json(&batch).map(Some)
}
