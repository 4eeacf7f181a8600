//! One request-rate limit per client id across every process: a token bucket row.
//!
//! OP limits requests per client id, not per process. Each process takes tokens from the
//! row `opcorp_rate_bucket[bucket]` in small batches (one `UPDATE` that refills the bucket
//! by the elapsed time, capped at `burst`, and grants what is there) and spends them through
//! its local pacer. Over any window of `t` seconds all processes together send at most
//! `rate · t + burst` requests. A 429 seen by one process pauses the bucket for all of them.
//! When the database is unreachable the process falls back to its local pacer alone (and
//! logs it): polling goes on, claims and acknowledgements fail until it is back.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;

use super::{PgStore, db_error};
use crate::error::Result;
use crate::watch::limiter::RateLimiter;

/// The shared bucket plus this process's pacer and unspent tokens.
#[derive(Debug)]
pub(crate) struct SharedRateLimiter {
    store: Arc<PgStore>,
    bucket: String,
    rate: f64,
    batch: f64,
    local: RateLimiter,
    /// Tokens granted by the bucket and not yet spent.
    pool: Mutex<u32>,
}

impl SharedRateLimiter {
    /// A limiter of `rate` requests per second for every process sharing `bucket`.
    pub(crate) fn new(store: Arc<PgStore>, bucket: String, rate: f64) -> Self {
        // About a tenth of a second of requests per batch: few round trips, little unfairness.
        let batch = (rate / 10.0).clamp(1.0, 100.0).floor();
        SharedRateLimiter {
            store,
            bucket,
            rate,
            batch,
            local: RateLimiter::new(rate),
            pool: Mutex::new(0),
        }
    }

    /// Waits for a request slot that counts against the shared rate.
    pub(crate) async fn acquire(&self) {
        {
            let mut pool = self.pool.lock().await;
            while *pool == 0 {
                match take(&self.store, &self.bucket, self.rate, self.batch).await {
                    Ok(Grant::Tokens(n)) => *pool = n,
                    Ok(Grant::Wait(delay)) => tokio::time::sleep(delay).await,
                    Err(e) => {
                        tracing::warn!("shared rate limit unavailable, pacing locally: {e}");
                        *pool = 1;
                    }
                }
            }
            *pool -= 1;
        }
        self.local.acquire().await;
    }

    /// Pauses every process of the bucket for `delay` (the bank answered 429).
    pub(crate) async fn pause_for(&self, delay: Duration) {
        self.local.pause_for(delay);
        if let Err(e) = pause(&self.store, &self.bucket, delay).await {
            tracing::warn!("cannot pause the shared rate limit: {e}");
        }
    }
}

/// What the bucket gave.
#[derive(Debug, PartialEq)]
pub(crate) enum Grant {
    /// This many tokens.
    Tokens(u32),
    /// None now: try again after this long.
    Wait(Duration),
}

/// Takes up to `want` tokens from the bucket (created full on first use). The bucket holds
/// at most `want` tokens, so a burst never exceeds one batch per bucket.
pub(crate) async fn take(store: &PgStore, bucket: &str, rate: f64, want: f64) -> Result<Grant> {
    let client = store.client().await?;
    client
        .execute(
            "INSERT INTO opcorp_rate_bucket (bucket, tokens) VALUES ($1, $2)
             ON CONFLICT (bucket) DO NOTHING",
            &[&bucket, &want],
        )
        .await
        .map_err(|e| db_error("cannot create the rate bucket", e))?;
    let row = client
        .query_one(
            "WITH cur AS (
                 SELECT bucket, paused_until,
                        least($3::float8, tokens + $2::float8 * greatest(0::float8,
                              extract(epoch FROM clock_timestamp() - refilled_at)::float8)) AS avail
                 FROM opcorp_rate_bucket WHERE bucket = $1 FOR UPDATE),
             g AS (
                 SELECT bucket, avail, paused_until,
                        CASE WHEN paused_until > clock_timestamp() THEN 0::float8
                             ELSE greatest(0::float8, floor(avail)) END AS granted
                 FROM cur)
             UPDATE opcorp_rate_bucket b SET tokens = g.avail - g.granted,
                                             refilled_at = clock_timestamp()
             FROM g WHERE b.bucket = g.bucket
             RETURNING g.granted, g.avail - g.granted,
                       extract(epoch FROM greatest(g.paused_until, clock_timestamp())
                                          - clock_timestamp())::float8",
            &[&bucket, &rate, &want],
        )
        .await
        .map_err(|e| db_error("cannot take from the rate bucket", e))?;
    let granted: f64 = row.get(0);
    let left: f64 = row.get(1);
    let paused: f64 = row.get(2);
    if granted >= 1.0 {
        // At most `want` (≤ 100): the cast cannot truncate meaningfully.
        return Ok(Grant::Tokens(granted as u32));
    }
    let refill = ((1.0 - left) / rate).max(0.001);
    Ok(Grant::Wait(Duration::from_secs_f64(refill.max(paused))))
}

/// Grants no token of `bucket` for `delay` from now.
pub(crate) async fn pause(store: &PgStore, bucket: &str, delay: Duration) -> Result<()> {
    let client = store.client().await?;
    let ms = i64::try_from(delay.as_millis()).unwrap_or(i64::MAX);
    client
        .execute(
            "UPDATE opcorp_rate_bucket
             SET paused_until = greatest(paused_until, now() + $2::int8 * interval '1 millisecond')
             WHERE bucket = $1",
            &[&bucket, &ms],
        )
        .await
        .map_err(|e| db_error("cannot pause the rate bucket", e))?;
    Ok(())
}
