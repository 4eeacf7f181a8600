//! `NativeOutbox`: core's exactly-once payment outbox (one SQLite file), wrapped by the JS
//! `Outbox` class (`client.outbox(path)`).
//!
//! Every rule (intent keys, derived instruction ids, conflicts, settling unknown outcomes,
//! what counts as rejected) is core's [`opcorp::outbox`]. Entries cross as the JSON shape
//! core defines for every host ([`OutboxEntry::to_json`]): string ids, decimal-string
//! amounts.

use napi::Env;
use napi::bindgen_prelude::Object;
use napi_derive::napi;
use opcorp::client::Client;
use opcorp::model::{PaymentRequest, RefundRequest};
use opcorp::outbox::{ListFilter, Outbox, OutboxEntry, OutboxOrder};

use crate::errors::IntoJsResult;
use crate::input;
use crate::runtime::{json, promise, same};

/// What `outbox.submit(intent, order)` sends, as the JS layer passes it: the request as JSON
/// text under `payment` or `refund`, and `instant` for SEPA Instant.
#[napi(object)]
pub struct OutboxOrderInput {
    /// A payment request (JSON text).
    pub payment: Option<String>,
    /// A refund request (JSON text).
    pub refund: Option<String>,
    /// Send the payment as SEPA Instant.
    pub instant: Option<bool>,
}

/// An outbox paying with one client.
#[napi]
pub struct NativeOutbox {
    outbox: Outbox,
}

impl NativeOutbox {
    /// Opens (creates when missing) the outbox file at `path`.
    pub fn open(env: &Env, client: Client, path: String) -> napi::Result<Self> {
        let outbox = Outbox::open(client, path).js(env)?;
        Ok(NativeOutbox { outbox })
    }
}

/// The core order of the JS input.
fn order(input: OutboxOrderInput) -> opcorp::Result<OutboxOrder> {
    let payment = input
        .payment
        .map(|text| input::parse::<PaymentRequest>("payment request", &text))
        .transpose()?;
    let refund = input
        .refund
        .map(|text| input::parse::<RefundRequest>("refund request", &text))
        .transpose()?;
    OutboxOrder::from_parts(payment, refund, input.instant.unwrap_or(false))
}

/// JSON text of a list of entries.
fn entries(list: &[OutboxEntry]) -> opcorp::Result<String> {
    json(&list.iter().map(OutboxEntry::to_json).collect::<Vec<_>>())
}

#[napi]
impl NativeOutbox {
    /// Pays or refunds exactly once for `intent`; resolves with the entry (JSON object).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn submit<'e>(
        &self,
        env: &'e Env,
        intent: String,
        order_input: OutboxOrderInput,
    ) -> napi::Result<Object<'e>> {
        let order = order(order_input).js(env)?;
        let outbox = self.outbox.clone();
        promise(
            env,
            async move { json(&outbox.submit(&intent, order).await?.to_json()) },
            same,
        )
    }

    /// Settles every unknown entry; resolves with each as recorded afterwards (JSON array).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn drive<'e>(&self, env: &'e Env) -> napi::Result<Object<'e>> {
        let outbox = self.outbox.clone();
        promise(env, async move { entries(&outbox.drive().await?) }, same)
    }

    /// The stored entries, oldest first; only the unknown ones with `unsettled` (JSON array).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn list<'e>(&self, env: &'e Env, unsettled: bool) -> napi::Result<Object<'e>> {
        let filter = if unsettled {
            ListFilter::Unsettled
        } else {
            ListFilter::All
        };
        let outbox = self.outbox.clone();
        promise(
            env,
            async move { entries(&outbox.list(filter).await?) },
            same,
        )
    }

    /// The entry of `intent` (JSON object, or `null`).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn get<'e>(&self, env: &'e Env, intent: String) -> napi::Result<Object<'e>> {
        let outbox = self.outbox.clone();
        promise(
            env,
            async move { json(&outbox.get(&intent).await?.map(|e| e.to_json())) },
            same,
        )
    }
}
