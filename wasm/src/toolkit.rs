//! The Finnish banking toolkit from core: references (Finnish and RF), IBAN and BIC, amounts
//! and virtual bank barcodes. Pure functions; bad input throws an `INVALID_INPUT` error.

use opcorp::Amount;
use opcorp::domain::barcode::VirtualBarcode;
use opcorp::domain::bic::Bic;
use opcorp::domain::iban::Iban;
use opcorp::domain::reference::{FinnishReference, Reference};
use opcorp::domain::rf::RfReference;
use serde::{Deserialize, Serialize};
use time::Date;
use wasm_bindgen::prelude::*;

use crate::error::js_result;
use crate::json::{from_js, invalid, to_js};

/// A parsed creditor reference as JS sees it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReferenceInfo {
    /// `"finnish"` or `"rf"`.
    kind: &'static str,
    /// Machine form (no spaces, Finnish leading zeros removed).
    value: String,
    /// Grouped for print.
    grouped: String,
}

/// Parses a Finnish reference (viitenumero) or an RF creditor reference, checking its check
/// digits: `{ kind, value, grouped }`.
#[wasm_bindgen(js_name = parseReference, unchecked_return_type = "ReferenceInfo")]
pub fn parse_reference(text: &str) -> Result<JsValue, JsValue> {
    let reference = js_result(Reference::parse(text))?;
    let kind = match &reference {
        Reference::Finnish(_) => "finnish",
        Reference::Rf(_) => "rf",
    };
    to_js(&ReferenceInfo {
        kind,
        value: reference.as_str().to_owned(),
        grouped: reference.grouped(),
    })
}

/// Whether `text` is a valid Finnish or RF reference.
#[wasm_bindgen(js_name = isValidReference)]
pub fn is_valid_reference(text: &str) -> bool {
    Reference::parse(text).is_ok()
}

/// A Finnish reference from a base of 3–19 digits (the check digit is appended).
#[wasm_bindgen(js_name = referenceGenerate)]
pub fn reference_generate(base: &str) -> Result<String, JsValue> {
    js_result(FinnishReference::generate(base)).map(|r| r.as_str().to_owned())
}

/// An RF creditor reference (ISO 11649) around `body` (letters and digits).
#[wasm_bindgen(js_name = rfGenerate)]
pub fn rf_generate(body: &str) -> Result<String, JsValue> {
    js_result(RfReference::generate(body)).map(|r| r.as_str().to_owned())
}

/// The RF form of a Finnish reference (`RFxx` + the Finnish digits).
#[wasm_bindgen(js_name = rfFromFinnish)]
pub fn rf_from_finnish(finnish: &str) -> Result<String, JsValue> {
    let reference = js_result(FinnishReference::parse(finnish))?;
    Ok(RfReference::from_finnish(&reference).as_str().to_owned())
}

/// A reference (Finnish or RF, any spacing) in its electronic form.
#[wasm_bindgen(js_name = referenceNormalize)]
pub fn reference_normalize(text: &str) -> Result<String, JsValue> {
    js_result(Reference::parse(text)).map(|r| r.as_str().to_owned())
}

/// A reference in its paper form (groups of five for Finnish, four for RF).
#[wasm_bindgen(js_name = referenceGrouped)]
pub fn reference_grouped(text: &str) -> Result<String, JsValue> {
    js_result(Reference::parse(text)).map(|r| r.grouped())
}

/// The Finnish reference inside an RF reference, or `null` when its body is not one.
#[wasm_bindgen(js_name = rfToFinnish)]
pub fn rf_to_finnish(rf: &str) -> Result<Option<String>, JsValue> {
    let reference = js_result(RfReference::parse(rf))?;
    Ok(reference.to_finnish().map(|f| f.as_str().to_owned()))
}

/// A parsed IBAN as JS sees it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IbanInfo {
    iban: String,
    grouped: String,
    country: String,
    is_finnish: bool,
    /// The BIC of the bank, for Finnish IBANs whose bank code is known.
    bic: Option<String>,
}

/// Parses and checks an IBAN (any spacing or case): `{ iban, grouped, country, isFinnish, bic }`.
#[wasm_bindgen(js_name = parseIban, unchecked_return_type = "IbanInfo")]
pub fn parse_iban(text: &str) -> Result<JsValue, JsValue> {
    let iban = js_result(Iban::parse(text))?;
    to_js(&IbanInfo {
        iban: iban.as_str().to_owned(),
        grouped: iban.grouped(),
        country: iban.country().to_owned(),
        is_finnish: iban.is_finnish(),
        bic: Bic::for_finnish_iban(&iban).map(|b| b.as_str().to_owned()),
    })
}

/// Whether `text` is a valid IBAN.
#[wasm_bindgen(js_name = isValidIban)]
pub fn is_valid_iban(text: &str) -> bool {
    Iban::parse(text).is_ok()
}

/// An IBAN (any spacing or case) in its electronic form.
#[wasm_bindgen(js_name = ibanNormalize)]
pub fn iban_normalize(text: &str) -> Result<String, JsValue> {
    js_result(Iban::parse(text)).map(|i| i.as_str().to_owned())
}

/// An IBAN in groups of four.
#[wasm_bindgen(js_name = ibanGrouped)]
pub fn iban_grouped(text: &str) -> Result<String, JsValue> {
    js_result(Iban::parse(text)).map(|i| i.grouped())
}

/// The BIC of a Finnish IBAN's bank, or `null` when unknown.
#[wasm_bindgen(js_name = bicForIban)]
pub fn bic_for_iban(text: &str) -> Result<Option<String>, JsValue> {
    let iban = js_result(Iban::parse(text))?;
    Ok(Bic::for_finnish_iban(&iban).map(|b| b.as_str().to_owned()))
}

/// Checks a BIC (8 or 11 characters) and returns its normalised form.
#[wasm_bindgen(js_name = bicNormalize)]
pub fn bic_normalize(text: &str) -> Result<String, JsValue> {
    js_result(Bic::parse(text)).map(|b| b.as_str().to_owned())
}

/// Checks a decimal amount string (`"-12.35"`; no separators, commas or exponents) and
/// returns it in canonical form.
#[wasm_bindgen(js_name = parseAmount)]
pub fn parse_amount(text: &str) -> Result<String, JsValue> {
    js_result(parse_money(text)).map(|a| a.to_string())
}

/// An amount in minor units (cents) as a `bigint`; more than two decimals is an error.
#[wasm_bindgen(js_name = amountToMinorUnits)]
pub fn amount_to_minor_units(text: &str) -> Result<i64, JsValue> {
    js_result(parse_money(text).and_then(|a| a.to_minor_units()))
}

/// An amount string from minor units (cents).
#[wasm_bindgen(js_name = amountFromMinorUnits)]
pub fn amount_from_minor_units(cents: i64) -> String {
    Amount::from_minor_units(cents).to_string()
}

/// The exact sum of two amount strings.
#[wasm_bindgen(js_name = addAmounts)]
pub fn add_amounts(a: &str, b: &str) -> Result<String, JsValue> {
    let a = js_result(parse_money(a))?;
    let b = js_result(parse_money(b))?;
    a.checked_add(b)
        .map(|sum| sum.to_string())
        .ok_or_else(|| invalid("the sum of the amounts is out of range"))
}

/// The fields of a virtual bank barcode as JS sees them.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct BarcodeFields {
    iban: String,
    amount: Amount,
    reference: String,
    #[serde(default)]
    due_date: Option<String>,
    #[serde(default, skip_deserializing)]
    version: u8,
}

/// Encodes a Finnish virtual bank barcode (54 digits) from
/// `{ iban, amount: "12.50", reference, dueDate?: "YYYY-MM-DD" }`.
#[wasm_bindgen(js_name = barcodeEncode)]
pub fn barcode_encode(
    #[wasm_bindgen(unchecked_param_type = "BarcodeFields")] fields: JsValue,
) -> Result<String, JsValue> {
    let fields: BarcodeFields = from_js("barcode fields", &fields)?;
    let due_date = match fields.due_date.as_deref() {
        None | Some("") => None,
        Some(text) => Some(parse_date(text)?),
    };
    let barcode = VirtualBarcode {
        iban: js_result(Iban::parse(&fields.iban))?,
        amount: fields.amount,
        reference: js_result(Reference::parse(&fields.reference))?,
        due_date,
    };
    js_result(barcode.encode())
}

/// Decodes a virtual bank barcode: `{ version, iban, amount, reference, dueDate }`.
#[wasm_bindgen(js_name = barcodeDecode, unchecked_return_type = "DecodedBarcode")]
pub fn barcode_decode(text: &str) -> Result<JsValue, JsValue> {
    let barcode = js_result(VirtualBarcode::decode(text))?;
    to_js(&BarcodeFields {
        version: barcode.version(),
        iban: barcode.iban.as_str().to_owned(),
        amount: barcode.amount,
        reference: barcode.reference.as_str().to_owned(),
        due_date: barcode.due_date.map(|d| d.to_string()),
    })
}

/// The error core makes of a failed OP response (HTTP `status` and the raw `body`), by the
/// mapping every client call uses; returned, not thrown.
#[wasm_bindgen(js_name = statusError, unchecked_return_type = "OpcorpError")]
pub fn status_error(status: u16, body: &str, request_id: Option<String>) -> JsValue {
    let err = opcorp::response::status_error(
        status,
        None,
        body.as_bytes(),
        request_id.as_deref().unwrap_or(""),
    );
    crate::error::to_js(&err)
}

/// Parses `YYYY-MM-DD`.
pub(crate) fn parse_date(text: &str) -> Result<Date, JsValue> {
    opcorp::dates::parse_iso_date(text)
        .ok_or_else(|| invalid(&format!("{text:?} is not a date (YYYY-MM-DD)")))
}

/// Parses caller input as an exact amount (core's strict form; `INVALID_INPUT` otherwise).
fn parse_money(text: &str) -> opcorp::Result<Amount> {
    text.parse()
}

/// Names of the 0.1 release, kept for one release (the shared vocabulary replaced them).
mod deprecated {
    use wasm_bindgen::prelude::*;

    /// @deprecated Use `referenceGenerate`; removed in the next release.
    #[wasm_bindgen(js_name = generateReference)]
    pub fn generate_reference(base: &str) -> Result<String, JsValue> {
        super::reference_generate(base)
    }

    /// @deprecated Use `rfGenerate`; removed in the next release.
    #[wasm_bindgen(js_name = generateRfReference)]
    pub fn generate_rf_reference(body: &str) -> Result<String, JsValue> {
        super::rf_generate(body)
    }

    /// @deprecated Use `rfFromFinnish`; removed in the next release.
    #[wasm_bindgen(js_name = finnishToRf)]
    pub fn finnish_to_rf(finnish: &str) -> Result<String, JsValue> {
        super::rf_from_finnish(finnish)
    }

    /// @deprecated Use `bicNormalize`; removed in the next release.
    #[wasm_bindgen(js_name = parseBic)]
    pub fn parse_bic(text: &str) -> Result<String, JsValue> {
        super::bic_normalize(text)
    }

    /// @deprecated Use `barcodeEncode`; removed in the next release.
    #[wasm_bindgen(js_name = encodeBarcode)]
    pub fn encode_barcode(
        #[wasm_bindgen(unchecked_param_type = "BarcodeFields")] fields: JsValue,
    ) -> Result<String, JsValue> {
        super::barcode_encode(fields)
    }

    /// @deprecated Use `barcodeDecode`; removed in the next release.
    #[wasm_bindgen(js_name = decodeBarcode, unchecked_return_type = "DecodedBarcode")]
    pub fn decode_barcode(text: &str) -> Result<JsValue, JsValue> {
        super::barcode_decode(text)
    }
}
