//! Forwarding: the gateway serves exactly the routes of core's route table
//! ([`opcorp::routes::Route`]) on OP's default paths, so opcorp-wasm's `Client`, or any
//! OP-shaped client, works unchanged against it; each call is forwarded through the core
//! client that holds the credentials.

use futures::StreamExt;
use opcorp::Amount;
use opcorp::api::TransactionQuery;
use opcorp::client::Client;
use opcorp::model::{FilterQuery, PayerDetailsQuery, PaymentRequest, RefundRequest};
use opcorp::operation::{OperationKind, PendingOperation};
use opcorp::paths::{ApiPaths, TransactionsVersion};
use opcorp::request::Method;
use opcorp::routes::{Recognised, Route};
use serde::Serialize;
use serde_json::Value;

/// Matches `method path` against core's route table on OP's default paths.
pub fn recognise(method: &axum::http::Method, path: &str) -> Option<Recognised> {
    let method = Method::parse(method.as_str())?;
    Route::recognise(method, path, &ApiPaths::default())
}

/// Forwards a read through the core client and returns its JSON.
pub async fn forward_read(
    client: &Client,
    call: &Recognised,
    query: &[(String, String)],
    body: &[u8],
) -> Result<Value, opcorp::Error> {
    let param = call.param.as_deref().unwrap_or_default();
    match call.route {
        Route::Accounts => json(&client.account_data().accounts().await?),
        Route::Account => json(&client.account_data().account(param).await?),
        Route::TransactionsV2 => page(client, param, query, TransactionsVersion::V2).await,
        Route::TransactionsV3 => page(client, param, query, TransactionsVersion::V3).await,
        Route::FilterCredit => {
            let q: FilterQuery = parse_body("filter query", body)?;
            json(&client.transaction_filter().credit(&q).await?)
        }
        Route::FilterDebit => {
            let q: FilterQuery = parse_body("filter query", body)?;
            json(&client.transaction_filter().debit(&q).await?)
        }
        Route::PayerDetails => {
            let q: PayerDetailsQuery = parse_body("payer details query", body)?;
            json(&client.transaction_info().payer_details(&q).await?)
        }
        Route::Mandates => json(&client.service_provider().mandates().await?),
        Route::InstantStatus => json(&client.payments().instant_status(param).await?),
        Route::SepaPayment | Route::SepaInstantPayment | Route::Refund => {
            Err(opcorp::Error::invalid_input(
                "payments and refunds are forwarded by the payment policy",
            ))
        }
    }
}

/// One transactions page, read from OP's own paging parameters by core.
async fn page(
    client: &Client,
    surrogate_id: &str,
    query: &[(String, String)],
    version: TransactionsVersion,
) -> Result<Value, opcorp::Error> {
    let (q, page): (TransactionQuery, usize) = TransactionQuery::from_op_params(query, version)?;
    let mut stream = client
        .account_data()
        .transactions(surrogate_id, q)
        .take(page);
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item?);
    }
    json(&items)
}

/// Prepares a payment or refund from the caller's body with core's rules (validation, an
/// `instructionId` assigned if it has none, the exact bytes), giving its amount for the
/// payment policy.
pub fn prepare_write(
    client: &Client,
    kind: OperationKind,
    body: &[u8],
) -> Result<(PendingOperation, Amount), opcorp::Error> {
    match kind {
        OperationKind::Refund => {
            let request: RefundRequest = parse_body("refund", body)?;
            let amount = request.amount;
            Ok((client.refunds().prepare(&request)?, amount))
        }
        OperationKind::SepaPayment | OperationKind::SepaInstantPayment => {
            let request: PaymentRequest = parse_body("payment", body)?;
            let amount = request.instructed_amount.amount;
            Ok((client.payments().prepare(request, kind)?, amount))
        }
    }
}

/// Sends a prepared write the policy admitted through the core client, which signs it and
/// resends the same bytes on ambiguous failures.
pub async fn forward_write(
    client: &Client,
    pending: &PendingOperation,
) -> Result<Value, opcorp::Error> {
    match pending.kind {
        OperationKind::Refund => json(&client.refunds().resolve(pending).await?),
        OperationKind::SepaPayment | OperationKind::SepaInstantPayment => {
            json(&client.payments().resolve(pending).await?)
        }
    }
}

/// Parses a JSON request body as `T`.
pub fn parse_body<T: serde::de::DeserializeOwned>(
    what: &str,
    body: &[u8],
) -> Result<T, opcorp::Error> {
    serde_json::from_slice(body).map_err(|e| {
        opcorp::Error::invalid_input(format!("the {what} is not valid JSON for it: {e}"))
    })
}

fn json<T: Serialize>(value: &T) -> Result<Value, opcorp::Error> {
    serde_json::to_value(value)
        .map_err(|e| opcorp::Error::decode(format!("cannot serialise the answer: {e}")))
}

#[cfg(test)]
mod tests {
    use axum::http::Method;

    use super::*;

    #[test]
    fn the_gateway_serves_cores_routes_only() {
        let g = Method::GET;
        let p = Method::POST;
        let route = |m: &Method, path: &str| recognise(m, path).map(|r| r.route);
        assert_eq!(
            route(&g, "/corporate-account-data/v1/accounts"),
            Some(Route::Accounts)
        );
        assert_eq!(
            recognise(&g, "/corporate-account-data/v1/accounts/a%2Bb").and_then(|r| r.param),
            Some("a+b".into())
        );
        assert_eq!(
            route(&p, "/corporate-payment/v2/payment-refund"),
            Some(Route::Refund)
        );
        assert_eq!(route(&p, "/corporate-oidc/v1/token"), None);
        assert_eq!(
            route(&Method::DELETE, "/corporate-account-data/v1/accounts"),
            None
        );
    }
}
