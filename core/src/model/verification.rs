//! Verification of Payee (EU Instant Payments Regulation, from October 2025): does the name
//! a payer gives match the holder of the IBAN? Four ISO outcomes, and the policy that decides
//! whether a payment may go ahead.
//!
//! OP offers it through the Corporate Account Verification API (op-api.md §10); its paths and
//! JSON shapes are not public, so the wire names live in
//! [`ApiPaths`](crate::paths::ApiPaths) and only the outcome codes below are standard.

use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::paths::PayeeVerificationFields;
use crate::request::ApiResponse;

/// Longest payee name accepted (SEPA's `Nm` is at most 140 characters).
pub const MAX_PAYEE_NAME_CHARS: usize = 140;

/// The outcome of a name check; serialises as its ISO code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PayeeMatch {
    /// `MTCH`: the name matches the account holder.
    Match,
    /// `CMTC`: the name is close to the holder's; the bank tells which name it holds.
    CloseMatch,
    /// `NMTC`: the name does not match.
    NoMatch,
    /// `NOAP`: the check could not be made (e.g. the payee's bank does not support it).
    NotPossible,
    /// A code this SDK does not know, kept as sent. Payments treat it as no match.
    Other(String),
}

impl PayeeMatch {
    /// Reads an ISO outcome code.
    pub fn from_code(code: &str) -> Self {
        match code.trim() {
            "MTCH" => PayeeMatch::Match,
            "CMTC" => PayeeMatch::CloseMatch,
            "NMTC" => PayeeMatch::NoMatch,
            "NOAP" => PayeeMatch::NotPossible,
            other => PayeeMatch::Other(other.to_owned()),
        }
    }

    /// The ISO code (`MTCH`, `CMTC`, `NMTC`, `NOAP`) or the unknown code as sent.
    pub fn code(&self) -> &str {
        match self {
            PayeeMatch::Match => "MTCH",
            PayeeMatch::CloseMatch => "CMTC",
            PayeeMatch::NoMatch => "NMTC",
            PayeeMatch::NotPossible => "NOAP",
            PayeeMatch::Other(code) => code,
        }
    }
}

impl Serialize for PayeeMatch {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// The answer to one Verification of Payee request (JSON: `outcome`, `matchedName`,
/// `requestId`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PayeeVerification {
    /// What the bank found.
    pub outcome: PayeeMatch,
    /// The holder's name as the bank holds it; given on a close match.
    pub matched_name: Option<String>,
    /// The `X-Request-ID` of the verification call (keep it as evidence of the check).
    pub request_id: String,
}

impl PayeeVerification {
    /// Reads the bank's answer from the configured fields: the outcome code (required, a
    /// string) and the bank's name (optional; blank counts as absent).
    pub fn from_response(response: &ApiResponse, fields: &PayeeVerificationFields) -> Result<Self> {
        let value: serde_json::Value = response.json()?;
        let failed = |what: String| {
            Error::decode(what)
                .with_status(response.status)
                .with_request_id(response.request_id.clone())
                .with_body_snippet(&response.body)
        };
        let code = value
            .get(&fields.result)
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| {
                failed(format!(
                    "payee verification response has no string field {:?}",
                    fields.result
                ))
            })?;
        let matched_name = value
            .get(&fields.matched_name)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
            .filter(|n| !n.trim().is_empty());
        Ok(PayeeVerification {
            outcome: PayeeMatch::from_code(code),
            matched_name,
            request_id: response.request_id.clone(),
        })
    }
}

/// Whether a payment or refund is checked with Verification of Payee before it is signed
/// and sent, and which outcomes let it go ahead.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PayeeCheck {
    /// Only `MTCH` proceeds; a close match, no match, not possible or unknown outcome stops
    /// the payment.
    RequireMatch,
    /// `MTCH`, `CMTC` and `NOAP` proceed (the bank could not contradict the name); `NMTC`
    /// and unknown outcomes stop the payment.
    AllowCloseMatch,
    /// No check (the default, and what bulk payers may opt into per batch).
    #[default]
    Skip,
}

impl PayeeCheck {
    /// Parses `require_match`, `allow_close_match` or `skip` (also with dashes).
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "require_match" => Ok(PayeeCheck::RequireMatch),
            "allow_close_match" => Ok(PayeeCheck::AllowCloseMatch),
            "skip" => Ok(PayeeCheck::Skip),
            other => Err(Error::invalid_input(format!(
                "payee check must be require_match, allow_close_match or skip, not {other:?}"
            ))),
        }
    }

    /// Lets a verified payment proceed, or stops it with a
    /// [`PayeeMismatch`](ErrorKind::PayeeMismatch) error that says why.
    pub fn decide(self, verification: &PayeeVerification) -> Result<()> {
        let proceed = matches!(
            (&verification.outcome, self),
            (_, PayeeCheck::Skip)
                | (PayeeMatch::Match, _)
                | (
                    PayeeMatch::CloseMatch | PayeeMatch::NotPossible,
                    PayeeCheck::AllowCloseMatch
                )
        );
        if proceed {
            return Ok(());
        }
        let why = match &verification.outcome {
            PayeeMatch::CloseMatch => format!(
                "the payee's name is only a close match (CMTC); the bank holds {:?}",
                verification.matched_name.as_deref().unwrap_or("")
            ),
            PayeeMatch::NoMatch => "the payee's name does not match the account (NMTC)".into(),
            PayeeMatch::NotPossible => {
                "the payee's bank could not verify the name (NOAP)".to_owned()
            }
            PayeeMatch::Match => "the payee's name matches".to_owned(),
            PayeeMatch::Other(code) => format!("unknown verification outcome {code:?}"),
        };
        Err(Error::new(
            ErrorKind::PayeeMismatch,
            format!("payment stopped before signing: {why}"),
        )
        .with_request_id(verification.request_id.clone()))
    }
}

/// Checks a payee name locally: present, at most [`MAX_PAYEE_NAME_CHARS`], no control
/// characters. Returns it trimmed.
pub fn validate_payee_name(name: &str) -> Result<String> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid_input("payee name is empty"));
    }
    if trimmed.chars().count() > MAX_PAYEE_NAME_CHARS {
        return Err(Error::invalid_input(format!(
            "payee name is longer than {MAX_PAYEE_NAME_CHARS} characters"
        )));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(Error::invalid_input(
            "payee name contains control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verified(outcome: PayeeMatch) -> PayeeVerification {
        PayeeVerification {
            outcome,
            matched_name: Some("Kone ja Terä Oy".into()),
            request_id: "rid".into(),
        }
    }

    #[test]
    fn policies_decide_each_outcome() {
        use PayeeCheck::*;
        let outcomes = [
            PayeeMatch::Match,
            PayeeMatch::CloseMatch,
            PayeeMatch::NoMatch,
            PayeeMatch::NotPossible,
            PayeeMatch::Other("XXXX".into()),
        ];
        let table = [
            (RequireMatch, [true, false, false, false, false]),
            (AllowCloseMatch, [true, true, false, true, false]),
            (Skip, [true, true, true, true, true]),
        ];
        for (policy, expected) in table {
            for (outcome, ok) in outcomes.iter().zip(expected) {
                let result = policy.decide(&verified(outcome.clone()));
                assert_eq!(result.is_ok(), ok, "{policy:?} {outcome:?}");
                if let Err(e) = result {
                    assert_eq!(e.kind(), ErrorKind::PayeeMismatch);
                    assert_eq!(e.request_id(), Some("rid"));
                }
            }
        }
        let err = RequireMatch
            .decide(&verified(PayeeMatch::CloseMatch))
            .unwrap_err();
        assert!(err.message().contains("Kone ja Terä Oy"), "{err}");
    }

    #[test]
    fn codes_and_names() {
        for code in ["MTCH", "CMTC", "NMTC", "NOAP", "ABCD"] {
            assert_eq!(PayeeMatch::from_code(code).code(), code);
        }
        assert_eq!(
            PayeeCheck::parse("allow-close-match").unwrap(),
            PayeeCheck::AllowCloseMatch
        );
        assert!(PayeeCheck::parse("maybe").is_err());
        assert!(validate_payee_name("  ").is_err());
        assert!(validate_payee_name("a\u{7}b").is_err());
        assert!(validate_payee_name(&"x".repeat(141)).is_err());
        assert_eq!(validate_payee_name(" Oy Ab ").unwrap(), "Oy Ab");
    }
}
