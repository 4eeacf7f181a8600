//! The one route table: every OP operation the SDK calls, with its method, its path on the
//! configured [`ApiPaths`], whether it is a signed write, and the request builder for it.
//!
//! The native client, the WebAssembly client and the gateway's allowlist all use this table,
//! so a path, a percent-encoding rule or a validation step exists once. Builders validate
//! their input before returning a request, so nothing invalid reaches any transport.

use crate::domain::iban::Iban;
use crate::error::{Error, Result};
use crate::model::verification::validate_payee_name;
use crate::model::{FilterQuery, PayerDetailsQuery};
use crate::operation::{OperationKind, PendingOperation};
use crate::paging::Pager;
use crate::paths::{ApiPaths, TransactionsVersion};
use crate::request::{ApiRequest, Method, SignedWrite, encode_component};

/// Largest page Transactions V2 serves.
pub const V2_MAX_PAGE: usize = 150;
/// Largest page Transactions V3 serves.
pub const V3_MAX_PAGE: usize = 1000;

/// One OP operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    /// `GET {account_data}/v1/accounts`.
    Accounts,
    /// `GET {account_data}/v1/accounts/{surrogateId}`.
    Account,
    /// `GET {account_data}/v2/accounts/{surrogateId}/transactions`.
    TransactionsV2,
    /// `GET {account_data}/v3/accounts/{surrogateId}/transactions`.
    TransactionsV3,
    /// `POST {payment}/sepa-payment` (signed).
    SepaPayment,
    /// `POST {payment}/sepa-instant-payment` (signed).
    SepaInstantPayment,
    /// `GET {payment}/sepa-instant-payment/{instructionId}`.
    InstantStatus,
    /// `POST {refund}` (signed).
    Refund,
    /// `POST {transaction_filter}/credit-transactions`.
    FilterCredit,
    /// `POST {transaction_filter}/debit-transactions`.
    FilterDebit,
    /// `POST {payer_details}`.
    PayerDetails,
    /// `GET {mandates}`.
    Mandates,
    /// `POST {account_verification}` (Verification of Payee).
    AccountVerification,
}

/// A route recognised from a method and path, with its percent-decoded path parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognised {
    /// The operation.
    pub route: Route,
    /// The path parameter (surrogate id or instruction id), decoded, when the route has one.
    pub param: Option<String>,
}

impl Route {
    /// Every route, in declaration order.
    pub const ALL: [Route; 13] = [
        Route::Accounts,
        Route::Account,
        Route::TransactionsV2,
        Route::TransactionsV3,
        Route::SepaPayment,
        Route::SepaInstantPayment,
        Route::InstantStatus,
        Route::Refund,
        Route::FilterCredit,
        Route::FilterDebit,
        Route::PayerDetails,
        Route::Mandates,
        Route::AccountVerification,
    ];

    /// A stable snake_case name for logs and audit records.
    pub const fn name(self) -> &'static str {
        match self {
            Route::Accounts => "accounts",
            Route::Account => "account",
            Route::TransactionsV2 => "transactions_v2",
            Route::TransactionsV3 => "transactions_v3",
            Route::SepaPayment => "sepa_payment",
            Route::SepaInstantPayment => "sepa_instant_payment",
            Route::InstantStatus => "instant_status",
            Route::Refund => "refund",
            Route::FilterCredit => "filter_credit",
            Route::FilterDebit => "filter_debit",
            Route::PayerDetails => "payer_details",
            Route::Mandates => "mandates",
            Route::AccountVerification => "account_verification",
        }
    }

    /// The HTTP method.
    pub const fn method(self) -> Method {
        match self {
            Route::Accounts
            | Route::Account
            | Route::TransactionsV2
            | Route::TransactionsV3
            | Route::InstantStatus
            | Route::Mandates => Method::Get,
            Route::SepaPayment
            | Route::SepaInstantPayment
            | Route::Refund
            | Route::FilterCredit
            | Route::FilterDebit
            | Route::PayerDetails
            | Route::AccountVerification => Method::Post,
        }
    }

    /// The signed write this route carries, if it is one.
    pub const fn signed_write(self) -> Option<OperationKind> {
        match self {
            Route::SepaPayment => Some(OperationKind::SepaPayment),
            Route::SepaInstantPayment => Some(OperationKind::SepaInstantPayment),
            Route::Refund => Some(OperationKind::Refund),
            _ => None,
        }
    }

    /// The route of a signed write.
    pub const fn of_operation(kind: OperationKind) -> Route {
        match kind {
            OperationKind::SepaPayment => Route::SepaPayment,
            OperationKind::SepaInstantPayment => Route::SepaInstantPayment,
            OperationKind::Refund => Route::Refund,
        }
    }

    /// The transactions route of an endpoint version (`Auto` asks V3 first).
    pub const fn transactions(version: TransactionsVersion) -> Route {
        match version {
            TransactionsVersion::V2 => Route::TransactionsV2,
            TransactionsVersion::V3 | TransactionsVersion::Auto => Route::TransactionsV3,
        }
    }

    /// The path prefix and suffix around the route's parameter (`suffix` is `None` for
    /// routes without one).
    fn template(self, paths: &ApiPaths) -> (String, Option<&'static str>) {
        let ad = &paths.account_data;
        match self {
            Route::Accounts => (format!("{ad}/v1/accounts"), None),
            Route::Account => (format!("{ad}/v1/accounts/"), Some("")),
            Route::TransactionsV2 => (format!("{ad}/v2/accounts/"), Some("/transactions")),
            Route::TransactionsV3 => (format!("{ad}/v3/accounts/"), Some("/transactions")),
            Route::SepaPayment => (format!("{}/sepa-payment", paths.payment), None),
            Route::SepaInstantPayment => (format!("{}/sepa-instant-payment", paths.payment), None),
            Route::InstantStatus => (format!("{}/sepa-instant-payment/", paths.payment), Some("")),
            Route::Refund => (paths.refund.clone(), None),
            Route::FilterCredit => (
                format!("{}/credit-transactions", paths.transaction_filter),
                None,
            ),
            Route::FilterDebit => (
                format!("{}/debit-transactions", paths.transaction_filter),
                None,
            ),
            Route::PayerDetails => (paths.payer_details.clone(), None),
            Route::Mandates => (paths.mandates.clone(), None),
            Route::AccountVerification => (paths.account_verification.clone(), None),
        }
    }

    /// The route's path on `paths`, `param` percent-encoded into it when the route has one.
    pub fn path(self, paths: &ApiPaths, param: &str) -> String {
        match self.template(paths) {
            (prefix, None) => prefix,
            (prefix, Some(suffix)) => format!("{prefix}{}{suffix}", encode_component(param)),
        }
    }

    /// Whether the route has a path parameter.
    pub fn has_param(self) -> bool {
        self.template(&ApiPaths::default()).1.is_some()
    }

    /// Recognises `method path` (no query) as one of the routes on `paths`. The parameter is
    /// percent-decoded and must be one non-blank segment; anything else is `None`.
    pub fn recognise(method: Method, path: &str, paths: &ApiPaths) -> Option<Recognised> {
        Route::ALL.into_iter().find_map(|route| {
            if route.method() != method {
                return None;
            }
            match route.template(paths) {
                (prefix, None) => (path == prefix).then_some(Recognised { route, param: None }),
                (prefix, Some(suffix)) => {
                    let raw = path.strip_prefix(prefix.as_str())?.strip_suffix(suffix)?;
                    decode_segment(raw).map(|param| Recognised {
                        route,
                        param: Some(param),
                    })
                }
            }
        })
    }
}

/// A percent-decoded path segment, refusing empty segments, further slashes and bad UTF-8.
fn decode_segment(raw: &str) -> Option<String> {
    if raw.is_empty() || raw.contains('/') {
        return None;
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().filter(|s| !s.trim().is_empty())
}

/// Rejects an empty or blank path parameter before it turns into a different URL.
fn require_segment(name: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(format!("{name} is empty")));
    }
    Ok(())
}

fn to_json<T: serde::Serialize>(what: &str, value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value)
        .map_err(|e| Error::invalid_input(format!("{what} cannot be serialised: {e}")))
}

/// `GET …/v1/accounts`.
pub fn accounts(paths: &ApiPaths) -> ApiRequest {
    let route = Route::Accounts;
    ApiRequest::get(route.name(), route.path(paths, ""))
}

/// `GET …/v1/accounts/{surrogateId}`.
pub fn account(paths: &ApiPaths, surrogate_id: &str) -> Result<ApiRequest> {
    require_segment("surrogateId", surrogate_id)?;
    let route = Route::Account;
    Ok(ApiRequest::get(
        route.name(),
        route.path(paths, surrogate_id),
    ))
}

/// The largest page of an endpoint version (`Auto`: V3's until V2 is learned), and `requested` capped to it (`None` → the
/// largest). A page size of zero is invalid input.
pub fn page_size(version: TransactionsVersion, requested: Option<usize>) -> Result<usize> {
    let max = match version {
        TransactionsVersion::V2 => V2_MAX_PAGE,
        TransactionsVersion::V3 | TransactionsVersion::Auto => V3_MAX_PAGE,
    };
    match requested {
        Some(0) => Err(Error::invalid_input("page size must be at least 1")),
        Some(size) => Ok(size.min(max)),
        None => Ok(max),
    }
}

/// The next page of an account's transactions as `pager` wants it.
pub fn transactions_page(
    paths: &ApiPaths,
    version: TransactionsVersion,
    surrogate_id: &str,
    pager: &Pager,
) -> Result<ApiRequest> {
    require_segment("surrogateId", surrogate_id)?;
    let route = Route::transactions(version);
    let mut request = ApiRequest::get(route.name(), route.path(paths, surrogate_id));
    request.query = pager.query();
    Ok(request)
}

/// The signed POST of a prepared payment or refund: its exact bytes, its id. `resend` is
/// true when an earlier attempt may have reached the bank (`resolve()` of a pending
/// operation): the engine then never reads an "already done" answer as a rejection.
pub fn signed_write(paths: &ApiPaths, pending: &PendingOperation, resend: bool) -> ApiRequest {
    let route = Route::of_operation(pending.kind);
    ApiRequest {
        method: Method::Post,
        path: route.path(paths, ""),
        query: Vec::new(),
        body: Some(pending.body.clone()),
        signed: Some(SignedWrite {
            kind: pending.kind,
            id: pending.id.clone(),
            resend,
        }),
        route: route.name(),
        acting_for: None,
    }
}

/// `GET …/sepa-instant-payment/{instructionId}`.
pub fn instant_status(paths: &ApiPaths, instruction_id: &str) -> Result<ApiRequest> {
    require_segment("instructionId", instruction_id)?;
    if !instruction_id.bytes().all(|b| b.is_ascii_alphanumeric()) || instruction_id.len() > 35 {
        return Err(Error::invalid_input(format!(
            "instructionId must be 1..35 letters or digits, got {instruction_id:?}"
        )));
    }
    let route = Route::InstantStatus;
    Ok(ApiRequest::get(
        route.name(),
        route.path(paths, instruction_id),
    ))
}

/// `POST …/credit-transactions` (`credit`) or `…/debit-transactions`.
pub fn filter(paths: &ApiPaths, credit: bool, query: &FilterQuery) -> Result<ApiRequest> {
    query.validate()?;
    let route = if credit {
        Route::FilterCredit
    } else {
        Route::FilterDebit
    };
    let body = to_json("filter query", query)?;
    Ok(ApiRequest::post_json(
        route.name(),
        route.path(paths, ""),
        body,
    ))
}

/// The requests of a Transaction Filter search: one per window of at most 30 days, newest
/// first (OP accepts 30 days per request; [`FilterQuery::windows`]). Every client sends them
/// in order and merges the answers with [`crate::model::FilterResult::merge`].
pub fn filter_windows(
    paths: &ApiPaths,
    credit: bool,
    query: &FilterQuery,
) -> Result<Vec<ApiRequest>> {
    query.validate()?;
    query
        .windows()
        .iter()
        .map(|window| filter(paths, credit, window))
        .collect()
}

/// `POST {payer_details}`.
pub fn payer_details(paths: &ApiPaths, query: &PayerDetailsQuery) -> Result<ApiRequest> {
    query.validate()?;
    let route = Route::PayerDetails;
    let body = to_json("payer details query", query)?;
    Ok(ApiRequest::post_json(
        route.name(),
        route.path(paths, ""),
        body,
    ))
}

/// `GET {mandates}`.
pub fn mandates(paths: &ApiPaths) -> ApiRequest {
    let route = Route::Mandates;
    ApiRequest::get(route.name(), route.path(paths, ""))
}

/// `POST {account_verification}`: does `name` match the holder of `iban`? Both are checked
/// first (an IBAN with spaces or in lower case is accepted and normalised); the JSON field
/// names are the configured [`PayeeVerificationFields`](crate::paths::PayeeVerificationFields).
pub fn verify_payee(paths: &ApiPaths, iban: &str, name: &str) -> Result<ApiRequest> {
    let iban = Iban::parse(iban)?;
    let name = validate_payee_name(name)?;
    let fields = &paths.payee_verification_fields;
    let mut body = serde_json::Map::new();
    body.insert(fields.iban.clone(), iban.as_str().into());
    body.insert(fields.name.clone(), name.into());
    let route = Route::AccountVerification;
    let body = to_json("payee verification request", &body)?;
    Ok(ApiRequest::post_json(
        route.name(),
        route.path(paths, ""),
        body,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_recognises_its_own_path() {
        let paths = ApiPaths::default();
        for route in Route::ALL {
            let path = route.path(&paths, "a+b/c");
            let found = Route::recognise(route.method(), &path, &paths).unwrap();
            assert_eq!(found.route, route, "{path}");
            assert_eq!(found.param.as_deref(), route.has_param().then_some("a+b/c"));
        }
    }

    #[test]
    fn other_paths_and_methods_are_not_routes() {
        let paths = ApiPaths::default();
        let cases = [
            (Method::Get, "/corporate-payment/v1/sepa-payment"),
            (Method::Post, "/corporate-oidc/v1/token"),
            (Method::Get, "/corporate-account-data/v1/accounts/a/b"),
            (Method::Get, "/corporate-account-data/v1/accounts/%ZZ"),
            (Method::Get, "/corporate-account-data/v1/accounts/%20"),
            (
                Method::Get,
                "/corporate-account-data/v3/accounts//transactions",
            ),
        ];
        for (method, path) in cases {
            assert_eq!(Route::recognise(method, path, &paths), None, "{path}");
        }
    }

    #[test]
    fn builders_validate_before_building() {
        let paths = ApiPaths::default();
        assert!(account(&paths, " ").is_err());
        assert!(instant_status(&paths, "has-dash").is_err());
        assert_eq!(
            account(&paths, "a+b").unwrap().path,
            "/corporate-account-data/v1/accounts/a%2Bb"
        );
        assert!(page_size(TransactionsVersion::V3, Some(0)).is_err());
        assert_eq!(page_size(TransactionsVersion::V2, Some(999)).unwrap(), 150);
        assert_eq!(page_size(TransactionsVersion::V3, None).unwrap(), 1000);
    }
}
