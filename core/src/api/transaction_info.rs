//! Transaction Info API: the payer behind a credit transaction (op-api.md §8).

use crate::client::Client;
use crate::error::Result;
use crate::model::{PayerDetails, PayerDetailsQuery};
use crate::routes;

/// The Transaction Info API, borrowed from a [`Client`].
#[derive(Debug, Clone, Copy)]
pub struct TransactionInfoApi<'c> {
    client: &'c Client,
}

impl Client {
    /// The Transaction Info API: payer name and address of incoming payments.
    pub fn transaction_info(&self) -> TransactionInfoApi<'_> {
        TransactionInfoApi { client: self }
    }
}

impl TransactionInfoApi<'_> {
    /// The payer's name and address. Only payments from OP accounts have them; others are
    /// NOT_FOUND.
    pub async fn payer_details(&self, query: &PayerDetailsQuery) -> Result<PayerDetails> {
        let request = routes::payer_details(self.client.paths(), query)?;
        self.client.execute(request).await?.json()
    }
}
