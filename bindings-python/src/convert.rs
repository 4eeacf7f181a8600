//! Conversions between core values and Python values: exact `decimal.Decimal` amounts,
//! `datetime.date`/`datetime.datetime`, JSON maps as dicts; and the reverse for arguments
//! (floats are refused as money).

use opcorp::Amount;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDate, PyDict, PyList, PyString};
use serde_json::{Map, Value};
use time::{Date, Month, OffsetDateTime};

use crate::errors::to_py;

/// `decimal.Decimal`, imported once.
static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Converts a core value to a new Python object.
pub trait ToPy {
    /// The Python value of `self`.
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

/// Implements [`ToPy`] through pyo3's own conversion (str, ints, bools).
macro_rules! to_py_native {
    ($($t:ty),*) => {$(
        impl ToPy for $t {
            fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                pyo3::IntoPyObjectExt::into_bound_py_any(self.clone(), py)
            }
        }
    )*};
}
to_py_native!(String, i64, u64, u32, usize, bool);

/// `create_decimal` of a private `decimal.Context` whose precision holds any `Amount`
/// exactly (rust_decimal has at most 29 digits), made once. It builds the same `Decimal` as
/// the `Decimal(str)` constructor, digits and exponent alike, in about two thirds of the
/// time: the constructor parses its arguments by keyword and looks up the thread's context
/// on every call, and reading a million report items or transactions is mostly this call.
/// The caller's own context is neither read nor changed.
static CREATE_DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Room for any `Amount`'s text: a sign, 29 digits, a point and a leading zero.
const AMOUNT_TEXT_MAX: usize = 40;

impl ToPy for Amount {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let create = CREATE_DECIMAL.get_or_try_init(py, || {
            let context = py.import("decimal")?.getattr("Context")?;
            let kwargs = PyDict::new(py);
            kwargs.set_item("prec", AMOUNT_TEXT_MAX)?;
            context
                .call((), Some(&kwargs))?
                .getattr("create_decimal")
                .map(Bound::unbind)
        })?;
        // Formatted on the stack: a `String` per amount was a malloc and a free each.
        let mut stack = StackText::<AMOUNT_TEXT_MAX>::default();
        let written = std::fmt::Write::write_fmt(&mut stack, format_args!("{self}"));
        let text = match written.ok().and(stack.as_str()) {
            Some(text) => PyString::new(py, text),
            None => PyString::new(py, &self.to_string()),
        };
        create.bind(py).call1((text,))
    }
}

/// Text formatted into a fixed buffer; writing more than `N` bytes is an error (the caller
/// falls back to a `String`).
struct StackText<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> Default for StackText<N> {
    fn default() -> Self {
        StackText {
            bytes: [0; N],
            len: 0,
        }
    }
}

impl<const N: usize> StackText<N> {
    /// The text written (whole `&str`s only, so always UTF-8; `None` would mean a bug).
    fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes[..self.len]).ok()
    }
}

impl<const N: usize> std::fmt::Write for StackText<N> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let room = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        room.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl ToPy for Date {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyDate::new(py, self.year(), u8::from(self.month()), self.day())?.into_any())
    }
}

impl ToPy for OffsetDateTime {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let datetime = py.import("datetime")?;
        let seconds = self.unix_timestamp_nanos() as f64 / 1e9;
        let utc = datetime.getattr("timezone")?.getattr("utc")?;
        datetime
            .getattr("datetime")?
            .call_method1("fromtimestamp", (seconds, utc))
    }
}

impl ToPy for std::time::SystemTime {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        OffsetDateTime::from(*self).to_py(py)
    }
}

impl<T: ToPy> ToPy for Option<T> {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Some(value) => value.to_py(py),
            None => Ok(py.None().into_bound(py)),
        }
    }
}

impl<T: ToPy> ToPy for Vec<T> {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let list = PyList::empty(py);
        for item in self {
            list.append(item.to_py(py)?)?;
        }
        Ok(list.into_any())
    }
}

impl<V: ToPy> ToPy for std::collections::BTreeMap<String, V> {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let dict = PyDict::new(py);
        for (key, value) in self {
            dict.set_item(key, value.to_py(py)?)?;
        }
        Ok(dict.into_any())
    }
}

impl ToPy for Map<String, Value> {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let dict = PyDict::new(py);
        for (key, value) in self {
            dict.set_item(key, value.to_py(py)?)?;
        }
        Ok(dict.into_any())
    }
}

impl ToPy for Value {
    /// JSON as Python: numbers keep their exact text (ints as `int`, others as `Decimal`).
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Value::Null => Ok(py.None().into_bound(py)),
            Value::Bool(b) => b.to_py(py),
            Value::Number(n) => match n.as_i64() {
                Some(i) => i.to_py(py),
                None => {
                    let text = n.to_string();
                    match text.parse::<Amount>() {
                        Ok(amount) => amount.to_py(py),
                        Err(_) => Ok(PyString::new(py, &text).into_any()),
                    }
                }
            },
            Value::String(s) => Ok(PyString::new(py, s).into_any()),
            Value::Array(items) => items.to_py(py),
            Value::Object(map) => map.to_py(py),
        }
    }
}

/// An exact amount from a `Decimal`, `int` or `str` (a plain signed decimal), for search
/// bounds, reconciliation and barcodes. Floats and other types are refused with
/// `InvalidInputError` naming `name`.
pub fn amount_arg(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Amount> {
    let text = amount_text(name, value)?;
    text.parse::<Amount>().map_err(|e| {
        to_py(opcorp::Error::invalid_input(format!(
            "{name}: {}",
            e.message()
        )))
    })
}

/// Money the user sends (a payment or refund amount): a `Decimal`, `int` or `str` checked by
/// core's one strict rule ([`Amount::parse_input_field`]): a plain decimal with at most two
/// decimals, no sign and no exponent.
pub fn payment_amount_arg(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Amount> {
    let text = amount_text(name, value)?;
    Amount::parse_input_field(name, &text).map_err(to_py)
}

/// The decimal text of an amount argument. Floats cannot hold most cent values exactly and
/// `bool` is an `int` only by accident of history, so both are refused, like every other
/// type, with `InvalidInputError` naming the argument.
fn amount_text(name: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    let py = value.py();
    let class = DECIMAL.get_or_try_init(py, || {
        py.import("decimal")?.getattr("Decimal").map(Bound::unbind)
    })?;
    let refuse = |what: String| {
        Err(to_py(opcorp::Error::invalid_input(format!(
            "{name} must be a decimal.Decimal, int or str such as \"120.50\", not {what}"
        ))))
    };
    if value.is_instance_of::<pyo3::types::PyFloat>() {
        refuse(format!(
            "a float ({}): a float cannot hold the amount exactly",
            value.repr()?
        ))
    } else if value.is_instance(class.bind(py))? {
        value.call_method1("__format__", ("f",))?.extract()
    } else if value.is_instance_of::<pyo3::types::PyBool>() {
        refuse(format!("a bool ({})", value.repr()?))
    } else if value.is_instance_of::<pyo3::types::PyInt>() {
        value.str()?.extract()
    } else if let Ok(text) = value.cast::<PyString>() {
        text_arg(name, text)
    } else {
        refuse(format!("a {}", value.get_type().name()?))
    }
}

/// A Python `str` as Rust text. A lone surrogate (`"\\ud800"`) has no UTF-8 form, so it is
/// an `InvalidInputError` naming the argument rather than a bare `UnicodeEncodeError`.
/// (`to_cow`, not `to_str`: the abi3 wheel targets CPython 3.9, whose stable ABI has no
/// borrowed UTF-8 view.)
pub fn text_arg(name: &str, value: &Bound<'_, PyString>) -> PyResult<String> {
    value
        .to_cow()
        .map(std::borrow::Cow::into_owned)
        .map_err(|_| {
            to_py(opcorp::Error::invalid_input(format!(
                "{name} is not valid Unicode text (it holds a lone surrogate)"
            )))
        })
}

/// An optional text argument (`None` is absent); not-a-`str` and lone surrogates are
/// `InvalidInputError`s naming `name`.
pub fn opt_text_arg(name: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => required_text_arg(name, v).map(Some),
    }
}

/// A required text argument; see [`opt_text_arg`].
pub fn required_text_arg(name: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    match value.cast::<PyString>() {
        Ok(text) => text_arg(name, text),
        Err(_) => Err(to_py(opcorp::Error::invalid_input(format!(
            "{name} must be a str, not {}",
            value.get_type().name()?
        )))),
    }
}

/// A calendar date from a `datetime.date` (a `datetime` gives its date) or an ISO `str`.
pub fn date_arg(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Date> {
    let (year, month, day): (i32, u8, u8) = if let Ok(text) = value.extract::<String>() {
        let parts: Vec<&str> = text.trim().split('-').collect();
        match parts.as_slice() {
            [y, m, d] => (
                y.parse().map_err(|_| bad_date(name, &text))?,
                m.parse().map_err(|_| bad_date(name, &text))?,
                d.parse().map_err(|_| bad_date(name, &text))?,
            ),
            _ => return Err(bad_date(name, &text)),
        }
    } else if value.hasattr("year")? && value.hasattr("month")? && value.hasattr("day")? {
        (
            value.getattr("year")?.extract()?,
            value.getattr("month")?.extract()?,
            value.getattr("day")?.extract()?,
        )
    } else {
        return Err(PyTypeError::new_err(format!(
            "{name} must be a datetime.date or an ISO date string"
        )));
    };
    let month = Month::try_from(month).map_err(|_| bad_date(name, &format!("month {month}")))?;
    Date::from_calendar_date(year, month, day)
        .map_err(|e| to_py(opcorp::Error::invalid_input(format!("{name}: {e}"))))
}

/// A point in time from an aware `datetime.datetime` (naive ones are refused: the bank
/// compares in UTC and a guess could shift a day).
pub fn datetime_arg(name: &str, value: &Bound<'_, PyAny>) -> PyResult<OffsetDateTime> {
    if value.getattr("tzinfo").map(|t| t.is_none()).unwrap_or(true)
        || value.call_method0("utcoffset")?.is_none()
    {
        return Err(to_py(opcorp::Error::invalid_input(format!(
            "{name} must be a timezone-aware datetime.datetime"
        ))));
    }
    let seconds: f64 = value.call_method0("timestamp")?.extract()?;
    let micros = (seconds * 1e6).round() as i128;
    OffsetDateTime::from_unix_timestamp_nanos(micros * 1000)
        .map_err(|e| to_py(opcorp::Error::invalid_input(format!("{name}: {e}"))))
}

/// The INVALID_INPUT error for an unreadable date.
fn bad_date(name: &str, text: &str) -> PyErr {
    to_py(opcorp::Error::invalid_input(format!(
        "{name}: {text:?} is not a date (expected YYYY-MM-DD)"
    )))
}
