//! Key spelling of the reconciliation JSON for JavaScript hosts: core writes snake_case
//! (`due_date`, `payment_ids`); the Node and WASM packages read and write camelCase
//! (`dueDate`, `paymentIds`). One conversion, so both packages spell every key the same way.

use std::borrow::Cow;
use std::convert::Infallible;

use serde_json::{Map, Value};

/// Renames every object key from snake_case to camelCase, recursively (`due_date` →
/// `dueDate`). Values are untouched.
pub fn camel_case_keys(value: Value) -> Value {
    rename_keys(value, camel_into)
}

/// Renames every object key from camelCase to snake_case, recursively (`dueDate` →
/// `due_date`). Values are untouched.
pub fn snake_case_keys(value: Value) -> Value {
    rename_keys(value, snake_into)
}

/// Writes the renamed form of a key at the end of a string.
type Rename = fn(&str, &mut String);

/// `key` renamed into a string of its own.
fn renamed(key: &str, rename: Rename) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    rename(key, &mut out);
    out
}

fn rename_keys(value: Value, rename: Rename) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (renamed(&k, rename), rename_keys(v, rename)))
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| rename_keys(v, rename)).collect())
        }
        other => other,
    }
}

/// [`camel_case_keys`] on JSON text, in one pass: the text with every object key renamed,
/// everything else copied as it is. A million report items as a `Value` tree took most of
/// the Node package's reconcile time and ten times the engine's memory.
pub fn camel_case_json(json: &str) -> String {
    let Ok(text) = rename_json_keys(json, camel_into, |_, _| Ok::<(), Infallible>(()));
    text
}

/// [`snake_case_keys`] on JSON text from a JavaScript host, in one pass; and a JS number
/// where money is expected (a key ending in `amount`, any case) is refused, since a float
/// cannot hold money exactly. `what` names the input in that error. Text that is not JSON
/// is left for the caller's parser to reject.
pub fn snake_case_json(what: &str, json: &str) -> crate::Result<String> {
    rename_json_keys(json, snake_into, |key, rest| {
        refuse_number_money(what, key, rest)
    })
}

/// Copies `json`, renaming each object key (a string followed by `:`) with `rename`; `check`
/// sees each key (as it says, unescaped) and the text after its `:`, and may refuse it. A
/// key without escapes is read and renamed in place, with no allocation of its own: a
/// million-item input has ten million keys.
fn rename_json_keys<E>(
    json: &str,
    rename: Rename,
    mut check: impl FnMut(&str, &str) -> Result<(), E>,
) -> Result<String, E> {
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] != b'"' {
            at += 1;
            continue;
        }
        let end = string_end(bytes, at);
        let mut next = end;
        while next < bytes.len() && bytes[next].is_ascii_whitespace() {
            next += 1;
        }
        if bytes.get(next) == Some(&b':') {
            let raw = &json[at + 1..end - 1];
            // An escaped key is renamed by what it says, not by how it is spelt.
            let escaped = raw.contains('\\');
            let key: Cow<'_, str> = match escaped {
                true => serde_json::from_str::<String>(&json[at..end])
                    .map_or(Cow::Borrowed(raw), Cow::Owned),
                false => Cow::Borrowed(raw),
            };
            out.push_str(&json[copied..at]);
            if escaped {
                out.push_str(&Value::String(renamed(&key, rename)).to_string());
            } else {
                out.push('"');
                rename(&key, &mut out);
                out.push('"');
            }
            copied = end;
            check(&key, &json[next + 1..])?;
        }
        at = end;
    }
    out.push_str(&json[copied..]);
    Ok(out)
}

/// The index just past the string that opens at `start` (past the end of the text if it
/// never closes).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// Fails when the value after an amount key (`rest` starts just after its `:`) is a number.
fn refuse_number_money(what: &str, key: &str, rest: &str) -> crate::Result<()> {
    let value = rest.trim_start();
    let number_len = value
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
        .unwrap_or(value.len());
    let starts_number = value.starts_with(|c: char| c == '-' || c.is_ascii_digit());
    if starts_number && key.to_ascii_lowercase().ends_with("amount") {
        return Err(crate::Error::invalid_input(format!(
            "{what}: {key} is a JS number ({}); money must be a decimal string such as \
             \"12.50\" or a bigint of minor units such as 1250n",
            &value[..number_len]
        )));
    }
    Ok(())
}

fn camel_into(key: &str, out: &mut String) {
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
}

/// One snake_case key in camelCase (`due_date` → `dueDate`), as every conversion here
/// renames keys.
pub fn camel_case_key(key: &str) -> String {
    renamed(key, camel_into)
}

/// One camelCase key in snake_case (`dueDate` → `due_date`), as every conversion here
/// renames keys.
pub fn snake_case_key(key: &str) -> String {
    renamed(key, snake_into)
}

/// Only a capital that follows a lower-case letter or digit starts a word, so keys that are
/// data rather than names (the currency codes of `byCurrency`, `EUR`) stay as they are.
fn snake_into(key: &str, out: &mut String) {
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

    /// The text functions give what the `Value` functions give, on keys that need renaming,
    /// keys that do not, data keys, escaped keys and strings that look like keys.
    #[test]
    fn text_renaming_equals_value_renaming() {
        let samples = [
            r#"{"due_date":"2026-01-31","payment_ids":["a_b","c\"d:"],"by_currency":{"EUR":{"billed":"1.00"}}}"#,
            r#"[{"payer_name":"x_y: z","nested":{"covering_payments":2}}, {"a\u005fb" : "\"k_v\":"}]"#,
            r#"{"dueDate":"2026-01-31","paymentIds":[],"byCurrency":{"EUR":{}},"payerName":null}"#,
            r#"  [ ]  "#,
        ];
        for json in samples {
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            let camel: serde_json::Value = serde_json::from_str(&camel_case_json(json)).unwrap();
            assert_eq!(camel, camel_case_keys(value.clone()), "{json}");
            let snake: serde_json::Value =
                serde_json::from_str(&snake_case_json("input", json).unwrap()).unwrap();
            assert_eq!(snake, snake_case_keys(value), "{json}");
        }
    }

    #[test]
    fn text_input_refuses_numbers_as_money_anywhere() {
        for json in [
            r#"[{"id":"x","amount":12.5}]"#,
            r#"{"outer":{"instructedAmount" : -1}}"#,
            r#"[{"Amount":1e3}]"#,
        ] {
            let err = snake_case_json("payments", json).unwrap_err();
            assert_eq!(err.code(), "INVALID_INPUT", "{json}");
            assert!(err.message().starts_with("payments: "), "{err}");
            assert!(err.message().contains("is a JS number"), "{err}");
        }
        let fine = r#"[{"amount":"12.50","amountText":5,"count":3,"id":"amount"}]"#;
        assert!(snake_case_json("payments", fine).is_ok());
    }
}
