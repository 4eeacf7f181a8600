//! An intent and its order, independent of where the outbox runs: the pieces every host
//! shares — the native [`crate::outbox`], and a browser tool whose outbox is held by
//! `opcorp gateway --outbox` ([`OutboxSubmission`] is the wire form between the two).

use serde::{Deserialize, Serialize};

use crate::error::{Error, OperationKind, Result};
use crate::model::{PaymentRequest, RefundRequest};

/// A payment or refund to hand to the outbox (`opcorp::outbox::Outbox::submit`).
#[derive(Debug, Clone, PartialEq)]
pub enum OutboxOrder {
    /// A SEPA credit transfer (`POST …/sepa-payment`).
    Payment(PaymentRequest),
    /// A SEPA Instant payment (`POST …/sepa-instant-payment`); after a crash it is resolved
    /// by OP's instant status lookup first.
    InstantPayment(PaymentRequest),
    /// A refund of an incoming payment (`POST …/payment-refund`).
    Refund(RefundRequest),
}

impl OutboxOrder {
    /// The order of a binding's `submit(intent, payment | refund, instant)`: exactly one of
    /// `payment` and `refund`; `instant` (SEPA Instant) only with a payment. One rule for
    /// every host, so no binding re-checks it.
    pub fn from_parts(
        payment: Option<PaymentRequest>,
        refund: Option<RefundRequest>,
        instant: bool,
    ) -> Result<OutboxOrder> {
        match (payment, refund) {
            (Some(p), None) if instant => Ok(OutboxOrder::InstantPayment(p)),
            (Some(p), None) => Ok(OutboxOrder::Payment(p)),
            (None, Some(r)) if !instant => Ok(OutboxOrder::Refund(r)),
            (None, Some(_)) => Err(Error::invalid_input(
                "instant applies to a payment, not to a refund",
            )),
            _ => Err(Error::invalid_input(
                "submit needs exactly one of a payment or a refund",
            )),
        }
    }

    /// Which endpoint the order goes to.
    pub fn kind(&self) -> OperationKind {
        match self {
            OutboxOrder::Payment(_) => OperationKind::SepaPayment,
            OutboxOrder::InstantPayment(_) => OperationKind::SepaInstantPayment,
            OutboxOrder::Refund(_) => OperationKind::Refund,
        }
    }
}

/// Longest intent key accepted, in bytes.
pub const MAX_INTENT_BYTES: usize = 200;

/// Checks an intent key: 1..200 bytes, no control characters.
pub fn validate_intent(intent: &str) -> Result<()> {
    if intent.trim().is_empty() || intent.len() > MAX_INTENT_BYTES {
        return Err(Error::invalid_input(format!(
            "intent must be 1..{MAX_INTENT_BYTES} bytes and not blank"
        )));
    }
    if intent.chars().any(char::is_control) {
        return Err(Error::invalid_input(
            "intent must not contain control characters",
        ));
    }
    Ok(())
}

/// An intent with its order as JSON: `{"intent", "payment" | "refund", "instant"?}`, the body
/// of the gateway's `POST /opcorp/outbox/submit`. Payments and refunds keep their OP wire
/// form, so both ends read them with the same strict rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutboxSubmission {
    /// The caller's intent key.
    pub intent: String,
    /// A payment (exclusive with `refund`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<PaymentRequest>,
    /// A refund (exclusive with `payment`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund: Option<RefundRequest>,
    /// SEPA Instant (payments only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub instant: bool,
}

impl OutboxSubmission {
    /// The submission of `order` under `intent`.
    pub fn new(intent: impl Into<String>, order: OutboxOrder) -> OutboxSubmission {
        let intent = intent.into();
        match order {
            OutboxOrder::Payment(p) => OutboxSubmission {
                intent,
                payment: Some(p),
                refund: None,
                instant: false,
            },
            OutboxOrder::InstantPayment(p) => OutboxSubmission {
                intent,
                payment: Some(p),
                refund: None,
                instant: true,
            },
            OutboxOrder::Refund(r) => OutboxSubmission {
                intent,
                payment: None,
                refund: Some(r),
                instant: false,
            },
        }
    }

    /// The checked intent and its order ([`validate_intent`], [`OutboxOrder::from_parts`]).
    pub fn into_order(self) -> Result<(String, OutboxOrder)> {
        validate_intent(&self.intent)?;
        let order = OutboxOrder::from_parts(self.payment, self.refund, self.instant)?;
        Ok((self.intent, order))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn payment() -> PaymentRequest {
        PaymentRequest::builder()
            .debtor("Demo Oy", "FI4950009420028730")
            .creditor("Toimittaja Oy", "FI2112345600000785")
            .amount("10.00".parse().unwrap())
            .message("Lasku 1")
            .build()
            .unwrap()
    }

    #[test]
    fn a_submission_round_trips_as_json_and_checks_its_parts() {
        for order in [
            OutboxOrder::Payment(payment()),
            OutboxOrder::InstantPayment(payment()),
        ] {
            let json =
                serde_json::to_string(&OutboxSubmission::new("crm:1", order.clone())).unwrap();
            let back: OutboxSubmission = serde_json::from_str(&json).unwrap();
            assert_eq!(back.into_order().unwrap(), ("crm:1".to_owned(), order));
        }
        let both = r#"{"intent":"crm:2","instant":true}"#;
        let err = serde_json::from_str::<OutboxSubmission>(both)
            .unwrap()
            .into_order()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        let blank = OutboxSubmission::new(" ", OutboxOrder::Payment(payment()));
        assert_eq!(
            blank.into_order().unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert!(serde_json::from_str::<OutboxSubmission>(r#"{"intent":"x","extra":1}"#).is_err());
    }

    #[test]
    fn orders_from_parts_need_exactly_one() {
        let payment = || {
            PaymentRequest::builder()
                .debtor("A Oy", "FI4950009420028730")
                .creditor("B", "FI2112345600000785")
                .amount("1.00".parse().unwrap())
                .message("x")
                .build()
                .unwrap()
        };
        let refund = || {
            RefundRequest::new(
                "20240601512345678901",
                "1.00".parse().unwrap(),
                "x",
                "FI4950009420028730",
                time::macros::date!(2024 - 06 - 01),
            )
            .unwrap()
        };
        let kind = |p, r, i| OutboxOrder::from_parts(p, r, i).map(|o| o.kind());
        assert_eq!(
            kind(Some(payment()), None, false).unwrap(),
            OperationKind::SepaPayment
        );
        assert_eq!(
            kind(Some(payment()), None, true).unwrap(),
            OperationKind::SepaInstantPayment
        );
        assert_eq!(
            kind(None, Some(refund()), false).unwrap(),
            OperationKind::Refund
        );
        for (p, r, i) in [
            (None, None, false),
            (Some(payment()), Some(refund()), false),
            (None, Some(refund()), true),
        ] {
            assert_eq!(kind(p, r, i).unwrap_err().kind(), ErrorKind::InvalidInput);
        }
    }

    #[test]
    fn intents_are_checked() {
        assert!(validate_intent("crm:event-42").is_ok());
        for bad in ["", "  ", "a\nb", &"x".repeat(201)] {
            assert_eq!(
                validate_intent(bad).unwrap_err().kind(),
                ErrorKind::InvalidInput,
                "{bad:?}"
            );
        }
    }
}
