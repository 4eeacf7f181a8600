//! Reading JSON request bodies with precise 400 messages instead of panics.

use serde_json::{Map, Value};

use super::Response;
use super::errors::{error, invalid};

/// A parsed JSON object body.
pub(crate) type Object = Map<String, Value>;

/// Checks the content type (absent is tolerated) and parses the body as a JSON object.
pub(crate) fn parse_object(content_type: Option<&str>, body: &[u8]) -> Result<Object, Response> {
    if let Some(ct) = content_type {
        let mime = ct.split(';').next().unwrap_or("").trim();
        if !mime.eq_ignore_ascii_case("application/json") {
            return Err(error(
                415,
                "unsupported_media_type",
                format!("Content-Type must be application/json, got {mime:?}"),
            ));
        }
    }
    if body.is_empty() {
        return Err(invalid("request body is empty; a JSON object is required"));
    }
    let text = std::str::from_utf8(body)
        .map_err(|e| invalid(format!("request body is not valid UTF-8: {e}")))?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(invalid("request body must be a JSON object")),
        Err(e) => Err(invalid(format!("malformed JSON body: {e}"))),
    }
}

/// An optional string field: absent and `null` give `None`, other types are an error.
pub(crate) fn opt_str<'a>(obj: &'a Object, field: &str) -> Result<Option<&'a str>, Response> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(invalid(format!("field `{field}` must be a string"))),
    }
}

/// A required string field.
pub(crate) fn req_str<'a>(obj: &'a Object, field: &str) -> Result<&'a str, Response> {
    opt_str(obj, field)?.ok_or_else(|| invalid(format!("field `{field}` is required")))
}

/// A string whose length in characters lies in `min..=max`.
pub(crate) fn check_len(field: &str, s: &str, min: usize, max: usize) -> Result<(), Response> {
    let n = s.chars().count();
    if n < min || n > max {
        return Err(invalid(format!(
            "field `{field}` must be {min}..{max} characters, got {n}"
        )));
    }
    Ok(())
}

/// An optional nested object.
pub(crate) fn opt_obj<'a>(obj: &'a Object, field: &str) -> Result<Option<&'a Object>, Response> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(invalid(format!("field `{field}` must be an object"))),
    }
}

/// A required nested object.
pub(crate) fn req_obj<'a>(obj: &'a Object, field: &str) -> Result<&'a Object, Response> {
    opt_obj(obj, field)?.ok_or_else(|| invalid(format!("field `{field}` is required")))
}
