//! Payment API models: SEPA credit transfer and SEPA Instant requests and their responses
//! (op-api.md §5.2–§5.3).
//!
//! A [`PaymentRequest`] is validated locally ([`PaymentRequest::validate`]) and serialised
//! exactly once ([`PaymentRequest::to_body`]); those bytes are what gets signed and sent.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::Date;

use crate::domain::amount::Amount;
use crate::error::{Error, Result};
use crate::model::de::{self, open_enum};
use crate::model::validate;

/// Longest name OP accepts for a debtor, creditor or ultimate party.
pub const MAX_NAME_CHARS: usize = 70;
/// Longest free-text message (unstructured remittance information).
pub const MAX_MESSAGE_CHARS: usize = 140;

/// A postal address: ISO 3166-1 alpha-2 country and free address lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// Two-letter country code, e.g. `FI`.
    pub country: String,
    /// Address lines, e.g. `["Esimerkkikatu 1", "00100 Helsinki"]`.
    #[serde(default)]
    pub address_line: Vec<String>,
}

impl Address {
    fn validate(&self, field: &str) -> Result<()> {
        if self.country.len() != 2 || !self.country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::invalid_input(format!(
                "{field}.address.country must be a two-letter code such as FI, got {:?}",
                self.country
            )));
        }
        for line in &self.address_line {
            validate::char_len(
                &format!("{field}.address.addressLine"),
                line,
                1,
                MAX_NAME_CHARS,
            )?;
        }
        Ok(())
    }
}

/// The debtor (paying account) or creditor (payee) of a payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Party {
    /// Name, 1..70 characters.
    pub name: String,
    /// IBAN in electronic form.
    pub iban: String,
    /// Optional postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

impl Party {
    /// A party with a name and an IBAN (spaces and lower case accepted and normalised).
    pub fn new(name: impl Into<String>, iban: &str) -> Result<Self> {
        Ok(Party {
            name: name.into(),
            iban: validate::normalise_iban("iban", iban)?,
            address: None,
        })
    }

    fn validate(&self, field: &str) -> Result<()> {
        validate::char_len(&format!("{field}.name"), &self.name, 1, MAX_NAME_CHARS)?;
        validate::iban(&format!("{field}.iban"), &self.iban)?;
        if let Some(address) = &self.address {
            address.validate(field)?;
        }
        Ok(())
    }
}

open_enum! {
    /// How an ultimate party is identified.
    pub enum SchemeName {
        /// A BIC.
        Bic => "BIC",
        /// Organisation country id, e.g. a Finnish business id.
        Coid => "COID",
        /// Organisation tax or VAT id.
        Txid => "TXID",
        /// Personal identity code.
        Sose => "SOSE",
        /// Unstructured organisation id.
        UnstructuredOrg => "UNSTRUCTURED_ORG",
        /// Unstructured personal id.
        UnstructuredPerson => "UNSTRUCTURED_PERSON",
    }
}

/// An identifier of an ultimate debtor or creditor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identification {
    /// The identifier itself.
    pub id: String,
    /// Which scheme `id` belongs to.
    pub scheme_name: SchemeName,
    /// Issuer of the identifier, where the scheme needs one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
}

/// The party on whose behalf a payment is made or received, when it differs from the
/// account holder.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UltimateParty {
    /// Name, 1..70 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identification: Option<Identification>,
    /// Postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

impl UltimateParty {
    fn validate(&self, field: &str) -> Result<()> {
        if let Some(name) = &self.name {
            validate::char_len(&format!("{field}.name"), name, 1, MAX_NAME_CHARS)?;
        }
        if let Some(identification) = &self.identification {
            validate::char_len(
                &format!("{field}.identification.id"),
                &identification.id,
                1,
                35,
            )?;
        }
        if let Some(address) = &self.address {
            address.validate(field)?;
        }
        Ok(())
    }
}

/// Amount and currency of a payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstructedAmount {
    /// Positive amount with at most two decimals; written as `"120.50"`.
    #[serde(with = "de::payment_amount")]
    pub amount: Amount,
    /// Always `EUR`.
    pub currency: String,
}

/// A SEPA credit transfer or SEPA Instant payment request (both endpoints take this body).
///
/// Build one with [`PaymentRequest::builder`]. `instruction_id` is OP's de-duplication key:
/// when it is `None` the client generates one before the first send and every resend reuses
/// it, so OP books the payment at most once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentRequest {
    /// Client-unique id, `^[a-zA-Z0-9]{1,35}$`; generated by the client when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instruction_id: Option<String>,
    /// End-to-end id echoed to the payee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_to_end_id: Option<String>,
    /// The paying account (one of the company's OP accounts).
    pub debtor: Party,
    /// The payee.
    pub creditor: Party,
    /// Amount and currency.
    pub instructed_amount: InstructedAmount,
    /// Structured creditor reference (Finnish or RF); exactly one of reference and message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Free-text message, 1..140 characters; exactly one of reference and message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Party the payment is made for, when not the debtor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ultimate_debtor: Option<UltimateParty>,
    /// Party the payment is ultimately for, when not the creditor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ultimate_creditor: Option<UltimateParty>,
}

impl PaymentRequest {
    /// Starts a request builder.
    pub fn builder() -> PaymentRequestBuilder {
        PaymentRequestBuilder::default()
    }

    /// Checks everything OP's schema demands, locally: ids, names (1..70 characters),
    /// message (1..140), exactly one of reference and message, a valid reference, a positive
    /// amount with at most two decimals, currency EUR and valid IBANs.
    pub fn validate(&self) -> Result<()> {
        if let Some(id) = &self.instruction_id {
            validate::instruction_id(id)?;
        }
        if let Some(id) = &self.end_to_end_id {
            validate::end_to_end_id(id)?;
        }
        self.debtor.validate("debtor")?;
        self.creditor.validate("creditor")?;
        self.instructed_amount.amount.to_payment_string()?;
        validate::euro(&self.instructed_amount.currency)?;
        match (&self.reference, &self.message) {
            (Some(reference), None) => validate::reference(reference)?,
            (None, Some(message)) => {
                validate::char_len("message", message, 1, MAX_MESSAGE_CHARS)?;
            }
            (Some(_), Some(_)) => {
                return Err(Error::invalid_input(
                    "give either a reference or a message, not both",
                ));
            }
            (None, None) => {
                return Err(Error::invalid_input(
                    "a payment needs a reference or a message",
                ));
            }
        }
        if let Some(party) = &self.ultimate_debtor {
            party.validate("ultimateDebtor")?;
        }
        if let Some(party) = &self.ultimate_creditor {
            party.validate("ultimateCreditor")?;
        }
        Ok(())
    }

    /// Validates the request and serialises it once into the exact bytes to sign and send.
    /// The request must carry an `instruction_id` by now.
    pub fn to_body(&self) -> Result<Vec<u8>> {
        if self.instruction_id.is_none() {
            return Err(Error::invalid_input(
                "instructionId is missing (the client assigns one before sending)",
            ));
        }
        self.validate()?;
        serde_json::to_vec(self)
            .map_err(|e| Error::invalid_input(format!("payment cannot be serialised: {e}")))
    }
}

/// Builds a [`PaymentRequest`], normalising IBANs and references written with spaces or in
/// lower case. Every check runs in [`build`](PaymentRequestBuilder::build).
#[derive(Debug, Clone, Default)]
pub struct PaymentRequestBuilder {
    instruction_id: Option<String>,
    end_to_end_id: Option<String>,
    debtor: Option<(String, String, Option<Address>)>,
    creditor: Option<(String, String, Option<Address>)>,
    amount: Option<Amount>,
    reference: Option<String>,
    message: Option<String>,
    ultimate_debtor: Option<UltimateParty>,
    ultimate_creditor: Option<UltimateParty>,
}

impl PaymentRequestBuilder {
    /// Sets the de-duplication id; derive it from your own intent (e.g. an invoice or CRM
    /// event id) so a crash-and-retry cannot pay twice. Generated when not set.
    pub fn instruction_id(mut self, id: impl Into<String>) -> Self {
        self.instruction_id = Some(id.into());
        self
    }

    /// Sets the end-to-end id.
    pub fn end_to_end_id(mut self, id: impl Into<String>) -> Self {
        self.end_to_end_id = Some(id.into());
        self
    }

    /// Sets the paying account: the company's own name and OP IBAN.
    pub fn debtor(mut self, name: impl Into<String>, iban: impl Into<String>) -> Self {
        self.debtor = Some((name.into(), iban.into(), None));
        self
    }

    /// Sets the debtor's address (call after [`debtor`](Self::debtor)).
    pub fn debtor_address(mut self, address: Address) -> Self {
        if let Some(debtor) = &mut self.debtor {
            debtor.2 = Some(address);
        }
        self
    }

    /// Sets the payee.
    pub fn creditor(mut self, name: impl Into<String>, iban: impl Into<String>) -> Self {
        self.creditor = Some((name.into(), iban.into(), None));
        self
    }

    /// Sets the payee's address (call after [`creditor`](Self::creditor)).
    pub fn creditor_address(mut self, address: Address) -> Self {
        if let Some(creditor) = &mut self.creditor {
            creditor.2 = Some(address);
        }
        self
    }

    /// Sets the amount in euros.
    pub fn amount(mut self, amount: Amount) -> Self {
        self.amount = Some(amount);
        self
    }

    /// Sets a structured creditor reference (Finnish viitenumero or RF).
    pub fn reference(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }

    /// Sets a free-text message (1..140 characters).
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Sets the ultimate debtor.
    pub fn ultimate_debtor(mut self, party: UltimateParty) -> Self {
        self.ultimate_debtor = Some(party);
        self
    }

    /// Sets the ultimate creditor.
    pub fn ultimate_creditor(mut self, party: UltimateParty) -> Self {
        self.ultimate_creditor = Some(party);
        self
    }

    /// Normalises and validates the request.
    pub fn build(self) -> Result<PaymentRequest> {
        let party = |field: &str, value: Option<(String, String, Option<Address>)>| {
            let (name, iban, address) =
                value.ok_or_else(|| Error::invalid_input(format!("{field} is missing")))?;
            Ok::<_, Error>(Party {
                name,
                iban: validate::normalise_iban(&format!("{field}.iban"), &iban)?,
                address,
            })
        };
        let amount = self
            .amount
            .ok_or_else(|| Error::invalid_input("amount is missing"))?;
        let request = PaymentRequest {
            instruction_id: self.instruction_id,
            end_to_end_id: self.end_to_end_id,
            debtor: party("debtor", self.debtor)?,
            creditor: party("creditor", self.creditor)?,
            instructed_amount: InstructedAmount {
                amount,
                currency: "EUR".to_owned(),
            },
            reference: self
                .reference
                .as_deref()
                .map(validate::normalise_reference)
                .transpose()?,
            message: self.message,
            ultimate_debtor: self.ultimate_debtor,
            ultimate_creditor: self.ultimate_creditor,
        };
        request.validate()?;
        Ok(request)
    }
}

open_enum! {
    /// Where a payment stands. OP documents only these two; failures are HTTP errors.
    pub enum PaymentStatus {
        /// Accepted, not yet with the payee.
        Processing => "PROCESSING",
        /// Funds reached the payee (instant payments).
        Processed => "PROCESSED",
    }
}

open_enum! {
    /// Which rail OP actually used; read it rather than assuming it from the endpoint.
    pub enum PaymentType {
        /// Normal SEPA credit transfer.
        SepaCreditTransfer => "SEPA_CREDIT_TRANSFER",
        /// SEPA Instant credit transfer.
        SctInst => "SCT_INST",
    }
}

/// OP's answer to a payment (and the `refund` part of a refund answer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentResponse {
    /// Amount booked.
    pub amount: Amount,
    /// Processing status.
    pub status: PaymentStatus,
    /// ISO 4217 currency code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// OP archive id of the booked payment; text even if sent as a number.
    #[serde(with = "de::string_or_number")]
    pub archive_id: String,
    /// Paying account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debtor_iban: Option<String>,
    /// Ultimate debtor's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ultimate_debtor_name: Option<String>,
    /// Booking date.
    #[serde(
        default,
        with = "de::opt_iso_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub booking_date: Option<Date>,
    /// Rail used.
    pub payment_type: PaymentType,
    /// Payee's account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creditor_iban: Option<String>,
    /// Payee's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creditor_name: Option<String>,
    /// Ultimate creditor's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ultimate_creditor_name: Option<String>,
    /// OP transaction id, e.g. `A_50009420112088_2019-05-24_20190524593156999999_0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    /// Transaction date.
    #[serde(
        default,
        with = "de::opt_iso_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub transaction_date: Option<Date>,
    /// Echo of the request's end-to-end id.
    #[serde(default)]
    pub end_to_end_id: Option<String>,
    /// Payment message (refund payments carry OP's "MAKSUN PALAUTUS…" text here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Fields OP sent that this SDK does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
