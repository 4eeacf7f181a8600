//! Refund API v2: refund (part of) an incoming payment back to its payer.
//!
//! Outcomes follow OP's documented sandbox scenarios: 201 booked, 400 `Already refunded`,
//! 403 `Not authorized to refund`, 404 `Transaction not found`. A second refund of the same
//! transaction — the identical body included — is `400 Already refunded`, as OP documents;
//! [`super::Quirks::refund_replay`] replays the first answer with 200 instead.

use serde_json::json;

use super::body::{self, Object, check_len, opt_str, req_str};
use super::booking::{Booked, NewTxn};
use super::errors::{error, invalid, json_response};
use super::render::{self, remittance};
use super::store::{Kind, Remit, StoredRefund, Txn};
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

/// A refund that passed every check, booked on the company's account.
struct BookedRefund {
    booked: Booked,
    original: Txn,
    text: String,
    payer_name: String,
    payer_iban: String,
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
        let (index, original) = match self.refundable(client, req, &order) {
            Ok(found) => found,
            Err(r) => return r,
        };
        let refund = match self.book_refund(client, req, &order, index, original) {
            Ok(r) => r,
            Err(r) => return r,
        };
        let response = json_response(201, &self.refund_answer(&order, &refund), true);
        self.record_refund(client, req, &order, refund, &response);
        response
    }

    /// The original payment a refund order may refund: the company's own incoming payment on
    /// the named account, not refunded before (a second refund is OP's `400 Already
    /// refunded`, or the first answer again under the `refundReplay` quirk), on the given
    /// date, for at least the refunded amount.
    fn refundable(
        &mut self,
        client: usize,
        req: &Request<'_>,
        order: &RefundOrder<'_>,
    ) -> Result<(usize, Txn), Response> {
        let (index, ordinal) = render::find_archive(&self.state, self.codec, order.archive_id)
            .ok_or_else(not_found)?;
        let acc = self.state.accounts.get(index).ok_or_else(not_found)?;
        if acc.client != client {
            return Err(error(403, "forbidden", "Not authorized to refund"));
        }
        if acc.iban != order.account_iban {
            return Err(not_found());
        }
        let original = acc.txns.get(ordinal).copied();
        if let Some(stored) = self.state.refunds.get(order.archive_id) {
            if stored.client == client && stored.body == req.body {
                let response = stored.response.clone();
                if let Some(entry) = self.state.ledger.get_mut(stored.ledger_index) {
                    entry.received = entry.received.saturating_add(1);
                }
                if self.quirks.refund_replay {
                    return Err(Response {
                        status: 200,
                        body: response,
                        committed: false,
                    });
                }
            }
            return Err(error(400, "already_refunded", "Already refunded"));
        }
        let original = original.ok_or_else(not_found)?;
        if original.amount <= 0 {
            return Err(invalid("only incoming payments (credits) can be refunded"));
        }
        if order
            .transaction_date
            .is_some_and(|d| d != dates::iso_date(original.timestamp))
        {
            return Err(not_found());
        }
        if order.cents > original.amount {
            return Err(invalid(format!(
                "refund amount {} exceeds the original payment {}",
                money::format(order.cents),
                money::format(original.amount)
            )));
        }
        Ok((index, original))
    }

    /// Books the refund as a debit on the company's account and, when the payer banks here
    /// too, as a credit on the payer's.
    fn book_refund(
        &mut self,
        client: usize,
        req: &Request<'_>,
        order: &RefundOrder<'_>,
        index: usize,
        original: Txn,
    ) -> Result<BookedRefund, Response> {
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
        let booked = self.book(
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
        )?;
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
        Ok(BookedRefund {
            booked,
            original,
            text,
            payer_name,
            payer_iban,
        })
    }

    /// OP's answer to a booked refund: the original payment and the refund.
    fn refund_answer(&self, order: &RefundOrder<'_>, refund: &BookedRefund) -> serde_json::Value {
        let original = &refund.original;
        let (reference, rf, message) = remittance(&self.state.pool, original.remit);
        let date = dates::iso_date(refund.booked.timestamp);
        json!({
            "original": {
                "archiveId": order.archive_id,
                "message": message.unwrap_or_default(),
                "reference": reference.or(rf),
                "amount": money::format(original.amount),
                "bookingDate": dates::iso_date(original.timestamp),
                "debtorName": refund.payer_name,
            },
            "refund": {
                "amount": money::format(order.cents),
                "status": "PROCESSING",
                "message": refund.text,
                "currency": "EUR",
                "archiveId": refund.booked.archive_id,
                "debtorIban": order.account_iban,
                "bookingDate": date,
                "paymentType": "SEPA_CREDIT_TRANSFER",
                "creditorName": refund.payer_name,
                "transactionId": format!("A_{}", refund.booked.object_id),
                "transactionDate": date,
                "endToEndId": self.quirks.end_to_end(order.end_to_end),
            }
        })
    }

    /// The refund in the ledger and in the store that answers (or refuses) a second one.
    fn record_refund(
        &mut self,
        client: usize,
        req: &Request<'_>,
        order: &RefundOrder<'_>,
        refund: BookedRefund,
        response: &Response,
    ) {
        let ledger_index = self.state.ledger.len();
        self.state.ledger.push(LedgerEntry {
            kind: "refund".into(),
            client_id: self
                .clients
                .get(client)
                .map(|c| c.id.clone())
                .unwrap_or_default(),
            instruction_id: order.archive_id.to_string(),
            archive_id: refund.booked.archive_id,
            amount: money::format(order.cents),
            debtor_iban: order.account_iban.to_string(),
            creditor_iban: refund.payer_iban,
            creditor_address: None,
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
    }
}
