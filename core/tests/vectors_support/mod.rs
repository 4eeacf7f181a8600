//! Reading the shared vectors in `tests/vectors/` (repository root) for the Rust replays.
#![allow(dead_code)] // each vectors test uses a different subset
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use serde_json::Value;

/// The parsed vector file `tests/vectors/<name>`.
pub fn load(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("vector file is readable");
    serde_json::from_str(&text).expect("vector file is JSON")
}

/// The array at `key`.
pub fn list<'a>(vectors: &'a Value, key: &str) -> &'a Vec<Value> {
    vectors[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is an array"))
}

/// The string at `key`.
pub fn text<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is a string in {case}"))
}

/// The string at `key`, or `None` for null or absent.
pub fn opt_text<'a>(case: &'a Value, key: &str) -> Option<&'a str> {
    case.get(key).and_then(Value::as_str)
}
