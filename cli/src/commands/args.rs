//! Parsing of user-typed values shared by several commands (dates, date-times).

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};

use crate::exit::CliError;

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<Date, CliError> {
    Date::parse(text.trim(), format_description!("[year]-[month]-[day]")).map_err(|_| {
        CliError::invalid(format!(
            "invalid date {:?}: expected YYYY-MM-DD",
            text.trim()
        ))
    })
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Today's date in UTC.
pub fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// Parses `YYYY-MM-DD` (midnight UTC) or an RFC 3339 date-time.
pub fn parse_date_time(text: &str) -> Result<OffsetDateTime, CliError> {
    if let Ok(t) = OffsetDateTime::parse(text.trim(), &Rfc3339) {
        return Ok(t);
    }
    Ok(parse_date(text)?.midnight().assume_offset(UtcOffset::UTC))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_bad_dates_are_invalid_input() {
        let d = parse_date("2024-02-29").unwrap();
        assert_eq!(format_date(d), "2024-02-29");
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("29.2.2024").is_err());
        let t = parse_date_time("2024-01-05T10:00:00Z").unwrap();
        assert_eq!(t.hour(), 10);
    }
}
