//! Payment API: SEPA and SEPA Instant credit transfers (signed, de-duplicated on
//! `instructionId`) and the instant-payment status query.

use serde_json::{Map, Value, json};

use super::address;
use super::body::{self, Object, check_len, opt_obj, opt_str, req_obj, req_str};
use super::booking::{Booked, NewTxn, parse_reference};
use super::errors::{error, forbidden, invalid, json_response};
use super::quirks::UnstructuredAddresses;
use super::store::{Kind, Remit, StoredPayment};
use super::{Bank, LedgerEntry, Request, Response, Route, dates, ids, money};

/// A validated payment order.
struct Order<'a> {
    instruction_id: &'a str,
    end_to_end: Option<&'a str>,
    debtor_name: &'a str,
    debtor_iban: &'a str,
    creditor_name: &'a str,
    creditor_iban: &'a str,
    ultimate_debtor: Option<&'a str>,
    ultimate_creditor: Option<&'a str>,
    /// The creditor's `address` as sent, kept in the ledger.
    creditor_address: Option<Value>,
    cents: i64,
    reference: Option<(bool, String)>,
    message: Option<&'a str>,
}

fn instruction_id_ok(s: &str) -> bool {
    (1..=35).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn end_to_end_ok(s: &str) -> bool {
    (1..=35).contains(&s.chars().count())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-åäöÅÄÖ_=:.,+".contains(c))
}

/// `name` (1..70) and `iban` of a party object, plus the rulebook check of its `address`.
fn party<'a>(
    obj: &'a Object,
    field: &str,
    unstructured: UnstructuredAddresses,
) -> Result<(&'a str, &'a str), Response> {
    let p = req_obj(obj, field)?;
    let name = req_str(p, "name").map_err(|_| {
        invalid(format!(
            "field `{field}.name` is required and must be a string"
        ))
    })?;
    check_len(&format!("{field}.name"), name, 1, 70)?;
    let iban = req_str(p, "iban").map_err(|_| {
        invalid(format!(
            "field `{field}.iban` is required and must be a string"
        ))
    })?;
    check_len(&format!("{field}.iban"), iban, 1, 34)?;
    if let Some(a) = opt_obj(p, "address")? {
        address::check(a, field, unstructured)?;
    }
    Ok((name, iban))
}

fn ultimate<'a>(
    obj: &'a Object,
    field: &str,
    unstructured: UnstructuredAddresses,
) -> Result<Option<&'a str>, Response> {
    let Some(u) = opt_obj(obj, field)? else {
        return Ok(None);
    };
    if let Some(a) = opt_obj(u, "address")? {
        address::check(a, field, unstructured)?;
    }
    let name = opt_str(u, "name")?;
    if let Some(n) = name {
        check_len(&format!("{field}.name"), n, 1, 70)?;
    }
    Ok(name)
}

impl Bank {
    fn iban_ok(&self, iban: &str) -> bool {
        if self.config.lenient_iban {
            ids::iban_has_shape(iban)
        } else {
            ids::iban_is_valid(iban)
        }
    }

    fn validate_order<'a>(
        &self,
        obj: &'a Object,
        instruction_id: &'a str,
    ) -> Result<Order<'a>, Response> {
        let end_to_end = opt_str(obj, "endToEndId")?;
        if let Some(e) = end_to_end
            && !end_to_end_ok(e)
        {
            return Err(invalid(
                "field `endToEndId` must match ^[0-9A-Za-z-åäöÅÄÖ_=:.,+]{1,35}$",
            ));
        }
        let unstructured = self.quirks.unstructured_addresses;
        let (debtor_name, debtor_iban) = party(obj, "debtor", unstructured)?;
        let (creditor_name, creditor_iban) = party(obj, "creditor", unstructured)?;
        let amount = req_obj(obj, "instructedAmount")?;
        let raw = req_str(amount, "amount").map_err(|_| {
            invalid("field `instructedAmount.amount` is required and must be a string")
        })?;
        let cents = money::parse_strict(raw).ok_or_else(|| {
            invalid(format!(
                "field `instructedAmount.amount` must match ^\\d{{1,13}}\\.\\d{{2}}$, got {raw:?}"
            ))
        })?;
        if cents <= 0 {
            return Err(invalid(
                "field `instructedAmount.amount` must be greater than zero",
            ));
        }
        match opt_str(amount, "currency")? {
            Some("EUR") => {}
            Some(c) => {
                return Err(invalid(format!(
                    "currency {c:?} is not supported; only EUR"
                )));
            }
            None => return Err(invalid("field `instructedAmount.currency` is required")),
        }
        let reference = opt_str(obj, "reference")?;
        let message = opt_str(obj, "message")?;
        let reference = match (reference, message) {
            (Some(_), Some(_)) => return Err(invalid("give exactly one of `reference` and `message`, not both")),
            (None, None) => return Err(invalid("one of `reference` or `message` is required")),
            (Some(r), None) => Some(parse_reference(r).ok_or_else(|| {
                invalid(format!("`reference` {r:?} is neither a valid Finnish reference nor a valid RF reference"))
            })?),
            (None, Some(m)) => {
                check_len("message", m, 1, 140)?;
                None
            }
        };
        if !self.iban_ok(debtor_iban) {
            return Err(invalid(format!(
                "`debtor.iban` {debtor_iban:?} is not a valid IBAN"
            )));
        }
        if !self.iban_ok(creditor_iban) {
            return Err(invalid(format!(
                "`creditor.iban` {creditor_iban:?} is not a valid IBAN"
            )));
        }
        if debtor_iban == creditor_iban {
            return Err(invalid("debtor and creditor accounts must differ"));
        }
        Ok(Order {
            instruction_id,
            end_to_end,
            debtor_name,
            debtor_iban,
            creditor_name,
            creditor_iban,
            ultimate_debtor: ultimate(obj, "ultimateDebtor", unstructured)?,
            ultimate_creditor: ultimate(obj, "ultimateCreditor", unstructured)?,
            creditor_address: req_obj(obj, "creditor")?.get("address").cloned(),
            cents,
            reference,
            message,
        })
    }

    /// POST sepa-payment / sepa-instant-payment.
    pub(super) fn payment(&mut self, client: usize, route: Route, req: &Request<'_>) -> Response {
        if let Err(r) = self.verify_signature(client, req) {
            return r;
        }
        let obj = match body::parse_object(req.content_type, req.body) {
            Ok(o) => o,
            Err(r) => return r,
        };
        let instruction_id = match req_str(&obj, "instructionId") {
            Ok(i) if instruction_id_ok(i) => i,
            Ok(i) => {
                return invalid(format!(
                    "field `instructionId` must match ^[a-zA-Z0-9]{{1,35}}$, got {i:?}"
                ));
            }
            Err(r) => return r,
        };
        let key = (client, instruction_id.to_string());
        if let Some(stored) = self.state.payments.get(&key) {
            if stored.body == req.body && stored.route == route {
                let response = stored.response.clone();
                if let Some(entry) = self.state.ledger.get_mut(stored.ledger_index) {
                    entry.received = entry.received.saturating_add(1);
                }
                return Response {
                    status: 200,
                    body: response,
                    committed: false,
                };
            }
            return error(
                409,
                "duplicate_instruction_id",
                format!(
                    "instructionId {instruction_id:?} was already used for a different payment"
                ),
            );
        }
        let order = match self.validate_order(&obj, instruction_id) {
            Ok(o) => o,
            Err(r) => return r,
        };
        let Some(debtor) = self.own_account_by_iban(client, order.debtor_iban) else {
            return forbidden(format!(
                "debtor account {} does not belong to this client",
                order.debtor_iban
            ));
        };
        match self.book_payment(client, debtor, route, &order, req) {
            Ok(r) => r,
            Err(r) => r,
        }
    }

    fn book_payment(
        &mut self,
        client: usize,
        debtor: usize,
        route: Route,
        o: &Order<'_>,
        req: &Request<'_>,
    ) -> Result<Response, Response> {
        let instant = route == Route::SepaInstantPayment;
        let remit = match &o.reference {
            Some((rf, text)) => self.remit_reference(*rf, text),
            None => Remit::Msg(self.state.pool.add_opt(o.message)),
        };
        let kind = if instant {
            Kind::InstantPayment
        } else {
            Kind::Payment
        };
        let booked = self.book(
            debtor,
            req.now_micros,
            NewTxn {
                amount: -o.cents,
                kind,
                remit,
                name: o.creditor_name,
                iban: o.creditor_iban,
                end_to_end: o.end_to_end,
            },
        )?;
        if let Some(&creditor) = self.state.by_iban.get(o.creditor_iban) {
            let kind = if o.reference.is_some() {
                Kind::RefCredit
            } else {
                Kind::Credit
            };
            // The debit is already booked; a failing credit leg (full account) is not fatal.
            let _ = self.book(
                creditor,
                req.now_micros,
                NewTxn {
                    amount: o.cents,
                    kind,
                    remit,
                    name: o.debtor_name,
                    iban: o.debtor_iban,
                    end_to_end: o.end_to_end,
                },
            );
        }
        let response = json_response(201, &self.payment_answer(o, &booked, instant), true);
        let ledger_index = self.state.ledger.len();
        self.state.ledger.push(LedgerEntry {
            kind: route.name().to_string(),
            client_id: self
                .clients
                .get(client)
                .map(|c| c.id.clone())
                .unwrap_or_default(),
            instruction_id: o.instruction_id.to_string(),
            archive_id: booked.archive_id,
            amount: money::format(o.cents),
            debtor_iban: o.debtor_iban.to_string(),
            creditor_iban: o.creditor_iban.to_string(),
            creditor_address: o.creditor_address.clone(),
            received: 1,
        });
        self.state.payments.insert(
            (client, o.instruction_id.to_string()),
            StoredPayment {
                route,
                body: req.body.to_vec(),
                response: response.body.clone(),
                ledger_index,
            },
        );
        Ok(response)
    }

    /// OP's answer to a booked payment (op-api.md §5's response fields).
    fn payment_answer(&self, o: &Order<'_>, booked: &Booked, instant: bool) -> Value {
        let date = dates::iso_date(booked.timestamp);
        let mut m = Map::new();
        m.insert("amount".into(), json!(money::format(o.cents)));
        m.insert(
            "status".into(),
            json!(if instant { "PROCESSED" } else { "PROCESSING" }),
        );
        m.insert("currency".into(), json!("EUR"));
        m.insert("archiveId".into(), json!(booked.archive_id));
        m.insert("debtorIban".into(), json!(o.debtor_iban));
        if let Some(u) = o.ultimate_debtor {
            m.insert("ultimateDebtorName".into(), json!(u));
        }
        m.insert("bookingDate".into(), json!(date));
        m.insert(
            "paymentType".into(),
            json!(if instant {
                "SCT_INST"
            } else {
                "SEPA_CREDIT_TRANSFER"
            }),
        );
        m.insert("creditorIban".into(), json!(o.creditor_iban));
        m.insert("creditorName".into(), json!(o.creditor_name));
        if let Some(u) = o.ultimate_creditor {
            m.insert("ultimateCreditorName".into(), json!(u));
        }
        m.insert(
            "transactionId".into(),
            json!(format!("A_{}", booked.object_id)),
        );
        m.insert("transactionDate".into(), json!(date));
        m.insert("endToEndId".into(), self.quirks.end_to_end(o.end_to_end));
        Value::Object(m)
    }

    /// GET sepa-instant-payment/{instructionId}: the booked instant payment as a one-element
    /// array, or `[]` when this client booked no instant payment with that id.
    pub(super) fn instant_status(&self, client: usize, instruction_id: &str) -> Response {
        let found = self
            .state
            .payments
            .get(&(client, instruction_id.to_string()))
            .filter(|p| p.route == Route::SepaInstantPayment)
            .and_then(|p| serde_json::from_slice::<Value>(&p.response).ok());
        json_response(200, &Value::Array(found.into_iter().collect()), false)
    }
}
