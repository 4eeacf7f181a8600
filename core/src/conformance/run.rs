//! The fixed, read-only conformance scenario against a client's environment.
//!
//! Every step sends exactly one attempt (no retries, so the record is what the bank
//! answered) through the client's own mTLS transport, and records its status, relevant
//! headers and JSON shape. Requests come from the route table, so the paths are the ones
//! the SDK uses.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use time::{Duration, OffsetDateTime};

use super::report::{FORMAT, Record, Report};
use super::shape;
use crate::Amount;
use crate::client::Client;
use crate::config::Environment;
use crate::engine::{Answer, Attempt, Transport};
use crate::error::Result;
use crate::model::{FilterQuery, PayerDetailsQuery, PaymentRequest, RefundRequest, Transaction};
use crate::paging::{Anchor, Anchoring, Pager};
use crate::paths::TransactionsVersion;
use crate::request::ApiRequest;
use crate::routes::{self, Route};
use crate::transport::ReqwestTransport;

/// Page size of the transaction steps: small, so a second page exists on most accounts.
const PAGE: usize = 5;
/// A surrogate id no bank issues.
const UNKNOWN_SURROGATE_ID: &str = "opcorp-conformance-unknown";
/// An instruction id no payment has.
const UNKNOWN_INSTRUCTION_ID: &str = "opcorpconformance00000000000000000";

/// Whose token a step sends.
#[derive(Clone, Copy)]
enum Bearer {
    Client,
    Invalid,
    Missing,
}

/// One run: the client, its token and what was recorded so far.
struct Run<'c> {
    client: &'c Client,
    token: Option<String>,
    records: Vec<Record>,
    observations: BTreeMap<String, String>,
}

/// Runs the read-only scenario: token; accounts; each account's details; the first two
/// pages of transactions in V2 and V3, the second anchored both by `objectId` and by
/// timestamp; Transaction Filter credit and debit (last 30 days); payer details of a
/// credit; mandates; instant status of an unknown id; the answers to an unknown surrogate
/// id, an invalid token and a missing token. A failing step is recorded, never fatal.
///
/// `writes` adds one minimal SEPA payment, one instant payment (0.01 EUR each, from the
/// first account to the second, or to itself) and a 0.01 EUR refund of the first credit
/// seen; it is refused against production before anything is sent.
pub async fn run(client: &Client, writes: bool) -> Result<Report> {
    if writes {
        check_writes_allowed(client)?;
    }
    let mut run = Run {
        client,
        token: None,
        records: Vec::new(),
        observations: BTreeMap::new(),
    };
    run.token().await;
    let accounts = run.accounts().await;
    let first = accounts.first().cloned();
    let mut credits = Vec::new();
    if let Some((surrogate_id, _)) = &first {
        for version in [TransactionsVersion::V2, TransactionsVersion::V3] {
            credits.extend(run.transactions(version, surrogate_id).await);
        }
    }
    if let Some((_, iban)) = &first {
        run.filters(iban).await;
        run.payer_details(iban, credits.first()).await;
    } else {
        for name in ["filter_credit", "filter_debit", "payer_details"] {
            run.skip(name, "no account");
        }
    }
    let paths = client.paths().clone();
    run.step("mandates", routes::mandates(&paths), Bearer::Client)
        .await;
    if let Ok(request) = routes::instant_status(&paths, UNKNOWN_INSTRUCTION_ID) {
        run.step("instant_status_unknown", request, Bearer::Client)
            .await;
    }
    if let Ok(request) = routes::account(&paths, UNKNOWN_SURROGATE_ID) {
        run.step("account_unknown_surrogate_id", request, Bearer::Client)
            .await;
    }
    let accounts_request = routes::accounts(&paths);
    run.step(
        "accounts_invalid_token",
        accounts_request.clone(),
        Bearer::Invalid,
    )
    .await;
    run.step("accounts_missing_token", accounts_request, Bearer::Missing)
        .await;
    if writes {
        let ibans: Vec<String> = accounts.into_iter().map(|(_, iban)| iban).collect();
        run.writes(&ibans, credits.first()).await;
    }
    Ok(Report {
        format: FORMAT.into(),
        sdk_version: env!("CARGO_PKG_VERSION").into(),
        environment: environment_name(client.environment()).into(),
        operations: run.records,
        observations: run.observations,
    })
}

/// `sandbox`, `production` or `custom`.
pub fn environment_name(environment: &Environment) -> &'static str {
    match environment {
        Environment::Sandbox => "sandbox",
        Environment::Production => "production",
        Environment::Custom(url) if url.trim_end_matches('/') == crate::config::PRODUCTION_URL => {
            "production"
        }
        Environment::Custom(_) => "custom",
    }
}

impl Run<'_> {
    async fn token(&mut self) {
        let mut record = blank("token", "POST", &self.client.paths().token);
        match self.client.token().await {
            Ok(token) => {
                self.token = Some(token.secret().to_owned());
                record.status = Some(200);
            }
            Err(err) => {
                record.status = err.status();
                record.error = Some(err.code().to_owned());
            }
        }
        self.records.push(record);
    }

    /// Accounts, then each account's details (one merged record); gives the accounts'
    /// surrogate ids and IBANs.
    async fn accounts(&mut self) -> Vec<(String, String)> {
        let paths = self.client.paths().clone();
        let body = self
            .step("accounts", routes::accounts(&paths), Bearer::Client)
            .await;
        let accounts: Vec<(String, String)> = body
            .as_ref()
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|a| {
                        let id = a.get("surrogateId")?.as_str()?;
                        let iban = a.get("iban")?.as_str()?;
                        Some((id.to_owned(), iban.to_owned()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut merged: Option<Record> = None;
        for (id, _) in &accounts {
            let Ok(request) = routes::account(&paths, id) else {
                continue;
            };
            self.step("account", request, Bearer::Client).await;
            let Some(record) = self.records.pop() else {
                continue;
            };
            merged = Some(match merged {
                None => record,
                Some(mut m) => {
                    m.shape = shape::merge(m.shape, record.shape);
                    m.ids.extend(record.ids);
                    m.ids.sort();
                    m.ids.dedup();
                    m
                }
            });
        }
        match merged {
            Some(record) => self.records.push(record),
            None => self.skip("account", "no account"),
        }
        accounts
    }

    /// The first page of `version`, and its second page anchored by objectId and by
    /// timestamp; gives the credits seen.
    async fn transactions(
        &mut self,
        version: TransactionsVersion,
        surrogate_id: &str,
    ) -> Vec<Transaction> {
        let v = version.number().unwrap_or(3);
        let paths = self.client.paths().clone();
        let mut pager = Pager::new(Anchor::Timestamp(0), PAGE, None);
        let Ok(request) = routes::transactions_page(&paths, version, surrogate_id, &pager) else {
            return Vec::new();
        };
        let body = self
            .step(&format!("transactions_v{v}_page1"), request, Bearer::Client)
            .await;
        let page: Vec<Transaction> = body
            .and_then(|b| serde_json::from_value(b).ok())
            .unwrap_or_default();
        let credits: Vec<Transaction> = page.iter().filter(|t| t.is_credit()).cloned().collect();
        let last = page.last().cloned();
        let full = page.len() >= PAGE;
        if pager.accept(page.clone()).is_err() || !full {
            for mode in ["object_id", "timestamp"] {
                self.skip(&format!("transactions_v{v}_page2_{mode}"), "one page only");
            }
            return credits;
        }
        let by_object_id = routes::transactions_page(&paths, version, surrogate_id, &pager);
        let second = match by_object_id {
            Ok(request) => {
                self.step(
                    &format!("transactions_v{v}_page2_object_id"),
                    request,
                    Bearer::Client,
                )
                .await
            }
            Err(_) => None,
        };
        self.observe_anchor(v, &page, second);
        if let Some(last) = last {
            let by_time = Pager::new(Anchor::Timestamp(last.timestamp), PAGE, None)
                .with_anchoring(Anchoring::Timestamp);
            if let Ok(request) = routes::transactions_page(&paths, version, surrogate_id, &by_time)
            {
                self.step(
                    &format!("transactions_v{v}_page2_timestamp"),
                    request,
                    Bearer::Client,
                )
                .await;
            }
        }
        credits
    }

    /// Whether the objectId-anchored second page started after the first page.
    fn observe_anchor(&mut self, v: u32, first: &[Transaction], second: Option<Value>) {
        let second: Vec<Transaction> = second
            .and_then(|b| serde_json::from_value(b).ok())
            .unwrap_or_default();
        let seen: BTreeSet<&str> = first.iter().map(|t| t.object_id.as_str()).collect();
        let verdict = match second.first() {
            None => "no second page",
            Some(t) if seen.contains(t.object_id.as_str()) => "ignored",
            Some(_) => "honoured",
        };
        self.observations.insert(
            format!("transactions_v{v}_object_id_anchor"),
            verdict.into(),
        );
    }

    async fn filters(&mut self, iban: &str) {
        let today = OffsetDateTime::now_utc().date();
        let Ok(query) = FilterQuery::for_dates(iban, today - Duration::days(29), today) else {
            self.skip("filter_credit", "account IBAN not accepted");
            self.skip("filter_debit", "account IBAN not accepted");
            return;
        };
        let paths = self.client.paths().clone();
        for (name, credit) in [("filter_credit", true), ("filter_debit", false)] {
            match routes::filter(&paths, credit, &query) {
                Ok(request) => {
                    self.step(name, request, Bearer::Client).await;
                }
                Err(_) => self.skip(name, "query not accepted"),
            }
        }
    }

    async fn payer_details(&mut self, iban: &str, credit: Option<&Transaction>) {
        let Some(credit) = credit else {
            return self.skip("payer_details", "no credit transaction");
        };
        let query = PayerDetailsQuery::new(iban, credit.archive_id.clone()).map(|mut q| {
            q.booking_date = Some(credit.booking_date);
            q
        });
        match query.and_then(|q| routes::payer_details(self.client.paths(), &q)) {
            Ok(request) => {
                self.step("payer_details", request, Bearer::Client).await;
            }
            Err(_) => self.skip("payer_details", "query not accepted"),
        }
    }

    /// The write steps, through the SDK's own signed calls (recorded from the decoded
    /// answer, so the shape is the SDK's model of it).
    async fn writes(&mut self, ibans: &[String], credit: Option<&Transaction>) {
        let Some(debtor) = ibans.first() else {
            for name in [
                "write_sepa_payment",
                "write_instant_payment",
                "write_refund",
            ] {
                self.skip(name, "no account");
            }
            return;
        };
        let creditor = ibans.get(1).unwrap_or(debtor);
        let cent: Amount = match "0.01".parse() {
            Ok(amount) => amount,
            Err(_) => return,
        };
        for (name, instant) in [
            ("write_sepa_payment", false),
            ("write_instant_payment", true),
        ] {
            let payment = PaymentRequest::builder()
                .debtor("opcorp conformance", debtor.clone())
                .creditor("opcorp conformance", creditor.clone())
                .amount(cent)
                .message("opcorp conformance run")
                .build();
            let payments = self.client.payments();
            let result = match payment {
                Ok(p) if instant => payments.sepa_instant(p).await,
                Ok(p) => payments.sepa(p).await,
                Err(e) => Err(e),
            };
            self.record_typed(name, "POST", result);
        }
        let Some(credit) = credit else {
            return self.skip("write_refund", "no credit transaction");
        };
        let refund = RefundRequest::new(
            credit.archive_id.clone(),
            cent,
            "opcorp conformance run",
            debtor,
            credit.booking_date,
        );
        let result = match refund {
            Ok(r) => self.client.refunds().create(r).await,
            Err(e) => Err(e),
        };
        self.record_typed("write_refund", "POST", result);
    }

    fn record_typed<T: serde::Serialize>(&mut self, name: &str, method: &str, result: Result<T>) {
        let mut record = blank(name, method, "-");
        match result.and_then(|v| {
            serde_json::to_value(v).map_err(|e| crate::Error::invalid_input(e.to_string()))
        }) {
            Ok(value) => {
                let mut ids = BTreeSet::new();
                record.status = Some(200);
                record.shape = shape::shape(&value, &mut ids);
                record.ids = ids.into_iter().collect();
            }
            Err(err) => {
                record.status = err.status();
                record.error = Some(err.code().to_owned());
            }
        }
        self.records.push(record);
    }

    fn skip(&mut self, name: &str, why: &str) {
        let mut record = blank(name, "-", "-");
        record.error = Some(format!("SKIPPED: {why}"));
        self.records.push(record);
    }

    /// Sends one attempt of `request`, records it, and gives the JSON body of a 2xx answer.
    async fn step(&mut self, name: &str, request: ApiRequest, bearer: Bearer) -> Option<Value> {
        let path = template(&request);
        let mut record = blank(name, request.method.as_str(), &path);
        let result = self.send(&request, bearer).await;
        let body = match result {
            Ok(answer) => {
                record.status = Some(answer.status);
                record.headers = relevant_headers(&answer);
                let json: Option<Value> = serde_json::from_slice(&answer.body).ok();
                let mut ids = BTreeSet::new();
                record.shape = json
                    .as_ref()
                    .map_or(Value::Null, |v| shape::shape(v, &mut ids));
                record.ids = ids.into_iter().collect();
                json.filter(|_| (200..300).contains(&answer.status))
            }
            Err(code) => {
                record.error = Some(code);
                None
            }
        };
        self.records.push(record);
        body
    }

    async fn send(
        &self,
        request: &ApiRequest,
        bearer: Bearer,
    ) -> std::result::Result<Answer, String> {
        let mut headers = vec![
            ("X-Request-ID", uuid::Uuid::new_v4().to_string()),
            ("Accept", "application/json".to_owned()),
        ];
        let token = match bearer {
            Bearer::Client => self.token.clone(),
            Bearer::Invalid => Some("opcorp-conformance-invalid-token".to_owned()),
            Bearer::Missing => None,
        };
        if let Some(token) = token {
            headers.push(("Authorization", format!("Bearer {token}")));
        }
        if request.body.is_some() {
            headers.push(("Content-Type", "application/json".to_owned()));
        }
        let attempt = Attempt {
            method: request.method,
            url: format!("{}{}", self.client.base_url(), request.path_and_query()),
            headers: headers
                .into_iter()
                .map(|(name, value)| (name.into(), value))
                .collect(),
            body: request.body.as_deref(),
            max_response_bytes: self.client.inner.max_response_bytes,
            timeout: None,
        };
        let transport = ReqwestTransport {
            http: self.client.inner.http.clone(),
        };
        transport
            .send(attempt)
            .await
            .map_err(|f| f.kind.code().to_owned())
    }
}

fn blank(name: &str, method: &str, path: &str) -> Record {
    Record {
        name: name.into(),
        method: method.into(),
        path: path.into(),
        status: None,
        error: None,
        headers: BTreeMap::new(),
        shape: Value::Null,
        ids: Vec::new(),
    }
}

/// The request's path with its parameter replaced by `{id}`.
fn template(request: &ApiRequest) -> String {
    let paths = crate::paths::ApiPaths::default();
    Route::recognise(request.method, &request.path, &paths)
        .filter(|r| r.param.is_some())
        .map_or_else(
            || request.path.clone(),
            |r| r.route.path(&paths, "{id}").replace("%7Bid%7D", "{id}"),
        )
}

/// Content type (media type only) and the presence of the headers a client acts on.
fn relevant_headers(answer: &Answer) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(ct) = answer.headers.get("content-type") {
        let media = ct
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        out.insert("content-type".into(), media);
    }
    for name in ["retry-after", "www-authenticate", "x-request-id", "date"] {
        if answer.headers.get(name).is_some() {
            out.insert(name.into(), "present".into());
        }
    }
    out
}

/// Refuses write steps against production: `--writes` books real money there.
pub fn check_writes_allowed(client: &Client) -> Result<()> {
    if environment_name(client.environment()) == "production" {
        return Err(crate::Error::config(
            "the conformance run's writes (a payment, an instant payment and a refund) never \
             run against production; use the sandbox or the emulator",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_is_recognised_also_as_a_custom_url() {
        assert_eq!(environment_name(&Environment::Production), "production");
        let custom = Environment::Custom(format!("{}/", crate::config::PRODUCTION_URL));
        assert_eq!(environment_name(&custom), "production");
        assert_eq!(environment_name(&Environment::Sandbox), "sandbox");
        let local = Environment::Custom("https://127.0.0.1:8443".into());
        assert_eq!(environment_name(&local), "custom");
    }
}
