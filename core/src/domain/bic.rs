//! BICs (ISO 9362 business identifier codes, "SWIFT codes").
//!
//! Format: 4-letter institution code, 2-letter country code, 2-character location code and an
//! optional 3-character branch code: 8 or 11 characters (`OKOYFIHH`, `OKOYFIHHXXX`).
//! For Finnish IBANs the bank is encoded in the first digits of the account number; see
//! [`Bic::for_finnish_iban`].

use super::iban::Iban;
use crate::error::{Error, Result};

/// A syntactically valid BIC, stored uppercase without spaces.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bic(String);

impl Bic {
    /// Parses a BIC, ignoring spaces and accepting lowercase.
    pub fn parse(text: &str) -> Result<Self> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if compact.len() != 8 && compact.len() != 11 {
            return Err(Error::invalid_input(format!(
                "BIC {compact:?} has {} characters; it should have 8 or 11",
                compact.chars().count()
            )));
        }
        let bytes = compact.as_bytes();
        if !bytes[..6].iter().all(u8::is_ascii_uppercase) {
            return Err(Error::invalid_input(format!(
                "BIC {compact}: the first six characters (bank and country code) must be letters"
            )));
        }
        if !bytes[6..].iter().all(u8::is_ascii_alphanumeric) {
            return Err(Error::invalid_input(format!(
                "BIC {compact}: location and branch codes may contain only letters and digits"
            )));
        }
        Ok(Bic(compact))
    }

    /// The BIC as given, 8 or 11 characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The institution (bank) code, e.g. `OKOY`.
    pub fn bank_code(&self) -> &str {
        &self.0[..4]
    }

    /// The country code, e.g. `FI`.
    pub fn country(&self) -> &str {
        &self.0[4..6]
    }

    /// The location code, e.g. `HH`.
    pub fn location(&self) -> &str {
        &self.0[6..8]
    }

    /// The branch code, when the BIC has 11 characters (`XXX` is the head office).
    pub fn branch(&self) -> Option<&str> {
        self.0.get(8..11)
    }

    /// The BIC of the Finnish bank that holds a Finnish IBAN, from the bank identifier at the
    /// start of the account number (Finance Finland's table; the common banks only).
    /// `None` for foreign IBANs and bank codes not in the table.
    pub fn for_finnish_iban(iban: &Iban) -> Option<Bic> {
        if !iban.is_finnish() {
            return None;
        }
        let bban = iban.bban();
        let code = FINNISH_BANKS
            .iter()
            .find(|(prefix, _)| bban.starts_with(prefix))
            .map(|(_, bic)| *bic)?;
        Some(Bic(code.to_owned()))
    }
}

/// Finnish bank identifiers (leading digits of the BBAN) → BIC. Longer prefixes first so the
/// first match wins.
const FINNISH_BANKS: &[(&str, &str)] = &[
    ("405", "HELSFIHH"),
    ("497", "HELSFIHH"),
    ("470", "POPFFI22"),
    ("471", "POPFFI22"),
    ("472", "POPFFI22"),
    ("473", "POPFFI22"),
    ("474", "POPFFI22"),
    ("475", "POPFFI22"),
    ("476", "POPFFI22"),
    ("477", "POPFFI22"),
    ("478", "POPFFI22"),
    ("713", "CITIFIHX"),
    ("715", "ITELFIHH"),
    ("717", "BIGKFIH1"),
    ("799", "HOLVFIHH"),
    ("31", "HANDFIHH"),
    ("33", "ESSEFIHX"),
    ("34", "DABAFIHX"),
    ("36", "SBANFIHH"),
    ("37", "DNBAFIHX"),
    ("38", "SWEDFIHH"),
    ("39", "SBANFIHH"),
    ("1", "NDEAFIHH"),
    ("2", "NDEAFIHH"),
    ("4", "ITELFIHH"),
    ("5", "OKOYFIHH"),
    ("6", "AABAFI22"),
    ("8", "DABAFIHH"),
];

super::text_value!(Bic);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_8_and_11_characters() {
        let bic = Bic::parse("okoy fihh").unwrap();
        assert_eq!(bic.as_str(), "OKOYFIHH");
        assert_eq!(
            (bic.bank_code(), bic.country(), bic.location()),
            ("OKOY", "FI", "HH")
        );
        assert_eq!(bic.branch(), None);
        assert_eq!(Bic::parse("OKOYFIHHXXX").unwrap().branch(), Some("XXX"));
        for bad in ["OKOYFIH", "OKOYFIHHXX", "OK0YFIHH", "OKOYFIH-", "ÖKOYFIHH"] {
            assert!(Bic::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn finnish_bank_from_iban() {
        let op = Iban::parse("FI3859991620004143").unwrap();
        assert_eq!(Bic::for_finnish_iban(&op).unwrap().as_str(), "OKOYFIHH");
        let nordea = Iban::parse("FI2112345600000785").unwrap();
        assert_eq!(Bic::for_finnish_iban(&nordea).unwrap().as_str(), "NDEAFIHH");
        let german = Iban::parse("DE89370400440532013000").unwrap();
        assert_eq!(Bic::for_finnish_iban(&german), None);
    }
}
