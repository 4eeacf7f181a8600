//! Postal addresses from Python dicts (`{"town_name": ..., "country": ...}`), converted to
//! core's `Address` with no rule of their own: core checks the form when the payment is built
//! and when a client prepares it.

use opcorp::model::Address;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{opt_text_arg, required_text_arg};
use crate::errors::to_py;

/// The keys an address dict may hold.
const KEYS: [&str; 6] = [
    "street_name",
    "building_number",
    "post_code",
    "town_name",
    "country",
    "address_line",
];

/// An `Address` from the dict passed as `name` (e.g. `creditor_address`); a wrong type or an
/// unknown key is an `InvalidInputError` naming it.
pub fn address_arg(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Address> {
    let invalid = |message: String| to_py(opcorp::Error::invalid_input(message));
    let dict = value.cast::<PyDict>().map_err(|_| {
        invalid(format!(
            "{name} must be a dict with keys {}",
            KEYS.join(", ")
        ))
    })?;
    for key in dict.keys() {
        let key: String = key.extract()?;
        if !KEYS.contains(&key.as_str()) {
            return Err(invalid(format!(
                "{name} has an unknown key {key:?}; accepted: {}",
                KEYS.join(", ")
            )));
        }
    }
    let text = |key: &str| -> PyResult<Option<String>> {
        opt_text_arg(&format!("{name}[{key:?}]"), dict.get_item(key)?.as_ref())
    };
    let country = match dict.get_item("country")? {
        Some(value) if !value.is_none() => {
            required_text_arg(&format!("{name}[\"country\"]"), &value)?
        }
        _ => return Err(invalid(format!("{name}[\"country\"] is required"))),
    };
    let mut address_line = Vec::new();
    if let Some(lines) = dict.get_item("address_line")?
        && !lines.is_none()
    {
        let field = format!("{name}[\"address_line\"]");
        if lines.is_instance_of::<pyo3::types::PyString>() {
            return Err(invalid(format!("{field} must be a list of str, not a str")));
        }
        for line in lines
            .try_iter()
            .map_err(|_| invalid(format!("{field} must be a list of str")))?
        {
            address_line.push(required_text_arg(&field, &line?)?);
        }
    }
    Ok(Address {
        street_name: text("street_name")?,
        building_number: text("building_number")?,
        post_code: text("post_code")?,
        town_name: text("town_name")?,
        country,
        address_line,
    })
}
