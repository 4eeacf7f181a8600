//! Transaction pages as JSON text, for bindings whose host parses JSON natively (Node.js).
//!
//! Handing such a host typed [`Transaction`]s means decoding the bank's page, serialising
//! it again and having the host parse the result: most of the cost of a large walk. A
//! [`TransactionPage`] is the text that serialising the typed page would give, made in one
//! borrowed pass over the bank's bytes: each field is checked by the same rule the typed
//! decode applies (amounts read with [`Amount::parse_lenient`], dates with
//! [`dates::parse_iso_date`], ids kept as text, unknown fields kept verbatim) and written as
//! [`Transaction`]'s `Serialize` writes it (nulls dropped, amounts and dates normalised, the
//! documented field order, unknown fields last). Strings are borrowed from the page unless
//! they carry escapes, so nothing but the output is allocated per transaction.
//!
//! The fast pass covers the shape OP documents (ids and codes as JSON strings, timestamps
//! as JSON integers). Anything else — a numeric `archiveId`, a quoted timestamp, a duplicate
//! field, a malformed page — is decoded by the typed path instead, so such a page gives
//! exactly the typed result or exactly the typed error (kind, message, status, snippet).

use std::borrow::Cow;
use std::fmt;
use std::io::Write as _;
use std::ops::Range;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::Date;

use crate::dates;
use crate::domain::amount::Amount;
use crate::error::{Error, Result};
use crate::model::Transaction;

/// One transaction of a [`TransactionPage`]: what paging needs and where its JSON object is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionJson {
    /// [`Transaction::object_id`].
    pub object_id: String,
    /// [`Transaction::timestamp`].
    pub timestamp: i64,
    /// [`Transaction::booking_date`].
    pub booking_date: Date,
    /// The object's bytes in the page's text.
    span: Range<usize>,
}

/// A decoded page of transactions: a JSON array of their objects, and each one's paging
/// fields (so the pager can de-duplicate without the typed models).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionPage {
    /// `[obj,obj,…]`, byte for byte what `serde_json::to_string(&Vec<Transaction>)` of the
    /// typed page gives.
    text: String,
    items: Vec<TransactionJson>,
}

impl TransactionPage {
    /// Decodes an answer's body like [`crate::response::decode_json`] into `Vec<Transaction>`
    /// does, and fails exactly as it does.
    pub fn decode(
        status: u16,
        request_id: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Self> {
        // A content type that is not JSON is the typed decode's error to give.
        let json_type = content_type.is_none_or(|ct| ct.to_ascii_lowercase().contains("json"));
        if json_type && let Some(page) = Self::borrowed(body) {
            return Ok(page);
        }
        let typed: Vec<Transaction> =
            crate::response::decode_json(status, request_id, content_type, body)?;
        Self::from_typed(&typed)
    }

    /// The page as typed transactions serialise it.
    pub fn from_typed(transactions: &[Transaction]) -> Result<Self> {
        let mut out = Vec::with_capacity(transactions.len() * 640 + 2);
        let mut items = Vec::with_capacity(transactions.len());
        out.push(b'[');
        for tx in transactions {
            if !items.is_empty() {
                out.push(b',');
            }
            let start = out.len();
            serde_json::to_writer(&mut out, tx)
                .map_err(|e| Error::decode(format!("cannot write a transaction: {e}")))?;
            items.push(TransactionJson {
                object_id: tx.object_id.clone(),
                timestamp: tx.timestamp,
                booking_date: tx.booking_date,
                span: start..out.len(),
            });
        }
        out.push(b']');
        Self::from_parts(out, items)
    }

    /// The one-pass decode, `None` when the page needs the typed path (which also reports a
    /// body that is not UTF-8). The body is checked as UTF-8 once, not string by string.
    fn borrowed(body: &[u8]) -> Option<Self> {
        let text = std::str::from_utf8(body).ok()?;
        let mut de = serde_json::Deserializer::from_str(text);
        let mut page = Building {
            out: Vec::with_capacity(body.len() + 2),
            items: Vec::new(),
        };
        de.deserialize_seq(PageVisitor(&mut page)).ok()?;
        de.end().ok()?;
        let Building { out, items } = page;
        Self::from_parts(out, items).ok()
    }

    fn from_parts(out: Vec<u8>, items: Vec<TransactionJson>) -> Result<Self> {
        let text = String::from_utf8(out)
            .map_err(|_| Error::decode("transaction page is not UTF-8 after decoding"))?;
        Ok(TransactionPage { text, items })
    }

    /// Splits the page into its transactions (to page and de-duplicate) and its text (for
    /// [`PageText::array`] of the ones kept).
    pub fn into_parts(self) -> (PageText, Vec<TransactionJson>) {
        (PageText(self.text), self.items)
    }
}

/// The text of a [`TransactionPage`] whose transactions went their own way.
#[derive(Debug, Clone)]
pub struct PageText(String);

impl PageText {
    /// A JSON array of `kept` (transactions of this page, in page order). The page's own
    /// text when all of it is kept, as almost every page is; copied otherwise.
    pub fn array(self, kept: &[TransactionJson]) -> String {
        let whole = match (kept.first(), kept.last()) {
            (Some(first), Some(last)) => first.span.start == 1 && last.span.end + 1 == self.0.len(),
            _ => self.0.len() == 2,
        };
        let contiguous = kept
            .windows(2)
            .all(|w| w[0].span.end + 1 == w[1].span.start);
        if whole && contiguous {
            return self.0;
        }
        self.copy_array(kept)
    }

    /// [`PageText::array`] in pieces: `kept` in page order as consecutive runs, each run's
    /// array at most `max_bytes` long (a transaction longer than that is an array of its
    /// own); none for no transactions. A host whose strings cost more above some size (V8
    /// puts large ones in their own memory pages) parses a page as several small arrays.
    pub fn arrays(self, kept: &[TransactionJson], max_bytes: usize) -> Vec<String> {
        let mut runs = Vec::new();
        let mut start = 0;
        let mut bytes = 2;
        for (i, tx) in kept.iter().enumerate() {
            let grown = bytes + tx.span.len() + usize::from(i > start);
            if i > start && grown > max_bytes {
                runs.push(start..i);
                start = i;
                bytes = 2 + tx.span.len();
            } else {
                bytes = grown;
            }
        }
        if start < kept.len() {
            runs.push(start..kept.len());
        }
        if runs.len() == 1 {
            return vec![self.array(kept)];
        }
        runs.into_iter()
            .map(|run| self.copy_array(&kept[run]))
            .collect()
    }

    /// A new JSON array of `kept`, copied out of the page's text.
    fn copy_array(&self, kept: &[TransactionJson]) -> String {
        let mut out =
            String::with_capacity(kept.iter().map(|t| t.span.len() + 1).sum::<usize>() + 2);
        out.push('[');
        for (i, tx) in kept.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(self.0.get(tx.span.clone()).unwrap_or_default());
        }
        out.push(']');
        out
    }
}

/// `json` as Latin-1 bytes, each character above U+00FF written as a `\uXXXX` escape
/// (a surrogate pair above U+FFFF).
///
/// JSON has characters above U+007F only inside strings, where the escape means the same
/// character, so the bytes parse to the same value. A JavaScript host turns Latin-1 bytes
/// into a string with a plain copy (`buffer.toString('latin1')`) where UTF-8 needs a
/// decoding pass on its main thread, several times slower for a page of transactions.
pub fn latin1_json(json: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len());
    let mut rest = json;
    while let Some(at) = rest.bytes().position(|b| !b.is_ascii()) {
        out.extend_from_slice(&rest.as_bytes()[..at]);
        let mut chars = rest[at..].chars();
        if let Some(c) = chars.next() {
            match u8::try_from(u32::from(c)) {
                Ok(byte) => out.push(byte),
                Err(_) => {
                    for unit in c.encode_utf16(&mut [0; 2]) {
                        out.extend_from_slice(format!("\\u{unit:04x}").as_bytes());
                    }
                }
            }
        }
        rest = chars.as_str();
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

/// A page being written.
struct Building {
    out: Vec<u8>,
    items: Vec<TransactionJson>,
}

/// Why the one-pass decode gave up (the typed path then decides); never shown.
fn give_up<E: de::Error>() -> E {
    E::custom("not the fast shape")
}

/// Visits the page's array.
struct PageVisitor<'p>(&'p mut Building);

impl<'de> Visitor<'de> for PageVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of transactions")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.out.push(b'[');
        while seq.next_element_seed(TxSeed(&mut *self.0))?.is_some() {}
        self.0.out.push(b']');
        Ok(())
    }
}

/// Decodes and writes one transaction.
struct TxSeed<'p>(&'p mut Building);

impl<'de> DeserializeSeed<'de> for TxSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(TxVisitor(self.0))
    }
}

/// How a [`Transaction`] field is read and written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// [`Amount`], required.
    Amount,
    /// `Option<Amount>`.
    OptAmount,
    /// `String` (also the `string_or_number` ids, taken here as strings only).
    Text,
    /// `Option<String>` (also `opt_string_or_number`, strings only).
    OptText,
    /// `Date` as `YYYY-MM-DD`.
    Date,
    /// `Option<Date>` as `YYYY-MM-DD`.
    OptDate,
    /// `i64` as a JSON integer.
    Int,
}

impl Kind {
    /// Whether [`Transaction`] has no default for the field.
    fn is_required(self) -> bool {
        matches!(self, Kind::Amount | Kind::Text | Kind::Date | Kind::Int)
    }
}

/// [`Transaction`]'s fields in its serialisation order.
const FIELDS: [(&str, Kind); 25] = [
    ("amount", Kind::Amount),
    ("balanceBefore", Kind::OptAmount),
    ("balanceAfter", Kind::OptAmount),
    ("message", Kind::OptText),
    ("currency", Kind::OptText),
    ("objectId", Kind::Text),
    ("archiveId", Kind::Text),
    ("debtorBic", Kind::OptText),
    ("reference", Kind::OptText),
    ("rfReference", Kind::OptText),
    ("valueDate", Kind::OptDate),
    ("debtorName", Kind::OptText),
    ("bookingDate", Kind::Date),
    ("creditorBic", Kind::OptText),
    ("paymentDate", Kind::OptDate),
    ("creditorName", Kind::OptText),
    ("debtorAccount", Kind::OptText),
    ("creditorAccount", Kind::OptText),
    ("endToEndId", Kind::OptText),
    ("timestamp", Kind::Int),
    ("transactionTypeCode", Kind::OptText),
    ("transactionTypeDescription", Kind::OptText),
    ("bookingCode", Kind::OptText),
    ("bookingCodeDescription", Kind::OptText),
    ("uetr", Kind::OptText),
];
/// Indexes into [`FIELDS`] of what paging needs.
const OBJECT_ID: usize = 5;
const BOOKING_DATE: usize = 12;
const TIMESTAMP: usize = 19;

/// A field's decoded value.
enum Slot<'de> {
    /// Absent (so far).
    Unset,
    /// `null` (an optional field's `None`).
    Null,
    Text(Cow<'de, str>),
    Amount(Amount),
    Date(Date),
    Int(i64),
}

/// Visits one transaction object.
struct TxVisitor<'p>(&'p mut Building);

impl<'de> Visitor<'de> for TxVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a transaction object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut slots: [Slot<'de>; 25] = std::array::from_fn(|_| Slot::Unset);
        let mut extra = Map::new();
        // OP sends fields in the documented order, so the next one is tried first.
        let mut expected = 0;
        while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
            let index = FIELDS
                .get(expected)
                .filter(|(name, _)| *name == key)
                .map(|_| expected)
                .or_else(|| FIELDS.iter().position(|(name, _)| *name == key));
            let Some(index) = index else {
                let value: Value = map.next_value()?;
                extra.insert(key.into_owned(), value);
                continue;
            };
            expected = index + 1;
            let slot = &mut slots[index];
            if !matches!(slot, Slot::Unset) {
                return Err(give_up());
            }
            *slot = read(&mut map, FIELDS[index].1)?;
        }
        // A required field missing is the typed decode's error to give.
        let missing = FIELDS
            .iter()
            .zip(&slots)
            .any(|((_, kind), slot)| kind.is_required() && matches!(slot, Slot::Unset));
        let (false, Slot::Text(object_id), Slot::Int(timestamp), Slot::Date(booking_date)) = (
            missing,
            &slots[OBJECT_ID],
            &slots[TIMESTAMP],
            &slots[BOOKING_DATE],
        ) else {
            return Err(give_up());
        };
        let (object_id, timestamp, booking_date) =
            (object_id.clone().into_owned(), *timestamp, *booking_date);
        let page = self.0;
        if !page.items.is_empty() {
            page.out.push(b',');
        }
        let start = page.out.len();
        write_object(&mut page.out, &slots, &extra).map_err(|_| give_up::<A::Error>())?;
        page.items.push(TransactionJson {
            object_id,
            timestamp,
            booking_date,
            span: start..page.out.len(),
        });
        Ok(())
    }
}

/// Reads one known field's value by the typed decode's rule (or gives up).
fn read<'de, A: MapAccess<'de>>(map: &mut A, kind: Kind) -> Result<Slot<'de>, A::Error> {
    let text = match kind {
        Kind::Int => return map.next_value::<Int>().map(|Int(v)| Slot::Int(v)),
        Kind::Amount | Kind::Text | Kind::Date => Some(map.next_value::<Text<'de>>()?.0),
        Kind::OptAmount | Kind::OptText | Kind::OptDate => {
            map.next_value::<Option<Text<'de>>>()?.map(|t| t.0)
        }
    };
    let Some(text) = text else {
        return Ok(Slot::Null);
    };
    Ok(match kind {
        Kind::Amount | Kind::OptAmount => {
            Slot::Amount(Amount::parse_lenient(&text).map_err(|_| give_up::<A::Error>())?)
        }
        Kind::Date | Kind::OptDate => {
            Slot::Date(dates::parse_iso_date(&text).ok_or_else(give_up::<A::Error>)?)
        }
        Kind::Text | Kind::OptText | Kind::Int => Slot::Text(text),
    })
}

/// Writes one transaction as `Transaction`'s `Serialize` does.
fn write_object(
    out: &mut Vec<u8>,
    slots: &[Slot<'_>],
    extra: &Map<String, Value>,
) -> std::io::Result<()> {
    out.push(b'{');
    let mut first = true;
    for ((name, _), slot) in FIELDS.iter().zip(slots) {
        if matches!(slot, Slot::Unset | Slot::Null) {
            continue;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        out.push(b'"');
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\":");
        match slot {
            Slot::Text(text) => write_str(out, text)?,
            Slot::Amount(amount) => write!(out, "\"{amount}\"")?,
            Slot::Date(date) => write!(out, "\"{date}\"")?,
            Slot::Int(v) => write!(out, "{v}")?,
            Slot::Unset | Slot::Null => {}
        }
    }
    for (key, value) in extra {
        if !first {
            out.push(b',');
        }
        first = false;
        write_str(out, key)?;
        out.push(b':');
        serde_json::to_writer(&mut *out, value)?;
    }
    out.push(b'}');
    Ok(())
}

/// Writes a JSON string with serde_json's escaping.
fn write_str(out: &mut Vec<u8>, text: &str) -> std::io::Result<()> {
    text.serialize(&mut serde_json::Serializer::new(out))
        .map_err(std::io::Error::other)
}

/// A JSON string, borrowed from the page when it has no escapes.
struct Text<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }
}

/// Visits a [`Text`].
struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Borrowed(text)))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(text.to_owned())))
    }
}

/// A JSON integer that fits `i64`.
struct Int(i64);

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_i64(IntVisitor)
    }
}

/// Visits an [`Int`].
struct IntVisitor;

impl Visitor<'_> for IntVisitor {
    type Value = Int;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int, E> {
        Ok(Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int, E> {
        i64::try_from(v).map(Int).map_err(|_| give_up())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    /// One transaction as the emulator (and OP's documentation) shape it.
    fn op_tx(seq: u32) -> String {
        format!(
            r#"{{"amount":"-12.30","balanceBefore":"100.00","balanceAfter":"87.70","message":null,
            "currency":"EUR","objectId":"FI01_2024-06-01_20240601500000000001_{seq}",
            "archiveId":"20240601500000000001","debtorBic":"OKOYFIHH","reference":"00000000000000001232",
            "rfReference":null,"valueDate":"2024-06-01","debtorName":"Yritys Öy \"ä\" \u00e5",
            "bookingDate":"2024-06-01","creditorBic":null,"paymentDate":"2024-06-01",
            "creditorName":"Ms Ä","debtorAccount":"FI4950009420028730","creditorAccount":"FI4950009420028731",
            "endToEndId":"NOTPROVIDED","timestamp":1717200000000{seq:03},"transactionTypeCode":"710",
            "bookingCode":"106","bookingCodeDescription":"Tilisiirto","uetr":"0b5f9c6e-0000-4000-8000-000000000000"}}"#
        )
    }

    /// The whole page's text.
    fn text_of(page: TransactionPage) -> String {
        let (text, items) = page.into_parts();
        text.array(&items)
    }

    fn page(items: &[String]) -> Vec<u8> {
        format!("[{}]", items.join(",")).into_bytes()
    }

    fn typed(body: &[u8]) -> Result<TransactionPage> {
        let typed: Vec<Transaction> = crate::response::decode_json(200, "r", None, body)?;
        TransactionPage::from_typed(&typed)
    }

    /// The one-pass decode agrees with decode → serialise, byte for byte.
    fn same_as_typed(body: &[u8]) -> TransactionPage {
        let fast =
            TransactionPage::decode(200, "r", Some("application/json"), body).expect("fast decode");
        assert_eq!(fast, typed(body).expect("typed decode"));
        fast
    }

    #[test]
    fn op_pages_take_the_one_pass_decode_and_match_the_typed_text() {
        let body = page(&[op_tx(1), op_tx(2), op_tx(3)]);
        assert!(TransactionPage::borrowed(&body).is_some());
        let page = same_as_typed(&body);
        let items = page.items.clone();
        assert_eq!(items.len(), 3);
        assert_eq!(items[1].object_id, "FI01_2024-06-01_20240601500000000001_2");
        assert_eq!(items[1].timestamp, 1_717_200_000_000_002);
        assert_eq!(items[1].booking_date.to_string(), "2024-06-01");
        let text = text_of(page);
        // Nulls dropped, escapes and non-ASCII kept as text, amounts strings.
        assert!(!text.contains("null"));
        assert!(text.contains(r#""debtorName":"Yritys Öy \"ä\" å""#));
        assert!(text.contains(r#""amount":"-12.30""#));
        let back: Vec<Value> = serde_json::from_str(&text).expect("JSON");
        assert_eq!(back[0]["archiveId"], "20240601500000000001");
    }

    #[test]
    fn empty_pages_and_any_field_order() {
        assert_eq!(text_of(same_as_typed(b" [ ] ")), "[]");
        let shuffled = br#"[{"timestamp":5,"extra2":[1.50,{"b":null}],"bookingDate":"2024-01-02",
            "objectId":"o","zz":1e400,"archiveId":"a","amount":"7","amount2":"x","uetr":null,
            "objectI\u0064x":"escaped key","m\u0065ssage":"esc\/aped\n"}]"#;
        let page = same_as_typed(shuffled);
        assert!(TransactionPage::borrowed(shuffled).is_some());
        let text = text_of(page);
        assert!(text.contains(r#""zz":1e+400"#), "{text}");
    }

    #[test]
    fn other_shapes_fall_back_to_the_typed_decode_with_the_same_result() {
        let variants = [
            // A 20-digit numeric archive id (kept exactly as text), a quoted timestamp,
            // amounts as numbers or needing normalisation, a numeric booking code.
            r#"[{"amount":"+1.5","objectId":"o","archiveId":20240601500000000001,"bookingDate":"2024-01-02","timestamp":"7"}]"#,
            r#"[{"amount":12.3,"balanceAfter":1e2,"objectId":"o","archiveId":"a","bookingDate":"2024-01-02","timestamp":7,"bookingCode":106}]"#,
        ];
        for body in variants {
            assert!(
                TransactionPage::borrowed(body.as_bytes()).is_none(),
                "{body}"
            );
            same_as_typed(body.as_bytes());
        }
        // The one-pass decode normalises amounts by the typed rule itself.
        let padded = br#"[{"amount":" 012.30 ","objectId":"o","archiveId":"a","bookingDate":"2024-01-02","timestamp":7}]"#;
        assert!(TransactionPage::borrowed(padded).is_some());
        assert!(text_of(same_as_typed(padded)).contains(r#""amount":"12.30""#));
        let page = text_of(typed(variants[0].as_bytes()).expect("typed"));
        assert!(
            page.contains(r#""archiveId":"20240601500000000001""#),
            "{page}"
        );
    }

    #[test]
    fn malformed_pages_fail_exactly_as_the_typed_decode() {
        let bodies: [&[u8]; 11] = [
            b"",
            br#"[{"objectId":"o","archiveId":"a","bookingDate":"2024-01-02","timestamp":1}]"#,
            br#"[{"amount":"1","objectId":"o","bookingDate":"2024-01-02","timestamp":1}]"#,
            b"{}",
            b"null",
            br#"[{"amount":"1","objectId":"o","archiveId":"a","bookingDate":"2024-01-02"}]"#,
            br#"[{"amount":"1","amount":"2","objectId":"o","archiveId":"a","bookingDate":"2024-01-02","timestamp":1}]"#,
            br#"[{"amount":"1x","objectId":"o","archiveId":"a","bookingDate":"2024-01-02","timestamp":1}]"#,
            br#"[{"amount":"1","objectId":null,"archiveId":"a","bookingDate":"2.1.2024","timestamp":1}]"#,
            br#"[{"amount":"1","objectId":"o","archiveId":"a","bookingDate":"2024-01-02","timestamp":1.5}]"#,
            br#"[] trailing"#,
        ];
        for body in bodies {
            let fast = TransactionPage::decode(404, "req-1", None, body).expect_err("malformed");
            let slow = decode_typed_error(body);
            assert_eq!(fast.kind(), ErrorKind::Decode);
            assert_eq!(fast.to_string(), slow.to_string());
            assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
        }
        let html = TransactionPage::decode(200, "r", Some("text/html"), b"[]").expect_err("type");
        assert!(html.message().contains("content type"), "{html}");
    }

    fn decode_typed_error(body: &[u8]) -> Error {
        crate::response::decode_json::<Vec<Transaction>>(404, "req-1", None, body)
            .expect_err("typed fails")
    }

    #[test]
    fn latin1_json_parses_to_the_same_value() {
        let text = r#"[{"a":"plain","b":"Öljy Ab – “€” 😀","ÿ":"\u00e4\n"}]"#;
        let bytes = latin1_json(text);
        assert!(
            bytes.contains(&0xD6) && bytes.contains(&0xFF),
            "Ö and ÿ stay one byte"
        );
        let latin1: String = bytes.iter().map(|&b| char::from(b)).collect();
        assert!(
            latin1.contains(r"\u2013") && latin1.contains(r"\ud83d\ude00"),
            "{latin1}"
        );
        let parsed: Value = serde_json::from_str(&latin1).expect("JSON");
        assert_eq!(parsed, serde_json::from_str::<Value>(text).expect("JSON"));
        assert_eq!(latin1_json("[]"), b"[]");
    }

    /// A page's text and transactions, decoded afresh (`PageText` is consumed by its use).
    fn parts_of(body: &[u8]) -> (PageText, Vec<TransactionJson>) {
        TransactionPage::decode(200, "r", None, body)
            .expect("page")
            .into_parts()
    }

    #[test]
    fn kept_transactions_reuse_the_page_text_or_are_copied() {
        let body = page(&[op_tx(1), op_tx(2), op_tx(3)]);
        let whole = text_of(same_as_typed(&body));
        let parts = || parts_of(&body);
        let (text, items) = parts();
        assert_eq!(text.array(&items), whole);
        let (text, items) = parts();
        let tail: Vec<Value> = serde_json::from_str(&text.array(&items[1..])).expect("JSON");
        assert_eq!(tail.len(), 2);
        assert_eq!(tail[0]["objectId"], items[1].object_id);
        let (text, items) = parts();
        let gap = [items[0].clone(), items[2].clone()];
        let gap: Vec<Value> = serde_json::from_str(&text.array(&gap)).expect("JSON");
        assert_eq!(gap[1]["objectId"], items[2].object_id);
        let (text, _) = parts();
        assert_eq!(text.array(&[]), "[]");
    }

    #[test]
    fn arrays_split_a_page_at_transaction_boundaries_within_the_size() {
        let body = page(&[op_tx(1), op_tx(2), op_tx(3), op_tx(4), op_tx(5)]);
        let whole = text_of(same_as_typed(&body));
        let parts = || parts_of(&body);
        let (text, items) = parts();
        let one = items[0].span.len();
        // Room for two transactions (brackets and one comma) but not three.
        let max = 2 * one + 3 + one / 2;
        let arrays = text.arrays(&items, max);
        assert_eq!(arrays.len(), 3, "{arrays:?}");
        assert!(arrays.iter().all(|a| a.len() <= max), "{arrays:?}");
        let joined: Vec<Value> = arrays
            .iter()
            .flat_map(|a| serde_json::from_str::<Vec<Value>>(a).expect("JSON"))
            .collect();
        assert_eq!(
            joined,
            serde_json::from_str::<Vec<Value>>(&whole).expect("JSON")
        );

        let (text, items) = parts();
        assert_eq!(text.arrays(&items, whole.len()), vec![whole.clone()]);
        let (text, items) = parts();
        let singles = text.arrays(&items, 1);
        assert_eq!(singles.len(), items.len());
        assert_eq!(singles[4], text_of(same_as_typed(&page(&[op_tx(5)]))));
        let (text, _) = parts();
        assert!(text.arrays(&[], 1 << 16).is_empty());
    }
}
