//! Connections the server can abort with a TCP reset, for the reset faults.
//!
//! The connection's TLS stream is wrapped in [`AbortableIo`]. A request handler that wants a
//! reset calls [`AbortSignal::abort`]; the connection task then drops the HTTP connection,
//! and the wrapper's `Drop` sets `SO_LINGER` to zero first, so closing the socket sends RST
//! instead of FIN.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio_rustls::server::TlsStream;

/// Shared between a connection's request handler and its connection task.
#[derive(Default)]
pub(crate) struct AbortSignal {
    aborted: AtomicBool,
    notify: Notify,
}

impl AbortSignal {
    /// Asks the connection task to reset the connection.
    pub fn abort(&self) {
        self.aborted.store(true, Ordering::SeqCst);
        self.notify.notify_one();
    }

    /// Resolves once [`AbortSignal::abort`] was called.
    pub async fn aborted(&self) {
        self.notify.notified().await;
    }

    fn is_aborted(&self) -> bool {
        self.aborted.load(Ordering::SeqCst)
    }
}

/// A TLS stream that resets its TCP connection when dropped after an abort.
pub(crate) struct AbortableIo {
    inner: TlsStream<TcpStream>,
    signal: std::sync::Arc<AbortSignal>,
}

impl AbortableIo {
    /// Wraps `inner`; `signal` decides how it closes.
    pub fn new(inner: TlsStream<TcpStream>, signal: std::sync::Arc<AbortSignal>) -> Self {
        AbortableIo { inner, signal }
    }

    fn check(&self) -> io::Result<()> {
        if self.signal.is_aborted() {
            Err(io::ErrorKind::ConnectionReset.into())
        } else {
            Ok(())
        }
    }
}

impl Drop for AbortableIo {
    fn drop(&mut self) {
        if self.signal.is_aborted() {
            // Best effort: if it fails the peer sees a FIN instead of a RST.
            let _ = self.inner.get_ref().0.set_zero_linger();
        }
    }
}

impl AsyncRead for AbortableIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for AbortableIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
