//! A conformance report (what one run saw, shapes only) and the comparison of two.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::shape;

/// The report format this SDK writes and reads.
pub const FORMAT: &str = "opcorp-conformance/1";

/// What one conformance run saw: one record per operation, plus observed behaviours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// [`FORMAT`].
    pub format: String,
    /// The SDK version that wrote the report.
    pub sdk_version: String,
    /// `sandbox`, `production` or `custom` (the URL itself is not recorded).
    pub environment: String,
    /// The operations, in scenario order.
    pub operations: Vec<Record>,
    /// Behaviours the run observed (e.g. whether objectId paging anchors are honoured).
    /// Printed by a comparison, not counted in its agreement.
    #[serde(default)]
    pub observations: BTreeMap<String, String>,
}

/// One operation's answer, redacted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// A stable scenario name, e.g. `transactions_v3_page2_object_id`.
    pub name: String,
    /// HTTP method.
    pub method: String,
    /// The path with its parameter replaced by `{id}` (no query, no values).
    pub path: String,
    /// HTTP status, when an answer arrived.
    pub status: Option<u16>,
    /// The error code when no answer arrived (or the step was skipped: `SKIPPED`).
    pub error: Option<String>,
    /// The relevant response headers (content type as sent, others as `present`).
    pub headers: BTreeMap<String, String>,
    /// The JSON shape of the body ([`shape::shape`]); `null` without a JSON body.
    pub shape: Value,
    /// Hashes of the identifiers in the body (for cross-checking, never compared).
    #[serde(default)]
    pub ids: Vec<String>,
}

impl Report {
    /// A readable table: one line per operation.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<40} {:<6} {:<7} {:<24} top-level keys\n",
            "operation", "method", "status", "content-type"
        );
        for r in &self.operations {
            let status = r
                .status
                .map_or_else(|| r.error.clone().unwrap_or_default(), |s| s.to_string());
            let keys = top_keys(&r.shape);
            out.push_str(&format!(
                "{:<40} {:<6} {:<7} {:<24} {keys}\n",
                r.name,
                r.method,
                status,
                r.headers.get("content-type").map_or("-", String::as_str),
            ));
        }
        for (k, v) in &self.observations {
            out.push_str(&format!("observed {k}: {v}\n"));
        }
        out
    }
}

fn top_keys(shape: &Value) -> String {
    let object = match shape {
        Value::Array(items) => items.first(),
        other => Some(other),
    };
    match object {
        Some(Value::Object(map)) => map.keys().cloned().collect::<Vec<_>>().join(","),
        Some(Value::Null) | None => "-".into(),
        Some(other) => other.to_string(),
    }
}

/// How two reports compare.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Operations that agree (status, error, headers and shape).
    pub agree: usize,
    /// Operations in either report.
    pub total: usize,
    /// Per disagreeing operation, what differs.
    pub differences: Vec<(String, Vec<String>)>,
    /// Observations that differ, `name: A vs B`.
    pub observations: Vec<String>,
}

impl Comparison {
    /// Whether every operation agrees.
    pub fn all_agree(&self) -> bool {
        self.agree == self.total
    }

    /// The comparison as one JSON object, so every binding returns the same thing:
    /// `agree`, `total`, `all_agree`, `differences` (`[{"operation", "differences"}]`) and
    /// `observations`.
    pub fn to_json(&self) -> Value {
        let differences: Vec<Value> = self
            .differences
            .iter()
            .map(|(name, diffs)| serde_json::json!({ "operation": name, "differences": diffs }))
            .collect();
        serde_json::json!({
            "agree": self.agree,
            "total": self.total,
            "all_agree": self.all_agree(),
            "differences": differences,
            "observations": self.observations,
        })
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, diffs) in &self.differences {
            writeln!(f, "{name}:")?;
            for d in diffs {
                writeln!(f, "  {d}")?;
            }
        }
        for o in &self.observations {
            writeln!(f, "observed {o}")?;
        }
        write!(f, "{}/{} operations agree", self.agree, self.total)
    }
}

/// Compares report `a` with report `b` operation by operation (matched by name).
pub fn compare(a: &Report, b: &Report) -> Comparison {
    let mut names: Vec<&str> = a.operations.iter().map(|r| r.name.as_str()).collect();
    for r in &b.operations {
        if !names.contains(&r.name.as_str()) {
            names.push(&r.name);
        }
    }
    let find = |report: &'_ Report, name: &str| -> Option<Record> {
        report.operations.iter().find(|r| r.name == name).cloned()
    };
    let mut differences = Vec::new();
    for name in &names {
        let diffs = match (find(a, name), find(b, name)) {
            (Some(x), Some(y)) => record_differences(&x, &y),
            (Some(_), None) => vec!["only in A".to_owned()],
            (None, Some(_)) => vec!["only in B".to_owned()],
            (None, None) => Vec::new(),
        };
        if !diffs.is_empty() {
            differences.push(((*name).to_owned(), diffs));
        }
    }
    let mut observations = Vec::new();
    let keys: std::collections::BTreeSet<&String> =
        a.observations.keys().chain(b.observations.keys()).collect();
    for key in keys {
        let (x, y) = (a.observations.get(key), b.observations.get(key));
        if x != y {
            let show = |v: Option<&String>| v.cloned().unwrap_or_else(|| "-".into());
            observations.push(format!("{key}: {} vs {}", show(x), show(y)));
        }
    }
    Comparison {
        agree: names.len() - differences.len(),
        total: names.len(),
        differences,
        observations,
    }
}

fn record_differences(a: &Record, b: &Record) -> Vec<String> {
    let mut out = Vec::new();
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    if a.status != b.status {
        let s = |v: Option<u16>| v.map_or_else(|| "-".into(), |s| s.to_string());
        out.push(format!("status: {} vs {}", s(a.status), s(b.status)));
    }
    if a.error != b.error {
        out.push(format!("error: {} vs {}", show(&a.error), show(&b.error)));
    }
    if a.path != b.path || a.method != b.method {
        out.push(format!(
            "request: {} {} vs {} {}",
            a.method, a.path, b.method, b.path
        ));
    }
    if a.headers != b.headers {
        out.push(format!("headers: {:?} vs {:?}", a.headers, b.headers));
    }
    out.extend(shape::differences(&a.shape, &b.shape, 20));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(name: &str, status: u16, shape: Value) -> Record {
        Record {
            name: name.into(),
            method: "GET".into(),
            path: "/x".into(),
            status: Some(status),
            error: None,
            headers: BTreeMap::new(),
            shape,
            ids: vec!["abc".into()],
        }
    }

    fn report(ops: Vec<Record>) -> Report {
        Report {
            format: FORMAT.into(),
            sdk_version: "0".into(),
            environment: "custom".into(),
            operations: ops,
            observations: BTreeMap::new(),
        }
    }

    #[test]
    fn agreement_ignores_id_hashes_and_counts_every_operation() {
        let a = report(vec![
            record("accounts", 200, json!([{"iban": "id"}])),
            record("mandates", 200, json!([])),
        ]);
        let mut b = a.clone();
        b.operations[0].ids = vec!["other".into()];
        assert!(compare(&a, &b).all_agree());
        b.operations[1].status = Some(404);
        b.operations.push(record("extra", 200, Value::Null));
        let c = compare(&a, &b);
        assert_eq!((c.agree, c.total), (1, 3));
        assert!(c.to_string().ends_with("1/3 operations agree"), "{c}");
        assert!(c.to_string().contains("status: 200 vs 404"), "{c}");
    }

    #[test]
    fn comparison_json_names_each_difference() {
        let a = report(vec![record("accounts", 200, json!([]))]);
        let mut b = a.clone();
        assert_eq!(compare(&a, &b).to_json()["all_agree"], true);
        b.operations[0].status = Some(500);
        let j = compare(&a, &b).to_json();
        assert_eq!(
            (j["agree"].as_u64(), j["total"].as_u64()),
            (Some(0), Some(1))
        );
        assert_eq!(j["all_agree"], false);
        assert_eq!(j["differences"][0]["operation"], "accounts");
        assert_eq!(j["differences"][0]["differences"][0], "status: 200 vs 500");
        let text = serde_json::to_string(&a).unwrap();
        let again = crate::conformance::compare_texts(&text, &text).unwrap();
        assert!(again.all_agree());
        assert!(crate::conformance::compare_texts(&text, "{}").is_err());
    }
}
