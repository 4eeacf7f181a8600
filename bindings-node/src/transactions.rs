//! `TransactionCursor`: pulls a core transaction stream page by page for the JS async
//! iterator. Core hands each page over as the JSON text of its transactions
//! ([`opcorp::model::transaction_json`]), decoded and validated in one pass over the bank's
//! bytes without typed models, so one promise serves a whole page, one `JSON.parse` each of
//! its arrays, and nothing is decoded, encoded and parsed again. The text goes to JS as
//! Latin-1 bytes ([`latin1_json`]): V8 copies those into a string where UTF-8 would need a
//! decoding pass on the main thread. A page comes as arrays of at most [`MAX_ARRAY_BYTES`]
//! each.

use std::pin::Pin;
use std::sync::Arc;

use futures::{Stream, StreamExt};
use napi::Env;
use napi::bindgen_prelude::{Buffer, Object};
use napi_derive::napi;
use opcorp::model::transaction_json::latin1_json;
use tokio::sync::Mutex;

use crate::runtime::promise;

/// A boxed core stream of pages, each as JSON arrays of transactions.
type PageStream = Pin<Box<dyn Stream<Item = opcorp::Result<Vec<String>>> + Send>>;

/// The longest array of a page's transactions handed over as one string. V8 puts a string
/// over 128 KiB in a memory page of its own (its large-object space), freshly mapped for
/// each: copying a 650 KB page of 1,000 transactions into such a string took five times as
/// long as copying the same bytes in 64 KiB strings, which come from the young generation
/// and are recycled by the next scavenge (BENCHMARKS.md, issue 17).
pub const MAX_ARRAY_BYTES: usize = 64 * 1024;

/// A lazy cursor over one account's transactions, oldest first.
#[napi]
pub struct TransactionCursor {
    /// `None` once the stream ended, failed or was closed.
    stream: Arc<Mutex<Option<PageStream>>>,
}

impl TransactionCursor {
    /// Wraps a core page stream.
    pub fn new(stream: impl Stream<Item = opcorp::Result<Vec<String>>> + Send + 'static) -> Self {
        TransactionCursor {
            stream: Arc::new(Mutex::new(Some(Box::pin(stream)))),
        }
    }
}

#[napi]
impl TransactionCursor {
    /// The next page's transactions as JSON arrays in Latin-1 bytes (`toString('latin1')`
    /// makes each one's JSON text), in order, or `null` at the end. The first error ends the
    /// cursor.
    #[napi(ts_return_type = "Promise<Buffer[] | null>")]
    pub fn next_batch<'e>(&self, env: &'e Env) -> napi::Result<Object<'e>> {
        let stream = Arc::clone(&self.stream);
        promise(env, async move { next_batch(&stream).await }, |_, page| {
            Ok(page.map(|arrays| arrays.into_iter().map(Buffer::from).collect::<Vec<_>>()))
        })
    }

    /// Stops the cursor; later batches are `null`.
    #[napi]
    pub fn close(&self) {
        if let Ok(mut stream) = self.stream.try_lock() {
            *stream = None;
        } else {
            let stream = Arc::clone(&self.stream);
            if let Ok(runtime) = crate::runtime::runtime() {
                runtime.spawn(async move { *stream.lock().await = None });
            }
        }
    }
}

/// Fetches one page, converted to Latin-1 off the JS thread.
async fn next_batch(stream: &Mutex<Option<PageStream>>) -> opcorp::Result<Option<Vec<Vec<u8>>>> {
    let mut guard = stream.lock().await;
    let Some(pages) = guard.as_mut() else {
        return Ok(None);
    };
    match pages.next().await {
        Some(Ok(arrays)) => Ok(Some(arrays.iter().map(|a| latin1_json(a)).collect())),
        Some(Err(err)) => {
            *guard = None;
            Err(err)
        }
        None => {
            *guard = None;
            Ok(None)
        }
    }
}
