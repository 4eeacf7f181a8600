//! `opcorp_client`: one configured OP identity.

use opcorp::client::Client;

use crate::cfg::opcorp_client_config;
use crate::guard;
use crate::status::opcorp_status;

/// An authenticated client for OP's corporate APIs (mTLS + OAuth2).
///
/// Ownership: free with opcorp_client_free. Cursors and watchers made from it hold their own
/// reference, so they stay usable after the client is freed. Thread-safety: thread-safe; one client may be used by many threads at once, and
/// they share its connections, token and retry budget. Create one per identity.
pub struct opcorp_client {
    pub(crate) inner: Client,
}

/// Borrows the client argument of an API call.
///
/// # Safety
/// `client` must be NULL or live.
pub(crate) unsafe fn get<'a>(client: *const opcorp_client) -> Result<&'a Client, opcorp::Error> {
    // SAFETY: forwarded from the caller.
    unsafe { guard::handle(client, "client") }.map(|c| &c.inner)
}

/// Creates a client from a config, checking everything (URL, certificate and key readable
/// and matching, signing key). No network call is made.
/// OPCORP_CONFIG when a setting is missing or unusable.
///
/// Ownership: *out is owned by the caller; free it with opcorp_client_free. The config is
/// not consumed.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_new(
    config: *const opcorp_client_config,
    out: *mut *mut opcorp_client,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let config = unsafe { guard::handle(config, "config") }?;
        let inner = config.builder()?.build()?;
        *slot = guard::into_handle(opcorp_client { inner });
        Ok(())
    })
}

/// Creates a client from the OPCORP_* environment variables alone.
///
/// Ownership: *out is owned by the caller; free it with opcorp_client_free.
///
/// # Safety
/// `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_from_env(out: *mut *mut opcorp_client) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        *slot = guard::into_handle(opcorp_client {
            inner: Client::from_env()?,
        });
        Ok(())
    })
}

/// Frees a client. NULL is ignored.
///
/// # Safety
/// `client` must be NULL or an owned client that no other thread is using, not used
/// afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_client_free(client: *mut opcorp_client) {
    // Dropping reqwest's client may touch the runtime; enter it when it exists.
    guard::infallible((), || {
        let _context = crate::runtime::existing().map(|rt| rt.enter());
        // SAFETY: forwarded from the caller.
        unsafe { guard::free_handle(client) }
    });
}
