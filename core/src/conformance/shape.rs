//! The shape of a JSON answer: keys, types and nesting, with every value redacted and every
//! identifier replaced by a short hash. Pure, so a report can be produced anywhere and two
//! reports compared without the data that produced them.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// Keys whose string values identify something (an account, a transaction, a payment):
/// their values are hashed, not shown, so a maintainer can see the same id recur across
/// calls without learning it.
const ID_KEYS: [&str; 10] = [
    "objectId",
    "archiveId",
    "surrogateId",
    "instructionId",
    "endToEndId",
    "iban",
    "accountIban",
    "debtorAccount",
    "creditorAccount",
    "reference",
];

/// The shape of `value` and the hashes of the identifiers it holds.
///
/// Scalars become their JSON type (`"string"`, `"number"`, `"boolean"`, `"null"`; `"id"`
/// for a string under an [`ID_KEYS`] key); objects keep their keys; an array becomes a
/// one-element array holding the merged shape of its elements (`[]` when empty).
pub fn shape(value: &Value, ids: &mut BTreeSet<String>) -> Value {
    shape_of(None, value, ids)
}

fn shape_of(key: Option<&str>, value: &Value, ids: &mut BTreeSet<String>) -> Value {
    match value {
        Value::Null => Value::from("null"),
        Value::Bool(_) => Value::from("boolean"),
        Value::Number(_) => Value::from("number"),
        Value::String(s) if key.is_some_and(|k| ID_KEYS.contains(&k)) => {
            ids.insert(hash_id(s));
            Value::from("id")
        }
        Value::String(_) => Value::from("string"),
        Value::Array(items) => {
            let merged = items
                .iter()
                .map(|item| shape_of(key, item, ids))
                .reduce(merge);
            Value::Array(merged.into_iter().collect())
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), shape_of(Some(k), v, ids)))
                .collect(),
        ),
    }
}

/// The first 12 hex digits of the SHA-256 of an identifier.
pub fn hash_id(id: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, id.as_bytes());
    digest
        .as_ref()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One shape covering both: objects merge key by key (a key only one side has is kept),
/// arrays merge their element shapes, different types become `"a|b"` (sorted).
pub fn merge(a: Value, b: Value) -> Value {
    match (a, b) {
        (a, b) if a == b => a,
        (Value::Object(a), Value::Object(b)) => {
            let mut out = Map::new();
            let keys: BTreeSet<String> = a.keys().chain(b.keys()).cloned().collect();
            for key in keys {
                let merged = match (a.get(&key), b.get(&key)) {
                    (Some(x), Some(y)) => merge(x.clone(), y.clone()),
                    (Some(x), None) | (None, Some(x)) => x.clone(),
                    (None, None) => continue,
                };
                out.insert(key, merged);
            }
            Value::Object(out)
        }
        (Value::Array(a), Value::Array(b)) => {
            Value::Array(a.into_iter().chain(b).reduce(merge).into_iter().collect())
        }
        (a, b) => {
            let mut kinds: BTreeSet<String> = BTreeSet::new();
            for v in [a, b] {
                match v {
                    Value::String(s) => kinds.extend(s.split('|').map(str::to_owned)),
                    Value::Object(_) => {
                        kinds.insert("object".into());
                    }
                    Value::Array(_) => {
                        kinds.insert("array".into());
                    }
                    other => {
                        kinds.insert(other.to_string());
                    }
                }
            }
            Value::from(kinds.into_iter().collect::<Vec<_>>().join("|"))
        }
    }
}

/// Where two shapes differ, as JSON-pointer-like paths with both sides (at most `limit`).
pub fn differences(a: &Value, b: &Value, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    diff("", a, b, &mut out, limit);
    out
}

fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>, limit: usize) {
    if out.len() >= limit || a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for key in keys {
                let here = format!("{path}/{key}");
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) => diff(&here, p, q, out, limit),
                    (Some(_), None) => out.push(format!("{here}: only in A")),
                    (None, Some(_)) => out.push(format!("{here}: only in B")),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            // An empty list says nothing about its elements' shape.
            if let (Some(p), Some(q)) = (x.first(), y.first()) {
                diff(&format!("{path}/[]"), p, q, out, limit);
            }
        }
        _ => out.push(format!(
            "{}: {a} vs {b}",
            if path.is_empty() { "/" } else { path }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_redacted_and_ids_hashed() {
        let mut ids = BTreeSet::new();
        let value = json!([
            {"objectId": "A1", "amount": "-1.00", "tags": [], "n": 1},
            {"objectId": "B2", "amount": "2.00", "message": null, "n": 2}
        ]);
        let s = shape(&value, &mut ids);
        assert_eq!(
            s,
            json!([{"objectId": "id", "amount": "string", "tags": [], "n": "number",
                    "message": "null"}])
        );
        assert_eq!(ids.len(), 2);
        assert!(ids.contains(&hash_id("A1")));
        assert!(!s.to_string().contains("-1.00"));
    }

    #[test]
    fn mixed_types_merge_into_alternatives() {
        let m = merge(json!("null"), json!("string"));
        assert_eq!(m, json!("null|string"));
        assert_eq!(merge(m, json!("number")), json!("null|number|string"));
    }

    #[test]
    fn differences_name_the_path() {
        let a = json!({"x": "string", "y": [{"z": "number"}]});
        let b = json!({"x": "number", "y": [{"z": "number", "w": "null"}], "v": "id"});
        let d = differences(&a, &b, 10);
        assert_eq!(
            d,
            vec![
                "/v: only in B".to_owned(),
                "/x: \"string\" vs \"number\"".to_owned(),
                "/y/[]/w: only in B".to_owned(),
            ]
        );
        assert!(differences(&json!([]), &b["y"], 10).is_empty());
    }
}
