//! Service Provider API: the mandates client companies gave this service provider
//! (op-api.md §9).

use crate::client::Client;
use crate::error::Result;
use crate::model::Mandate;
use crate::routes;

/// The Service Provider API, borrowed from a [`Client`].
#[derive(Debug, Clone, Copy)]
pub struct ServiceProviderApi<'c> {
    client: &'c Client,
}

impl Client {
    /// The Service Provider API: mandates.
    pub fn service_provider(&self) -> ServiceProviderApi<'_> {
        ServiceProviderApi { client: self }
    }
}

impl ServiceProviderApi<'_> {
    /// Every mandate given to the calling service provider.
    pub async fn mandates(&self) -> Result<Vec<Mandate>> {
        let request = routes::mandates(self.client.paths());
        self.client.execute(request).await?.json()
    }
}
