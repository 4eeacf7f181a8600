//! [`Client::acting_for`]: calls a service provider makes for one of its client companies.
//!
//! How a Service Provider API call selects the company it acts for is not public
//! (op-api.md §9, [OPEN]). This SDK infers that the call carries the mandate id in a request
//! header, named by [`ApiPaths::mandate_header`](crate::paths::ApiPaths::mandate_header)
//! (default `x-mandate-id`), so the mechanism can be changed by configuration when OP's
//! OpenAPI files say otherwise. The header is added by the one request engine, so the
//! native client and every binding on it send it the same way.

use std::sync::Arc;

use super::Client;
use crate::error::{Error, Result};

/// Longest mandate id accepted (OP's are UUIDs in the emulator; the real format is unknown).
const MAX_MANDATE_ID: usize = 200;

impl Client {
    /// A handle whose every call acts for the client company that gave mandate
    /// `mandate_id` (see [`crate::api::service_provider`]): account lists, transactions and
    /// the other calls carry the id in the configured mandate header. It shares this
    /// client's connections, token cache and retry budget.
    ///
    /// Fails with [`crate::ErrorKind::InvalidInput`] for an empty id or one that cannot be a
    /// header value (control characters, spaces, non-ASCII, over 200 characters). An
    /// unknown or revoked mandate is the bank's to refuse: calls then fail with
    /// [`crate::ErrorKind::Forbidden`].
    pub fn acting_for(&self, mandate_id: &str) -> Result<Client> {
        let valid = !mandate_id.is_empty()
            && mandate_id.len() <= MAX_MANDATE_ID
            && mandate_id.bytes().all(|b| b.is_ascii_graphic());
        if !valid {
            return Err(Error::invalid_input(format!(
                "a mandate id must be 1 to {MAX_MANDATE_ID} visible ASCII characters"
            )));
        }
        Ok(Client {
            inner: Arc::clone(&self.inner),
            acting_for: Some(Arc::from(mandate_id)),
        })
    }

    /// The mandate this handle acts for, if any.
    pub fn mandate(&self) -> Option<&str> {
        self.acting_for.as_deref()
    }
}

/// Fails with [`crate::ErrorKind::Config`] unless `name` is a valid HTTP header name.
pub(super) fn check_header_name(name: &str) -> Result<()> {
    // RFC 9110 token characters.
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(token) {
        return Err(Error::config(format!(
            "the mandate header name {name:?} is not a valid HTTP header name"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_header_name;
    use crate::ErrorKind;

    #[test]
    fn header_names_are_tokens() {
        assert!(check_header_name("x-mandate-id").is_ok());
        for bad in ["", "x mandate", "x:id", "ä"] {
            assert_eq!(
                check_header_name(bad).unwrap_err().kind(),
                ErrorKind::Config,
                "{bad:?}"
            );
        }
    }
}
