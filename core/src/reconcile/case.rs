//! Key spelling of the reconciliation JSON for JavaScript hosts: core writes snake_case
//! (`due_date`, `payment_ids`); the Node and WASM packages read and write camelCase
//! (`dueDate`, `paymentIds`). One conversion, so both packages spell every key the same way.

use serde_json::{Map, Value};

/// Renames every object key from snake_case to camelCase, recursively (`due_date` →
/// `dueDate`). Values are untouched.
pub fn camel_case_keys(value: Value) -> Value {
    rename_keys(value, camel)
}

/// Renames every object key from camelCase to snake_case, recursively (`dueDate` →
/// `due_date`). Values are untouched.
pub fn snake_case_keys(value: Value) -> Value {
    rename_keys(value, snake)
}

fn rename_keys(value: Value, rename: fn(&str) -> String) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (rename(&k), rename_keys(v, rename)))
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| rename_keys(v, rename)).collect())
        }
        other => other,
    }
}

fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Only a capital that follows a lower-case letter or digit starts a word, so keys that are
/// data rather than names (the currency codes of `byCurrency`, `EUR`) stay as they are.
fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    let mut previous_lower = false;
    for c in key.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_values_stay() {
        let snake_json = serde_json::json!({
            "due_date": "2026-01-31",
            "payment_ids": ["a_b"],
            "by_currency": {"EUR": {"billed": "1.00"}},
            "items": [{"payer_name": "x_y"}],
        });
        let camel_json = camel_case_keys(snake_json.clone());
        assert_eq!(
            camel_json,
            serde_json::json!({
                "dueDate": "2026-01-31",
                "paymentIds": ["a_b"],
                "byCurrency": {"EUR": {"billed": "1.00"}},
                "items": [{"payerName": "x_y"}],
            })
        );
        assert_eq!(snake_case_keys(camel_json), snake_json);
    }
}
