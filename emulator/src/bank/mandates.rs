//! Service Provider API: the mandates client companies gave a client (as a service
//! provider), and calls that act for one of them.
//!
//! How an SP call selects the company it acts for is not public (op-api.md §9, [OPEN]). The
//! emulator's inference: the call carries the mandate id in the [`MANDATE_HEADER`] request
//! header and is then answered with the data of the company that gave the mandate. A
//! company's accounts are seeded from the mandate id the first time they are needed (an
//! acting-for call, the admin listing, or adding the mandate), so seeded mandates cost
//! nothing until used.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::errors::{error, json_response};
use super::rng::{Rng, hash, hash_str};
use super::{AccountSummary, Bank, Client, Response, Route, dates, ids};

/// The request header that names the mandate a call acts for (an inference; see
/// `ASSUMPTIONS.md`).
pub const MANDATE_HEADER: &str = "x-mandate-id";

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
/// Accounts of the company behind a seeded mandate.
const SEEDED_COMPANY_ACCOUNTS: usize = 2;
/// Most accounts a company added through the admin API may have.
const MAX_COMPANY_ACCOUNTS: usize = 50;

/// Whether a mandate is in force. A revoked mandate stays listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum Status {
    Active,
    Revoked,
}

/// One mandate a company gave a service provider.
#[derive(Debug, Clone)]
struct Mandate {
    id: String,
    /// Index of the service provider (a registered client).
    provider: usize,
    company_name: String,
    business_id: String,
    apis: Vec<String>,
    valid_from: i64,
    status: Status,
    /// How many accounts the company has.
    accounts: usize,
    /// The company's index among the bank's account owners, once its accounts exist.
    company: Option<usize>,
}

/// Every mandate of the bank, by id.
#[derive(Debug, Default)]
pub(super) struct Mandates {
    list: Vec<Mandate>,
    by_id: HashMap<String, usize>,
}

impl Mandates {
    fn push(&mut self, mandate: Mandate) {
        self.by_id.insert(mandate.id.clone(), self.list.len());
        self.list.push(mandate);
    }
}

/// A mandate as the admin API shows it, with the company's accounts.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MandateSummary {
    /// Mandate id (a UUID).
    pub mandate_id: String,
    /// The service provider's client id.
    pub client_id: String,
    /// Name of the company that gave the mandate.
    pub company_name: String,
    /// Its business id (Y-tunnus).
    pub business_id: String,
    /// The APIs the mandate covers.
    pub apis: Vec<String>,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    /// `ACTIVE` or `REVOKED`.
    pub status: String,
    /// The company's accounts.
    pub accounts: Vec<AccountSummary>,
}

/// A mandate to add: a company gives the service provider a mandate.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewMandate {
    /// The company's name (1..140 characters).
    pub company_name: String,
    /// Its business id; generated from the mandate id when absent.
    #[serde(default)]
    pub business_id: Option<String>,
    /// The APIs covered (default `["ACCOUNT_DATA"]`).
    #[serde(default)]
    pub apis: Option<Vec<String>>,
    /// How many accounts the company has (1..=50, default 2).
    #[serde(default)]
    pub accounts: Option<usize>,
}

/// The API a route belongs to, as mandates name it; `None` for routes that never act for a
/// company (the mandate list itself, Verification of Payee).
fn api_of(route: Route) -> Option<&'static str> {
    match route {
        Route::Accounts
        | Route::Account
        | Route::TransactionsV1
        | Route::TransactionsV2
        | Route::TransactionsV3 => Some("ACCOUNT_DATA"),
        Route::SepaPayment | Route::SepaInstantPayment | Route::InstantStatus => Some("PAYMENT"),
        Route::Refund => Some("REFUND"),
        Route::FilterDebit | Route::FilterCredit => Some("TRANSACTION_FILTER"),
        Route::PayerDetails => Some("TRANSACTION_INFO"),
        Route::Mandates | Route::VerifyAccount => None,
    }
}

impl Bank {
    /// Seeds the 2–4 mandates of a newly registered client.
    pub(super) fn seed_mandates(&mut self, provider: usize) {
        let seed_key = self.clients.get(provider).map_or(0, |c| c.seed_key);
        let mut rng = Rng::new(self.config.seed, hash(&[seed_key, 0x3A4D]));
        let n = 2 + rng.below(3) as usize;
        for k in 0..n {
            let company =
                COMPANIES[(rng.below(COMPANIES.len() as u64) as usize + k) % COMPANIES.len()];
            let mut apis = vec!["ACCOUNT_DATA".to_owned()];
            apis.extend(
                APIS.iter()
                    .skip(1)
                    .filter(|_| rng.chance(50))
                    .map(|a| (*a).to_owned()),
            );
            let valid_from = self.anchor - (30 + rng.below(700) as i64) * dates::DAY_MICROS;
            self.mandates.push(Mandate {
                id: ids::uuid(rng.next_u64(), rng.next_u64()),
                provider,
                company_name: company.to_owned(),
                business_id: ids::business_id(rng.next_u64()),
                apis,
                valid_from,
                status: Status::Active,
                accounts: SEEDED_COMPANY_ACCOUNTS,
                company: None,
            });
        }
    }

    /// GET /corporate-service-provider/v1/mandates: the caller's mandates, revoked ones
    /// included.
    pub(super) fn mandates(&self, provider: usize) -> Response {
        let list: Vec<Value> = self
            .mandates
            .list
            .iter()
            .filter(|m| m.provider == provider)
            .map(|m| {
                json!({
                    "mandateId": m.id,
                    "companyName": m.company_name,
                    "businessId": m.business_id,
                    "apis": m.apis,
                    "validFrom": dates::iso_date(m.valid_from),
                    "status": m.status,
                })
            })
            .collect();
        json_response(200, &Value::Array(list), false)
    }

    /// The account owner a call of `provider` carrying `mandate` is answered for: the
    /// company, when the mandate is the caller's, active and covers the route's API; else
    /// the 403 to answer.
    pub(super) fn acting_for(
        &mut self,
        provider: usize,
        mandate: &str,
        route: Route,
    ) -> Result<usize, Response> {
        let Some(api) = api_of(route) else {
            return Ok(provider);
        };
        let found = self.mandates.by_id.get(mandate).copied().filter(|&i| {
            self.mandates
                .list
                .get(i)
                .is_some_and(|m| m.provider == provider)
        });
        let Some(index) = found else {
            return Err(error(
                403,
                "forbidden",
                format!("mandate {mandate:?} was not given to this service provider"),
            ));
        };
        let m = &self.mandates.list[index];
        if m.status == Status::Revoked {
            return Err(error(
                403,
                "forbidden",
                format!("mandate {mandate:?} was revoked"),
            ));
        }
        if !m.apis.iter().any(|a| a == api) {
            return Err(error(
                403,
                "forbidden",
                format!("mandate {mandate:?} does not cover {api}"),
            ));
        }
        if matches!(api, "PAYMENT" | "REFUND") {
            return Err(error(
                403,
                "forbidden",
                "the emulator serves calls acting for a mandate on the read APIs only",
            ));
        }
        Ok(self.company_of(index))
    }

    /// The owner index of mandate `index`'s company, seeding its accounts on first use.
    fn company_of(&mut self, index: usize) -> usize {
        if let Some(company) = self.mandates.list[index].company {
            return company;
        }
        let m = &self.mandates.list[index];
        let owner = self.clients.len();
        self.clients.push(Client {
            id: format!("mandate:{}", m.id),
            company: m.company_name.clone(),
            business_id: m.business_id.clone(),
            keys: HashMap::new(),
            seed_key: hash(&[hash_str(&m.id), 0xC0_4D]),
            accounts: m.accounts,
        });
        self.mandates.list[index].company = Some(owner);
        self.seed_client(owner);
        owner
    }

    /// Every mandate given to `client_id`, with its company's accounts (seeded now if
    /// needed). Empty for an unknown client.
    pub fn mandates_of(&mut self, client_id: &str) -> Vec<MandateSummary> {
        let Some(&provider) = self.client_index.get(client_id) else {
            return Vec::new();
        };
        let indices: Vec<usize> = (0..self.mandates.list.len())
            .filter(|&i| self.mandates.list[i].provider == provider)
            .collect();
        indices.into_iter().map(|i| self.summary(i)).collect()
    }

    /// A company gives `client_id` a mandate now (`now_micros` on the bank clock). Its id
    /// is derived from the seed, the client and how many mandates exist; its accounts from
    /// the id.
    pub fn add_mandate(
        &mut self,
        client_id: &str,
        new: &NewMandate,
        now_micros: i64,
    ) -> Result<MandateSummary, String> {
        let &provider = self
            .client_index
            .get(client_id)
            .ok_or_else(|| format!("unknown client {client_id:?}"))?;
        let name = new.company_name.trim();
        if name.is_empty() || name.chars().count() > 140 {
            return Err("companyName must be 1 to 140 characters".into());
        }
        let apis = checked_apis(new.apis.as_deref())?;
        let accounts = new.accounts.unwrap_or(SEEDED_COMPANY_ACCOUNTS);
        if !(1..=MAX_COMPANY_ACCOUNTS).contains(&accounts) {
            return Err(format!("accounts must be 1 to {MAX_COMPANY_ACCOUNTS}"));
        }
        let id = self.new_mandate_id(provider);
        let business_id = match &new.business_id {
            Some(given) if ids::business_id_is_valid(given) => given.clone(),
            Some(given) => return Err(format!("businessId {given:?} is not a valid Y-tunnus")),
            None => ids::business_id(hash_str(&id)),
        };
        self.mandates.push(Mandate {
            id,
            provider,
            company_name: name.to_owned(),
            business_id,
            apis,
            valid_from: now_micros,
            status: Status::Active,
            accounts,
            company: None,
        });
        Ok(self.summary(self.mandates.list.len() - 1))
    }

    /// The company withdraws mandate `mandate_id`: it stays listed as `REVOKED` and calls
    /// acting for it get 403. Revoking twice is harmless.
    pub fn revoke_mandate(&mut self, mandate_id: &str) -> Result<MandateSummary, String> {
        let &index = self
            .mandates
            .by_id
            .get(mandate_id)
            .ok_or_else(|| format!("unknown mandate {mandate_id:?}"))?;
        self.mandates.list[index].status = Status::Revoked;
        Ok(self.summary(index))
    }

    /// A fresh mandate id for `provider`.
    fn new_mandate_id(&self, provider: usize) -> String {
        let seed_key = self.clients.get(provider).map_or(0, |c| c.seed_key);
        let mut rng = Rng::new(
            self.config.seed,
            hash(&[seed_key, self.mandates.list.len() as u64, 0x4D41]),
        );
        loop {
            let id = ids::uuid(rng.next_u64(), rng.next_u64());
            if !self.mandates.by_id.contains_key(&id) {
                return id;
            }
        }
    }

    /// The admin view of mandate `index` (its company's accounts seeded now if needed).
    fn summary(&mut self, index: usize) -> MandateSummary {
        let company = self.company_of(index);
        let accounts = self.accounts_of_owner(company);
        let m = &self.mandates.list[index];
        MandateSummary {
            mandate_id: m.id.clone(),
            client_id: self
                .clients
                .get(m.provider)
                .map_or_else(String::new, |c| c.id.clone()),
            company_name: m.company_name.clone(),
            business_id: m.business_id.clone(),
            apis: m.apis.clone(),
            valid_from: dates::iso_date(m.valid_from),
            status: match m.status {
                Status::Active => "ACTIVE",
                Status::Revoked => "REVOKED",
            }
            .to_owned(),
            accounts,
        }
    }
}

/// The APIs of a new mandate: known names, each once; default `ACCOUNT_DATA`.
fn checked_apis(apis: Option<&[String]>) -> Result<Vec<String>, String> {
    let Some(apis) = apis else {
        return Ok(vec!["ACCOUNT_DATA".to_owned()]);
    };
    if apis.is_empty() {
        return Err("apis must name at least one API".into());
    }
    let mut out: Vec<String> = Vec::new();
    for api in apis {
        if !APIS.contains(&api.as_str()) {
            return Err(format!("unknown API {api:?}: use one of {APIS:?}"));
        }
        if !out.contains(api) {
            out.push(api.clone());
        }
    }
    Ok(out)
}
