//! One API call as core describes it, and one answer as a transport returns it: plain data
//! with no HTTP-library type, so the same handlers, retry loop and decoding serve the native
//! reqwest transport and a host-supplied transport in WebAssembly.

use serde::de::DeserializeOwned;

use crate::error::Result;
use crate::operation::OperationKind;

/// The HTTP methods OP's corporate APIs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`: reads and status lookups.
    Get,
    /// `POST`: payments, refunds, filters, token requests.
    Post,
}

impl Method {
    /// The method's name on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }

    /// Parses a method name (case-insensitive); `None` for methods OP's APIs do not use.
    pub fn parse(name: &str) -> Option<Method> {
        match name.to_ascii_uppercase().as_str() {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            _ => None,
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One API call as a handler describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRequest {
    /// HTTP method.
    pub method: Method,
    /// Path below the base URL, starting with `/`, already percent-encoded.
    pub path: String,
    /// Query parameters, not yet encoded ([`ApiRequest::path_and_query`] encodes them).
    pub query: Vec<(&'static str, String)>,
    /// The exact JSON bytes to send; sent unchanged on every attempt.
    pub body: Option<Vec<u8>>,
    /// Present for payments and refunds: the body is signed and never altered on resend.
    pub signed: Option<SignedWrite>,
    /// A stable route name for logs (e.g. `"accounts"`, `"sepa_payment"`).
    pub route: &'static str,
    /// The mandate this call acts for: the engine sends its id in the configured mandate
    /// header ([`crate::paths::ApiPaths::mandate_header`], an inference; see
    /// [`crate::client::Client::acting_for`]). `None`: the caller's own data.
    pub acting_for: Option<String>,
}

impl ApiRequest {
    /// A GET of `path` with no query, for `route`.
    pub fn get(route: &'static str, path: impl Into<String>) -> Self {
        ApiRequest {
            method: Method::Get,
            path: path.into(),
            query: Vec::new(),
            body: None,
            signed: None,
            route,
            acting_for: None,
        }
    }

    /// An unsigned POST of a JSON body.
    pub fn post_json(route: &'static str, path: impl Into<String>, body: Vec<u8>) -> Self {
        ApiRequest {
            method: Method::Post,
            path: path.into(),
            query: Vec::new(),
            body: Some(body),
            signed: None,
            route,
            acting_for: None,
        }
    }

    /// The path with its query string, every query value percent-encoded.
    pub fn path_and_query(&self) -> String {
        let mut out = self.path.clone();
        for (i, (name, value)) in self.query.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(&encode_component(name));
            out.push('=');
            out.push_str(&encode_component(value));
        }
        out
    }
}

/// The identity of a signed write, for de-duplication and for
/// [`crate::operation::PendingOperation`] when its outcome is unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedWrite {
    /// Which endpoint.
    pub kind: OperationKind,
    /// The `instructionId` (payments) or `archiveId` (refunds).
    pub id: String,
    /// Whether an earlier attempt of this operation may have reached the bank (a pending
    /// operation resent with `resolve()`): then an "already done" answer means booked or
    /// unknown, never rejected ([`crate::outcome`]).
    pub resend: bool,
}

/// Response headers as name/value pairs; names compare case-insensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    /// No headers.
    pub fn new() -> Self {
        Headers(Vec::new())
    }

    /// Adds a header (repeated names are kept; [`Headers::get`] returns the first).
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    /// The first value of header `name`, any case.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every header, in arrival order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
}

impl FromIterator<(String, String)> for Headers {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        Headers(iter.into_iter().collect())
    }
}

/// A 2xx response, body read in full (under the size cap).
#[derive(Debug, Clone)]
pub struct ApiResponse {
    /// HTTP status (2xx).
    pub status: u16,
    /// The `X-Request-ID` sent with the attempt that produced this response.
    pub request_id: String,
    /// Response headers.
    pub headers: Headers,
    /// Response body.
    pub body: Vec<u8>,
}

impl ApiResponse {
    /// Decodes the JSON body into `T` (see [`crate::response::decode_json`]).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        crate::response::decode_json(
            self.status,
            &self.request_id,
            self.headers.get("content-type"),
            &self.body,
        )
    }
}

/// Percent-encodes one path segment or query component: everything but RFC 3986 unreserved
/// characters, so a surrogate id such as `rNEl6nJ-VgIq+b/f==` cannot change the URL's shape.
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_percent_encoded() {
        assert_eq!(
            encode_component("rNEl6nJ-VgIq+b/f_x.y~=="),
            "rNEl6nJ-VgIq%2Bb%2Ff_x.y~%3D%3D"
        );
        assert_eq!(encode_component("ä ?#"), "%C3%A4%20%3F%23");
    }

    #[test]
    fn queries_are_encoded_in_order() {
        let mut req = ApiRequest::get("x", "/a");
        req.query = vec![("objectId", "a+b".into()), ("maxPast", "0".into())];
        assert_eq!(req.path_and_query(), "/a?objectId=a%2Bb&maxPast=0");
    }

    #[test]
    fn headers_ignore_case() {
        let mut h = Headers::new();
        h.push("Content-Type", "application/json");
        assert_eq!(h.get("content-type"), Some("application/json"));
        assert_eq!(h.get("retry-after"), None);
    }
}
