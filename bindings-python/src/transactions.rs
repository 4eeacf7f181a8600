//! `TransactionIterator`: the lazy, page-at-a-time transaction stream as a Python iterator
//! and async iterator.
//!
//! Each refill awaits one item from the core stream and then takes every item that is already
//! decoded without waiting (the rest of the page), so Python pays one GIL release per page,
//! not per transaction.

use std::collections::VecDeque;
use std::sync::Arc;

use futures::FutureExt;
use futures::stream::{BoxStream, StreamExt};
use opcorp::model::Transaction;
use pyo3::exceptions::{PyStopAsyncIteration, PyStopIteration};
use pyo3::prelude::*;
use pyo3::types::PyList;
use tokio::sync::Mutex;

use crate::aio;
use crate::errors::IntoPyResult;
use crate::models::PyTransaction;
use crate::runtime::{self, ForkGuard};

/// The core transaction stream, boxed.
pub type TxStream = BoxStream<'static, opcorp::Result<Transaction>>;

/// Largest batch moved into the buffer per refill.
const MAX_BATCH: usize = 4096;

/// The stream and the transactions already fetched but not yet handed out.
struct State {
    stream: TxStream,
    buffer: VecDeque<Transaction>,
    done: bool,
}

impl State {
    /// Fills the buffer with at least one transaction unless the stream ended. An error ends
    /// the stream (resume with `after_object_id`).
    async fn refill(&mut self) -> opcorp::Result<()> {
        if self.done || !self.buffer.is_empty() {
            return Ok(());
        }
        match self.stream.next().await {
            None => {
                self.done = true;
                return Ok(());
            }
            Some(Err(e)) => {
                self.done = true;
                return Err(e);
            }
            Some(Ok(tx)) => self.buffer.push_back(tx),
        }
        while self.buffer.len() < MAX_BATCH {
            match self.stream.next().now_or_never() {
                Some(Some(Ok(tx))) => self.buffer.push_back(tx),
                // An error or the end is reported by the next refill.
                Some(Some(Err(e))) => {
                    self.stream = futures::stream::once(async move { Err(e) }).boxed();
                    break;
                }
                Some(None) => {
                    self.done = true;
                    break;
                }
                None => break,
            }
        }
        Ok(())
    }
}

/// Lazy iterator over an account's transactions, oldest first, fetched one page at a time.
/// Use `for tx in it` (blocking, GIL released while fetching) or `async for tx in it`.
#[pyclass(name = "TransactionIterator", module = "opcorp", frozen)]
pub struct PyTransactionIterator {
    state: Arc<Mutex<State>>,
    guard: ForkGuard,
}

impl PyTransactionIterator {
    /// Wraps a core stream.
    pub fn new(stream: TxStream, guard: ForkGuard) -> Self {
        PyTransactionIterator {
            state: Arc::new(Mutex::new(State {
                stream,
                buffer: VecDeque::new(),
                done: false,
            })),
            guard,
        }
    }

    /// The next buffered transaction, refilling (GIL released) when the buffer is empty.
    fn next_blocking(&self, py: Python<'_>) -> PyResult<Option<Transaction>> {
        if let Ok(mut state) = self.state.try_lock()
            && let Some(tx) = state.buffer.pop_front()
        {
            return Ok(Some(tx));
        }
        self.guard.check("TransactionIterator").py()?;
        let state = Arc::clone(&self.state);
        runtime::block_on(py, async move {
            let mut state = state.lock().await;
            state.refill().await?;
            Ok(state.buffer.pop_front())
        })?
        .py()
    }
}

#[pymethods]
impl PyTransactionIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<PyTransaction> {
        match self.next_blocking(py)? {
            Some(inner) => Ok(PyTransaction { inner }),
            None => Err(PyStopIteration::new_err(())),
        }
    }

    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if let Ok(mut state) = self.state.try_lock()
            && let Some(inner) = state.buffer.pop_front()
        {
            return aio::ready(py, Bound::new(py, PyTransaction { inner })?.into_any());
        }
        self.guard.check("TransactionIterator").py()?;
        let state = Arc::clone(&self.state);
        let future = aio::future_into_py(py, async move {
            let mut state = state.lock().await;
            state.refill().await?;
            Ok(state.buffer.pop_front().map(Next))
        })?;
        Ok(future)
    }

    /// Reads the rest of the stream into a list (GIL released while fetching).
    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        while let Some(inner) = self.next_blocking(py)? {
            list.append(Bound::new(py, PyTransaction { inner })?)?;
        }
        Ok(list)
    }
}

/// One async step: a transaction, or `None` which raises `StopAsyncIteration`.
struct Next(Transaction);

impl crate::convert::ToPy for Option<Next> {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Some(Next(tx)) => Ok(Bound::new(py, PyTransaction { inner: tx.clone() })?.into_any()),
            None => Err(PyStopAsyncIteration::new_err(())),
        }
    }
}
