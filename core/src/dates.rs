//! The date and date-time text forms OP's APIs and HTTP use, read and written by hand.
//!
//! `time`'s format-description machinery parses any layout, and pays for it in code: in the
//! WebAssembly package it was about 70 KB of the download for four fixed shapes. These
//! functions cover exactly those shapes and accept exactly what `time` accepted for them (the
//! tests compare the two), so every target (native, bindings, WASM) reads dates the same way.
//! The values stay `time`'s [`Date`] and [`OffsetDateTime`].

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// A forward-only reader over ASCII text.
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    /// The next byte, consumed.
    fn byte(&mut self) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(first)
    }

    /// Consumes `expected`, or fails.
    fn literal(&mut self, expected: &[u8]) -> Option<()> {
        self.0 = self.0.strip_prefix(expected)?;
        Some(())
    }

    /// Consumes `b` when it comes next; tells whether it did.
    fn eat(&mut self, b: u8) -> bool {
        self.literal(&[b]).is_some()
    }

    /// Exactly `n` ASCII digits as a number.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let (head, rest) = self.0.split_at_checked(n)?;
        let mut value = 0;
        for &b in head {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
        }
        self.0 = rest;
        Some(value)
    }

    /// Two digits, the first of which may be a space (`[day padding:space]`: `" 6"`, `"06"`).
    fn space_padded2(&mut self) -> Option<u32> {
        if self.eat(b' ') {
            self.digits(1)
        } else {
            self.digits(2)
        }
    }

    /// A `[year]` as `time` reads it without `large-dates`: four digits after an optional sign.
    fn year(&mut self) -> Option<i32> {
        let negative = match self.0.first() {
            Some(b'-') => true,
            Some(b'+') => false,
            _ => return self.digits(4).and_then(|y| i32::try_from(y).ok()),
        };
        self.byte();
        let year = i32::try_from(self.digits(4)?).ok()?;
        Some(if negative { -year } else { year })
    }

    /// A three-letter English name from `names` (case-sensitive), as its index.
    fn name(&mut self, names: &[&[u8; 3]]) -> Option<usize> {
        let index = names
            .iter()
            .position(|name| self.0.starts_with(&name[..]))?;
        self.0 = &self.0[3..];
        Some(index)
    }

    /// A `[month repr:short]`: `Jan` … `Dec`.
    fn month_name(&mut self) -> Option<Month> {
        let index = self.name(&MONTHS)?;
        month(u32::try_from(index).ok()? + 1)
    }

    /// A `[weekday repr:short]`. Its value is not checked against the date, as `time` did not.
    fn weekday_name(&mut self) -> Option<()> {
        self.name(&WEEKDAYS).map(drop)
    }

    /// `HH:MM:SS`, each two digits.
    fn hms(&mut self) -> Option<(u32, u32, u32)> {
        let hour = self.digits(2)?;
        self.literal(b":")?;
        let minute = self.digits(2)?;
        self.literal(b":")?;
        Some((hour, minute, self.digits(2)?))
    }

    /// Succeeds only when all input was read.
    fn end(&self) -> Option<()> {
        self.0.is_empty().then_some(())
    }
}

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];
const WEEKDAYS: [&[u8; 3]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];

fn month(number: u32) -> Option<Month> {
    Month::try_from(u8::try_from(number).ok()?).ok()
}

/// A calendar date, when the day exists (leap years included).
fn date(year: i32, month_number: u32, day: u32) -> Option<Date> {
    Date::from_calendar_date(year, month(month_number)?, u8::try_from(day).ok()?).ok()
}

fn time_of_day(hour: u32, minute: u32, second: u32, nanosecond: u32) -> Option<Time> {
    let narrow = |v: u32| u8::try_from(v).ok();
    Time::from_hms_nano(narrow(hour)?, narrow(minute)?, narrow(second)?, nanosecond).ok()
}

/// Reads `YYYY-MM-DD` (transactions, payments, refunds, open items). Nothing else is
/// accepted: no surrounding whitespace, no time part.
pub fn parse_iso_date(text: &str) -> Option<Date> {
    let mut c = Cursor(text.as_bytes());
    let year = c.year()?;
    c.literal(b"-")?;
    let month = c.digits(2)?;
    c.literal(b"-")?;
    let day = c.digits(2)?;
    c.end()?;
    date(year, month, day)
}

/// Reads `dd.MM.yyyy` (Account Data's account details).
pub fn parse_fi_date(text: &str) -> Option<Date> {
    let mut c = Cursor(text.as_bytes());
    let day = c.digits(2)?;
    c.literal(b".")?;
    let month = c.digits(2)?;
    c.literal(b".")?;
    let year = c.year()?;
    c.end()?;
    date(year, month, day)
}

/// A year as `[year]` writes it: at least four digits, a `-` before negative ones.
fn push_year(out: &mut String, year: i32) {
    if year < 0 {
        out.push('-');
    }
    out.push_str(&format!("{:04}", year.unsigned_abs()));
}

fn push2(out: &mut String, value: u8) {
    out.push(char::from(b'0' + value / 10));
    out.push(char::from(b'0' + value % 10));
}

/// Writes `dd.MM.yyyy`.
pub fn format_fi_date(date: Date) -> String {
    let mut out = String::with_capacity(10);
    push2(&mut out, date.day());
    out.push('.');
    push2(&mut out, u8::from(date.month()));
    out.push('.');
    push_year(&mut out, date.year());
    out
}

/// Reads an RFC 3339 date-time: `2024-06-01T12:00:00Z`, `…T12:00:00.123+03:00`. As in
/// `time`, the date/time separator may be any single byte (RFC 3339 allows a space), the
/// fraction any number of digits (nanoseconds kept), `z` stands for `Z`, and a leap second
/// (`:60`) is accepted only at the end of a UTC month, as its last nanosecond.
pub fn parse_rfc3339(text: &str) -> Option<OffsetDateTime> {
    let mut c = Cursor(text.as_bytes());
    let year = i32::try_from(c.digits(4)?).ok()?;
    c.literal(b"-")?;
    let month = c.digits(2)?;
    c.literal(b"-")?;
    let day = c.digits(2)?;
    c.byte()?;
    let (hour, minute, mut second) = c.hms()?;
    let mut nanosecond = 0;
    if c.eat(b'.') {
        let digits = c.0.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let mut scale = 100_000_000;
        for _ in 0..digits {
            let digit = c.digits(1)?;
            nanosecond += digit * scale;
            scale /= 10;
        }
    }
    let offset = if c.eat(b'Z') || c.eat(b'z') {
        UtcOffset::UTC
    } else {
        let sign: i8 = match c.byte()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let hours = c.digits(2).filter(|&h| h <= 23)?;
        c.literal(b":")?;
        let minutes = c.digits(2)?;
        let narrow = |v: u32| i8::try_from(v).ok().map(|v| sign * v);
        UtcOffset::from_hms(narrow(hours)?, narrow(minutes)?, 0).ok()?
    };
    c.end()?;
    let leap_second = second == 60;
    if leap_second {
        second = 59;
        nanosecond = 999_999_999;
    }
    let at = PrimitiveDateTime::new(
        date(year, month, day)?,
        time_of_day(hour, minute, second, nanosecond)?,
    )
    .assume_offset(offset);
    if leap_second && !is_end_of_utc_month(at) {
        return None;
    }
    Some(at)
}

/// Whether `at` is 23:59:59 UTC on the last day of a month, where a leap second can fall.
fn is_end_of_utc_month(at: OffsetDateTime) -> bool {
    at.checked_to_offset(UtcOffset::UTC).is_some_and(|utc| {
        let (hour, minute, second) = utc.to_hms();
        (hour, minute, second) == (23, 59, 59) && utc.day() == utc.month().length(utc.year())
    })
}

/// Writes an RFC 3339 date-time, `Z` for UTC and the fraction without trailing zeros (none
/// when whole). `None` when RFC 3339 cannot express it: a year outside 0–9999 or an offset
/// with seconds or beyond ±23 hours.
pub fn format_rfc3339(at: OffsetDateTime) -> Option<String> {
    let offset = at.offset();
    let (offset_hours, offset_minutes, offset_seconds) = offset.as_hms();
    if !(0..10_000).contains(&at.year()) || offset_seconds != 0 || offset_hours.abs() > 23 {
        return None;
    }
    let mut out = at.date().to_string();
    out.push('T');
    let (hour, minute, second, nanosecond) = at.to_hms_nano();
    for (i, part) in [hour, minute, second].into_iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        push2(&mut out, part);
    }
    if nanosecond != 0 {
        let fraction = format!("{nanosecond:09}");
        out.push('.');
        out.push_str(fraction.trim_end_matches('0'));
    }
    if offset.is_utc() {
        out.push('Z');
    } else {
        out.push(if offset.is_negative() { '-' } else { '+' });
        push2(&mut out, offset_hours.unsigned_abs());
        out.push(':');
        push2(&mut out, offset_minutes.unsigned_abs());
    }
    Some(out)
}

/// Reads an HTTP-date in UTC: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, what every
/// current server sends) or the obsolete asctime form (`Sun Nov  6 08:49:37 1994`). The
/// weekday must be a valid name but is not checked against the date. Leading and trailing
/// whitespace is ignored.
pub fn parse_http_date(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim().as_bytes();
    imf_fixdate(text).or_else(|| asctime(text))
}

fn imf_fixdate(text: &[u8]) -> Option<OffsetDateTime> {
    let mut c = Cursor(text);
    c.weekday_name()?;
    c.literal(b", ")?;
    let day = c.digits(2)?;
    c.literal(b" ")?;
    let month = c.month_name()?;
    c.literal(b" ")?;
    let year = c.year()?;
    c.literal(b" ")?;
    let (hour, minute, second) = c.hms()?;
    c.literal(b" GMT")?;
    c.end()?;
    utc(year, month, day, (hour, minute, second))
}

fn asctime(text: &[u8]) -> Option<OffsetDateTime> {
    let mut c = Cursor(text);
    c.weekday_name()?;
    c.literal(b" ")?;
    let month = c.month_name()?;
    c.literal(b" ")?;
    let day = c.space_padded2()?;
    c.literal(b" ")?;
    let hms = c.hms()?;
    c.literal(b" ")?;
    let year = c.year()?;
    c.end()?;
    utc(year, month, day, hms)
}

fn utc(year: i32, month: Month, day: u32, hms: (u32, u32, u32)) -> Option<OffsetDateTime> {
    let date = Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()?;
    let time = time_of_day(hms.0, hms.1, hms.2, 0)?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

#[cfg(test)]
mod tests;
