//! `opcorp.conformance_compare(a, b)`: core's comparison of two conformance reports, given as
//! the dicts `Client.conformance()` returns (or their JSON text).

use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::convert::{ToPy, required_text_arg};
use crate::errors::IntoPyResult;

/// A report as JSON text: a `str` as is, anything else through `json.dumps`.
fn report_text(py: Python<'_>, name: &str, report: &Bound<'_, PyAny>) -> PyResult<String> {
    if report.is_instance_of::<PyString>() {
        return required_text_arg(name, report);
    }
    let text = py.import("json")?.call_method1("dumps", (report,))?;
    required_text_arg(name, &text)
}

/// Compares two conformance reports (dicts or JSON `str`) operation by operation:
/// `{"agree", "total", "all_agree", "differences": [{"operation", "differences"}],
/// "observations"}`. A report that is not one is `InvalidInputError`.
#[pyfunction]
pub fn conformance_compare<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let a = report_text(py, "a", a)?;
    let b = report_text(py, "b", b)?;
    let comparison = opcorp::conformance::compare_texts(&a, &b).py()?;
    comparison.to_json().to_py(py)
}
