//! IBANs (ISO 13616): checksum, country length and format.
//!
//! Validation of the country formats is delegated to the `iban_validate` crate (the SWIFT
//! IBAN registry, no_std, wasm-friendly); this module normalises input (spaces, lowercase)
//! and turns failures into messages a finance clerk can act on.

use iban::{IbanLike, ParseBaseIbanError, ParseIbanError};

use super::rf::mod97;
use crate::error::{Error, Result};

/// Length of a Finnish IBAN (`FI` + 2 check digits + 14 digits).
const FINNISH_LEN: usize = 18;
/// Longest IBAN of any country.
const MAX_LEN: usize = 34;

/// A valid IBAN, held in electronic form (`FI2112345600000785`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Iban(iban::Iban);

impl Iban {
    /// Parses an IBAN, ignoring spaces and accepting lowercase. Checks the characters, the
    /// country's length and format and the mod-97 check digits.
    pub fn parse(text: &str) -> Result<Self> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if compact.is_empty() {
            return Err(Error::invalid_input("IBAN is empty"));
        }
        if let Some(bad) = compact.chars().find(|c| !c.is_ascii_alphanumeric()) {
            return Err(Error::invalid_input(format!(
                "IBAN {:?} may contain only letters and digits, found {bad:?}",
                text.trim()
            )));
        }
        let shape_ok = compact.len() >= 5
            && compact.len() <= MAX_LEN
            && compact.as_bytes()[..2].iter().all(u8::is_ascii_uppercase)
            && compact.as_bytes()[2..4].iter().all(u8::is_ascii_digit);
        if !shape_ok {
            return Err(Error::invalid_input(format!(
                "{compact} is not an IBAN: it should start with a two-letter country code and \
                 two check digits and be at most {MAX_LEN} characters"
            )));
        }
        if compact.starts_with("FI") && compact.len() != FINNISH_LEN {
            return Err(Error::invalid_input(format!(
                "Finnish IBAN {compact} has {} characters; it should have {FINNISH_LEN}",
                compact.len()
            )));
        }
        compact.parse::<iban::Iban>().map(Iban).map_err(|e| {
            let country = &compact[..2];
            Error::invalid_input(match e {
                ParseIbanError::InvalidBaseIban {
                    source: ParseBaseIbanError::InvalidChecksum,
                } => format!(
                    "IBAN {compact}: check digits should be {}, found {} (is a digit mistyped?)",
                    expected_check_digits(&compact),
                    &compact[2..4]
                ),
                ParseIbanError::InvalidBaseIban { .. } => {
                    format!("{compact} is not a well-formed IBAN")
                }
                ParseIbanError::InvalidBban(_) => format!(
                    "IBAN {compact} does not have the length or format of a {country} account \
                     number"
                ),
                ParseIbanError::UnknownCountry(_) => {
                    format!("IBAN {compact}: {country} is not a country that uses IBANs")
                }
            })
        })
    }

    /// The electronic form, no spaces (`FI2112345600000785`).
    pub fn as_str(&self) -> &str {
        self.0.electronic_str()
    }

    /// The paper form, groups of four (`FI21 1234 5600 0007 85`).
    pub fn grouped(&self) -> String {
        self.0.to_string()
    }

    /// The ISO 3166 country code (`FI`).
    pub fn country(&self) -> &str {
        self.0.country_code()
    }

    /// Whether this is a Finnish account (country code `FI`).
    pub fn is_finnish(&self) -> bool {
        self.country() == "FI"
    }

    /// The two check digits (`"21"`).
    pub fn check_digits(&self) -> &str {
        self.0.check_digits_str()
    }

    /// The national account number after the check digits (BBAN).
    pub fn bban(&self) -> &str {
        self.0.bban()
    }
}

/// The check digits that would make `compact` (uppercase, alphanumeric) valid.
fn expected_check_digits(compact: &str) -> String {
    let (head, bban) = compact.split_at(4);
    let remainder = mod97(bban.bytes().chain(head[..2].bytes()).chain(*b"00"));
    format!("{:02}", 98 - remainder)
}

super::text_value!(Iban);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_finnish_ibans() {
        for text in [
            "FI2112345600000785",
            "fi38 5999 1620 0041 43",
            "FI6359991620004275",
        ] {
            let iban = Iban::parse(text).unwrap();
            assert!(iban.is_finnish());
            assert_eq!(Iban::parse(&iban.grouped()).unwrap(), iban);
        }
        let iban = Iban::parse("FI2112345600000785").unwrap();
        assert_eq!(iban.grouped(), "FI21 1234 5600 0007 85");
        assert_eq!(iban.bban(), "12345600000785");
        assert_eq!(iban.check_digits(), "21");
    }

    #[test]
    fn clerk_friendly_errors() {
        let err = Iban::parse("FI7450009420999999").unwrap_err();
        assert!(err.message().contains("check digits should be"), "{err}");
        let err = Iban::parse("FI211234560000078").unwrap_err();
        assert_eq!(
            err.message(),
            "Finnish IBAN FI211234560000078 has 17 characters; it should have 18"
        );
        assert!(
            Iban::parse("FI21-1234")
                .unwrap_err()
                .message()
                .contains("'-'")
        );
        assert!(Iban::parse("").is_err());
        assert!(Iban::parse("1234").is_err());
        assert!(Iban::parse("DE89370400440532013000").is_ok());
        assert!(Iban::parse("DE8937040044053201300").is_err());
        assert!(Iban::parse("XX89370400440532013000").is_err());
    }

    #[test]
    fn expected_check_digits_fix_the_iban() {
        let fixed = format!(
            "FI{}50009420999999",
            expected_check_digits("FI7450009420999999")
        );
        assert!(Iban::parse(&fixed).is_ok(), "{fixed}");
    }
}
