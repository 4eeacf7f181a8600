//! Account Data API: account list (A1), account details (A2) and Transactions V2/V3 paging.

use serde_json::{Map, Number, Value, json};

use super::errors::{invalid, json_response, not_found};
use super::render::{self, Shape};
use super::{Bank, ObjectIdAnchors, Response, dates, ids, money, routes};

/// Largest V2 page (OP's documented cap before 1.6.2).
pub(crate) const V2_MAX_PAGE: usize = 150;
/// Largest V3 page.
pub(crate) const V3_MAX_PAGE: usize = 1000;

/// Parsed paging query.
#[derive(Debug, Default)]
struct Paging {
    from_timestamp: Option<i64>,
    object_id: Option<String>,
    max_past: Option<usize>,
    max_future: Option<usize>,
}

fn count(name: &str, v: &str) -> Result<usize, Response> {
    if v.is_empty() || v.len() > 18 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(format!(
            "query parameter `{name}` must be a non-negative integer, got {v:?}"
        )));
    }
    v.parse::<usize>()
        .map_err(|_| invalid(format!("query parameter `{name}` is out of range")))
}

fn paging(query: Option<&str>) -> Result<Paging, Response> {
    let pairs = routes::parse_query(query)
        .ok_or_else(|| invalid("malformed percent-encoding in the query string"))?;
    let mut p = Paging::default();
    for (k, v) in pairs {
        match k.as_str() {
            "fromTimestamp" => {
                let ts = v.parse::<i64>().map_err(|_| {
                    invalid(format!(
                        "query parameter `fromTimestamp` must be an integer of microseconds since the epoch, got {v:?}"
                    ))
                })?;
                p.from_timestamp = Some(ts);
            }
            "objectId" => {
                if v.is_empty() {
                    return Err(invalid("query parameter `objectId` is empty"));
                }
                p.object_id = Some(v);
            }
            "maxPast" => p.max_past = Some(count("maxPast", &v)?),
            "maxFuture" => p.max_future = Some(count("maxFuture", &v)?),
            _ => {}
        }
    }
    if p.from_timestamp.is_some() && p.object_id.is_some() {
        return Err(invalid(
            "give either `fromTimestamp` or `objectId` as the anchor, not both",
        ));
    }
    Ok(p)
}

impl Bank {
    /// A1: the caller's accounts as a bare JSON array.
    pub(super) fn list_accounts(&self, client: usize) -> Response {
        let list: Vec<Value> = self
            .state
            .accounts
            .iter()
            .filter(|a| a.client == client)
            .map(|a| {
                json!({
                    "bic": ids::OP_BIC,
                    "iban": a.iban,
                    "name": a.name,
                    "balance": money::format(a.balance()),
                    "currency": "EUR",
                    "surrogateId": a.surrogate_id,
                    "productNames": { "fi": "Yritystili", "sv": "Företagskonto", "en": "Business account" },
                    "accountTypeCode": "1",
                })
            })
            .collect();
        json_response(200, &Value::Array(list), false)
    }

    /// A2: details of one of the caller's accounts; another client's account is 404.
    pub(super) fn account_details(&self, client: usize, surrogate: &str) -> Response {
        let Some(acc) = self
            .own_account_by_surrogate(client, surrogate)
            .and_then(|i| self.state.accounts.get(i))
        else {
            return not_found("account not found");
        };
        let owner = self.clients.get(client);
        let balance = money::format(acc.balance());
        let mut m = Map::new();
        m.insert("bic".into(), json!(ids::OP_BIC));
        m.insert("iban".into(), json!(acc.iban));
        m.insert("dueDate".into(), Value::Null);
        m.insert(
            "ownerId".into(),
            json!(owner.map_or("", |c| c.business_id.as_str())),
        );
        m.insert("currency".into(), json!("EUR"));
        m.insert("netBalance".into(), json!(balance));
        m.insert("accountName".into(), json!(acc.name));
        m.insert(
            "creditLimit".into(),
            Value::Number(Number::from(acc.credit_limit)),
        );
        m.insert("surrogateId".into(), json!(acc.surrogate_id));
        m.insert(
            "accountOwner".into(),
            json!(owner.map_or("", |c| c.company.as_str())),
        );
        m.insert(
            "creationDate".into(),
            json!(dates::finnish_date(acc.created)),
        );
        m.insert("grossBalance".into(), json!(balance));
        m.insert("intraDayLimit".into(), Value::Null);
        json_response(200, &Value::Object(m), false)
    }

    /// A3, legacy v1 (deprecated, still in OP's sample script): no query parameters; the
    /// newest [`V2_MAX_PAGE`] transactions, ascending, as a bare array in the v1 shape.
    pub(super) fn legacy_transactions(&self, client: usize, surrogate: &str) -> Response {
        let Some(index) = self.own_account_by_surrogate(client, surrogate) else {
            return not_found("account not found");
        };
        let Some(acc) = self.state.accounts.get(index) else {
            return not_found("account not found");
        };
        let ctx = self.render_ctx(client);
        let start = acc.txns.len().saturating_sub(V2_MAX_PAGE);
        let items: Vec<Value> = (start..acc.txns.len())
            .map(|o| render::transaction(&ctx, index, acc, o, Shape::V1))
            .collect();
        json_response(200, &Value::Array(items), false)
    }

    /// A4/A5: a page of transactions around an anchor, ascending by (timestamp, position).
    ///
    /// `fromTimestamp` is inclusive (transactions at or after it are "future"), `objectId` is
    /// exclusive (the anchor itself is never returned). `maxPast` transactions before the
    /// anchor come first, then up to `maxFuture` after it. Without an anchor the oldest
    /// transactions come first. With the `objectIdAnchors: ignored` quirk an `objectId` is
    /// dropped, so such a query starts at the oldest transaction.
    pub(super) fn transactions(
        &self,
        client: usize,
        surrogate: &str,
        query: Option<&str>,
        shape: Shape,
    ) -> Response {
        let Some(index) = self.own_account_by_surrogate(client, surrogate) else {
            return not_found("account not found");
        };
        let Some(acc) = self.state.accounts.get(index) else {
            return not_found("account not found");
        };
        let mut p = match paging(query) {
            Ok(p) => p,
            Err(r) => return r,
        };
        if self.quirks.object_id_anchors == ObjectIdAnchors::Ignored {
            // As OP's sandbox reportedly does: the anchor is dropped, not refused.
            p.object_id = None;
        }
        let cap = match shape {
            Shape::V1 | Shape::V2 => V2_MAX_PAGE,
            Shape::V3 => V3_MAX_PAGE,
        };
        let max_past = p.max_past.unwrap_or(0).min(cap);
        let max_future = p.max_future.unwrap_or(cap).min(cap);
        let (past_end, future_start) = if let Some(ts) = p.from_timestamp {
            let at = acc.txns.partition_point(|t| t.timestamp < ts);
            (at, at)
        } else if let Some(object) = &p.object_id {
            match render::find_object(&self.state, self.codec, index, object) {
                Some(o) => (o, o + 1),
                None => return invalid(format!("unknown objectId {object:?} for this account")),
            }
        } else {
            (0, 0)
        };
        let past_start = past_end.saturating_sub(max_past);
        let future_end = future_start.saturating_add(max_future).min(acc.txns.len());
        let ctx = self.render_ctx(client);
        let items: Vec<Value> = (past_start..past_end)
            .chain(future_start..future_end)
            .map(|o| render::transaction(&ctx, index, acc, o, shape))
            .collect();
        json_response(200, &Value::Array(items), false)
    }
}
