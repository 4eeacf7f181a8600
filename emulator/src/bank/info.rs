//! Transaction Info API: payer name and address of an incoming payment, available only
//! when the payer is an OP customer (debtor BIC `OKOYFIHH`).

use serde_json::json;

use super::body::{self, opt_str, req_str};
use super::errors::{invalid, json_response, not_found};
use super::ids::{self, OP_BIC};
use super::render;
use super::rng::hash;
use super::{Bank, Request, Response, dates};

const STREETS: &[&str] = &[
    "Mannerheimintie",
    "Hämeenkatu",
    "Aleksanterinkatu",
    "Kauppakatu",
    "Rantatie",
    "Koulukatu",
];
const CITIES: &[(&str, &str)] = &[
    ("00100", "HELSINKI"),
    ("33100", "TAMPERE"),
    ("20100", "TURKU"),
    ("90100", "OULU"),
    ("40100", "JYVÄSKYLÄ"),
];

/// A deterministic Finnish address for a payer name.
fn address_lines(name: &str) -> Vec<String> {
    let h = hash(&name.bytes().map(u64::from).collect::<Vec<_>>());
    let street = STREETS[(h % STREETS.len() as u64) as usize];
    let (zip, city) = CITIES[((h >> 16) % CITIES.len() as u64) as usize];
    vec![
        format!("{street} {}", 1 + (h >> 32) % 60),
        format!("{zip} {city}"),
    ]
}

impl Bank {
    /// POST /corporate-transaction-info/v1/payer-details.
    pub(super) fn payer_details(&self, client: usize, req: &Request<'_>) -> Response {
        let obj = match body::parse_object(req.content_type, req.body) {
            Ok(o) => o,
            Err(r) => return r,
        };
        let (iban, archive, booking_date) = match (
            req_str(&obj, "accountIban"),
            req_str(&obj, "archiveId"),
            opt_str(&obj, "bookingDate"),
        ) {
            (Ok(i), Ok(a), Ok(b)) => (i, a, b),
            (Err(r), _, _) | (_, Err(r), _) | (_, _, Err(r)) => return r,
        };
        if !ids::iban_has_shape(iban) {
            return invalid(format!("field `accountIban` {iban:?} is not an IBAN"));
        }
        let Some(index) = self.own_account_by_iban(client, iban) else {
            return not_found("account not found");
        };
        let found = render::find_archive(&self.state, self.codec, archive)
            .filter(|(a, _)| *a == index)
            .and_then(|(a, o)| self.state.accounts.get(a)?.txns.get(o).copied());
        let Some(txn) = found else {
            return not_found("Transaction not found");
        };
        if booking_date.is_some_and(|d| d != dates::iso_date(txn.timestamp)) {
            return not_found("Transaction not found");
        }
        let payer_iban = self.state.pool.text(txn.iban);
        if txn.amount <= 0 || ids::bic_for_iban(payer_iban) != Some(OP_BIC) {
            return not_found(
                "payer details are available only for incoming payments from OP accounts",
            );
        }
        let name = self.state.pool.text(txn.name);
        json_response(
            200,
            &json!({ "payerName": name, "payerAddress": { "country": "FI", "addressLine": address_lines(name) } }),
            false,
        )
    }
}
