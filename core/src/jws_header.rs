//! The JWS protected header OP's request signatures carry (see [`crate::signing`]).
//!
//! Kept apart from the signing key and available in every build (no `client` feature, no
//! aws-lc), so the header's JSON can be checked, and fuzzed, without the RSA stack.

/// The JWS protected header OP requires, as compact JSON in a fixed member order.
pub fn protected_header(kid: &str, iat_unix_secs: i64) -> String {
    // Serialising a &str cannot fail; the fallback keeps this function total.
    let kid = serde_json::to_string(kid).unwrap_or_else(|_| "\"\"".to_owned());
    format!(
        r#"{{"alg":"RS256","kid":{kid},"b64":false,"urn:op.api.iat":{iat_unix_secs},"crit":["b64","urn:op.api.iat"]}}"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_exact() {
        assert_eq!(
            protected_header("kid-1", 1_700_000_000),
            r#"{"alg":"RS256","kid":"kid-1","b64":false,"urn:op.api.iat":1700000000,"crit":["b64","urn:op.api.iat"]}"#
        );
        assert!(protected_header("a\"b", 0).contains(r#""kid":"a\"b""#));
    }
}
