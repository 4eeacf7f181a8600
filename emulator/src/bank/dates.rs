//! Calendar arithmetic on microsecond timestamps (UTC), without allocation-heavy date types
//! on the hot rendering path.

/// Microseconds in a day.
pub(crate) const DAY_MICROS: i64 = 86_400_000_000;

/// `(year, month, day)` of a day number counted from 1970-01-01 (proleptic Gregorian).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Day number (from 1970-01-01) of a microsecond timestamp.
pub(crate) fn day_of(micros: i64) -> i64 {
    micros.div_euclid(DAY_MICROS)
}

/// `YYYY-MM-DD` of a timestamp.
pub(crate) fn iso_date(micros: i64) -> String {
    let (y, m, d) = civil_from_days(day_of(micros));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYYMMDD` of a timestamp (the archive id prefix).
pub(crate) fn compact_date(micros: i64) -> String {
    let (y, m, d) = civil_from_days(day_of(micros));
    format!("{y:04}{m:02}{d:02}")
}

/// `dd.MM.yyyy` of a timestamp (account details, refund messages).
pub(crate) fn finnish_date(micros: i64) -> String {
    let (y, m, d) = civil_from_days(day_of(micros));
    format!("{d:02}.{m:02}.{y:04}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(1_717_228_800_123_456), "2024-06-01");
        assert_eq!(compact_date(1_717_228_800_123_456), "20240601");
        assert_eq!(finnish_date(1_717_228_800_123_456), "01.06.2024");
        assert_eq!(iso_date(951_782_400_000_000), "2000-02-29");
        assert_eq!(iso_date(-1), "1969-12-31");
    }
}
