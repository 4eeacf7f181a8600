//! One handler per OP corporate API, each borrowing the [`Client`](crate::client::Client)
//! (octocrab style): `client.account_data().accounts()`, `client.payments().sepa(req)`, …
//!
//! Handlers describe requests and decode responses; the transport under
//! [`Client::execute`](crate::client::Client) adds authentication, request ids, signing,
//! retries and error mapping. Requests are validated locally before any network call.

pub mod account_data;
pub mod account_verification;
pub mod payment;
pub mod refund;
pub mod service_provider;
pub mod transaction_filter;
pub mod transaction_info;

pub use account_data::{AccountDataApi, TransactionQuery};
pub use account_verification::AccountVerificationApi;
pub use payment::PaymentsApi;
pub use refund::RefundsApi;
pub use service_provider::ServiceProviderApi;
pub use transaction_filter::TransactionFilterApi;
pub use transaction_info::TransactionInfoApi;

use crate::error::{Error, Result};
use crate::transport::ApiRequest;

/// Percent-encodes one path segment: everything but RFC 3986 unreserved characters, so a
/// surrogate id such as `rNEl6nJ-VgIq+b/f==` cannot change the path's shape.
pub(crate) fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Rejects an empty or blank path parameter before it turns into a different URL.
pub(crate) fn require_segment(name: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(format!("{name} is empty")));
    }
    Ok(())
}

/// An unsigned POST with a JSON body.
pub(crate) fn post_json(route: &'static str, path: String, body: Vec<u8>) -> ApiRequest {
    ApiRequest {
        method: reqwest::Method::POST,
        path,
        query: Vec::new(),
        body: Some(body),
        signed: None,
        route,
    }
}

/// Serialises a request body for an unsigned call.
pub(crate) fn to_json<T: serde::Serialize>(what: &str, value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value)
        .map_err(|e| Error::invalid_input(format!("{what} cannot be serialised: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(
            encode_segment("rNEl6nJ-VgIq+b/f_x.y~=="),
            "rNEl6nJ-VgIq%2Bb%2Ff_x.y~%3D%3D"
        );
        assert_eq!(encode_segment("ä ?#"), "%C3%A4%20%3F%23");
    }

    #[test]
    fn blank_segments_are_rejected() {
        assert!(require_segment("surrogateId", " ").is_err());
        assert!(require_segment("surrogateId", "x").is_ok());
    }
}
