//! Path and query parsing: which OP route a path names, with its decoded path parameter.

use super::Route;

const ACCOUNTS: &str = "/corporate-account-data/v1/accounts";
const TX_V2: &str = "/corporate-account-data/v2/accounts/";
const TX_V3: &str = "/corporate-account-data/v3/accounts/";
const INSTANT: &str = "/corporate-payment/v1/sepa-instant-payment";

/// The HTTP method a route answers to.
pub(crate) fn method_of(route: Route) -> &'static str {
    match route {
        Route::Accounts
        | Route::Account
        | Route::TransactionsV1
        | Route::TransactionsV2
        | Route::TransactionsV3
        | Route::InstantStatus
        | Route::Mandates => "GET",
        Route::SepaPayment
        | Route::SepaInstantPayment
        | Route::Refund
        | Route::FilterDebit
        | Route::FilterCredit
        | Route::PayerDetails
        | Route::VerifyAccount => "POST",
    }
}

/// Decodes `%XX` escapes of one path segment; `None` for bad escapes, bad UTF-8, an empty
/// result or a decoded `/`-free segment that still contains a raw `/`.
pub(crate) fn percent_decode(s: &str, plus_is_space: bool) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// One non-empty path segment, decoded.
fn segment(raw: &str) -> Option<String> {
    if raw.is_empty() || raw.contains('/') {
        return None;
    }
    percent_decode(raw, false).filter(|s| !s.is_empty())
}

/// The route of a path (query already removed) and its decoded parameter, if any.
pub(crate) fn match_path(path: &str) -> Option<(Route, Option<String>)> {
    let fixed = match path {
        ACCOUNTS => Some(Route::Accounts),
        "/corporate-payment/v1/sepa-payment" => Some(Route::SepaPayment),
        INSTANT => Some(Route::SepaInstantPayment),
        "/corporate-payment/v2/payment-refund" => Some(Route::Refund),
        "/corporate-transaction-filter/v2/debit-transactions" => Some(Route::FilterDebit),
        "/corporate-transaction-filter/v2/credit-transactions" => Some(Route::FilterCredit),
        "/corporate-transaction-info/v1/payer-details" => Some(Route::PayerDetails),
        "/corporate-service-provider/v1/mandates" => Some(Route::Mandates),
        "/corporate-account-verification/v1/verify-account" => Some(Route::VerifyAccount),
        _ => None,
    };
    if let Some(route) = fixed {
        return Some((route, None));
    }
    if let Some(rest) = path.strip_prefix(INSTANT).and_then(|r| r.strip_prefix('/')) {
        return Some((Route::InstantStatus, Some(segment(rest)?)));
    }
    for (prefix, route) in [
        (TX_V2, Route::TransactionsV2),
        (TX_V3, Route::TransactionsV3),
    ] {
        if let Some(rest) = path.strip_prefix(prefix) {
            let id = rest.strip_suffix("/transactions")?;
            return Some((route, Some(segment(id)?)));
        }
    }
    let rest = path.strip_prefix(ACCOUNTS)?.strip_prefix('/')?;
    if let Some(id) = rest.strip_suffix("/transactions") {
        return Some((Route::TransactionsV1, Some(segment(id)?)));
    }
    Some((Route::Account, Some(segment(rest)?)))
}

/// Query parameters as decoded `(name, value)` pairs; `None` if an escape is malformed.
pub(crate) fn parse_query(query: Option<&str>) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        out.push((percent_decode(k, true)?, percent_decode(v, true)?));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(match_path(ACCOUNTS), Some((Route::Accounts, None)));
        assert_eq!(
            match_path("/corporate-account-data/v1/accounts/ab-c%3D%3D"),
            Some((Route::Account, Some("ab-c==".into())))
        );
        assert_eq!(
            match_path("/corporate-account-data/v3/accounts/x%2By%2F%3D/transactions"),
            Some((Route::TransactionsV3, Some("x+y/=".into())))
        );
        assert_eq!(
            match_path("/corporate-account-data/v1/accounts/ab-c%3D%3D/transactions"),
            Some((Route::TransactionsV1, Some("ab-c==".into())))
        );
        assert_eq!(
            match_path("/corporate-payment/v1/sepa-instant-payment/ABC1"),
            Some((Route::InstantStatus, Some("ABC1".into())))
        );
        assert_eq!(match_path("/corporate-account-data/v1/accounts/"), None);
        assert_eq!(match_path("/corporate-account-data/v1/accounts/a/b"), None);
        assert_eq!(
            match_path("/corporate-account-data/v2/accounts/a/b/transactions"),
            None
        );
        assert_eq!(match_path("/corporate-account-data/v1/accounts/%zz"), None);
        assert_eq!(match_path("/nope"), None);
    }

    #[test]
    fn queries() {
        let q = parse_query(Some("a=1&b=x%3Dy&c&d=a+b")).unwrap();
        assert_eq!(
            q,
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x=y".into()),
                ("c".into(), "".into()),
                ("d".into(), "a b".into())
            ]
        );
        assert_eq!(parse_query(Some("a=%4")), None);
    }
}
