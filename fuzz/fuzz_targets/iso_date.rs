//! `YYYY-MM-DD` dates of open items (`reconcile::input::parse_iso_date`): whatever parses
//! prints back (`Date`'s display) as text that parses to the same date, and every date of
//! years 1–9999 reads back from its printed form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::reconcile::input::parse_iso_date;
use time::Date;

fuzz_target!(|input: (&str, u32)| {
    let (text, day_number) = input;
    if let Some(date) = parse_iso_date(text) {
        let printed = date.to_string();
        assert_eq!(
            parse_iso_date(&printed),
            Some(date),
            "{text:?} printed as {printed}"
        );
    }
    let first = Date::from_calendar_date(1, time::Month::January, 1).expect("valid");
    let last = Date::from_calendar_date(9999, time::Month::December, 31).expect("valid");
    let span = (last.to_julian_day() - first.to_julian_day() + 1) as u32;
    let julian = first.to_julian_day() + (day_number % span) as i32;
    let date = Date::from_julian_day(julian).expect("in range");
    assert_eq!(parse_iso_date(&date.to_string()), Some(date), "{date}");
});
