//! The hand-written readers against fixed cases, and against `time`'s own format-description
//! parser and formatter (which they replace) on generated input: same accepted set, same
//! values, same text.

use proptest::prelude::*;
use time::format_description::well_known::Rfc3339;
use time::macros::{date, datetime, format_description};
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

use super::*;

#[test]
fn iso_dates() {
    assert_eq!(parse_iso_date("2024-06-01"), Some(date!(2024 - 06 - 01)));
    assert_eq!(parse_iso_date("2024-02-29"), Some(date!(2024 - 02 - 29)));
    assert_eq!(parse_iso_date("2000-02-29"), Some(date!(2000 - 02 - 29)));
    for bad in [
        "2023-02-29", // not a leap year
        "1900-02-29", // divisible by 100, not by 400
        "2024-04-31",
        "2024-13-01",
        "2024-00-10",
        "2024-01-00",
        "2024-6-01",
        "24-06-01",
        " 2024-06-01",
        "2024-06-01 ",
        "2024-06-01T00:00:00Z",
        "2024/06/01",
        "",
        "２０２４-06-01",
    ] {
        assert_eq!(parse_iso_date(bad), None, "{bad:?}");
    }
}

#[test]
fn finnish_dates() {
    assert_eq!(parse_fi_date("29.02.2024"), Some(date!(2024 - 02 - 29)));
    assert_eq!(parse_fi_date("01.12.1999"), Some(date!(1999 - 12 - 01)));
    for bad in [
        "29.02.2023",
        "1.2.2024",
        "01.02.24",
        "01-02-2024",
        "32.01.2024",
    ] {
        assert_eq!(parse_fi_date(bad), None, "{bad:?}");
    }
    assert_eq!(format_fi_date(date!(2024 - 02 - 09)), "09.02.2024");
    assert_eq!(format_fi_date(date!(0012 - 11 - 30)), "30.11.0012");
}

#[test]
fn rfc3339_date_times() {
    assert_eq!(
        parse_rfc3339("2024-06-01T12:30:05Z"),
        Some(datetime!(2024-06-01 12:30:05 UTC))
    );
    assert_eq!(
        parse_rfc3339("2024-06-01t12:30:05.123z"),
        Some(datetime!(2024-06-01 12:30:05.123 UTC))
    );
    assert_eq!(
        parse_rfc3339("2024-06-01 12:30:05.000000001+03:00"),
        Some(datetime!(2024-06-01 12:30:05.000000001 +03:00))
    );
    // Digits past nanoseconds are read and dropped.
    assert_eq!(
        parse_rfc3339("2024-06-01T12:30:05.1234567891234-05:30"),
        Some(datetime!(2024-06-01 12:30:05.123456789 -05:30))
    );
    // A leap second is the last nanosecond of the UTC month, and only there.
    assert_eq!(
        parse_rfc3339("2016-12-31T23:59:60Z"),
        Some(datetime!(2016-12-31 23:59:59.999999999 UTC))
    );
    assert_eq!(
        parse_rfc3339("2017-01-01T01:59:60+02:00"),
        Some(datetime!(2017-01-01 01:59:59.999999999 +02:00))
    );
    for bad in [
        "2016-12-30T23:59:60Z",
        "2024-06-01T24:00:00Z",
        "2024-06-01T12:60:00Z",
        "2024-06-01T12:00:00",
        "2024-06-01T12:00:00.Z",
        "2024-06-01T12:00:00+24:00",
        "2024-06-01T12:00:00+03:60",
        "2024-06-01T12:00:00+0300",
        "2024-06-01T12:00:00Z ",
        "2023-02-29T00:00:00Z",
        "+2024-06-01T00:00:00Z",
        "2024-06-01",
    ] {
        assert_eq!(parse_rfc3339(bad), None, "{bad:?}");
    }
}

#[test]
fn rfc3339_writing() {
    let write = |at| format_rfc3339(at).unwrap();
    assert_eq!(
        write(datetime!(2024-06-01 0:00 UTC)),
        "2024-06-01T00:00:00Z"
    );
    assert_eq!(
        write(datetime!(2024-06-01 08:09:10.120 -03:30)),
        "2024-06-01T08:09:10.12-03:30"
    );
    assert_eq!(
        write(datetime!(2024-06-01 08:09:10.000000007 +00:00:00)),
        "2024-06-01T08:09:10.000000007Z"
    );
    assert_eq!(format_rfc3339(datetime!(2024-06-01 0:00 +01:00:30)), None);
}

#[test]
fn http_dates() {
    let expected = Some(datetime!(1994-11-06 08:49:37 UTC));
    assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), expected);
    assert_eq!(parse_http_date(" Sun Nov  6 08:49:37 1994 "), expected);
    assert_eq!(parse_http_date("Sun Nov 06 08:49:37 1994"), expected);
    // The weekday is a name, not a check.
    assert_eq!(parse_http_date("Mon, 06 Nov 1994 08:49:37 GMT"), expected);
    for bad in [
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 31 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:60 GMT",
        "Sun Nov   6 08:49:37 1994",
    ] {
        assert_eq!(parse_http_date(bad), None, "{bad:?}");
    }
}

const ISO: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]");
const FI: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[day].[month].[year]");
const IMF: &[time::format_description::BorrowedFormatItem<'static>] = format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);
const ASCTIME: &[time::format_description::BorrowedFormatItem<'static>] = format_description!(
    "[weekday repr:short] [month repr:short] [day padding:space] [hour]:[minute]:[second] [year]"
);

fn time_http_date(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    PrimitiveDateTime::parse(text, IMF)
        .or_else(|_| PrimitiveDateTime::parse(text, ASCTIME))
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

fn any_date() -> impl Strategy<Value = Date> {
    (Date::MIN.to_julian_day()..=Date::MAX.to_julian_day())
        .prop_map(|day| Date::from_julian_day(day).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn iso_date_reads_what_time_reads(
        text in "[-+]?[0-9]{3,6}-[0-2][0-9]-[0-3][0-9]|[-+ 0-9]{0,12}",
    ) {
        prop_assert_eq!(parse_iso_date(&text), Date::parse(&text, ISO).ok());
    }

    #[test]
    fn fi_date_reads_what_time_reads(
        text in "[0-3][0-9]\\.[0-2][0-9]\\.[-+]?[0-9]{3,6}|[-+. 0-9]{0,12}",
    ) {
        prop_assert_eq!(parse_fi_date(&text), Date::parse(&text, FI).ok());
    }

    #[test]
    fn rfc3339_reads_what_time_reads(
        text in "[0-9]{4}-[01][0-9]-[0-3][0-9][Tt _x][0-2][0-9]:[0-6][0-9]:[0-6][0-9](\\.[0-9]{0,12})?([Zz]|[-+][0-2][0-9]:[0-6][0-9]|[-+]?[0-9:]{0,5})",
    ) {
        prop_assert_eq!(parse_rfc3339(&text), OffsetDateTime::parse(&text, &Rfc3339).ok());
    }

    #[test]
    fn leap_seconds_as_time_reads_them(
        day in "(2[89]|3[01])", month in "[01][0-9]", offset in "[-+](0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]",
        hour in "[0-2][0-9]", minute in "[0-5][0-9]",
    ) {
        let text = format!("2016-{month}-{day}T{hour}:{minute}:60{offset}");
        prop_assert_eq!(parse_rfc3339(&text), OffsetDateTime::parse(&text, &Rfc3339).ok());
    }

    #[test]
    fn http_date_reads_what_time_reads(
        text in " ?(Sun|Mon|Fri|Sat|sun|Xyz)(, | )([0-3][0-9]|Nov|Feb|Jan|Dec|nov) ( [0-9]|[0-3][0-9]|Nov|Feb) ?([-+]?[0-9]{4,6}|[0-2][0-9]:[0-6][0-9]:[0-6][0-9]) ([0-2][0-9]:[0-6][0-9]:[0-6][0-9]|[-+]?[0-9]{4,6})( GMT)? ?",
    ) {
        prop_assert_eq!(parse_http_date(&text), time_http_date(&text));
    }

    #[test]
    fn dates_are_written_as_time_writes_them(date in any_date()) {
        prop_assert_eq!(format_fi_date(date), date.format(FI).unwrap());
        prop_assert_eq!(date.to_string(), date.format(ISO).unwrap());
        prop_assert_eq!(parse_iso_date(&date.to_string()), Some(date));
        prop_assert_eq!(parse_fi_date(&format_fi_date(date)), Some(date));
    }

    #[test]
    fn rfc3339_is_written_as_time_writes_it(
        date in any_date(),
        nanos in prop_oneof![Just(0u64), 0..86_400_000_000_000u64, (0..86_400u64).prop_map(|s| s * 1_000_000_000 + 120_000_000)],
        offset in -93_599i32..=93_599,
    ) {
        let time = time::Time::MIDNIGHT + std::time::Duration::from_nanos(nanos);
        let offset = UtcOffset::from_whole_seconds(if offset % 7 == 0 { offset } else { offset / 60 * 60 }).unwrap();
        let at = PrimitiveDateTime::new(date, time).assume_offset(offset);
        let expected = at.format(&Rfc3339).ok();
        prop_assert_eq!(format_rfc3339(at), expected.clone());
        if let Some(text) = expected {
            prop_assert_eq!(parse_rfc3339(&text), Some(at));
        }
    }
}
