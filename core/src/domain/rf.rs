//! International creditor references (RF, ISO 11649).
//!
//! `RF` + two check digits + a body of 1–21 letters and digits. The reference is valid when
//! the body followed by `RF` and the check digits, with letters turned into numbers
//! (A = 10 … Z = 35), is ≡ 1 (mod 97). A Finnish reference converts to RF by using its digits
//! as the body, so `1232` becomes `RF22 1232`-style references that banks treat as the same.

use super::reference::FinnishReference;
use crate::error::{Error, Result};

/// Longest RF body (25 characters minus `RF` and the two check digits).
pub(crate) const MAX_BODY_LEN: usize = 21;

/// A valid RF creditor reference, stored in electronic form (`RF18539007547034`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RfReference(String);

impl RfReference {
    /// Parses an RF reference; spaces are ignored and lowercase is accepted.
    pub fn parse(text: &str) -> Result<Self> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if !compact.starts_with("RF") {
            return Err(Error::invalid_input(format!(
                "RF reference {:?} must start with RF",
                text.trim()
            )));
        }
        if let Some(bad) = compact.chars().find(|c| !c.is_ascii_alphanumeric()) {
            return Err(Error::invalid_input(format!(
                "RF reference {:?} may contain only letters A–Z and digits, found {bad:?}",
                text.trim()
            )));
        }
        if compact.len() > 4 + MAX_BODY_LEN {
            return Err(Error::invalid_input(format!(
                "RF reference {compact} has {} characters; at most 25 are allowed",
                compact.len()
            )));
        }
        if compact.len() < 5 {
            return Err(Error::invalid_input(format!(
                "RF reference {compact} is too short: RF, two check digits and at least one \
                 character are needed"
            )));
        }
        let check = &compact[2..4];
        if !check.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid_input(format!(
                "RF reference {compact}: the two characters after RF must be check digits"
            )));
        }
        let body = &compact[4..];
        validate_body(body)?;
        let expected = check_digits(body);
        if check != expected {
            return Err(Error::invalid_input(format!(
                "RF reference {compact}: check digits should be {expected}, found {check}"
            )));
        }
        Ok(RfReference(compact))
    }

    /// Builds an RF reference from a body of 1–21 letters and digits (spaces ignored,
    /// lowercase accepted) by computing its check digits.
    pub fn generate(body: &str) -> Result<Self> {
        let body: String = body
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        validate_body(&body)?;
        Ok(RfReference(format!("RF{}{body}", check_digits(&body))))
    }

    /// The RF form of a Finnish reference: its digits become the body.
    pub fn from_finnish(reference: &FinnishReference) -> Self {
        let body = reference.as_str();
        RfReference(format!("RF{}{body}", check_digits(body)))
    }

    /// The Finnish reference inside, when the body is one (digits with a valid 7-3-1 check
    /// digit). Leading zeros in the body are padding.
    pub fn to_finnish(&self) -> Option<FinnishReference> {
        let body = self.body();
        if body.bytes().all(|b| b.is_ascii_digit()) {
            FinnishReference::parse(body).ok()
        } else {
            None
        }
    }

    /// The electronic form (`RF18539007547034`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The paper form: groups of four from the left (`RF18 5390 0754 7034`).
    pub fn grouped(&self) -> String {
        let mut out = String::with_capacity(self.0.len() + self.0.len() / 4);
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }

    /// The two check digits (`"18"`).
    pub fn check_digits(&self) -> &str {
        &self.0[2..4]
    }

    /// The body after the check digits (`"539007547034"`).
    pub fn body(&self) -> &str {
        &self.0[4..]
    }
}

fn validate_body(body: &str) -> Result<()> {
    if body.is_empty() {
        return Err(Error::invalid_input("RF reference body is empty"));
    }
    if body.len() > MAX_BODY_LEN {
        return Err(Error::invalid_input(format!(
            "RF reference body {body} has {} characters; at most {MAX_BODY_LEN} are allowed",
            body.len()
        )));
    }
    if let Some(bad) = body.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Err(Error::invalid_input(format!(
            "RF reference body {body:?} may contain only letters A–Z and digits, found {bad:?}"
        )));
    }
    Ok(())
}

/// ISO 7064 mod 97-10 over uppercase ASCII letters and digits (letters count as 10..=35).
pub(crate) fn mod97(chars: impl Iterator<Item = u8>) -> u32 {
    chars.fold(0u32, |acc, c| {
        if c.is_ascii_digit() {
            (acc * 10 + u32::from(c - b'0')) % 97
        } else {
            (acc * 100 + u32::from(c - b'A') + 10) % 97
        }
    })
}

/// The two check digits for an uppercase alphanumeric body: `98 − (body‖"RF00" mod 97)`.
fn check_digits(body: &str) -> String {
    let remainder = mod97(body.bytes().chain(*b"RF00"));
    format!("{:02}", 98 - remainder)
}

super::text_value!(RfReference);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_valid_reference() {
        let r = RfReference::parse("rf18 5390 0754 7034").unwrap();
        assert_eq!(r.as_str(), "RF18539007547034");
        assert_eq!(r.grouped(), "RF18 5390 0754 7034");
        assert_eq!(r.check_digits(), "18");
        assert_eq!(RfReference::generate("539007547034").unwrap(), r);
    }

    #[test]
    fn wrong_check_digits_are_explained() {
        let err = RfReference::parse("RF19539007547034").unwrap_err();
        assert_eq!(
            err.message(),
            "RF reference RF19539007547034: check digits should be 18, found 19"
        );
        // 01 is congruent to 98 mod 97 but is never a valid RF check value.
        let r = RfReference::generate("A").unwrap();
        assert!(RfReference::parse(&r.as_str().replace(r.check_digits(), "99")).is_err());
    }

    #[test]
    fn limits() {
        assert!(RfReference::parse("RF18").is_err());
        assert!(RfReference::parse("RF1853900754703412345678901").is_err());
        assert!(RfReference::generate("ABCDEFGHIJKLMNOPQRSTU").is_ok());
        assert!(RfReference::generate("ABCDEFGHIJKLMNOPQRSTUV").is_err());
        assert!(RfReference::generate("AB-1").is_err());
        assert!(RfReference::parse("XX18539007547034").is_err());
    }

    #[test]
    fn finnish_round_trip() {
        let f = FinnishReference::parse("1232").unwrap();
        let rf = RfReference::from_finnish(&f);
        assert_eq!(rf.body(), "1232");
        assert_eq!(rf.to_finnish(), Some(f));
        assert_eq!(RfReference::generate("ABC").unwrap().to_finnish(), None);
        assert_eq!(RfReference::generate("1235").unwrap().to_finnish(), None);
    }
}
