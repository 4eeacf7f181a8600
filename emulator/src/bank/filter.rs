//! Transaction Filter API: search one account's debits or credits in a window of at most
//! 30 days; at most 10 results (newest first) plus `skipped`, the number left out.

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::body::{self, Object, opt_str, req_str};
use super::errors::{invalid, json_response, not_found};
use super::render::{self, Shape, remittance};
use super::store::Txn;
use super::{Bank, Request, Response, dates, money};

/// Most transactions returned.
pub(crate) const MAX_RESULTS: usize = 10;
/// Longest allowed window.
const MAX_RANGE_DAYS: i64 = 30;

/// What a transaction must satisfy.
struct Criteria {
    credit: bool,
    start: i64,
    end: i64,
    reference: Option<String>,
    min: Option<i64>,
    max: Option<i64>,
    name: Option<String>,
}

fn timestamp(obj: &Object, field: &str) -> Result<i64, Response> {
    let raw = req_str(obj, field)?;
    let t = OffsetDateTime::parse(raw, &Rfc3339)
        .map_err(|_| invalid(format!("field `{field}` must be an RFC 3339 date-time such as 2024-06-01T00:00:00Z, got {raw:?}")))?;
    if !t.offset().is_utc() {
        return Err(invalid(format!(
            "field `{field}` must be in UTC (ending in Z), got {raw:?}"
        )));
    }
    i64::try_from(t.unix_timestamp_nanos() / 1_000)
        .map_err(|_| invalid(format!("field `{field}` is out of range")))
}

fn amount(obj: &Object, field: &str) -> Result<Option<i64>, Response> {
    opt_str(obj, field)?
        .map(|raw| {
            money::parse_loose(raw).ok_or_else(|| {
                invalid(format!(
                    "field `{field}` must be a non-negative decimal like \"10.00\", got {raw:?}"
                ))
            })
        })
        .transpose()
}

/// Normalised reference for comparison: RF upper-case, Finnish without leading zeros.
fn normalise_reference(raw: &str) -> Option<String> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if compact.starts_with("RF")
        && compact.len() > 4
        && compact.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Some(compact);
    }
    if !compact.is_empty() && compact.bytes().all(|b| b.is_ascii_digit()) {
        return Some(compact.trim_start_matches('0').to_string());
    }
    None
}

fn criteria(obj: &Object, credit: bool) -> Result<Criteria, Response> {
    let start = timestamp(obj, "startDate")?;
    let end = timestamp(obj, "endDate")?;
    if end < start {
        return Err(invalid("`endDate` is before `startDate`"));
    }
    if end - start > MAX_RANGE_DAYS * dates::DAY_MICROS {
        return Err(invalid(
            "the date range between `startDate` and `endDate` may be at most 30 days",
        ));
    }
    let reference = opt_str(obj, "reference")?
        .map(|r| {
            normalise_reference(r)
                .ok_or_else(|| invalid(format!("field `reference` {r:?} is not a reference")))
        })
        .transpose()?;
    let (min, max) = (amount(obj, "minAmount")?, amount(obj, "maxAmount")?);
    if let (Some(lo), Some(hi)) = (min, max)
        && lo > hi
    {
        return Err(invalid("`minAmount` is greater than `maxAmount`"));
    }
    let (own, other) = if credit {
        ("debtorName", "creditorName")
    } else {
        ("creditorName", "debtorName")
    };
    if opt_str(obj, other)?.is_some() {
        let endpoint = if credit {
            "credit-transactions"
        } else {
            "debit-transactions"
        };
        return Err(invalid(format!(
            "field `{other}` is not a filter of {endpoint}; use `{own}`"
        )));
    }
    let name = opt_str(obj, own)?.map(str::to_lowercase);
    Ok(Criteria {
        credit,
        start,
        end,
        reference,
        min,
        max,
        name,
    })
}

impl Criteria {
    fn matches(&self, bank: &Bank, txn: &Txn) -> bool {
        if (txn.amount > 0) != self.credit {
            return false;
        }
        let abs = txn.amount.unsigned_abs();
        if self.min.is_some_and(|m| abs < m.unsigned_abs())
            || self.max.is_some_and(|m| abs > m.unsigned_abs())
        {
            return false;
        }
        if let Some(name) = &self.name
            && !bank.state.pool.text(txn.name).to_lowercase().contains(name)
        {
            return false;
        }
        if let Some(wanted) = &self.reference {
            let (fi, rf, _) = remittance(&bank.state.pool, txn.remit);
            let got = fi.or(rf).and_then(|r| normalise_reference(&r));
            if got.as_ref() != Some(wanted) {
                return false;
            }
        }
        true
    }
}

impl Bank {
    /// POST debit-transactions (`credit == false`) or credit-transactions.
    pub(super) fn filter(&self, client: usize, req: &Request<'_>, credit: bool) -> Response {
        let obj = match body::parse_object(req.content_type, req.body) {
            Ok(o) => o,
            Err(r) => return r,
        };
        let iban = match req_str(&obj, "accountIban") {
            Ok(i) => i,
            Err(r) => return r,
        };
        let c = match criteria(&obj, credit) {
            Ok(c) => c,
            Err(r) => return r,
        };
        let Some(index) = self.own_account_by_iban(client, iban) else {
            return not_found("account not found");
        };
        let Some(acc) = self.state.accounts.get(index) else {
            return not_found("account not found");
        };
        let lo = acc.txns.partition_point(|t| t.timestamp < c.start);
        let hi = acc.txns.partition_point(|t| t.timestamp <= c.end);
        let mut hits = Vec::with_capacity(MAX_RESULTS);
        let mut skipped: u64 = 0;
        for ordinal in (lo..hi).rev() {
            let Some(txn) = acc.txns.get(ordinal) else {
                continue;
            };
            if c.matches(self, txn) {
                if hits.len() < MAX_RESULTS {
                    hits.push(ordinal);
                } else {
                    skipped += 1;
                }
            }
        }
        let ctx = self.render_ctx(client);
        let items: Vec<Value> = hits
            .into_iter()
            .map(|o| render::transaction(&ctx, index, acc, o, Shape::V2))
            .collect();
        json_response(
            200,
            &json!({ "transactions": items, "skipped": skipped }),
            false,
        )
    }
}
