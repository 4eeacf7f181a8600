//! The lease protocol on `opcorp_watch_account`: sync the watched set, claim due accounts,
//! renew, store checkpoints under the fence, release. Every statement is one `UPDATE` (or
//! `INSERT`), i.e. one transaction, whose `WHERE` re-checks the lease on the row version it
//! writes, so two workers can never both believe they hold an account.

use std::time::Duration;

use serde_json::Value;

use super::{PgStore, db_error};
use crate::checkpoint::AccountCheckpoint;
use crate::error::{Error, ErrorKind, Result};

/// One account of the watched set, with the mandate its calls act for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchedAccount {
    /// Surrogate id of the account.
    pub account: String,
    /// The mandate of the client company that owns it (`None`: the client's own account).
    pub mandate: Option<String>,
}

/// One account row, as operators and tests see it.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRow {
    /// Surrogate id of the account.
    pub account: String,
    /// The mandate its calls act for, if any.
    pub mandate: Option<String>,
    /// Whether the account is in the watched set.
    pub active: bool,
    /// The stored checkpoint (`None` until the account was first claimed).
    pub checkpoint: Option<AccountCheckpoint>,
    /// The worker holding the lease, if any (the lease may have expired).
    pub lease_owner: Option<String>,
    /// Whether the lease is still running.
    pub lease_valid: bool,
    /// The fencing token.
    pub fence: i64,
}

/// An account a claim handed to this worker.
#[derive(Debug)]
pub(crate) struct Claimed {
    pub(crate) account: String,
    pub(crate) mandate: Option<String>,
    pub(crate) fence: i64,
    pub(crate) checkpoint: Option<AccountCheckpoint>,
}

/// Milliseconds as the `int8` the statements multiply with `interval '1 millisecond'`.
fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// A checkpoint as the JSON stored in the `checkpoint` column.
fn to_json(checkpoint: &AccountCheckpoint) -> Result<Value> {
    serde_json::to_value(checkpoint)
        .map_err(|e| Error::config("cannot encode the checkpoint").with_source(e))
}

/// A stored checkpoint back from JSON.
fn from_json(account: &str, value: Option<Value>) -> Result<Option<AccountCheckpoint>> {
    value
        .map(|v| {
            serde_json::from_value(v).map_err(|e| {
                Error::config(format!(
                    "the stored checkpoint of account {account} is malformed: {e}"
                ))
            })
        })
        .transpose()
}

/// The error of a write refused because the lease is gone.
pub(crate) fn lease_lost(account: &str) -> Error {
    Error::new(
        ErrorKind::Conflict,
        format!(
            "the lease on account {account} was lost (expired or taken over): the write was \
             refused by its fencing token and the account will be redelivered by its new owner"
        ),
    )
}

impl PgStore {
    /// Makes `accounts` (the client's own) the watched set of the group: missing rows are
    /// added, rows that left are kept (with their checkpoints) but marked inactive, so no
    /// worker polls them.
    pub async fn sync_accounts(&self, accounts: &[String]) -> Result<()> {
        let watched: Vec<WatchedAccount> = accounts
            .iter()
            .map(|account| WatchedAccount {
                account: account.clone(),
                mandate: None,
            })
            .collect();
        self.sync_watched(&watched).await
    }

    /// Like [`Self::sync_accounts`] for accounts that may belong to mandates. An account
    /// whose mandate changed (e.g. one mandate revoked, another one of the same company
    /// still covering it) is handed over as if to a new owner: its fencing token moves on
    /// and its lease ends, so the worker polling it under the old mandate stops, and the
    /// next claim polls it under the new one.
    pub async fn sync_watched(&self, accounts: &[WatchedAccount]) -> Result<()> {
        let client = self.client().await?;
        let (ids, mandates): (Vec<&str>, Vec<Option<&str>>) = accounts
            .iter()
            .map(|a| (a.account.as_str(), a.mandate.as_deref()))
            .unzip();
        client
            .execute(
                "INSERT INTO opcorp_watch_account AS w (watch_group, account_id, mandate_id)
                 SELECT $1, a, m FROM unnest($2::text[], $3::text[]) AS t(a, m)
                 ON CONFLICT (watch_group, account_id) DO UPDATE SET
                     active = true,
                     mandate_id = excluded.mandate_id,
                     fence = CASE WHEN w.mandate_id IS DISTINCT FROM excluded.mandate_id
                                  THEN w.fence + 1 ELSE w.fence END,
                     lease_owner = CASE WHEN w.mandate_id IS DISTINCT FROM excluded.mandate_id
                                        THEN NULL ELSE w.lease_owner END,
                     lease_expires_at =
                         CASE WHEN w.mandate_id IS DISTINCT FROM excluded.mandate_id
                              THEN NULL ELSE w.lease_expires_at END,
                     updated_at = now()
                 WHERE NOT w.active OR w.mandate_id IS DISTINCT FROM excluded.mandate_id",
                &[&self.group, &ids, &mandates],
            )
            .await
            .map_err(|e| db_error("cannot add the watched accounts", e))?;
        client
            .execute(
                "UPDATE opcorp_watch_account SET active = false, updated_at = now()
                 WHERE watch_group = $1 AND active AND NOT (account_id = ANY($2::text[]))",
                &[&self.group, &ids],
            )
            .await
            .map_err(|e| db_error("cannot retire accounts that left the set", e))?;
        Ok(())
    }

    /// Claims up to `limit` due accounts for `owner`: its own (whatever their lease), and —
    /// when `take_new` — free ones or ones whose lease expired. Accounts in `running` (polls
    /// this worker has under way) are skipped. The lease runs for `lease`, and the account
    /// is not due again before then (the poll's end sets the real next time). The fencing
    /// token is incremented when the account changes owner.
    pub(crate) async fn claim(
        &self,
        owner: &str,
        running: &[String],
        limit: usize,
        take_new: bool,
        lease: Duration,
    ) -> Result<Vec<Claimed>> {
        let client = self.client().await?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = client
            .query(
                "WITH due AS (
                     SELECT account_id FROM opcorp_watch_account
                     WHERE watch_group = $1 AND active AND next_poll_at <= now()
                       AND NOT (account_id = ANY($3::text[]))
                       AND (lease_owner = $2
                            OR ($5 AND (lease_owner IS NULL OR lease_expires_at <= now())))
                     ORDER BY next_poll_at
                     LIMIT $4
                     FOR UPDATE SKIP LOCKED)
                 UPDATE opcorp_watch_account a SET
                     fence = CASE WHEN a.lease_owner IS NOT DISTINCT FROM $2
                                  THEN a.fence ELSE a.fence + 1 END,
                     lease_owner = $2,
                     lease_expires_at = now() + $6::int8 * interval '1 millisecond',
                     next_poll_at = now() + $6::int8 * interval '1 millisecond',
                     updated_at = now()
                 FROM due
                 WHERE a.watch_group = $1 AND a.account_id = due.account_id
                 RETURNING a.account_id, a.fence, a.checkpoint, a.mandate_id",
                &[&self.group, &owner, &running, &limit, &take_new, &ms(lease)],
            )
            .await
            .map_err(|e| db_error("cannot claim accounts", e))?;
        rows.into_iter()
            .map(|row| {
                let account: String = row.get(0);
                let checkpoint = from_json(&account, row.get(2))?;
                Ok(Claimed {
                    fence: row.get(1),
                    mandate: row.get(3),
                    account,
                    checkpoint,
                })
            })
            .collect()
    }

    /// Stores `checkpoint` for `account` if `owner` still holds the lease with `fence`, and
    /// extends the lease by `lease`. Fails with [`ErrorKind::Conflict`] when the lease is gone:
    /// then nothing was written.
    pub(crate) async fn store_checkpoint(
        &self,
        owner: &str,
        account: &str,
        fence: i64,
        checkpoint: &AccountCheckpoint,
        lease: Duration,
    ) -> Result<()> {
        let client = self.client().await?;
        let written = client
            .execute(
                "UPDATE opcorp_watch_account SET
                     checkpoint = $5,
                     lease_expires_at = now() + $6::int8 * interval '1 millisecond',
                     updated_at = now()
                 WHERE watch_group = $1 AND account_id = $2 AND lease_owner = $3
                   AND fence = $4 AND lease_expires_at > now()",
                &[
                    &self.group,
                    &account,
                    &owner,
                    &fence,
                    &to_json(checkpoint)?,
                    &ms(lease),
                ],
            )
            .await
            .map_err(|e| db_error("cannot store the checkpoint", e))?;
        if written == 1 {
            Ok(())
        } else {
            Err(lease_lost(account))
        }
    }

    /// Ends a poll: the account is due again in `next_in`, the lease runs for `lease` more,
    /// and `checkpoint` (when given) is stored — all only while the lease is held. Returns
    /// whether it was.
    pub(crate) async fn finish_poll(
        &self,
        owner: &str,
        account: &str,
        fence: i64,
        next_in: Duration,
        lease: Duration,
        checkpoint: Option<&AccountCheckpoint>,
    ) -> Result<bool> {
        let client = self.client().await?;
        let json = checkpoint.map(to_json).transpose()?;
        let written = client
            .execute(
                "UPDATE opcorp_watch_account SET
                     next_poll_at = now() + $5::int8 * interval '1 millisecond',
                     lease_expires_at = now() + $6::int8 * interval '1 millisecond',
                     checkpoint = coalesce($7, checkpoint),
                     updated_at = now()
                 WHERE watch_group = $1 AND account_id = $2 AND lease_owner = $3
                   AND fence = $4 AND lease_expires_at > now() AND active",
                &[
                    &self.group,
                    &account,
                    &owner,
                    &fence,
                    &ms(next_in),
                    &ms(lease),
                    &json,
                ],
            )
            .await
            .map_err(|e| db_error("cannot end the poll", e))?;
        Ok(written == 1)
    }

    /// Extends the leases `owner` holds on `held` (account, fence) by `lease`, and records
    /// the worker as alive. Returns the accounts whose lease was renewed; the others are
    /// lost (expired and taken over, or left the watched set).
    pub(crate) async fn renew(
        &self,
        owner: &str,
        held: &[(String, i64)],
        lease: Duration,
    ) -> Result<Vec<String>> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO opcorp_watch_worker (watch_group, owner) VALUES ($1, $2)
                 ON CONFLICT (watch_group, owner) DO UPDATE SET seen_at = now()",
                &[&self.group, &owner],
            )
            .await
            .map_err(|e| db_error("cannot record the worker", e))?;
        // Workers gone for a day are forgotten (each restart registers a new owner).
        client
            .execute(
                "DELETE FROM opcorp_watch_worker
                 WHERE watch_group = $1 AND seen_at < now() - interval '1 day'",
                &[&self.group],
            )
            .await
            .map_err(|e| db_error("cannot forget old workers", e))?;
        let (ids, fences): (Vec<&str>, Vec<i64>) =
            held.iter().map(|(a, f)| (a.as_str(), *f)).unzip();
        let rows = client
            .query(
                "UPDATE opcorp_watch_account a SET
                     lease_expires_at = now() + $5::int8 * interval '1 millisecond'
                 FROM unnest($2::text[], $3::int8[]) AS h(account_id, fence)
                 WHERE a.watch_group = $1 AND a.account_id = h.account_id
                   AND a.fence = h.fence AND a.lease_owner = $4
                   AND a.lease_expires_at > now() AND a.active
                 RETURNING a.account_id",
                &[&self.group, &ids, &fences, &owner, &ms(lease)],
            )
            .await
            .map_err(|e| db_error("cannot renew leases", e))?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
    }

    /// The fair share of one worker: `ceil(active accounts / workers seen within
    /// `alive`)`, counting `owner` as alive.
    pub(crate) async fn fair_share(&self, owner: &str, alive: Duration) -> Result<usize> {
        let client = self.client().await?;
        let row = client
            .query_one(
                "SELECT
                   (SELECT count(*) FROM opcorp_watch_account WHERE watch_group = $1 AND active),
                   (SELECT count(*) FROM opcorp_watch_worker WHERE watch_group = $1
                      AND owner <> $2
                      AND seen_at > now() - $3::int8 * interval '1 millisecond')",
                &[&self.group, &owner, &ms(alive)],
            )
            .await
            .map_err(|e| db_error("cannot count workers", e))?;
        let accounts = usize::try_from(row.get::<_, i64>(0)).unwrap_or(0);
        let others = usize::try_from(row.get::<_, i64>(1)).unwrap_or(0);
        Ok(accounts.div_ceil(others + 1))
    }

    /// Gives up the leases on `accounts` (account, fence) at once, so other workers may
    /// claim them; the next owner gets a new fencing token.
    pub(crate) async fn release(&self, owner: &str, accounts: &[(String, i64)]) -> Result<()> {
        let client = self.client().await?;
        let (ids, fences): (Vec<&str>, Vec<i64>) =
            accounts.iter().map(|(a, f)| (a.as_str(), *f)).unzip();
        client
            .execute(
                "UPDATE opcorp_watch_account a SET
                     lease_owner = NULL, lease_expires_at = NULL, next_poll_at = now()
                 FROM unnest($2::text[], $3::int8[]) AS h(account_id, fence)
                 WHERE a.watch_group = $1 AND a.account_id = h.account_id
                   AND a.fence = h.fence AND a.lease_owner = $4",
                &[&self.group, &ids, &fences, &owner],
            )
            .await
            .map_err(|e| db_error("cannot release leases", e))?;
        Ok(())
    }
}

/// Every account row of the store's group, by account id.
pub(super) async fn account_rows(store: &PgStore) -> Result<Vec<AccountRow>> {
    let client = store.client().await?;
    let rows = client
        .query(
            "SELECT account_id, active, checkpoint, lease_owner,
                    coalesce(lease_expires_at > now(), false), fence, mandate_id
             FROM opcorp_watch_account WHERE watch_group = $1 ORDER BY account_id",
            &[&store.group],
        )
        .await
        .map_err(|e| db_error("cannot read the accounts", e))?;
    rows.into_iter()
        .map(|row| {
            let account: String = row.get(0);
            let checkpoint = from_json(&account, row.get(2))?;
            Ok(AccountRow {
                active: row.get(1),
                checkpoint,
                lease_owner: row.get(3),
                lease_valid: row.get(4),
                fence: row.get(5),
                mandate: row.get(6),
                account,
            })
        })
        .collect()
}
