//! Identifier formats: IBAN, Finnish and RF creditor references, Finnish business ids,
//! OP-shaped archive ids, surrogate ids and UUIDs.
//!
//! Written here rather than shared with the `opcorp` core crate on purpose: the emulator is
//! an independent implementation of the bank side (design.md §5).

use base64::Engine as _;

use super::rng::{Rng, hash};

/// OP's BIC.
pub(crate) const OP_BIC: &str = "OKOYFIHH";

/// Remainder of a digit/letter string (letters as 10..35) modulo 97, as ISO 7064 needs.
fn mod97(chars: impl Iterator<Item = char>) -> Option<u32> {
    let mut rem: u32 = 0;
    for c in chars {
        let v = c.to_digit(36)?;
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    Some(rem)
}

/// Whether `iban` (no spaces, upper case) has a valid shape and ISO 7064 mod-97 checksum.
/// Finnish IBANs must be exactly 18 characters.
pub(crate) fn iban_is_valid(iban: &str) -> bool {
    let b = iban.as_bytes();
    if b.len() < 15 || b.len() > 34 {
        return false;
    }
    if !b[..2].iter().all(u8::is_ascii_uppercase) || !b[2..4].iter().all(u8::is_ascii_digit) {
        return false;
    }
    if !b[4..]
        .iter()
        .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
    {
        return false;
    }
    if iban.starts_with("FI") && (b.len() != 18 || !b[4..].iter().all(u8::is_ascii_digit)) {
        return false;
    }
    let rotated = iban[4..].chars().chain(iban[..4].chars());
    mod97(rotated) == Some(1)
}

/// Whether the IBAN has the shape of an IBAN, ignoring its checksum (lenient mode).
pub(crate) fn iban_has_shape(iban: &str) -> bool {
    let b = iban.as_bytes();
    (5..=34).contains(&b.len())
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b.iter().all(u8::is_ascii_alphanumeric)
}

/// The Finnish IBAN of a 14-digit account number (BBAN).
pub(crate) fn finnish_iban(bban: &str) -> String {
    let rem = mod97(bban.chars().chain("FI00".chars())).unwrap_or(0);
    format!("FI{:02}{bban}", 98 - rem)
}

/// Luhn check digit of a digit string (Finnish account numbers end with one).
pub(crate) fn luhn_digit(digits: &str) -> u32 {
    let sum: u32 = digits
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

/// A 14-digit Finnish account number starting with `bank_prefix`, ending with a Luhn digit.
pub(crate) fn account_number(bank_prefix: &str, body: u64) -> String {
    let width = 13usize.saturating_sub(bank_prefix.len());
    let modulus = 10u64.saturating_pow(width as u32);
    let head = format!("{bank_prefix}{:0width$}", body % modulus);
    let check = luhn_digit(&head);
    format!("{head}{check}")
}

/// The BIC of a Finnish IBAN by its bank code; `None` for unknown or foreign banks.
pub(crate) fn bic_for_iban(iban: &str) -> Option<&'static str> {
    let bban = iban.strip_prefix("FI")?.get(2..)?;
    const TABLE: &[(&str, &str)] = &[
        ("799", "HOLVFIHH"),
        ("715", "ITELFIHH"),
        ("31", "HANDFIHH"),
        ("33", "ESSEFIHX"),
        ("34", "DABAFIHX"),
        ("36", "SBANFIHH"),
        ("38", "SWEDFIHH"),
        ("39", "SBANFIHH"),
        ("1", "NDEAFIHH"),
        ("2", "NDEAFIHH"),
        ("4", "HELSFIHH"),
        ("5", OP_BIC),
        ("6", "AABAFI22"),
        ("8", "DABAFIHH"),
    ];
    TABLE
        .iter()
        .find(|(prefix, _)| bban.starts_with(prefix))
        .map(|(_, bic)| *bic)
}

/// Finnish reference check digit (weights 7, 3, 1 from the right).
pub(crate) fn finnish_ref_check(base: &str) -> Option<u32> {
    let weights = [7, 3, 1];
    let mut sum = 0;
    for (i, c) in base.chars().rev().enumerate() {
        sum += c.to_digit(10)? * weights[i % 3];
    }
    Some((10 - sum % 10) % 10)
}

/// Whether `r` is a valid Finnish reference (4–20 digits, leading zeros allowed, correct check
/// digit).
pub(crate) fn finnish_ref_is_valid(r: &str) -> bool {
    let trimmed = r.trim_start_matches('0');
    if r.len() > 20 || trimmed.len() < 4 || !r.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let (base, check) = trimmed.split_at(trimmed.len() - 1);
    finnish_ref_check(base).map(|d| d.to_string()) == Some(check.to_string())
}

/// Whether `r` is a valid ISO 11649 RF reference (`RF` + 2 check digits + 1..21 alphanumerics).
pub(crate) fn rf_is_valid(r: &str) -> bool {
    let b = r.as_bytes();
    if !(5..=25).contains(&b.len()) || !r.starts_with("RF") {
        return false;
    }
    if !b[2..4].iter().all(u8::is_ascii_digit)
        || !b[4..]
            .iter()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
    {
        return false;
    }
    mod97(r[4..].chars().chain(r[..4].chars())) == Some(1)
}

/// The RF reference for a payload of digits/letters.
pub(crate) fn rf_from(payload: &str) -> String {
    let rem = mod97(payload.chars().chain("RF00".chars())).unwrap_or(0);
    format!("RF{:02}{payload}", 98 - rem)
}

/// The Finnish reference made from a base number (check digit appended).
pub(crate) fn finnish_ref_from(base: u64) -> String {
    let s = base.to_string();
    let check = finnish_ref_check(&s).unwrap_or(0);
    format!("{s}{check}")
}

/// A valid Finnish business id (Y-tunnus) `NNNNNNN-C` derived from `n`.
pub(crate) fn business_id(n: u64) -> String {
    const WEIGHTS: [u64; 7] = [7, 9, 10, 5, 8, 4, 2];
    let mut body = n % 10_000_000;
    loop {
        let s = format!("{body:07}");
        let sum: u64 = s
            .bytes()
            .zip(WEIGHTS)
            .map(|(d, w)| u64::from(d - b'0') * w)
            .sum();
        match sum % 11 {
            0 => return format!("{s}-0"),
            1 => body = (body + 1) % 10_000_000,
            r => return format!("{s}-{}", 11 - r),
        }
    }
}

/// Whether `id` is a valid Finnish business id (admin-added mandates are checked with it).
pub(crate) fn business_id_is_valid(id: &str) -> bool {
    let Some((body, _)) = id.split_once('-') else {
        return false;
    };
    body.len() == 7
        && body.bytes().all(|b| b.is_ascii_digit())
        && body.parse::<u64>().map(business_id).as_deref() == Ok(id)
}

/// An OP-like surrogate id: 34 random bytes as URL-safe base64 with padding, so it always
/// ends in `==`; re-drawn until it also contains a `-` (clients must percent-encode it).
pub(crate) fn surrogate_id(seed: u64, account: u64) -> String {
    let mut rng = Rng::new(seed, hash(&[0x5u64, account]));
    loop {
        let bytes: Vec<u8> = (0..34).map(|_| rng.next_u64() as u8).collect();
        let s = base64::engine::general_purpose::URL_SAFE.encode(&bytes);
        if s.contains('-') {
            return s;
        }
    }
}

/// A UUID v4-shaped string from 128 bits.
pub(crate) fn uuid(hi: u64, lo: u64) -> String {
    let hi = (hi & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

/// Encodes and decodes the 11 digits after `YYYYMMDD5` of an archive id.
///
/// The digits are an affine permutation of `account * 10^7 + ordinal`, so they look random
/// but lead straight back to the transaction without an index (10,000 accounts, 10^7
/// transactions per account at most).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ArchiveCodec {
    offset: u128,
}

const ARCHIVE_SPACE: u128 = 100_000_000_000;
const ARCHIVE_MUL: u128 = 73_939_133;
/// Largest ordinal (exclusive) an archive id can carry.
pub(crate) const MAX_ORDINAL: usize = 10_000_000;
/// Largest account index (exclusive) an archive id can carry.
pub(crate) const MAX_ACCOUNTS: usize = 10_000;

/// Modular inverse of [`ARCHIVE_MUL`] modulo [`ARCHIVE_SPACE`] (extended Euclid).
fn archive_inverse() -> u128 {
    let (mut t, mut new_t): (i128, i128) = (0, 1);
    let (mut r, mut new_r): (i128, i128) = (ARCHIVE_SPACE as i128, ARCHIVE_MUL as i128);
    while new_r != 0 {
        let q = r / new_r;
        (t, new_t) = (new_t, t - q * new_t);
        (r, new_r) = (new_r, r - q * new_r);
    }
    t.rem_euclid(ARCHIVE_SPACE as i128) as u128
}

impl ArchiveCodec {
    /// A codec whose digits depend on `seed`.
    pub(crate) fn new(seed: u64) -> ArchiveCodec {
        ArchiveCodec {
            offset: u128::from(hash(&[seed, 0xA2C])) % ARCHIVE_SPACE,
        }
    }

    /// The 11 digits for a transaction.
    pub(crate) fn encode(self, account: usize, ordinal: usize) -> String {
        let x = (account as u128) * (MAX_ORDINAL as u128) + ordinal as u128;
        let y = (x * ARCHIVE_MUL + self.offset) % ARCHIVE_SPACE;
        format!("{y:011}")
    }

    /// `(account, ordinal)` from the 11 digits, if they are digits.
    pub(crate) fn decode(self, digits: &str) -> Option<(usize, usize)> {
        if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let y: u128 = digits.parse().ok()?;
        let x =
            ((y + ARCHIVE_SPACE - self.offset) % ARCHIVE_SPACE) * archive_inverse() % ARCHIVE_SPACE;
        let account = (x / MAX_ORDINAL as u128) as usize;
        let ordinal = (x % MAX_ORDINAL as u128) as usize;
        Some((account, ordinal))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iban_checks() {
        assert!(iban_is_valid("FI3859991620004143"));
        assert!(iban_is_valid("FI6359991620004275"));
        assert!(!iban_is_valid("FI7450009420999999"));
        assert!(!iban_is_valid("FI4550009420888888"));
        assert!(!iban_is_valid("FI38599916200041"));
        assert!(!iban_is_valid("fi3859991620004143"));
        assert!(iban_is_valid("DE89370400440532013000"));
        assert!(iban_has_shape("FI7450009420999999"));
        let acc = account_number("5", 1234567);
        assert_eq!(acc.len(), 14);
        assert!(iban_is_valid(&finnish_iban(&acc)));
        assert_eq!(bic_for_iban(&finnish_iban(&acc)), Some(OP_BIC));
    }

    #[test]
    fn references() {
        assert!(finnish_ref_is_valid("1245"));
        assert!(finnish_ref_is_valid("00000000000000001245"));
        assert!(!finnish_ref_is_valid("1246"));
        assert!(!finnish_ref_is_valid("124"));
        assert!(finnish_ref_is_valid(&finnish_ref_from(2024001)));
        assert!(rf_is_valid("RF18539007547034"));
        assert!(!rf_is_valid("RF19539007547034"));
        assert!(rf_is_valid(&rf_from("12345")));
        assert!(rf_is_valid("RF481245"));
    }

    #[test]
    fn business_ids_are_valid() {
        assert!(business_id_is_valid("0737546-2"));
        for n in 0..500 {
            assert!(business_id_is_valid(&business_id(n * 7919)));
        }
    }

    #[test]
    fn archive_codec_round_trips() {
        let c = ArchiveCodec::new(42);
        for (a, o) in [(0, 0), (1, 5), (9_999, 9_999_999), (17, 123_456)] {
            assert_eq!(c.decode(&c.encode(a, o)), Some((a, o)));
        }
        assert_eq!(c.decode("12345"), None);
        assert_eq!(c.decode("1234567890x"), None);
    }

    #[test]
    fn surrogate_ids_have_dash_and_padding() {
        for n in 0..50 {
            let s = surrogate_id(1, n);
            assert!(s.contains('-') && s.ends_with("=="), "{s}");
        }
    }
}
