//! `TransactionCursor`: pulls a core transaction stream page by page for the JS async
//! iterator. Core hands each page over as the JSON text of its transactions
//! ([`opcorp::model::transaction_json`]), decoded and validated in one pass over the bank's
//! bytes without typed models, so one promise and one `JSON.parse` serve a whole page and
//! nothing is decoded, encoded and parsed again. The text goes to JS as Latin-1 bytes
//! ([`latin1_json`]): V8 copies those into a string where UTF-8 would need a decoding pass
//! on the main thread.

use std::pin::Pin;
use std::sync::Arc;

use futures::{Stream, StreamExt};
use napi::Env;
use napi::bindgen_prelude::{Buffer, Object};
use napi_derive::napi;
use opcorp::model::transaction_json::latin1_json;
use tokio::sync::Mutex;

use crate::runtime::promise;

/// A boxed core stream of pages, each a JSON array of transactions.
type PageStream = Pin<Box<dyn Stream<Item = opcorp::Result<String>> + Send>>;

/// A lazy cursor over one account's transactions, oldest first.
#[napi]
pub struct TransactionCursor {
    /// `None` once the stream ended, failed or was closed.
    stream: Arc<Mutex<Option<PageStream>>>,
}

impl TransactionCursor {
    /// Wraps a core page stream.
    pub fn new(stream: impl Stream<Item = opcorp::Result<String>> + Send + 'static) -> Self {
        TransactionCursor {
            stream: Arc::new(Mutex::new(Some(Box::pin(stream)))),
        }
    }
}

#[napi]
impl TransactionCursor {
    /// The next page's transactions as a JSON array in Latin-1 bytes (`toString('latin1')`
    /// makes the JSON text), or `null` at the end. The first error ends the cursor.
    #[napi(ts_return_type = "Promise<Buffer | null>")]
    pub fn next_batch<'e>(&self, env: &'e Env) -> napi::Result<Object<'e>> {
        let stream = Arc::clone(&self.stream);
        promise(env, async move { next_batch(&stream).await }, |_, page| {
            Ok(page.map(Buffer::from))
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
async fn next_batch(stream: &Mutex<Option<PageStream>>) -> opcorp::Result<Option<Vec<u8>>> {
    let mut guard = stream.lock().await;
    let Some(pages) = guard.as_mut() else {
        return Ok(None);
    };
    match pages.next().await {
        Some(Ok(page)) => Ok(Some(latin1_json(&page))),
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
