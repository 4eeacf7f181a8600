//! Finnish creditor references (viitenumero) and the [`Reference`] type that accepts either a
//! Finnish or an RF (ISO 11649) reference.
//!
//! A Finnish reference is 4–20 digits; the last digit is a check digit computed from the
//! others right to left with the weights 7, 3, 1 repeating:
//! `check = (10 − sum mod 10) mod 10`. OP returns references left-padded with zeros to 20
//! characters (`00000000000000001245`); leading zeros are padding, not part of the reference,
//! so `1245` and `00000000000000001245` are the same [`FinnishReference`].

use super::rf::RfReference;
use crate::error::{Error, Result};

/// Fewest significant digits in a Finnish reference (three plus the check digit).
const MIN_DIGITS: usize = 4;
/// Most digits in a Finnish reference, including any zero padding.
pub(crate) const MAX_DIGITS: usize = 20;

/// A valid Finnish creditor reference (viitenumero), stored without zero padding.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FinnishReference(String);

impl FinnishReference {
    /// Parses a reference as a payer types it or as OP returns it: spaces are ignored and
    /// leading zeros are padding. Rejects anything but digits, fewer than 4 significant
    /// digits, more than 20 digits and a wrong check digit.
    pub fn parse(text: &str) -> Result<Self> {
        let digits = only_digits(text, "reference number")?;
        if digits.len() > MAX_DIGITS {
            return Err(Error::invalid_input(format!(
                "reference number {digits} has {} digits; at most {MAX_DIGITS} are allowed",
                digits.len()
            )));
        }
        let significant = digits.trim_start_matches('0');
        if significant.len() < MIN_DIGITS {
            return Err(Error::invalid_input(format!(
                "reference number {:?} is too short: it needs at least {MIN_DIGITS} digits \
                 (not counting leading zeros)",
                text.trim()
            )));
        }
        let (base, check) = significant.split_at(significant.len() - 1);
        let expected = check_digit(base);
        let found = check.as_bytes()[0] - b'0';
        if expected != found {
            return Err(Error::invalid_input(format!(
                "reference number {significant}: check digit should be {expected}, found {found}"
            )));
        }
        Ok(FinnishReference(significant.to_owned()))
    }

    /// Builds a reference from its base (3–19 significant digits, spaces ignored) by
    /// appending the 7-3-1 check digit: `generate("123")` is `1232`.
    pub fn generate(base: &str) -> Result<Self> {
        let digits = only_digits(base, "reference base")?;
        let significant = digits.trim_start_matches('0');
        if significant.len() < MIN_DIGITS - 1 || significant.len() > MAX_DIGITS - 1 {
            return Err(Error::invalid_input(format!(
                "reference base {:?} must have {} to {} digits (not counting leading zeros)",
                base.trim(),
                MIN_DIGITS - 1,
                MAX_DIGITS - 1
            )));
        }
        let mut reference = String::with_capacity(significant.len() + 1);
        reference.push_str(significant);
        reference.push(char::from(b'0' + check_digit(significant)));
        Ok(FinnishReference(reference))
    }

    /// The canonical form: digits only, no zero padding (`1232`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// OP's 20-character zero-padded form (`00000000000000001232`).
    pub fn padded(&self) -> String {
        format!("{:0>width$}", self.0, width = MAX_DIGITS)
    }

    /// The paper form: groups of five digits counted from the right (`12 34561`).
    pub fn grouped(&self) -> String {
        let bytes = self.0.as_bytes();
        let first = match bytes.len() % 5 {
            0 => 5,
            n => n,
        };
        let mut out = String::with_capacity(bytes.len() + bytes.len() / 5);
        out.push_str(&self.0[..first]);
        for chunk in bytes[first..].chunks(5) {
            out.push(' ');
            // Chunks of ASCII digits are valid UTF-8.
            out.extend(chunk.iter().map(|&b| char::from(b)));
        }
        out
    }

    /// The check digit (the last digit).
    pub fn check_digit(&self) -> u8 {
        self.0.as_bytes()[self.0.len() - 1] - b'0'
    }

    /// The reference as a number (at most 20 digits always fit in a `u128`).
    pub(crate) fn numeric_value(&self) -> u128 {
        self.0
            .bytes()
            .fold(0u128, |acc, b| acc * 10 + u128::from(b - b'0'))
    }
}

/// The 7-3-1 check digit of a string of ASCII digits.
pub(crate) fn check_digit(base: &str) -> u8 {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let sum: u32 = base
        .bytes()
        .rev()
        .zip(WEIGHTS.iter().cycle())
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    // The result is a single digit 0..=9.
    ((10 - sum % 10) % 10) as u8
}

/// Removes whitespace and checks that only ASCII digits remain.
fn only_digits(text: &str, what: &str) -> Result<String> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return Err(Error::invalid_input(format!("{what} is empty")));
    }
    if let Some(bad) = digits.chars().find(|c| !c.is_ascii_digit()) {
        return Err(Error::invalid_input(format!(
            "{what} {:?} may contain only digits, found {bad:?}",
            text.trim()
        )));
    }
    Ok(digits)
}

super::text_value!(FinnishReference);

/// A creditor reference in either form: Finnish (viitenumero) or international RF.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Reference {
    /// A Finnish reference such as `1232`.
    Finnish(FinnishReference),
    /// An ISO 11649 reference such as `RF18539007547034`.
    Rf(RfReference),
}

impl Reference {
    /// Parses either form: text starting with `RF` (any case, spaces ignored) is an RF
    /// reference, anything else a Finnish one.
    pub fn parse(text: &str) -> Result<Self> {
        let trimmed = text.trim_start();
        let is_rf = trimmed
            .get(..2)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("RF"));
        if is_rf {
            RfReference::parse(text).map(Reference::Rf)
        } else {
            FinnishReference::parse(text).map(Reference::Finnish)
        }
    }

    /// The electronic form: canonical Finnish digits or the RF form without spaces.
    pub fn as_str(&self) -> &str {
        match self {
            Reference::Finnish(r) => r.as_str(),
            Reference::Rf(r) => r.as_str(),
        }
    }

    /// The paper form (groups of five for Finnish, groups of four for RF).
    pub fn grouped(&self) -> String {
        match self {
            Reference::Finnish(r) => r.grouped(),
            Reference::Rf(r) => r.grouped(),
        }
    }

    /// [`Reference::parse`] and [`Reference::match_key`] in one step, without allocating for
    /// the common case (a Finnish reference of ASCII digits and spaces, as OP delivers them):
    /// reconciliation keys every incoming payment, and the two `String`s of a full parse were
    /// most of its cost. Anything else (RF, other whitespace, any error) goes through the full
    /// parse, so the key and every error message are exactly those of `parse`.
    pub fn parse_match_key(text: &str) -> Result<MatchKey> {
        match finnish_key_fast(text).or_else(|| rf_finnish_key_fast(text)) {
            Some(value) => Ok(MatchKey(KeyRepr::Finnish(value))),
            None => Reference::parse(text).map(|r| r.match_key()),
        }
    }

    /// A key under which every written form of the same reference is equal:
    /// `00000000000000001245`, `1245` and `RF09 1245` (the RF form of 1245) give one key.
    pub fn match_key(&self) -> MatchKey {
        match self {
            Reference::Finnish(r) => MatchKey(KeyRepr::Finnish(r.numeric_value())),
            Reference::Rf(r) => match r.to_finnish() {
                Some(finnish) => MatchKey(KeyRepr::Finnish(finnish.numeric_value())),
                None => {
                    let body = r.body().as_bytes();
                    let mut bytes = [0u8; super::rf::MAX_BODY_LEN];
                    bytes[..body.len()].copy_from_slice(body);
                    MatchKey(KeyRepr::Rf {
                        len: body.len() as u8,
                        body: bytes,
                    })
                }
            },
        }
    }
}

/// The key of a valid RF reference whose body is a Finnish reference (the RF form OP and
/// payers use for Finnish references), written in ASCII with spaces or tabs, or `None` for
/// anything else (the caller then runs the full parse).
fn rf_finnish_key_fast(text: &str) -> Option<u128> {
    let text = text.trim_start_matches([' ', '\t']);
    if !text.get(..2)?.eq_ignore_ascii_case("RF") {
        return None;
    }
    let mut compact = [0u8; 4 + super::rf::MAX_BODY_LEN];
    let mut len = 0;
    for &b in text.as_bytes() {
        match b {
            b' ' | b'\t' => {}
            b'0'..=b'9' | b'R' | b'F' | b'r' | b'f' => {
                *compact.get_mut(len)? = b.to_ascii_uppercase();
                len += 1;
            }
            _ => return None,
        }
    }
    let (check, body) = compact.get(2..len)?.split_at_checked(2)?;
    if body.is_empty() || !check.iter().chain(body).all(u8::is_ascii_digit) {
        return None;
    }
    let expected = 98 - super::rf::mod97(body.iter().copied().chain(*b"RF00"));
    if u32::from(check[0] - b'0') * 10 + u32::from(check[1] - b'0') != expected {
        return None;
    }
    finnish_key_fast(std::str::from_utf8(body).ok()?)
}

super::text_value!(Reference, derived_debug);

/// The numeric value of a valid Finnish reference written with ASCII digits and ASCII
/// spaces or tabs only, or `None` when the text is anything else or invalid (the caller then
/// runs the full parse, which explains the problem).
fn finnish_key_fast(text: &str) -> Option<u128> {
    let mut digits = [0u8; MAX_DIGITS];
    let mut count = 0;
    for &b in text.as_bytes() {
        match b {
            b'0'..=b'9' => {
                *digits.get_mut(count)? = b - b'0';
                count += 1;
            }
            b' ' | b'\t' => {}
            _ => return None,
        }
    }
    let digits = &digits[..count];
    let significant = digits.iter().position(|&d| d != 0).map_or(0, |z| count - z);
    let (&check, base) = digits.split_last()?;
    if significant < MIN_DIGITS {
        return None;
    }
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let sum: u32 = base
        .iter()
        .rev()
        .zip(WEIGHTS.iter().cycle())
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    if (10 - sum % 10) % 10 != u32::from(check) {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0u128, |acc, &d| acc * 10 + u128::from(d)),
    )
}

impl From<FinnishReference> for Reference {
    fn from(r: FinnishReference) -> Self {
        Reference::Finnish(r)
    }
}

impl From<RfReference> for Reference {
    fn from(r: RfReference) -> Self {
        Reference::Rf(r)
    }
}

/// A compact, allocation-free key identifying a reference regardless of its written form
/// (see [`Reference::match_key`]). Used by reconciliation to index millions of open items.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct MatchKey(KeyRepr);

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
enum KeyRepr {
    /// A Finnish reference (or an RF whose body is one), by numeric value.
    Finnish(u128),
    /// Any other RF reference, by its body.
    Rf {
        len: u8,
        body: [u8; super::rf::MAX_BODY_LEN],
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_check_digits() {
        // 123: 3*7 + 2*3 + 1*1 = 28 → (10 − 8) mod 10 = 2.
        assert_eq!(FinnishReference::generate("123").unwrap().as_str(), "1232");
        // 124: 4*7 + 2*3 + 1*1 = 35 → 5.
        assert_eq!(FinnishReference::generate("124").unwrap().as_str(), "1245");
        assert!(FinnishReference::parse("1232").is_ok());
        let err = FinnishReference::parse("1235").unwrap_err();
        assert_eq!(
            err.message(),
            "reference number 1235: check digit should be 2, found 5"
        );
    }

    #[test]
    fn padding_and_grouping() {
        let r = FinnishReference::parse("0000 0000 0000 0000 1245").unwrap();
        assert_eq!(r.as_str(), "1245");
        assert_eq!(r.padded(), "00000000000000001245");
        // 1234567890 right to left: 0*7 + 9*3 + 8*1 + 7*7 + 6*3 + 5*1 + 4*7 + 3*3 + 2*1
        // + 1*7 = 153 → (10 − 3) mod 10 = 7.
        let long = FinnishReference::generate("1234567890").unwrap();
        assert_eq!(long.as_str(), "12345678907");
        assert_eq!(long.grouped(), "1 23456 78907");
        assert_eq!(
            FinnishReference::parse("12345").unwrap_err().kind(),
            crate::ErrorKind::InvalidInput
        );
    }

    #[test]
    fn length_limits() {
        assert!(
            FinnishReference::parse("0123").is_err(),
            "3 significant digits"
        );
        assert!(
            FinnishReference::parse("000000000000000000001245").is_err(),
            "24 digits"
        );
        assert!(FinnishReference::generate("12").is_err());
        assert!(FinnishReference::generate("1234567890123456789").is_ok());
        assert!(FinnishReference::generate("12345678901234567890").is_err());
        assert!(FinnishReference::parse("12a4").is_err());
        assert!(FinnishReference::parse("   ").is_err());
    }

    #[test]
    fn fast_match_key_agrees_with_parse() {
        for text in [
            "1245",
            "00000000000000001245",
            "1 245",
            "\t12 34561 ",
            "12345678907",
            "1246",
            "0123",
            "",
            "   ",
            "12a4",
            "000000000000000000001245",
            "RF18539007547034",
            "rf09 1245",
            "RF091245",
            "RF08 1245",
            "R F09 1245",
            " rf09 1245",
            "RF09",
            "RF0A1245",
            "RF091246",
            "RF1812345678901234567890",
            "RF18539007547034",
            "1\u{a0}245",
            "99999999999999999999",
            "12454",
        ] {
            let full = Reference::parse(text).map(|r| r.match_key());
            let fast = Reference::parse_match_key(text);
            assert_eq!(
                fast.as_ref().map_err(|e| e.message().to_owned()),
                full.as_ref().map_err(|e| e.message().to_owned()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn forms_share_a_match_key() {
        let a = Reference::parse("00000000000000001245").unwrap();
        let b = Reference::parse("1245").unwrap();
        let rf = RfReference::from_finnish(&FinnishReference::parse("1245").unwrap());
        let c = Reference::parse(&rf.grouped().to_lowercase()).unwrap();
        assert_eq!(a.match_key(), b.match_key());
        assert_eq!(a.match_key(), c.match_key());
        let other = Reference::parse("1232").unwrap();
        assert_ne!(a.match_key(), other.match_key());
    }
}
