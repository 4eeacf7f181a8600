//! Payment API: SEPA credit transfers, SEPA Instant payments and instant status
//! (op-api.md §5).
//!
//! A payment is validated locally, given an `instructionId` if it has none, serialised once,
//! and those bytes are signed and sent. Every resend — by the transport's retries or by
//! [`PaymentsApi::resolve`] — sends the same bytes with the same `instructionId`, which OP
//! de-duplicates, so a payment is booked at most once.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::{
    AddressRules, Party, PayeeCheck, PayeeVerification, PaymentRequest, PaymentResponse,
};
use crate::operation::{self, OperationKind, PendingOperation};
use crate::routes;

/// The Payment API, borrowed from a [`Client`].
#[derive(Debug, Clone, Copy)]
pub struct PaymentsApi<'c> {
    client: &'c Client,
    payee_check: PayeeCheck,
    address_rules: AddressRules,
}

impl Client {
    /// The Payment API: signed SEPA and SEPA Instant payments, checked with Verification
    /// of Payee as the client's [`payee_check`](Client::payee_check) policy says and
    /// validated under its [`address_rules`](Client::address_rules).
    pub fn payments(&self) -> PaymentsApi<'_> {
        PaymentsApi {
            client: self,
            payee_check: self.payee_check(),
            address_rules: self.address_rules(),
        }
    }
}

/// A fresh `instructionId`: the 32 hex digits of a UUIDv4 (fits `^[a-zA-Z0-9]{1,35}$`).
pub fn generate_instruction_id() -> String {
    operation::instruction_id_from_uuid(&uuid::Uuid::new_v4().to_string())
}

impl PaymentsApi<'_> {
    /// The same API with another Verification of Payee policy for the payments it sends
    /// (e.g. [`PayeeCheck::Skip`] for a bulk batch that opted out).
    pub fn with_payee_check(self, policy: PayeeCheck) -> Self {
        PaymentsApi {
            payee_check: policy,
            ..self
        }
    }

    /// The same API with other address rules for the payments it prepares (e.g.
    /// [`AddressRules::AllowUnstructured`] for a batch whose payees only have address lines,
    /// sent to a bank that still accepts them).
    pub fn with_address_rules(self, rules: AddressRules) -> Self {
        PaymentsApi {
            address_rules: rules,
            ..self
        }
    }

    /// Sends a SEPA credit transfer (`POST …/sepa-payment`). Read
    /// [`PaymentResponse::payment_type`]: it says which rail OP actually used.
    pub async fn sepa(&self, request: PaymentRequest) -> Result<PaymentResponse> {
        self.check_and_send(request, OperationKind::SepaPayment)
            .await
    }

    /// Sends a SEPA Instant payment (`POST …/sepa-instant-payment`).
    pub async fn sepa_instant(&self, request: PaymentRequest) -> Result<PaymentResponse> {
        self.check_and_send(request, OperationKind::SepaInstantPayment)
            .await
    }

    /// Validates, verifies the payee (per policy), then signs and sends (a first send).
    async fn check_and_send(
        &self,
        request: PaymentRequest,
        kind: OperationKind,
    ) -> Result<PaymentResponse> {
        let creditor = request.creditor.clone();
        let pending = self.prepare(request, kind)?;
        self.check_creditor(&creditor).await?;
        self.send(&pending, false).await
    }

    /// Verifies the creditor of a payment under this API's policy: `Ok(None)` when the
    /// policy is [`PayeeCheck::Skip`], the verification when the payment may proceed, a
    /// [`PayeeMismatch`](crate::ErrorKind::PayeeMismatch) error when it must not. An outbox
    /// calls this before [`prepare`](Self::prepare); [`sepa`](Self::sepa) and
    /// [`sepa_instant`](Self::sepa_instant) call it themselves, after local validation and
    /// before signing.
    pub async fn check_payee(&self, request: &PaymentRequest) -> Result<Option<PayeeVerification>> {
        self.check_creditor(&request.creditor).await
    }

    async fn check_creditor(&self, creditor: &Party) -> Result<Option<PayeeVerification>> {
        if self.payee_check == PayeeCheck::Skip {
            return Ok(None);
        }
        let verification = self
            .client
            .account_verification()
            .verify_payee(&creditor.iban, &creditor.name)
            .await?;
        self.payee_check.decide(&verification)?;
        Ok(Some(verification))
    }

    /// Validates a payment (under this API's address rules), assigns an `instructionId` if
    /// it has none and serialises it, without sending anything. Persist the result (an outbox) before calling
    /// [`resolve`](Self::resolve) to send it: after a crash, resolving the stored operation
    /// again cannot pay twice.
    pub fn prepare(
        &self,
        request: PaymentRequest,
        kind: OperationKind,
    ) -> Result<PendingOperation> {
        operation::prepare_payment(request, kind, self.address_rules, generate_instruction_id)
    }

    /// Sends a prepared payment, or resends one whose outcome is unknown (an
    /// `UNKNOWN_OUTCOME` error's [`pending`](crate::Error::pending)): the same bytes with
    /// the same `instructionId`, so OP answers with the payment it already booked instead of
    /// booking it again. Because an earlier attempt may have been booked, an error answer
    /// that does not settle that (a refused reused id, a 5xx, a rejected fresh signature)
    /// ends in `UNKNOWN_OUTCOME` with the same pending operation ([`crate::outcome`]).
    pub async fn resolve(&self, pending: &PendingOperation) -> Result<PaymentResponse> {
        self.send(pending, true).await
    }

    /// Sends `pending`; `resend` says an earlier send may have reached the bank (the
    /// outbox knows; [`resolve`](Self::resolve) assumes so).
    pub(crate) async fn send(
        &self,
        pending: &PendingOperation,
        resend: bool,
    ) -> Result<PaymentResponse> {
        if pending.kind == OperationKind::Refund {
            return Err(Error::invalid_input(
                "a pending refund is resolved with client.refunds().resolve()",
            ));
        }
        let request = routes::signed_write(self.client.paths(), pending, resend);
        self.client.execute(request).await?.json()
    }

    /// Looks up an instant payment by its `instructionId`
    /// (`GET …/sepa-instant-payment/{instructionId}`). OP answers with zero or more
    /// payments; it is meant for `SCT_INST` payments still `PROCESSING`.
    pub async fn instant_status(&self, instruction_id: &str) -> Result<Vec<PaymentResponse>> {
        let request = routes::instant_status(self.client.paths(), instruction_id)?;
        self.client.execute(request).await?.json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_instruction_ids_fit_ops_pattern() {
        let a = generate_instruction_id();
        let b = generate_instruction_id();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
