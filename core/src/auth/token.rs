//! The access-token cache: one token shared by every call of a client, refreshed ahead of
//! expiry, with single-flight refresh.
//!
//! Expiry is measured on tokio's monotonic clock, so a wall-clock jump (NTP, a VM resume, a
//! shifted system clock) neither keeps a dead token nor throws away a live one.
//!
//! Single flight: a refresh happens under an async mutex, and every caller re-checks the cache
//! after taking it. N callers that find the token stale at the same instant therefore cause one
//! token request; the rest wait and reuse its result. A refresh after a 401 names the
//! generation of the token that was refused and only fetches if that token is still the cached
//! one, so 100 concurrent 401s for the same token cause one refresh, not 100. A failed fetch
//! is shared the same way: callers that queued behind it get its error instead of each
//! trying again, so a token-endpoint outage under load is not multiplied by the caller count.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;
use zeroize::Zeroizing;

use crate::error::{Error, ErrorKind, Result};

/// Lifetime assumed when the token response has no `expires_in` (OP's docs do not show the
/// field or the lifetime; five minutes is short enough to be safe and long enough to matter).
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(300);

/// A token as the token endpoint returned it.
pub(crate) struct FetchedToken {
    /// The bearer token.
    pub(crate) value: Zeroizing<String>,
    /// How long the server says it lives (`expires_in`, or [`DEFAULT_TOKEN_LIFETIME`]).
    pub(crate) lifetime: Duration,
}

impl std::fmt::Debug for FetchedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FetchedToken")
            .field("value", &"[REDACTED]")
            .field("lifetime", &self.lifetime)
            .finish()
    }
}

/// A cached bearer token and the generation that identifies it.
pub(crate) struct AccessToken {
    value: Zeroizing<String>,
    generation: u64,
}

impl AccessToken {
    /// The bearer token, for the `Authorization` header only.
    pub(crate) fn secret(&self) -> &str {
        &self.value
    }

    /// Which fetch produced this token (1 for the first).
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("value", &"[REDACTED]")
            .field("generation", &self.generation)
            .finish()
    }
}

/// The cached token and its deadlines.
struct Entry {
    token: Arc<AccessToken>,
    refresh_at: Instant,
}

/// State guarded by the refresh lock.
#[derive(Default)]
struct RefreshState {
    /// Generation of the last token fetched.
    generation: u64,
    /// The error of the last fetch, if it failed.
    last_failure: Option<FailedFetch>,
}

/// What is kept of a failed fetch to hand the same error to the callers queued behind it.
struct FailedFetch {
    kind: ErrorKind,
    message: String,
    status: Option<u16>,
    request_id: Option<String>,
}

impl FailedFetch {
    fn of(err: &Error) -> Self {
        FailedFetch {
            kind: err.kind(),
            message: err.message().to_owned(),
            status: err.status(),
            request_id: err.request_id().map(str::to_owned),
        }
    }

    fn to_error(&self) -> Error {
        let mut err = Error::new(self.kind, self.message.clone());
        if let Some(status) = self.status {
            err = err.with_status(status);
        }
        if let Some(id) = &self.request_id {
            err = err.with_request_id(id.clone());
        }
        err
    }
}

/// Shared token state of one client.
pub(crate) struct TokenCache {
    margin: Duration,
    current: Mutex<Option<Entry>>,
    refresh: tokio::sync::Mutex<RefreshState>,
    /// Fetches finished (success or failure), read before waiting for the refresh lock.
    fetches_done: AtomicU64,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCache")
            .field("margin", &self.margin)
            .field("token", &"[REDACTED]")
            .finish()
    }
}

impl TokenCache {
    /// An empty cache that refreshes `margin` before expiry (at most half the lifetime early,
    /// so a short-lived token is still reused).
    pub(crate) fn new(margin: Duration) -> Self {
        TokenCache {
            margin,
            current: Mutex::new(None),
            refresh: tokio::sync::Mutex::new(RefreshState::default()),
            fetches_done: AtomicU64::new(0),
        }
    }

    /// The cached token if it is not due for refresh.
    fn fresh(&self) -> Option<Arc<AccessToken>> {
        let guard = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        guard
            .as_ref()
            .filter(|e| Instant::now() < e.refresh_at)
            .map(|e| Arc::clone(&e.token))
    }

    /// A valid token: the cached one, or one obtained by `fetch` (single flight).
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<Arc<AccessToken>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<FetchedToken>>,
    {
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let seen = self.fetches_done.load(Ordering::Acquire);
        let mut state = self.refresh.lock().await;
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        if let Some(err) = self.failed_while_waiting(&state, seen) {
            return Err(err);
        }
        self.fetch_and_store(&mut state, fetch).await
    }

    /// A replacement for the token of generation `rejected`, which the server refused with
    /// 401. Fetches only if that token is still the cached one; otherwise returns the token
    /// another caller already fetched.
    pub(crate) async fn refresh_rejected<F, Fut>(
        &self,
        rejected: u64,
        fetch: F,
    ) -> Result<Arc<AccessToken>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<FetchedToken>>,
    {
        let seen = self.fetches_done.load(Ordering::Acquire);
        let mut state = self.refresh.lock().await;
        if let Some(err) = self.failed_while_waiting(&state, seen) {
            return Err(err);
        }
        {
            let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
            match current.as_ref() {
                Some(e) if e.token.generation != rejected && Instant::now() < e.refresh_at => {
                    return Ok(Arc::clone(&e.token));
                }
                // Drop the refused token so nobody else keeps using it if the fetch fails.
                _ => *current = None,
            }
        }
        self.fetch_and_store(&mut state, fetch).await
    }

    /// The error of a fetch that finished (and failed) while this caller waited for the lock.
    fn failed_while_waiting(&self, state: &RefreshState, seen: u64) -> Option<Error> {
        if self.fetches_done.load(Ordering::Acquire) == seen {
            return None;
        }
        state.last_failure.as_ref().map(FailedFetch::to_error)
    }

    /// Fetches a token while holding the refresh lock and caches it.
    async fn fetch_and_store<F, Fut>(
        &self,
        state: &mut RefreshState,
        fetch: F,
    ) -> Result<Arc<AccessToken>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<FetchedToken>>,
    {
        let fetched_at = Instant::now();
        let fetched = fetch().await;
        self.fetches_done.fetch_add(1, Ordering::AcqRel);
        let fetched = match fetched {
            Ok(fetched) => fetched,
            Err(err) => {
                state.last_failure = Some(FailedFetch::of(&err));
                return Err(err);
            }
        };
        state.last_failure = None;
        state.generation += 1;
        let generation = state.generation;
        let early = self.margin.min(fetched.lifetime / 2);
        let token = Arc::new(AccessToken {
            value: fetched.value,
            generation,
        });
        tracing::debug!(
            generation,
            lifetime_secs = fetched.lifetime.as_secs(),
            "access token cached"
        );
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        *current = Some(Entry {
            token: Arc::clone(&token),
            refresh_at: fetched_at + fetched.lifetime - early,
        });
        Ok(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn fetcher(
        calls: &Arc<AtomicU32>,
        lifetime: Duration,
    ) -> impl FnOnce() -> std::pin::Pin<Box<dyn Future<Output = Result<FetchedToken>> + Send>> {
        let calls = Arc::clone(calls);
        move || {
            Box::pin(async move {
                let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
                Ok(FetchedToken {
                    value: Zeroizing::new(format!("token-{n}")),
                    lifetime,
                })
            })
        }
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_share_one_fetch_and_refresh_ahead_of_expiry() {
        let cache = Arc::new(TokenCache::new(Duration::from_secs(60)));
        let calls = Arc::new(AtomicU32::new(0));
        let mut tasks = Vec::new();
        for _ in 0..1000 {
            let (cache, calls) = (Arc::clone(&cache), Arc::clone(&calls));
            tasks.push(tokio::spawn(async move {
                cache
                    .get(fetcher(&calls, Duration::from_secs(600)))
                    .await
                    .unwrap()
                    .generation()
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), 1);
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // 600 s lifetime, 60 s margin: still cached at 539 s, refreshed at 541 s.
        tokio::time::advance(Duration::from_secs(539)).await;
        let t = cache.get(fetcher(&calls, Duration::from_secs(600))).await;
        assert_eq!(t.unwrap().generation(), 1);
        tokio::time::advance(Duration::from_secs(2)).await;
        let t = cache.get(fetcher(&calls, Duration::from_secs(600))).await;
        assert_eq!(t.unwrap().generation(), 2);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn short_lifetimes_are_still_reused() {
        let cache = TokenCache::new(Duration::from_secs(60));
        let calls = Arc::new(AtomicU32::new(0));
        for _ in 0..3 {
            cache
                .get(fetcher(&calls, Duration::from_secs(10)))
                .await
                .unwrap();
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn many_401s_for_one_token_refresh_once() {
        let cache = Arc::new(TokenCache::new(Duration::from_secs(60)));
        let calls = Arc::new(AtomicU32::new(0));
        let first = cache
            .get(fetcher(&calls, Duration::from_secs(600)))
            .await
            .unwrap();
        let mut tasks = Vec::new();
        for _ in 0..100 {
            let (cache, calls) = (Arc::clone(&cache), Arc::clone(&calls));
            let rejected = first.generation();
            tasks.push(tokio::spawn(async move {
                cache
                    .refresh_rejected(rejected, fetcher(&calls, Duration::from_secs(600)))
                    .await
                    .unwrap()
                    .generation()
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), 2);
        }
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn callers_queued_behind_a_failed_fetch_share_its_error() {
        let cache = Arc::new(TokenCache::new(Duration::from_secs(60)));
        let calls = Arc::new(AtomicU32::new(0));
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let (cache, calls) = (Arc::clone(&cache), Arc::clone(&calls));
            tasks.push(tokio::spawn(async move {
                cache
                    .get(|| async move {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Err(Error::new(ErrorKind::Server, "token endpoint down").with_status(503))
                    })
                    .await
                    .unwrap_err()
            }));
        }
        for t in tasks {
            let err = t.await.unwrap();
            assert_eq!((err.kind(), err.status()), (ErrorKind::Server, Some(503)));
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // A later caller tries again.
        let t = cache.get(fetcher(&calls, Duration::from_secs(60))).await;
        assert_eq!(t.unwrap().generation(), 1);
    }

    #[tokio::test]
    async fn failed_fetch_is_returned_and_debug_is_redacted() {
        let cache = TokenCache::new(Duration::from_secs(60));
        let err = cache
            .get(|| async { Err(crate::Error::new(crate::ErrorKind::Auth, "nope")) })
            .await
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Auth);
        let calls = Arc::new(AtomicU32::new(0));
        let t = cache
            .get(fetcher(&calls, Duration::from_secs(60)))
            .await
            .unwrap();
        assert!(!format!("{t:?} {cache:?}").contains("token-1"));
        assert_eq!(t.secret(), "token-1");
    }
}
