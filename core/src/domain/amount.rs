//! Exact money amounts.
//!
//! OP sends amounts as JSON strings with a dot separator (`"-12.35"`, balances sometimes with
//! one decimal: `"-12.3"`). [`Amount`] keeps them as an exact decimal, never a float, and
//! formats payment amounts the way OP's payment schema demands (`^\d{1,13}\.\d{2}$`).
//!
//! Two rules, on purpose: money a user *sends* (payment and refund amounts from any binding,
//! a JSON request file, the C API or the gateway) goes through [`Amount::parse_input`], a
//! plain decimal with at most two decimals and nothing else; money the bank *sends* goes
//! through [`Amount::parse_lenient`], which also reads exponents exactly. A user's `"1e3"` is
//! a typo or an attack, never a thousand euros.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// Largest amount OP's payment schema accepts: 13 integer digits.
const PAYMENT_MAX_INTEGER_DIGITS: u32 = 13;

/// An exact, signed money amount in a currency's major unit (euros, not cents).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(Decimal);

impl Amount {
    /// Zero.
    pub const ZERO: Amount = Amount(Decimal::ZERO);

    /// Wraps an exact decimal.
    pub fn from_decimal(value: Decimal) -> Self {
        Amount(normalize_zero(value))
    }

    /// The exact decimal value.
    pub fn as_decimal(&self) -> Decimal {
        self.0
    }

    /// An amount from minor units (cents for EUR): `from_minor_units(12345)` is `123.45`.
    pub fn from_minor_units(cents: i64) -> Self {
        Amount(Decimal::new(cents, 2))
    }

    /// The amount in minor units, or an error when it has more than two decimals or does not
    /// fit in `i64` (never silently rounded).
    pub fn to_minor_units(&self) -> Result<i64> {
        // Fast path for at most two decimals (reconciliation converts every item's amount):
        // the mantissa scaled up is exact. Everything else takes the checked path below,
        // which also words the errors.
        let scale = self.0.scale();
        if scale <= 2
            && let Some(cents) = self.0.mantissa().checked_mul(10i128.pow(2 - scale))
            && let Ok(cents) = i64::try_from(cents)
        {
            return Ok(cents);
        }
        let scaled = self
            .0
            .checked_mul(Decimal::ONE_HUNDRED)
            .ok_or_else(|| Error::invalid_input(format!("amount {self} is too large")))?;
        if scaled.fract() != Decimal::ZERO {
            return Err(Error::invalid_input(format!(
                "amount {self} has more than two decimals"
            )));
        }
        i64::try_from(scaled.trunc())
            .map_err(|_| Error::invalid_input(format!("amount {self} does not fit in 64 bits")))
    }

    /// Whether the amount is below zero (debits in OP's transaction lists are negative).
    pub fn is_negative(&self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// Whether the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    /// The absolute value.
    pub fn abs(&self) -> Self {
        Amount(self.0.abs())
    }

    /// Exact sum, or `None` on overflow.
    pub fn checked_add(&self, other: Amount) -> Option<Amount> {
        self.0.checked_add(other.0).map(Amount::from_decimal)
    }

    /// Exact difference, or `None` on overflow.
    pub fn checked_sub(&self, other: Amount) -> Option<Amount> {
        self.0.checked_sub(other.0).map(Amount::from_decimal)
    }

    /// Validates the amount for a payment or refund request and formats it as OP's schema
    /// requires: positive, at most 13 integer digits, exactly two decimals (`"120.50"`).
    pub fn to_payment_string(&self) -> Result<String> {
        if self.0 <= Decimal::ZERO {
            return Err(Error::invalid_input(format!(
                "payment amount must be positive, got {self}"
            )));
        }
        let cents = self.to_minor_units()?;
        let limit = 10i64.pow(PAYMENT_MAX_INTEGER_DIGITS) * 100;
        if cents >= limit {
            return Err(Error::invalid_input(format!(
                "payment amount {self} exceeds 13 integer digits"
            )));
        }
        Ok(format!("{}.{:02}", cents / 100, cents % 100))
    }

    /// Parses money a user sends (a payment or refund amount) by the one strict rule: ASCII
    /// digits, optionally a dot and one or two decimals (`^\d+(\.\d{1,2})?$`). No sign, no
    /// exponent, no surrounding whitespace, no separators, no `NaN`. Whether the value suits
    /// a payment (positive, at most 13 integer digits) is [`Amount::to_payment_string`]'s
    /// check. The error is `INVALID_INPUT` and names the field as `"amount"`; use
    /// [`Amount::parse_input_field`] to name another.
    pub fn parse_input(text: &str) -> Result<Self> {
        Self::parse_input_field("amount", text)
    }

    /// [`Amount::parse_input`] with `field` named in the error (e.g. `instructedAmount.amount`
    /// or `--amount`).
    pub fn parse_input_field(field: &str, text: &str) -> Result<Self> {
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        let valid = !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
            && (frac.len() <= 2)
            && !(text.contains('.') && frac.is_empty());
        if !valid {
            return Err(Error::invalid_input(format!(
                "{field} must be a plain decimal with at most two decimals such as \"120.50\" \
                 (no sign, exponent, spaces or separators), got {:?}",
                preview(text)
            )));
        }
        Decimal::from_str_exact(text)
            .map(Amount::from_decimal)
            .map_err(|_| {
                Error::invalid_input(format!("{field} {:?} is out of range", preview(text)))
            })
    }

    /// Parses an amount the bank sent, which may use scientific notation (`"1e3"`), exactly.
    /// Money a user sends goes through [`Amount::parse_input`] instead.
    pub fn parse_lenient(text: &str) -> Result<Self> {
        let trimmed = text.trim();
        if let Ok(amount) = trimmed.parse::<Amount>() {
            return Ok(amount);
        }
        if trimmed.contains(['e', 'E']) && trimmed.bytes().all(is_scientific_byte) {
            return Decimal::from_scientific(trimmed)
                .map(Amount::from_decimal)
                .map_err(|_| Error::decode(format!("invalid amount {trimmed:?}")));
        }
        Err(Error::decode(format!("invalid amount {trimmed:?}")))
    }
}

/// At most 40 characters of a rejected input, so an error never echoes a huge value.
fn preview(text: &str) -> String {
    const MAX: usize = 40;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

fn is_scientific_byte(b: u8) -> bool {
    b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E')
}

/// `-0.00` and `0.00` are the same amount; keep one representation so equality and
/// formatting agree.
fn normalize_zero(value: Decimal) -> Decimal {
    if value.is_zero() {
        let mut zero = Decimal::ZERO;
        // Keeping the scale preserves "0.00" formatting; only the sign is dropped.
        let _ = zero.set_scale(value.scale());
        zero
    } else {
        value
    }
}

/// The plain decimals nearly every amount is (`"120.50"`, `"-7"`): an optional sign, at
/// most 18 digits and at most one dot with digits on both sides, read in one pass straight
/// into the decimal's mantissa and scale. `None` for anything else (spaces, more digits,
/// any other character), which [`Amount::from_str`]'s full check then reads or refuses. A
/// million-payment reconcile reads a million amounts; this is its one pass over each.
fn parse_short(text: &str) -> Option<Decimal> {
    const MAX_DIGITS: usize = 18;
    let bytes = text.as_bytes();
    let (negative, digits) = match bytes.split_first()? {
        (b'-', rest) => (true, rest),
        (b'+', rest) => (false, rest),
        _ => (false, bytes),
    };
    if digits.len() > MAX_DIGITS + 1 {
        return None;
    }
    // 19 digits fit a u64; more than 18 are refused below, so the cast cannot wrap.
    let mut mantissa: u64 = 0;
    let mut dot = None;
    for (at, &b) in digits.iter().enumerate() {
        match b {
            b'0'..=b'9' => mantissa = mantissa * 10 + u64::from(b - b'0'),
            b'.' if dot.is_none() && at > 0 && at + 1 < digits.len() => dot = Some(at),
            _ => return None,
        }
    }
    let scale = dot.map_or(0, |at| digits.len() - at - 1);
    if digits.len() - usize::from(dot.is_some()) > MAX_DIGITS || digits.is_empty() {
        return None;
    }
    let mantissa = mantissa as i64;
    Some(Decimal::new(
        if negative { -mantissa } else { mantissa },
        scale as u32,
    ))
}

impl FromStr for Amount {
    type Err = Error;

    /// Parses a plain decimal: optional sign, digits, optional dot and digits (`"-12.35"`).
    /// Rejects floats' special values, thousands separators, commas and exponents.
    fn from_str(text: &str) -> Result<Self> {
        match parse_short(text) {
            Some(value) => Ok(Amount::from_decimal(value)),
            None => parse_checked(text),
        }
    }
}

/// [`Amount::from_str`] for any text: trimmed, checked for the plain form, then read.
fn parse_checked(text: &str) -> Result<Amount> {
    let trimmed = text.trim();
    let digits = trimmed.strip_prefix(['-', '+']).unwrap_or(trimmed);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let valid = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(digits.contains('.') && frac.is_empty());
    if !valid {
        return Err(Error::invalid_input(format!(
            "invalid amount {trimmed:?}: expected a decimal such as 120.50"
        )));
    }
    Decimal::from_str_exact(trimmed)
        .map(Amount::from_decimal)
        .map_err(|_| Error::invalid_input(format!("amount {trimmed:?} is out of range")))
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({})", self.0)
    }
}

impl From<Decimal> for Amount {
    fn from(value: Decimal) -> Self {
        Amount::from_decimal(value)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Amount {
    /// Reads what the bank sent: a JSON string (OP's format) or a JSON number, both converted
    /// exactly and leniently. Request models read their amounts with the strict rule instead
    /// (`model::de::payment_amount`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let text = match &value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            other => {
                return Err(serde::de::Error::custom(format!(
                    "expected an amount string, got {other}"
                )));
            }
        };
        Amount::parse_lenient(&text).map_err(|e| serde::de::Error::custom(e.message()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The one-pass reader takes the plain forms and leaves the rest to the full check, so
    /// the property below compares it on texts it really reads.
    #[test]
    fn short_reader_takes_plain_decimals_only() {
        let scale = |t: &str| parse_short(t).map(|d| (d.to_string(), d.scale()));
        assert_eq!(scale("120.50"), Some(("120.50".into(), 2)));
        assert_eq!(scale("-7"), Some(("-7".into(), 0)));
        assert_eq!(scale("+0.001"), Some(("0.001".into(), 3)));
        assert_eq!(
            scale("999999999999999999"),
            Some(("999999999999999999".into(), 0))
        );
        for other in [
            " 1",
            "1 ",
            "1.",
            ".5",
            "-",
            "",
            "1e3",
            "1,5",
            "1.2.3",
            "9999999999999999999",
        ] {
            assert_eq!(parse_short(other), None, "{other:?}");
        }
    }

    proptest! {
        /// The one-pass reader agrees with the full check on every text it accepts: same
        /// value, same scale, same sign of zero; and `from_str` as a whole gives what the full
        /// check alone gives, error or amount, for plain, long, signed and broken texts.
        #[test]
        fn short_reader_agrees_with_the_full_check(
            text in "[ +-]{0,2}[0-9]{0,21}(\\.[0-9]{0,21})?[ .e0-9]{0,2}",
        ) {
            let full = parse_checked(&text);
            if let Some(short) = parse_short(&text) {
                let full = full.as_ref().map(|a| a.as_decimal()).expect("the full check accepts it too");
                let short = normalize_zero(short);
                prop_assert_eq!(short.serialize(), full.serialize());
            }
            match (text.parse::<Amount>(), full) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a.as_decimal().serialize(), b.as_decimal().serialize()),
                (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
                (a, b) => prop_assert!(false, "{text:?}: {a:?} against {b:?}"),
            }
        }
    }

    fn amt(s: &str) -> Amount {
        s.parse().unwrap()
    }

    #[test]
    fn parses_plain_decimals_exactly() {
        assert_eq!(amt("120.50").to_string(), "120.50");
        assert_eq!(amt("-12.3").to_string(), "-12.3");
        assert_eq!(amt("0.10").checked_add(amt("0.20")), Some(amt("0.30")));
    }

    #[test]
    fn rejects_non_decimals() {
        for bad in [
            "", "abc", "1,50", "NaN", "inf", "1e3", "1.", ".5", "1 000.00", "--1",
        ] {
            assert!(bad.parse::<Amount>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn strict_input_is_a_plain_decimal() {
        assert_eq!(Amount::parse_input("120.50").unwrap(), amt("120.50"));
        assert_eq!(Amount::parse_input("5").unwrap().to_string(), "5");
        for bad in [
            "1e3", "+5.00", " 5.00", "5.00 ", "-0.00", "12.345", "NaN", "1,00", "", "5.", ".5",
        ] {
            let err = Amount::parse_input_field("instructedAmount.amount", bad).unwrap_err();
            assert_eq!(err.code(), "INVALID_INPUT", "{bad:?}");
            assert!(err.message().contains("instructedAmount.amount"), "{err}");
        }
        let long = "9".repeat(100);
        let err = Amount::parse_input(&long).unwrap_err();
        assert!(err.message().len() < 200, "{err}");
    }

    #[test]
    fn lenient_parse_accepts_scientific_only_for_servers() {
        assert_eq!(Amount::parse_lenient("1e3").unwrap(), amt("1000"));
        assert!(Amount::parse_lenient("NaN").is_err());
    }

    #[test]
    fn negative_zero_is_zero() {
        let z = amt("-0.00");
        assert!(z.is_zero());
        assert!(!z.is_negative());
        assert_eq!(z.to_string(), "0.00");
    }

    #[test]
    fn payment_strings_follow_op_schema() {
        assert_eq!(amt("120.5").to_payment_string().unwrap(), "120.50");
        assert_eq!(amt("7").to_payment_string().unwrap(), "7.00");
        assert!(amt("12.345").to_payment_string().is_err());
        assert!(amt("0").to_payment_string().is_err());
        assert!(amt("-1.00").to_payment_string().is_err());
        assert!(amt("10000000000000.00").to_payment_string().is_err());
        assert!(amt("9999999999999.99").to_payment_string().is_ok());
    }

    #[test]
    fn minor_units_never_round() {
        assert_eq!(amt("123.45").to_minor_units().unwrap(), 12345);
        assert_eq!(Amount::from_minor_units(-5).to_string(), "-0.05");
        assert!(amt("0.001").to_minor_units().is_err());
        // Fast and checked paths agree: short scales, a long scale that is whole cents, the
        // i64 bounds.
        assert_eq!(amt("1.5").to_minor_units().unwrap(), 150);
        assert_eq!(amt("-12").to_minor_units().unwrap(), -1200);
        assert_eq!(amt("1.000").to_minor_units().unwrap(), 100);
        assert_eq!(
            amt("92233720368547758.07").to_minor_units().unwrap(),
            i64::MAX
        );
        assert!(amt("92233720368547758.08").to_minor_units().is_err());
    }

    #[test]
    fn serde_accepts_strings_and_numbers() {
        let a: Amount = serde_json::from_str("\"-12.35\"").unwrap();
        assert_eq!(a, amt("-12.35"));
        let b: Amount = serde_json::from_str("12345678901234567.89").unwrap();
        assert_eq!(b.to_string(), "12345678901234567.89");
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"-12.35\"");
        assert!(serde_json::from_str::<Amount>("null").is_err());
    }
}
