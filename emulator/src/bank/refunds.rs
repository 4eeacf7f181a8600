//! Refund API v2: refund (part of) an incoming payment back to its payer.
//!
//! Outcomes follow OP's documented sandbox scenarios: 201 booked, 400 `Already refunded`,
//! 403 `Not authorized to refund`, 404 `Transaction not found`. A second refund of the same
//! transaction — the identical body included — is `400 Already refunded`, as OP documents;
//! [`super::Quirks::refund_replay`] replays the first answer with 200 instead.

use serde_json::json;

use super::body::{self, Object, check_len, opt_str, req_str};
use super::booking::NewTxn;
use super::errors::{error, invalid, json_response};
use super::render::{self, remittance};
use super::store::{Kind, Remit, StoredRefund};
use super::{Bank, LedgerEntry, Request, Response, dates, money};

/// Prefix OP puts before the client's refund message (3P example).
const PREFIX: &str = "MAKSUN PALAUTUS. Maksun tiedot:";

struct RefundOrder<'a> {
    archive_id: &'a str,
    cents: i64,
    message: Option<&'a str>,
    account_iban: &'a str,
    transaction_date: Option<&'a str>,
    end_to_end: Option<&'a str>,
}

fn validate(obj: &Object) -> Result<RefundOrder<'_>, Response> {
    let archive_id = req_str(obj, "archiveId")?;
    check_len("archiveId", archive_id, 1, 35)?;
    let raw = req_str(obj, "amount")?;
    let cents = money::parse_strict(raw).filter(|c| *c > 0).ok_or_else(|| {
        invalid(format!(
            "field `amount` must be a positive decimal like \"49.00\", got {raw:?}"
        ))
    })?;
    let message = opt_str(obj, "message")?;
    if let Some(m) = message {
        check_len("message", m, 0, 140)?;
    }
    let account_iban = req_str(obj, "accountIban")?;
    check_len("accountIban", account_iban, 1, 34)?;
    let transaction_date = opt_str(obj, "transactionDate")?;
    if let Some(d) = transaction_date
        && !is_iso_date(d)
    {
        return Err(invalid(format!(
            "field `transactionDate` must be YYYY-MM-DD, got {d:?}"
        )));
    }
    let end_to_end = opt_str(obj, "endToEndId")?;
    if let Some(e) = end_to_end {
        check_len("endToEndId", e, 1, 35)?;
    }
    Ok(RefundOrder {
        archive_id,
        cents,
        message,
        account_iban,
        transaction_date,
        end_to_end,
    })
}

fn is_iso_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn not_found() -> Response {
    error(404, "not_found", "Transaction not found")
}

impl Bank {
    /// POST /corporate-payment/v2/payment-refund.
    pub(super) fn refund(&mut self, client: usize, req: &Request<'_>) -> Response {
        if let Err(r) = self.verify_signature(client, req) {
            return r;
        }
        let obj = match body::parse_object(req.content_type, req.body) {
            Ok(o) => o,
            Err(r) => return r,
        };
        let order = match validate(&obj) {
            Ok(o) => o,
            Err(r) => return r,
        };
        let Some((index, ordinal)) =
            render::find_archive(&self.state, self.codec, order.archive_id)
        else {
            return not_found();
        };
        let Some(acc) = self.state.accounts.get(index) else {
            return not_found();
        };
        if acc.client != client {
            return error(403, "forbidden", "Not authorized to refund");
        }
        if acc.iban != order.account_iban {
            return not_found();
        }
        if let Some(stored) = self.state.refunds.get(order.archive_id) {
            if stored.client == client && stored.body == req.body {
                let response = stored.response.clone();
                if let Some(entry) = self.state.ledger.get_mut(stored.ledger_index) {
                    entry.received = entry.received.saturating_add(1);
                }
                if self.quirks.refund_replay {
                    return Response {
                        status: 200,
                        body: response,
                        committed: false,
                    };
                }
            }
            return error(400, "already_refunded", "Already refunded");
        }
        let Some(original) = acc.txns.get(ordinal).copied() else {
            return not_found();
        };
        if original.amount <= 0 {
            return invalid("only incoming payments (credits) can be refunded");
        }
        let original_date = dates::iso_date(original.timestamp);
        if order.transaction_date.is_some_and(|d| d != original_date) {
            return not_found();
        }
        if order.cents > original.amount {
            return invalid(format!(
                "refund amount {} exceeds the original payment {}",
                money::format(order.cents),
                money::format(original.amount)
            ));
        }
        let text = format!(
            "{PREFIX} {} {}",
            dates::finnish_date(original.timestamp),
            order.message.unwrap_or("")
        )
        .trim_end()
        .to_string();
        let payer_name = self.state.pool.text(original.name).to_string();
        let payer_iban = self.state.pool.text(original.iban).to_string();
        let message_id = self.state.pool.add(&text);
        let booked = match self.book(
            index,
            req.now_micros,
            NewTxn {
                amount: -order.cents,
                kind: Kind::Refund,
                remit: Remit::Msg(message_id),
                name: &payer_name,
                iban: &payer_iban,
                end_to_end: order.end_to_end,
            },
        ) {
            Ok(b) => b,
            Err(r) => return r,
        };
        if let Some(&payer) = self.state.by_iban.get(&payer_iban) {
            // The payer banks here too: the refund arrives as a credit. The debit is already
            // booked, so a failing credit leg (a full account) is not fatal.
            let company = self
                .clients
                .get(client)
                .map(|c| c.company.clone())
                .unwrap_or_default();
            let _ = self.book(
                payer,
                req.now_micros,
                NewTxn {
                    amount: order.cents,
                    kind: Kind::Credit,
                    remit: Remit::Msg(message_id),
                    name: &company,
                    iban: order.account_iban,
                    end_to_end: order.end_to_end,
                },
            );
        }
        let (reference, rf, message) = remittance(&self.state.pool, original.remit);
        let date = dates::iso_date(booked.timestamp);
        let value = json!({
            "original": {
                "archiveId": order.archive_id,
                "message": message.unwrap_or_default(),
                "reference": reference.or(rf),
                "amount": money::format(original.amount),
                "bookingDate": original_date,
                "debtorName": payer_name,
            },
            "refund": {
                "amount": money::format(order.cents),
                "status": "PROCESSING",
                "message": text,
                "currency": "EUR",
                "archiveId": booked.archive_id,
                "debtorIban": order.account_iban,
                "bookingDate": date,
                "paymentType": "SEPA_CREDIT_TRANSFER",
                "creditorName": payer_name,
                "transactionId": format!("A_{}", booked.object_id),
                "transactionDate": date,
                "endToEndId": self.quirks.end_to_end(order.end_to_end),
            }
        });
        let response = json_response(201, &value, true);
        let ledger_index = self.state.ledger.len();
        self.state.ledger.push(LedgerEntry {
            kind: "refund".into(),
            client_id: self
                .clients
                .get(client)
                .map(|c| c.id.clone())
                .unwrap_or_default(),
            instruction_id: order.archive_id.to_string(),
            archive_id: booked.archive_id,
            amount: money::format(order.cents),
            debtor_iban: order.account_iban.to_string(),
            creditor_iban: payer_iban,
            received: 1,
        });
        self.state.refunds.insert(
            order.archive_id.to_string(),
            StoredRefund {
                client,
                body: req.body.to_vec(),
                response: response.body.clone(),
                ledger_index,
            },
        );
        response
    }
}
