//! Exact money: amounts are whole cents in an `i64`, parsed from and printed as decimal
//! strings. No floating point anywhere.

/// Parses a payment amount with OP's request pattern `^\d{1,13}\.\d{2}$` into cents.
pub(crate) fn parse_strict(s: &str) -> Option<i64> {
    let (int, frac) = s.split_once('.')?;
    if int.is_empty() || int.len() > 13 || frac.len() != 2 {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let int: i64 = int.parse().ok()?;
    let frac: i64 = frac.parse().ok()?;
    int.checked_mul(100)?.checked_add(frac)
}

/// Parses a non-negative filter amount: digits with an optional `.` and 1–2 decimals.
pub(crate) fn parse_loose(s: &str) -> Option<i64> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty() || int.len() > 15 || frac.len() > 2 {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let cents = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse::<i64>().ok()?,
    };
    int.parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents)
}

/// Formats cents as a signed decimal string with two decimals, e.g. `-12.30`.
pub(crate) fn format(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_amounts() {
        assert_eq!(parse_strict("120.50"), Some(12_050));
        assert_eq!(parse_strict("0.00"), Some(0));
        assert_eq!(parse_strict("9999999999999.99"), Some(999_999_999_999_999));
        for bad in [
            "1",
            "1.5",
            "1.555",
            "-1.00",
            "+1.00",
            "1e3",
            "",
            ".50",
            "12345678901234.00",
            "1,00",
            "NaN",
        ] {
            assert_eq!(parse_strict(bad), None, "{bad}");
        }
    }

    #[test]
    fn loose_amounts_and_format() {
        assert_eq!(parse_loose("10"), Some(1000));
        assert_eq!(parse_loose("0.5"), Some(50));
        assert_eq!(parse_loose("0.05"), Some(5));
        assert_eq!(parse_loose("-1"), None);
        assert_eq!(format(-1230), "-12.30");
        assert_eq!(format(5), "0.05");
        assert_eq!(format(i64::MIN), "-92233720368547758.08");
    }
}
