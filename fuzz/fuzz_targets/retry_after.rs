//! `Retry-After` and HTTP dates (`retry::parse_retry_after`, `retry::parse_http_date`):
//! delta-seconds read exactly (saturating), a date means the time left until it (zero once
//! past), and any date printed as an IMF-fixdate parses back to itself.
#![no_main]

use std::time::{Duration, SystemTime};

use libfuzzer_sys::fuzz_target;
use opcorp::retry::{parse_http_date, parse_retry_after};
use time::OffsetDateTime;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

/// RFC 9110's IMF-fixdate, written independently of core's parser.
const IMF_FIXDATE: &[BorrowedFormatItem<'static>] = format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

fuzz_target!(|input: (&str, u32, i64)| {
    let (value, now_secs, some_instant) = input;
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::from(now_secs));
    let delay = parse_retry_after(value, now);
    let trimmed = value.trim();
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        let secs = trimmed.parse::<u64>().unwrap_or(u64::MAX);
        assert_eq!(delay, Some(Duration::from_secs(secs)));
    } else {
        let at = parse_http_date(value);
        assert_eq!(delay.is_some(), at.is_some(), "{value:?}");
        if let Some(at) = at {
            let left = at - OffsetDateTime::from(now);
            let expected = Duration::try_from(left).unwrap_or(Duration::ZERO);
            assert_eq!(delay, Some(expected));
            let printed = at.format(IMF_FIXDATE).expect("a parsed date prints");
            assert_eq!(parse_http_date(&printed), Some(at), "{printed}");
        }
    }
    // Any second from year 1 to 9999, printed the way servers send it, reads back.
    let first = -62_135_596_800_i64;
    let span = 253_402_300_799_i64 - first + 1;
    let instant = OffsetDateTime::from_unix_timestamp(first + some_instant.rem_euclid(span))
        .expect("in range");
    let printed = instant.format(IMF_FIXDATE).expect("prints");
    assert_eq!(parse_http_date(&printed), Some(instant), "{printed}");
});
