//! Finnish virtual bank barcodes ("virtuaaliviivakoodi", Finance Finland's bank barcode
//! guide), versions 4 and 5: 54 digits that a payer pastes into online banking.
//!
//! | Positions | Version 4 (Finnish reference)   | Version 5 (RF reference)             |
//! |-----------|----------------------------------|--------------------------------------|
//! | 1         | `4`                              | `5`                                  |
//! | 2–17      | IBAN digits after `FI` (16)      | same                                 |
//! | 18–23     | euros, zero-padded (6)           | same                                 |
//! | 24–25     | cents (2)                        | same                                 |
//! | 26–28     | reserved `000`                   | RF check digits (26–27)              |
//! | 29–48     | reference, zero-padded (20)      | RF body, zero-padded (28–48, 21)     |
//! | 49–54     | due date `YYMMDD`, or `000000`   | same                                 |
//!
//! An amount of `0.00` means "not given" (the payer types it); amounts above 999 999.99
//! cannot be encoded. Only Finnish IBANs and RF references with an all-digit body fit.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use time::{Date, Month};

use super::amount::Amount;
use super::iban::Iban;
use super::reference::{FinnishReference, Reference};
use super::rf::RfReference;
use crate::error::{Error, Result};

/// Number of digits in a virtual barcode.
pub const BARCODE_LEN: usize = 54;
/// Largest encodable amount in cents (999 999.99 €).
const MAX_CENTS: i64 = 99_999_999;

/// The payment details carried by a virtual barcode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VirtualBarcode {
    /// The payee's Finnish IBAN.
    pub iban: Iban,
    /// The amount in euros; `0.00` means the payer enters the amount.
    pub amount: Amount,
    /// The creditor reference: Finnish (version 4) or RF with an all-digit body (version 5).
    pub reference: Reference,
    /// The due date, when given (years 2000–2099).
    pub due_date: Option<Date>,
}

impl VirtualBarcode {
    /// The barcode version this reference needs: 4 for Finnish, 5 for RF.
    pub fn version(&self) -> u8 {
        match self.reference {
            Reference::Finnish(_) => 4,
            Reference::Rf(_) => 5,
        }
    }

    /// Encodes the 54-digit barcode, checking that every field fits.
    pub fn encode(&self) -> Result<String> {
        if !self.iban.is_finnish() {
            return Err(Error::invalid_input(format!(
                "a virtual barcode needs a Finnish IBAN (FI…), got {}",
                self.iban
            )));
        }
        let cents = self.amount.to_minor_units()?;
        if cents < 0 {
            return Err(Error::invalid_input(format!(
                "a barcode amount cannot be negative, got {}",
                self.amount
            )));
        }
        if cents > MAX_CENTS {
            return Err(Error::invalid_input(format!(
                "amount {} is too large for a virtual barcode (at most 999999.99)",
                self.amount
            )));
        }
        let mut out = String::with_capacity(BARCODE_LEN);
        out.push(char::from(b'0' + self.version()));
        out.push_str(&self.iban.as_str()[2..]);
        out.push_str(&format!("{cents:08}"));
        match &self.reference {
            Reference::Finnish(r) => {
                out.push_str("000");
                out.push_str(&r.padded());
            }
            Reference::Rf(r) => {
                if !r.body().bytes().all(|b| b.is_ascii_digit()) {
                    return Err(Error::invalid_input(format!(
                        "RF reference {r} contains letters; a virtual barcode can carry only \
                         digits"
                    )));
                }
                out.push_str(r.check_digits());
                out.push_str(&format!("{:0>21}", r.body()));
            }
        }
        match self.due_date {
            None => out.push_str("000000"),
            Some(date) => {
                if !(2000..=2099).contains(&date.year()) {
                    return Err(Error::invalid_input(format!(
                        "due date {date} cannot be encoded: the barcode holds years 2000–2099"
                    )));
                }
                out.push_str(&format!(
                    "{:02}{:02}{:02}",
                    date.year() - 2000,
                    u8::from(date.month()),
                    date.day()
                ));
            }
        }
        Ok(out)
    }

    /// Decodes a 54-digit barcode (spaces ignored), validating the IBAN, the reference and
    /// the date.
    pub fn decode(text: &str) -> Result<Self> {
        let code: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(bad) = code.chars().find(|c| !c.is_ascii_digit()) {
            return Err(Error::invalid_input(format!(
                "a virtual barcode contains only digits, found {bad:?}"
            )));
        }
        if code.len() != BARCODE_LEN {
            return Err(Error::invalid_input(format!(
                "a virtual barcode has {BARCODE_LEN} digits, this one has {}",
                code.len()
            )));
        }
        let version = &code[..1];
        if version != "4" && version != "5" {
            return Err(Error::invalid_input(format!(
                "barcode version {version} is not supported (only 4 and 5)"
            )));
        }
        let iban = Iban::parse(&format!("FI{}", &code[1..17]))
            .map_err(|e| Error::invalid_input(format!("barcode account: {}", e.message())))?;
        let cents: i64 = code[17..25]
            .parse()
            .map_err(|_| Error::invalid_input("barcode amount is not a number"))?;
        let amount = Amount::from_decimal(Decimal::new(cents, 2));
        let reference =
            if version == "4" {
                if &code[25..28] != "000" {
                    return Err(Error::invalid_input(
                        "barcode version 4: positions 26–28 are reserved and must be 000",
                    ));
                }
                let digits = &code[28..48];
                if digits.bytes().all(|b| b == b'0') {
                    return Err(Error::invalid_input("barcode has no reference number"));
                }
                Reference::Finnish(FinnishReference::parse(digits).map_err(|e| {
                    Error::invalid_input(format!("barcode reference: {}", e.message()))
                })?)
            } else {
                let body = code[27..48].trim_start_matches('0');
                let body = if body.is_empty() { "0" } else { body };
                let text = format!("RF{}{body}", &code[25..27]);
                Reference::Rf(RfReference::parse(&text).map_err(|e| {
                    Error::invalid_input(format!("barcode reference: {}", e.message()))
                })?)
            };
        let due_date = decode_date(&code[48..54])?;
        Ok(VirtualBarcode {
            iban,
            amount,
            reference,
            due_date,
        })
    }
}

/// `YYMMDD` → a date in 2000–2099; `000000` → no date.
fn decode_date(text: &str) -> Result<Option<Date>> {
    if text == "000000" {
        return Ok(None);
    }
    let field = |range: std::ops::Range<usize>| text[range].parse::<u8>().unwrap_or(0);
    let (yy, mm, dd) = (field(0..2), field(2..4), field(4..6));
    let invalid = || Error::invalid_input(format!("barcode due date {text} is not a valid date"));
    let month = Month::try_from(mm).map_err(|_| invalid())?;
    Date::from_calendar_date(2000 + i32::from(yy), month, dd)
        .map(Some)
        .map_err(|_| invalid())
}

impl FromStr for VirtualBarcode {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self> {
        VirtualBarcode::decode(text)
    }
}

impl fmt::Display for VirtualBarcode {
    /// The 54 digits, or `<invalid barcode: …>` when a field does not fit.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.encode() {
            Ok(code) => f.write_str(&code),
            Err(e) => write!(f, "<invalid barcode: {}>", e.message()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn sample(reference: &str) -> VirtualBarcode {
        VirtualBarcode {
            iban: Iban::parse("FI79 4405 2020 0360 82").unwrap(),
            amount: "4883.15".parse().unwrap(),
            reference: Reference::parse(reference).unwrap(),
            due_date: Some(date!(2010 - 06 - 12)),
        }
    }

    #[test]
    fn version_4_layout() {
        // Field by field: 4 | 7944052020036082 | 004883 | 15 | 000 |
        // 00000868516259619897 | 100612.
        let code = sample("86851 62596 19897").encode().unwrap();
        assert_eq!(
            code,
            "479440520200360820048831500000000868516259619897100612"
        );
        assert_eq!(
            VirtualBarcode::decode(&code).unwrap(),
            sample("868516259619897")
        );
    }

    #[test]
    fn version_5_layout() {
        // 5 | 7944052020036082 | 004883 | 15 | 09 | 000000868516259619897 | 100612.
        let code = sample("RF09 8685 1625 9619 897").encode().unwrap();
        assert_eq!(
            code,
            "579440520200360820048831509000000868516259619897100612"
        );
        assert_eq!(
            VirtualBarcode::decode(&code).unwrap(),
            sample("RF098685162596198 97")
        );
    }

    #[test]
    fn rejects_what_does_not_fit() {
        let mut b = sample("868516259619897");
        b.amount = "1000000.00".parse().unwrap();
        assert!(b.encode().unwrap_err().message().contains("too large"));
        b.amount = "999999.99".parse().unwrap();
        assert!(b.encode().is_ok());
        b.iban = Iban::parse("DE89370400440532013000").unwrap();
        assert!(b.encode().unwrap_err().message().contains("Finnish IBAN"));
        let mut b = sample("868516259619897");
        b.reference = Reference::Rf(RfReference::generate("ABC").unwrap());
        assert!(b.encode().unwrap_err().message().contains("letters"));
    }

    #[test]
    fn decode_errors() {
        let good = sample("868516259619897").encode().unwrap();
        assert!(
            VirtualBarcode::decode(&good[..53])
                .unwrap_err()
                .message()
                .contains("54")
        );
        let v6 = format!("6{}", &good[1..]);
        assert!(
            VirtualBarcode::decode(&v6)
                .unwrap_err()
                .message()
                .contains("version 6")
        );
        let letters = format!("{}x{}", &good[..10], &good[11..]);
        assert!(VirtualBarcode::decode(&letters).is_err());
        let bad_date = format!("{}101332", &good[..48]);
        assert!(
            VirtualBarcode::decode(&bad_date)
                .unwrap_err()
                .message()
                .contains("date")
        );
        let no_date = format!("{}000000", &good[..48]);
        assert_eq!(VirtualBarcode::decode(&no_date).unwrap().due_date, None);
    }
}
