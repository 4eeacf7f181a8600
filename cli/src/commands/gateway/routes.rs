//! The allowlist: which OP calls the gateway forwards, on OP's own default paths (so
//! opcorp-wasm's `Client`, or any OP-shaped client, works unchanged against it), and how
//! each is forwarded through the core client that holds the credentials.

use axum::http::Method;
use futures::StreamExt;
use opcorp::api::TransactionQuery;
use opcorp::client::Client;
use opcorp::config::{ApiPaths, TransactionsVersion};
use opcorp::model::{FilterQuery, PayerDetailsQuery, PaymentRequest};
use serde::Serialize;
use serde_json::Value;

/// An allowlisted call, parsed from the method and path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `GET {account_data}/v1/accounts`.
    Accounts,
    /// `GET {account_data}/v1/accounts/{id}`.
    Account(String),
    /// `GET {account_data}/v3/accounts/{id}/transactions` (one page).
    Transactions(String),
    /// `POST {transaction_filter}/credit-transactions` or `/debit-transactions`.
    Filter {
        /// Credits (true) or debits.
        credit: bool,
    },
    /// `POST {payer_details}`.
    PayerDetails,
    /// `GET {mandates}`.
    Mandates,
    /// `GET {payment}/sepa-instant-payment/{instructionId}`.
    InstantStatus(String),
    /// `POST {payment}/sepa-payment` or `/sepa-instant-payment` (policy applies).
    Payment {
        /// SEPA Instant rather than SEPA.
        instant: bool,
    },
}

impl Route {
    /// A stable name for the audit log.
    pub fn name(&self) -> &'static str {
        match self {
            Route::Accounts => "accounts",
            Route::Account(_) => "account",
            Route::Transactions(_) => "transactions",
            Route::Filter { credit: true } => "filter_credit",
            Route::Filter { credit: false } => "filter_debit",
            Route::PayerDetails => "payer_details",
            Route::Mandates => "mandates",
            Route::InstantStatus(_) => "instant_status",
            Route::Payment { instant: false } => "sepa_payment",
            Route::Payment { instant: true } => "sepa_instant_payment",
        }
    }

    /// Matches `method path` against the allowlist on OP's default paths. Path parameters
    /// are percent-decoded; anything else is not forwarded.
    pub fn parse(method: &Method, path: &str) -> Option<Route> {
        let paths = ApiPaths::default();
        let get = method == Method::GET;
        let post = method == Method::POST;
        if let Some(rest) = path.strip_prefix(paths.account_data.as_str()) {
            if get && rest == "/v1/accounts" {
                return Some(Route::Accounts);
            }
            if let Some(id) = rest.strip_prefix("/v1/accounts/").filter(|_| get) {
                return single_segment(id).map(Route::Account);
            }
            let id = rest
                .strip_prefix("/v3/accounts/")?
                .strip_suffix("/transactions")
                .filter(|_| get)?;
            return single_segment(id).map(Route::Transactions);
        }
        if let Some(rest) = path.strip_prefix(paths.transaction_filter.as_str()) {
            return match (post, rest) {
                (true, "/credit-transactions") => Some(Route::Filter { credit: true }),
                (true, "/debit-transactions") => Some(Route::Filter { credit: false }),
                _ => None,
            };
        }
        if path == paths.payer_details && post {
            return Some(Route::PayerDetails);
        }
        if path == paths.mandates && get {
            return Some(Route::Mandates);
        }
        let rest = path.strip_prefix(paths.payment.as_str())?;
        match (post, rest) {
            (true, "/sepa-payment") => Some(Route::Payment { instant: false }),
            (true, "/sepa-instant-payment") => Some(Route::Payment { instant: true }),
            (false, _) if get => rest
                .strip_prefix("/sepa-instant-payment/")
                .and_then(single_segment)
                .map(Route::InstantStatus),
            _ => None,
        }
    }
}

/// A percent-decoded path segment, refusing empty segments, further slashes and bad UTF-8.
fn single_segment(raw: &str) -> Option<String> {
    if raw.is_empty() || raw.contains('/') {
        return None;
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().filter(|s| !s.trim().is_empty())
}

/// One transactions page as OP serves it: `fromTimestamp` or `objectId`, `maxFuture`.
pub fn transaction_query(query: &[(String, String)]) -> Result<(TransactionQuery, usize), String> {
    let value = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let page = match value("maxFuture") {
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or("maxFuture must be a number from 1 to 1000")?,
        None => 1000,
    };
    if value("maxPast").is_some_and(|v| v != "0") {
        return Err("only maxPast=0 is forwarded".to_owned());
    }
    let mut q = TransactionQuery::new()
        .version(TransactionsVersion::V3)
        .page_size(page);
    match (value("objectId"), value("fromTimestamp")) {
        (Some(_), Some(_)) => return Err("give objectId or fromTimestamp, not both".to_owned()),
        (Some(id), None) => q = q.after_object_id(id),
        (None, Some(ts)) => {
            let micros = ts
                .parse::<i64>()
                .map_err(|_| "fromTimestamp must be microseconds since the epoch")?;
            q = q.from_timestamp_micros(micros);
        }
        (None, None) => {}
    }
    Ok((q, page))
}

/// Forwards a read through the core client and returns its JSON.
pub async fn forward_read(
    client: &Client,
    route: &Route,
    query: &[(String, String)],
    body: &[u8],
) -> Result<Value, opcorp::Error> {
    match route {
        Route::Accounts => json(&client.account_data().accounts().await?),
        Route::Account(id) => json(&client.account_data().account(id).await?),
        Route::Transactions(id) => {
            let (q, page) = transaction_query(query).map_err(opcorp::Error::invalid_input)?;
            let mut stream = client.account_data().transactions(id, q).take(page);
            let mut items = Vec::new();
            while let Some(item) = stream.next().await {
                items.push(item?);
            }
            json(&items)
        }
        Route::Filter { credit } => {
            let q: FilterQuery = parse_body("filter query", body)?;
            let filter = client.transaction_filter();
            let result = if *credit {
                filter.credit(&q).await?
            } else {
                filter.debit(&q).await?
            };
            json(&result)
        }
        Route::PayerDetails => {
            let q: PayerDetailsQuery = parse_body("payer details query", body)?;
            json(&client.transaction_info().payer_details(&q).await?)
        }
        Route::Mandates => json(&client.service_provider().mandates().await?),
        Route::InstantStatus(id) => json(&client.payments().instant_status(id).await?),
        Route::Payment { .. } => Err(opcorp::Error::invalid_input(
            "payments are forwarded by the payment policy",
        )),
    }
}

/// Sends a payment (already checked against the policy) through the core client, which
/// signs it with the gateway's key.
pub async fn forward_payment(
    client: &Client,
    instant: bool,
    request: PaymentRequest,
) -> Result<Value, opcorp::Error> {
    let payments = client.payments();
    let response = if instant {
        payments.sepa_instant(request).await?
    } else {
        payments.sepa(request).await?
    };
    json(&response)
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
    use super::*;

    #[test]
    fn allowlisted_paths_parse_and_others_do_not() {
        let g = Method::GET;
        let p = Method::POST;
        assert_eq!(
            Route::parse(&g, "/corporate-account-data/v1/accounts"),
            Some(Route::Accounts)
        );
        assert_eq!(
            Route::parse(&g, "/corporate-account-data/v1/accounts/a%2Bb"),
            Some(Route::Account("a+b".into()))
        );
        assert_eq!(
            Route::parse(&g, "/corporate-account-data/v3/accounts/x/transactions"),
            Some(Route::Transactions("x".into()))
        );
        assert_eq!(
            Route::parse(&p, "/corporate-payment/v1/sepa-payment"),
            Some(Route::Payment { instant: false })
        );
        assert_eq!(Route::parse(&g, "/corporate-payment/v1/sepa-payment"), None);
        assert_eq!(
            Route::parse(&p, "/corporate-payment/v2/payment-refund"),
            None
        );
        assert_eq!(Route::parse(&p, "/corporate-oidc/v1/token"), None);
        assert_eq!(
            Route::parse(&g, "/corporate-account-data/v1/accounts/a/b"),
            None
        );
        assert_eq!(
            Route::parse(&g, "/corporate-account-data/v1/accounts/%ZZ"),
            None
        );
    }

    #[test]
    fn transaction_pages_follow_ops_parameters() {
        let q = |pairs: &[(&str, &str)]| {
            let owned: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            transaction_query(&owned)
        };
        assert_eq!(q(&[("maxFuture", "5"), ("objectId", "x")]).unwrap().1, 5);
        assert!(q(&[("maxFuture", "0")]).is_err());
        assert!(q(&[("maxPast", "3")]).is_err());
        assert!(q(&[("objectId", "x"), ("fromTimestamp", "1")]).is_err());
    }
}
