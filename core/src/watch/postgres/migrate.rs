//! The store's schema: versioned SQL files shipped in the crate, applied in order, each once.
//!
//! `opcorp_schema_version` records every applied version. [`migrate`] takes an exclusive lock
//! on that table inside one transaction, so concurrent `--init` runs apply each migration
//! exactly once (a table lock, not an advisory lock: it also works behind a transaction-mode
//! pooler). A database whose schema is newer than this build knows is refused, never touched.

use tokio_postgres::Client;

use super::db_error;
use crate::error::{Error, Result};

/// One migration: its version, a short name and its SQL.
struct Migration {
    version: i32,
    name: &'static str,
    sql: &'static str,
}

/// Every migration this build ships, oldest first.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "watch_leases",
        sql: include_str!("../../../migrations/postgres/0001_watch_leases.sql"),
    },
    Migration {
        version: 2,
        name: "watch_account_mandate",
        sql: include_str!("../../../migrations/postgres/0002_watch_account_mandate.sql"),
    },
];

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: i32 = 2;

const CREATE_VERSION_TABLE: &str = "CREATE TABLE IF NOT EXISTS opcorp_schema_version (
    version    integer     PRIMARY KEY,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)";

/// Applies every migration the database lacks; returns how many were applied.
pub(crate) async fn migrate(client: &mut Client) -> Result<usize> {
    if let Err(first) = client.batch_execute(CREATE_VERSION_TABLE).await {
        // Two processes creating the table at the same instant: one of them loses the race
        // on the catalog; by now the table exists.
        client
            .batch_execute(CREATE_VERSION_TABLE)
            .await
            .map_err(|_| db_error("cannot create the schema version table", first))?;
    }
    let tx = client
        .transaction()
        .await
        .map_err(|e| db_error("cannot start the migration", e))?;
    tx.batch_execute("LOCK TABLE opcorp_schema_version IN EXCLUSIVE MODE")
        .await
        .map_err(|e| db_error("cannot lock the schema version table", e))?;
    let current = current_version(&tx).await?;
    let mut applied = 0;
    for migration in MIGRATIONS.iter().filter(|m| m.version > current) {
        tx.batch_execute(migration.sql)
            .await
            .map_err(|e| db_error(&format!("migration {} failed", migration.version), e))?;
        tx.execute(
            "INSERT INTO opcorp_schema_version (version, name) VALUES ($1, $2)",
            &[&migration.version, &migration.name],
        )
        .await
        .map_err(|e| db_error("cannot record the migration", e))?;
        applied += 1;
    }
    tx.commit()
        .await
        .map_err(|e| db_error("cannot commit the migration", e))?;
    Ok(applied)
}

/// Fails unless the database holds exactly the schema this build uses.
pub(crate) async fn check(client: &Client) -> Result<()> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('opcorp_schema_version') IS NOT NULL",
            &[],
        )
        .await
        .map_err(|e| db_error("cannot read the schema version", e))?
        .get(0);
    let current = if exists {
        let row = client
            .query_one(
                "SELECT coalesce(max(version), 0) FROM opcorp_schema_version",
                &[],
            )
            .await
            .map_err(|e| db_error("cannot read the schema version", e))?;
        row.get::<_, i32>(0)
    } else {
        0
    };
    match current {
        v if v == SCHEMA_VERSION => Ok(()),
        v if v > SCHEMA_VERSION => Err(newer(v)),
        v => Err(Error::config(format!(
            "the database has opcorp schema version {v}, this build needs {SCHEMA_VERSION}: \
             initialise it (`opcorp watch --store URL --init` or PgStore::migrate)"
        ))),
    }
}

/// The highest applied version inside the migration transaction (0: none).
async fn current_version(tx: &tokio_postgres::Transaction<'_>) -> Result<i32> {
    let row = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM opcorp_schema_version",
            &[],
        )
        .await
        .map_err(|e| db_error("cannot read the schema version", e))?;
    let current: i32 = row.get(0);
    if current > SCHEMA_VERSION {
        return Err(newer(current));
    }
    Ok(current)
}

fn newer(version: i32) -> Error {
    Error::config(format!(
        "the database has opcorp schema version {version}, newer than this build's \
         {SCHEMA_VERSION}: upgrade opcorp"
    ))
}
