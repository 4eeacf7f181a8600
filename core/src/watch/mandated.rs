//! The account set of [`AccountSource::Mandates`](super::AccountSource::Mandates): every
//! account of every client company whose mandate lets this service provider read its
//! account data, each tied to its mandate.

use std::collections::HashSet;

use super::postgres::WatchedAccount;
use crate::client::Client;
use crate::error::{ErrorKind, Result};
use crate::model::{Mandate, MandateStatus};

/// The API name a mandate must cover for its company's accounts to be watched.
const ACCOUNT_DATA: &str = "ACCOUNT_DATA";

/// Reads the mandates, then lists each usable one's accounts acting for it.
///
/// An account two mandates cover is watched once, under the mandate with the smallest id,
/// so every worker picks the same one. A mandate whose account list is refused (403/404:
/// revoked or withdrawn between the two reads), or whose id cannot be a header value,
/// contributes nothing, and its accounts leave the set; any other failure fails the whole
/// read, so a passing network error never empties the watched set.
pub(crate) async fn mandate_accounts(client: &Client) -> Result<Vec<WatchedAccount>> {
    let mut mandates: Vec<Mandate> = client
        .service_provider()
        .mandates()
        .await?
        .into_iter()
        .filter(usable)
        .collect();
    mandates.sort_by(|a, b| a.mandate_id.cmp(&b.mandate_id));
    let mut seen = HashSet::new();
    let mut watched = Vec::new();
    for mandate in mandates {
        let company = match client.acting_for(&mandate.mandate_id) {
            Ok(company) => company,
            Err(e) => {
                tracing::warn!("a mandate id cannot be sent; its accounts are not watched: {e}");
                continue;
            }
        };
        let accounts = match company.account_data().accounts().await {
            Ok(accounts) => accounts,
            Err(e) if matches!(e.kind(), ErrorKind::Forbidden | ErrorKind::NotFound) => {
                tracing::warn!(
                    mandate = %mandate.mandate_id,
                    code = e.code(),
                    "a mandate's accounts were refused; they are not watched: {e}"
                );
                continue;
            }
            Err(e) => return Err(e),
        };
        for account in accounts {
            if seen.insert(account.surrogate_id.clone()) {
                watched.push(WatchedAccount {
                    account: account.surrogate_id,
                    mandate: Some(mandate.mandate_id.clone()),
                });
            }
        }
    }
    Ok(watched)
}

/// Whether a mandate is in force and covers account data.
fn usable(mandate: &Mandate) -> bool {
    mandate.status == MandateStatus::Active && mandate.apis.iter().any(|a| a == ACCOUNT_DATA)
}
