//! Switchable behaviours: where OP's documentation is silent, or where OP's sandbox is
//! reported to differ from the documented API, the bank can behave either way so that clients
//! are tested against both. Set at start-up ([`crate::EmulatorConfig::quirks`]) or at run
//! time through the admin API (`GET`/`POST /admin/quirks`); `reset` keeps them.

use serde::{Deserialize, Serialize};

/// How the transactions endpoints treat an `objectId` anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ObjectIdAnchors {
    /// The page starts strictly after the transaction with that id (the documented anchor).
    #[default]
    Honoured,
    /// The parameter is ignored, as a third-party client reports of OP's sandbox: a query
    /// anchored only by `objectId` starts at the oldest transaction again, so clients must
    /// page by `fromTimestamp`.
    Ignored,
}

/// What a payment or refund answer carries as `endToEndId` when the request had none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MissingEndToEndId {
    /// JSON `null`: the evidence (the third-party client types OP's `endToEndId` as
    /// `string | null` in refund answers and transactions) shows OP sending it.
    #[default]
    Null,
    /// `"NOTPROVIDED"`, the ISO 20022 / EPC placeholder for an absent end-to-end id.
    NotProvided,
}

/// Whether a payment may carry an address given only as `addressLine`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UnstructuredAddresses {
    /// 400, as the EPC rulebooks demand for SEPA payments from November 2026.
    #[default]
    Refused,
    /// Accepted (at most 3 lines), as banks did before the rulebook change.
    Accepted,
}

/// Every switchable behaviour of the bank. Missing keys in an admin update keep their value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Quirks {
    /// Answer an identical resend of a booked refund with the first answer (HTTP 200)
    /// instead of OP's documented `400` "Already refunded". Off by default.
    pub refund_replay: bool,
    /// How an `objectId` anchor is treated (default: honoured).
    pub object_id_anchors: ObjectIdAnchors,
    /// `endToEndId` of an answer to a request without one (default `null`).
    pub missing_end_to_end_id: MissingEndToEndId,
    /// Whether payments may carry unstructured addresses (default: refused).
    pub unstructured_addresses: UnstructuredAddresses,
}

impl Quirks {
    /// `self` with the keys present in the JSON object `update` replaced.
    pub fn merged(&self, update: &serde_json::Value) -> Result<Quirks, String> {
        let serde_json::Value::Object(changes) = update else {
            return Err("quirks must be a JSON object".into());
        };
        let mut current = match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => return Err("quirks cannot be serialised".into()),
        };
        for (key, value) in changes {
            current.insert(key.clone(), value.clone());
        }
        serde_json::from_value(serde_json::Value::Object(current)).map_err(|e| e.to_string())
    }

    /// The `endToEndId` JSON value of an answer to a request that sent `sent`.
    pub(crate) fn end_to_end(&self, sent: Option<&str>) -> serde_json::Value {
        match (sent, self.missing_end_to_end_id) {
            (Some(id), _) => serde_json::Value::String(id.to_owned()),
            (None, MissingEndToEndId::NotProvided) => "NOTPROVIDED".into(),
            (None, MissingEndToEndId::Null) => serde_json::Value::Null,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn updates_merge_and_unknown_keys_are_refused() {
        let q = Quirks::default()
            .merged(&json!({"objectIdAnchors": "ignored"}))
            .unwrap();
        assert_eq!(q.object_id_anchors, ObjectIdAnchors::Ignored);
        assert!(!q.refund_replay);
        let q = q.merged(&json!({"refundReplay": true})).unwrap();
        assert_eq!(q.object_id_anchors, ObjectIdAnchors::Ignored);
        assert!(q.refund_replay);
        assert!(q.merged(&json!({"nope": 1})).is_err());
        assert!(q.merged(&json!({"objectIdAnchors": "sometimes"})).is_err());
        assert!(q.merged(&json!([1])).is_err());
    }

    #[test]
    fn missing_end_to_end_ids() {
        let q = Quirks::default();
        assert_eq!(q.end_to_end(None), json!(null));
        assert_eq!(q.end_to_end(Some("e2e-1")), json!("e2e-1"));
        let q = Quirks {
            missing_end_to_end_id: MissingEndToEndId::NotProvided,
            ..q
        };
        assert_eq!(q.end_to_end(None), json!("NOTPROVIDED"));
    }
}
