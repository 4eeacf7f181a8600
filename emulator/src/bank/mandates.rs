//! Service Provider API: mandates that client companies gave the calling client (as a
//! service provider). Seeded deterministically, 2–4 per client.

use serde_json::{Value, json};

use super::errors::json_response;
use super::rng::{Rng, hash};
use super::{Bank, Response, dates, ids};

const COMPANIES: &[&str] = &[
    "Kuljetus Virtanen Oy",
    "Leipomo Laine Ky",
    "Rakennus Koskinen Oy",
    "Kahvila Aalto Tmi",
    "Metsäpalvelu Oy",
    "Nordic Parts Ab",
];
const APIS: &[&str] = &[
    "ACCOUNT_DATA",
    "PAYMENT",
    "REFUND",
    "TRANSACTION_FILTER",
    "TRANSACTION_INFO",
];

impl Bank {
    /// GET /corporate-service-provider/v1/mandates.
    pub(super) fn mandates(&self, client: usize) -> Response {
        let mut rng = Rng::new(self.config.seed, hash(&[client as u64, 0x3A4D]));
        let n = 2 + rng.below(3) as usize;
        let list: Vec<Value> = (0..n)
            .map(|k| {
                let company =
                    COMPANIES[(rng.below(COMPANIES.len() as u64) as usize + k) % COMPANIES.len()];
                let mut apis: Vec<&str> = vec!["ACCOUNT_DATA"];
                apis.extend(APIS.iter().skip(1).filter(|_| rng.chance(50)));
                let valid_from = self.anchor - (30 + rng.below(700) as i64) * dates::DAY_MICROS;
                json!({
                    "mandateId": ids::uuid(rng.next_u64(), rng.next_u64()),
                    "companyName": company,
                    "businessId": ids::business_id(rng.next_u64()),
                    "apis": apis,
                    "validFrom": dates::iso_date(valid_from),
                    "status": "ACTIVE",
                })
            })
            .collect();
        json_response(200, &Value::Array(list), false)
    }
}
