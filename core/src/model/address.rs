//! Postal addresses of payment parties and the EPC rulebook rules they must follow.
//!
//! From November 2026 the EPC rulebooks for SEPA credit transfers and SEPA Instant refuse an
//! address given only as free lines. An address is *structured* (fields, no lines), *hybrid*
//! (fields with town and country, plus at most two lines) or *unstructured* (lines only).
//! Structured and hybrid need `townName` and `country`; unstructured is refused unless the
//! caller opts in with [`AddressRules::AllowUnstructured`].
//!
//! OP's JSON names for the structured fields are not in our evidence (op-api.md §5.2 shows
//! only `country` and `addressLine`): `streetName`, `buildingNumber`, `postCode` and
//! `townName` are ISO 20022's element names camel-cased, an inference to verify.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::validate;

/// Longest address line (ISO 20022 `AdrLine`, Max70Text).
pub const MAX_ADDRESS_LINE_CHARS: usize = 70;
/// Most address lines a hybrid address may carry next to its structured fields.
pub const MAX_HYBRID_ADDRESS_LINES: usize = 2;
/// Longest street name (ISO 20022 `StrtNm`, Max70Text).
pub const MAX_STREET_NAME_CHARS: usize = 70;
/// Longest building number (ISO 20022 `BldgNb`, Max16Text).
pub const MAX_BUILDING_NUMBER_CHARS: usize = 16;
/// Longest post code (ISO 20022 `PstCd`, Max16Text).
pub const MAX_POST_CODE_CHARS: usize = 16;
/// Longest town name (ISO 20022 `TwnNm`, Max35Text).
pub const MAX_TOWN_NAME_CHARS: usize = 35;

/// A postal address in structured, hybrid or (by opt-in) unstructured form; absent fields
/// are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// Street name, e.g. `Esimerkkikatu`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_name: Option<String>,
    /// Building number, e.g. `1 A`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building_number: Option<String>,
    /// Post code, e.g. `00100`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_code: Option<String>,
    /// Town, e.g. `Helsinki`; required unless the address is unstructured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town_name: Option<String>,
    /// Two-letter country code, e.g. `FI`.
    pub country: String,
    /// Free address lines: at most two next to structured fields (hybrid form), or the
    /// whole address in the unstructured form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address_line: Vec<String>,
}

/// Which of the three forms an address has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressForm {
    /// Structured fields only.
    Structured,
    /// Structured fields plus free lines.
    Hybrid,
    /// Free lines only (no street, building, post code or town).
    Unstructured,
}

impl Address {
    /// A structured address of a town in a country; add the street with
    /// [`street`](Self::street) and the post code with [`post_code`](Self::post_code).
    pub fn structured(town_name: impl Into<String>, country: impl Into<String>) -> Self {
        Address {
            town_name: Some(town_name.into()),
            country: country.into(),
            ..Address::default()
        }
    }

    /// An address given only as free lines. Payments refuse it unless the client's
    /// [`AddressRules`] allow it.
    pub fn unstructured(country: impl Into<String>, lines: Vec<String>) -> Self {
        Address {
            country: country.into(),
            address_line: lines,
            ..Address::default()
        }
    }

    /// The address with a street name and building number.
    pub fn street(mut self, name: impl Into<String>, number: impl Into<String>) -> Self {
        self.street_name = Some(name.into());
        self.building_number = Some(number.into());
        self
    }

    /// The address with a post code.
    pub fn post_code(mut self, code: impl Into<String>) -> Self {
        self.post_code = Some(code.into());
        self
    }

    /// The address with free lines added (the hybrid form when it has a town).
    pub fn lines(mut self, lines: Vec<String>) -> Self {
        self.address_line = lines;
        self
    }

    /// The form of this address: lines alone make it unstructured, any structured field
    /// next to lines makes it hybrid.
    pub fn form(&self) -> AddressForm {
        let structured = [
            &self.street_name,
            &self.building_number,
            &self.post_code,
            &self.town_name,
        ]
        .iter()
        .any(|field| field.is_some());
        match (structured, self.address_line.is_empty()) {
            (_, true) => AddressForm::Structured,
            (true, false) => AddressForm::Hybrid,
            (false, false) => AddressForm::Unstructured,
        }
    }

    /// Checks the address of the party at `party` (e.g. `creditor`) under `rules`; errors
    /// name the field, e.g. `creditor.address.townName`.
    pub(crate) fn validate(&self, party: &str, rules: AddressRules) -> Result<()> {
        let field = |name: &str| format!("{party}.address.{name}");
        if self.country.len() != 2 || !self.country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::invalid_input(format!(
                "{} must be a two-letter code such as FI, got {:?}",
                field("country"),
                self.country
            )));
        }
        let limits = [
            ("streetName", &self.street_name, MAX_STREET_NAME_CHARS),
            (
                "buildingNumber",
                &self.building_number,
                MAX_BUILDING_NUMBER_CHARS,
            ),
            ("postCode", &self.post_code, MAX_POST_CODE_CHARS),
            ("townName", &self.town_name, MAX_TOWN_NAME_CHARS),
        ];
        for (name, value, max) in limits {
            if let Some(value) = value {
                validate::char_len(&field(name), value, 1, max)?;
            }
        }
        for line in &self.address_line {
            validate::char_len(&field("addressLine"), line, 1, MAX_ADDRESS_LINE_CHARS)?;
        }
        match self.form() {
            AddressForm::Structured | AddressForm::Hybrid if self.town_name.is_none() => {
                Err(Error::invalid_input(format!(
                    "{} is required: a structured or hybrid address needs a town and a country",
                    field("townName")
                )))
            }
            AddressForm::Hybrid if self.address_line.len() > MAX_HYBRID_ADDRESS_LINES => {
                Err(Error::invalid_input(format!(
                    "{} may hold at most {MAX_HYBRID_ADDRESS_LINES} lines next to structured fields, got {}",
                    field("addressLine"),
                    self.address_line.len()
                )))
            }
            AddressForm::Unstructured if rules == AddressRules::Rulebook => {
                Err(Error::invalid_input(format!(
                    "{party}.address has only address lines: from November 2026 the EPC \
                     rulebooks refuse unstructured addresses for SEPA payments; give {} and \
                     {} (structured, or hybrid with at most {MAX_HYBRID_ADDRESS_LINES} lines), \
                     or opt in with address rules `allow_unstructured` (OPCORP_ADDRESS_RULES)",
                    field("townName"),
                    field("country")
                )))
            }
            _ => Ok(()),
        }
    }
}

/// Whether payments may carry unstructured (lines-only) addresses.
///
/// The default follows the EPC rulebooks in force from November 2026. A bank may accept
/// unstructured addresses before then; [`AllowUnstructured`](Self::AllowUnstructured) is
/// the explicit opt-in for that (`ClientBuilder::address_rules`, `OPCORP_ADDRESS_RULES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AddressRules {
    /// Structured or hybrid addresses only (`rulebook`).
    #[default]
    Rulebook,
    /// Unstructured addresses accepted too (`allow_unstructured`).
    AllowUnstructured,
}

impl AddressRules {
    /// Parses `rulebook` or `allow_unstructured` (any case, `-` for `_`); anything else is
    /// a `CONFIG` error, as for every client setting.
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "rulebook" => Ok(AddressRules::Rulebook),
            "allow_unstructured" => Ok(AddressRules::AllowUnstructured),
            other => Err(Error::config(format!(
                "address rules must be rulebook or allow_unstructured, got {other:?}"
            ))),
        }
    }

    /// The name [`parse`](Self::parse) reads.
    pub fn name(self) -> &'static str {
        match self {
            AddressRules::Rulebook => "rulebook",
            AddressRules::AllowUnstructured => "allow_unstructured",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn lines(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("Line {i}")).collect()
    }

    fn refused(address: &Address, rules: AddressRules) -> String {
        let err = address.validate("creditor", rules).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        err.message().to_owned()
    }

    #[test]
    fn structured_address_is_accepted() {
        let a = Address::structured("Helsinki", "FI")
            .street("Esimerkkikatu", "1 A")
            .post_code("00100");
        assert_eq!(a.form(), AddressForm::Structured);
        a.validate("creditor", AddressRules::Rulebook).unwrap();
        Address::structured("Helsinki", "FI")
            .validate("creditor", AddressRules::Rulebook)
            .unwrap();
    }

    #[test]
    fn hybrid_address_with_two_lines_is_accepted_and_three_refused() {
        let a = Address::structured("Helsinki", "FI").lines(lines(2));
        assert_eq!(a.form(), AddressForm::Hybrid);
        a.validate("creditor", AddressRules::Rulebook).unwrap();
        let a = Address::structured("Helsinki", "FI").lines(lines(3));
        let message = refused(&a, AddressRules::AllowUnstructured);
        assert!(
            message.contains("creditor.address.addressLine"),
            "{message}"
        );
        assert!(message.contains("at most 2"), "{message}");
    }

    #[test]
    fn missing_town_is_refused_in_structured_and_hybrid_forms() {
        let a = Address {
            street_name: Some("Esimerkkikatu".into()),
            country: "FI".into(),
            ..Address::default()
        };
        assert!(refused(&a, AddressRules::Rulebook).contains("creditor.address.townName"));
        let a = a.lines(lines(1));
        assert_eq!(a.form(), AddressForm::Hybrid);
        let message = refused(&a, AddressRules::AllowUnstructured);
        assert!(message.contains("creditor.address.townName"), "{message}");
        let country_only = Address::unstructured("FI", vec![]);
        assert!(refused(&country_only, AddressRules::Rulebook).contains("townName"));
    }

    #[test]
    fn missing_or_bad_country_is_refused() {
        let a = Address::structured("Helsinki", "");
        assert!(refused(&a, AddressRules::Rulebook).contains("creditor.address.country"));
        let a = Address::structured("Helsinki", "fi");
        assert!(refused(&a, AddressRules::Rulebook).contains("creditor.address.country"));
    }

    #[test]
    fn unstructured_address_is_refused_by_default_and_accepted_by_opt_in() {
        let a = Address::unstructured("FI", lines(2));
        assert_eq!(a.form(), AddressForm::Unstructured);
        let message = refused(&a, AddressRules::default());
        assert!(message.contains("creditor.address"), "{message}");
        assert!(message.contains("allow_unstructured"), "{message}");
        a.validate("creditor", AddressRules::AllowUnstructured)
            .unwrap();
    }

    #[test]
    fn field_lengths_follow_iso_20022() {
        let ok = Address::structured("T".repeat(35), "FI")
            .street("S".repeat(70), "B".repeat(16))
            .post_code("P".repeat(16))
            .lines(vec!["L".repeat(70)]);
        ok.validate("creditor", AddressRules::Rulebook).unwrap();
        let cases = [
            ("townName", Address::structured("T".repeat(36), "FI")),
            (
                "streetName",
                Address::structured("Helsinki", "FI").street("S".repeat(71), "1"),
            ),
            (
                "buildingNumber",
                Address::structured("Helsinki", "FI").street("Katu", "B".repeat(17)),
            ),
            (
                "postCode",
                Address::structured("Helsinki", "FI").post_code("P".repeat(17)),
            ),
            (
                "addressLine",
                Address::structured("Helsinki", "FI").lines(vec!["L".repeat(71)]),
            ),
            ("townName", Address::structured("", "FI")),
        ];
        for (field, address) in cases {
            let message = refused(&address, AddressRules::AllowUnstructured);
            assert!(
                message.contains(&format!("creditor.address.{field}")),
                "{field}: {message}"
            );
        }
    }

    #[test]
    fn only_given_fields_go_on_the_wire_in_iso_order() {
        let a = Address::structured("Helsinki", "FI").post_code("00100");
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"postCode":"00100","townName":"Helsinki","country":"FI"}"#
        );
        let back: Address =
            serde_json::from_str(r#"{"country":"FI","addressLine":["a","b"]}"#).unwrap();
        assert_eq!(
            back,
            Address::unstructured("FI", vec!["a".into(), "b".into()])
        );
    }

    #[test]
    fn rules_parse_their_names() {
        for rules in [AddressRules::Rulebook, AddressRules::AllowUnstructured] {
            assert_eq!(AddressRules::parse(rules.name()).unwrap(), rules);
        }
        assert_eq!(
            AddressRules::parse(" Allow-Unstructured ").unwrap(),
            AddressRules::AllowUnstructured
        );
        assert_eq!(
            AddressRules::parse("lenient").unwrap_err().kind(),
            ErrorKind::Config
        );
    }
}
