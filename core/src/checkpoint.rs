//! Where a transaction watcher remembers what its consumer has acknowledged.
//!
//! A [`crate::watch::Watcher`] delivers every transaction at least once and, once the consumer
//! acknowledges it, never again — also across restarts and `kill -9`. It achieves that by
//! saving an [`AccountCheckpoint`] per watched account to a [`CheckpointStore`] on every
//! acknowledgement, *before* the acknowledgement returns.
//!
//! Two stores ship with the crate: [`MemoryCheckpointStore`] (tests, short-lived processes)
//! and [`FileCheckpointStore`] (one versioned JSON file, replaced atomically so a crash mid-write
//! leaves either the old or the new file, never a torn one). Anything else — a database row, a
//! key-value store — plugs in by implementing the object-safe [`CheckpointStore`] trait.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// The checkpoint file format this version writes and reads.
pub const FILE_FORMAT_VERSION: u32 = 1;

/// Marker written into every checkpoint file, so a wrong file is recognised as such.
const FILE_FORMAT_NAME: &str = "opcorp-watch-checkpoint";

/// One acknowledged transaction, kept while it can still show up in a scan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AckedTransaction {
    /// Registration time of the transaction, microseconds since the Unix epoch.
    pub timestamp: i64,
    /// OP's `objectId` of the transaction.
    pub object_id: String,
}

/// What a watcher must remember about one account to neither lose nor repeat a transaction.
///
/// The invariants the watcher keeps: every transaction it delivered but that was not yet
/// acknowledged has `timestamp >= anchor - lookback`, so a restarted watcher that scans from
/// there finds it again; and every acknowledged transaction in that range is listed in
/// `acked`, so the restarted watcher skips it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountCheckpoint {
    /// Transactions registered before this time (µs) are never delivered: the point where
    /// watching this account began.
    pub floor: i64,
    /// Acknowledgement watermark (µs): everything the watcher found before it is acknowledged.
    pub anchor: i64,
    /// Acknowledged transactions with `timestamp >= anchor - lookback`, oldest first.
    pub acked: Vec<AckedTransaction>,
}

impl AccountCheckpoint {
    /// A fresh checkpoint for an account whose watching starts at `start` (µs).
    pub fn starting_at(start: i64) -> Self {
        AccountCheckpoint {
            floor: start,
            anchor: start,
            acked: Vec::new(),
        }
    }
}

/// Persists [`AccountCheckpoint`]s, keyed by the account's surrogate id.
///
/// Object-safe and synchronous: the watcher calls it from a blocking thread
/// (`tokio::task::spawn_blocking`), so an implementation may do blocking I/O. `save` must be
/// durable when it returns `Ok`: the watcher reports an acknowledgement as done only then.
pub trait CheckpointStore: Send + Sync {
    /// The stored checkpoint of `account`, or `None` when it was never saved.
    fn load(&self, account: &str) -> Result<Option<AccountCheckpoint>>;

    /// Replaces the stored checkpoint of `account`, durably.
    fn save(&self, account: &str, checkpoint: &AccountCheckpoint) -> Result<()>;
}

impl<T: CheckpointStore + ?Sized> CheckpointStore for Arc<T> {
    fn load(&self, account: &str) -> Result<Option<AccountCheckpoint>> {
        (**self).load(account)
    }

    fn save(&self, account: &str, checkpoint: &AccountCheckpoint) -> Result<()> {
        (**self).save(account, checkpoint)
    }
}

impl std::fmt::Debug for dyn CheckpointStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("dyn CheckpointStore")
    }
}

/// Keeps checkpoints in memory only: nothing survives the process.
#[derive(Debug, Default)]
pub struct MemoryCheckpointStore {
    accounts: Mutex<BTreeMap<String, AccountCheckpoint>>,
}

impl MemoryCheckpointStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryCheckpointStore::default()
    }

    /// A copy of every stored checkpoint, by account.
    pub fn snapshot(&self) -> BTreeMap<String, AccountCheckpoint> {
        lock(&self.accounts).clone()
    }
}

impl CheckpointStore for MemoryCheckpointStore {
    fn load(&self, account: &str) -> Result<Option<AccountCheckpoint>> {
        Ok(lock(&self.accounts).get(account).cloned())
    }

    fn save(&self, account: &str, checkpoint: &AccountCheckpoint) -> Result<()> {
        lock(&self.accounts).insert(account.to_owned(), checkpoint.clone());
        Ok(())
    }
}

/// The on-disk shape of a [`FileCheckpointStore`] file.
#[derive(Debug, Serialize, Deserialize)]
struct CheckpointFile {
    format: String,
    version: u32,
    accounts: BTreeMap<String, AccountCheckpoint>,
}

/// Keeps every account's checkpoint in one JSON file.
///
/// Each save rewrites the whole file through a temporary file in the same directory that is
/// written, `fsync`ed and then renamed over the old one (and the directory is `fsync`ed), so a
/// crash at any instant leaves either the previous or the new content. The file carries a
/// format name and version; a file of another format or a newer version is refused rather
/// than misread. One process at a time may use a file.
#[derive(Debug)]
pub struct FileCheckpointStore {
    path: PathBuf,
    accounts: Mutex<BTreeMap<String, AccountCheckpoint>>,
}

impl FileCheckpointStore {
    /// Opens the store at `path`, reading the file when it exists (it is created on the first
    /// save). Fails with a [`ErrorKind::Config`] error when the file is unreadable, not a
    /// checkpoint file, or of an unsupported version.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let accounts = match fs::read(&path) {
            Ok(bytes) => parse_file(&path, &bytes)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(io_error(&path, "cannot read", e)),
        };
        Ok(FileCheckpointStore {
            path,
            accounts: Mutex::new(accounts),
        })
    }

    /// The file this store writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A copy of every stored checkpoint, by account.
    pub fn snapshot(&self) -> BTreeMap<String, AccountCheckpoint> {
        lock(&self.accounts).clone()
    }

    /// Writes `accounts` to the file atomically: temp file, fsync, rename, fsync directory.
    fn write_file(&self, accounts: &BTreeMap<String, AccountCheckpoint>) -> Result<()> {
        let file = CheckpointFile {
            format: FILE_FORMAT_NAME.to_owned(),
            version: FILE_FORMAT_VERSION,
            accounts: accounts.clone(),
        };
        let bytes = serde_json::to_vec_pretty(&file).map_err(|e| {
            Error::new(ErrorKind::Config, "cannot encode the checkpoint").with_source(e)
        })?;
        let dir = match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "checkpoint".to_owned());
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let result = write_synced(&tmp, &bytes)
            .and_then(|()| fs::rename(&tmp, &self.path))
            .map_err(|e| io_error(&self.path, "cannot write", e));
        if result.is_err() {
            // Best effort: a leftover temp file is harmless, it is never read.
            let _ = fs::remove_file(&tmp);
        }
        result?;
        sync_dir(&dir).map_err(|e| io_error(&dir, "cannot sync directory", e))
    }
}

impl CheckpointStore for FileCheckpointStore {
    fn load(&self, account: &str) -> Result<Option<AccountCheckpoint>> {
        Ok(lock(&self.accounts).get(account).cloned())
    }

    fn save(&self, account: &str, checkpoint: &AccountCheckpoint) -> Result<()> {
        // The lock is held across the write so that concurrent saves reach the disk in the
        // same order as they change the map: the file never goes back to an older state.
        let mut accounts = lock(&self.accounts);
        let previous = accounts.insert(account.to_owned(), checkpoint.clone());
        if let Err(e) = self.write_file(&accounts) {
            match previous {
                Some(old) => accounts.insert(account.to_owned(), old),
                None => accounts.remove(account),
            };
            return Err(e);
        }
        Ok(())
    }
}

/// Parses and validates a checkpoint file's content.
fn parse_file(path: &Path, bytes: &[u8]) -> Result<BTreeMap<String, AccountCheckpoint>> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        Error::config(format!(
            "checkpoint file {} is not valid JSON: {e}",
            path.display()
        ))
    })?;
    let format = value.get("format").and_then(|v| v.as_str());
    if format != Some(FILE_FORMAT_NAME) {
        return Err(Error::config(format!(
            "{} is not an opcorp watch checkpoint file",
            path.display()
        )));
    }
    let version = value.get("version").and_then(|v| v.as_u64());
    if version != Some(u64::from(FILE_FORMAT_VERSION)) {
        return Err(Error::config(format!(
            "checkpoint file {} has format version {}, this opcorp reads version {}",
            path.display(),
            version.map_or_else(|| "(none)".to_owned(), |v| v.to_string()),
            FILE_FORMAT_VERSION
        )));
    }
    let file: CheckpointFile = serde_json::from_value(value).map_err(|e| {
        Error::config(format!(
            "checkpoint file {} is malformed: {e}",
            path.display()
        ))
    })?;
    Ok(file.accounts)
}

/// Creates `path` (replacing a leftover), writes `bytes` and flushes them to the disk.
fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes a rename inside `dir` durable (a no-op where directories cannot be opened).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    if cfg!(unix) {
        File::open(dir)?.sync_all()
    } else {
        Ok(())
    }
}

/// A [`ErrorKind::Config`] error naming the file and the I/O failure.
fn io_error(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::config(format!("{what} checkpoint file {}: {e}", path.display())).with_source(e)
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it (the maps are always
/// left consistent: every mutation is a single insert or remove).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> AccountCheckpoint {
        AccountCheckpoint {
            floor: 10,
            anchor: 20,
            acked: vec![AckedTransaction {
                timestamp: 20,
                object_id: "50001520012345_2024-06-01_20240601512345678901_1".into(),
            }],
        }
    }

    #[test]
    fn memory_store_round_trips() {
        let store = MemoryCheckpointStore::new();
        assert_eq!(store.load("a").unwrap(), None);
        store.save("a", &sample()).unwrap();
        assert_eq!(store.load("a").unwrap(), Some(sample()));
        assert_eq!(store.snapshot().len(), 1);
    }

    #[test]
    fn file_store_persists_across_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cp.json");
        let store = FileCheckpointStore::open(&path).unwrap();
        assert_eq!(store.load("acc=").unwrap(), None);
        store.save("acc=", &sample()).unwrap();
        store
            .save("other", &AccountCheckpoint::starting_at(5))
            .unwrap();
        drop(store);
        let reopened = FileCheckpointStore::open(&path).unwrap();
        assert_eq!(reopened.load("acc=").unwrap(), Some(sample()));
        assert_eq!(
            reopened.load("other").unwrap(),
            Some(AccountCheckpoint::starting_at(5))
        );
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"version\": 1"), "{text}");
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn file_store_refuses_foreign_or_newer_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cp.json");
        fs::write(&path, b"{\"format\":\"something-else\",\"version\":1}").unwrap();
        let err = FileCheckpointStore::open(&path).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        assert!(err.message().contains("not an opcorp"), "{err}");

        fs::write(
            &path,
            b"{\"format\":\"opcorp-watch-checkpoint\",\"version\":2,\"accounts\":{}}",
        )
        .unwrap();
        let err = FileCheckpointStore::open(&path).unwrap_err();
        assert!(err.message().contains("version 2"), "{err}");

        fs::write(&path, b"{\"format\":\"opcorp-wat").unwrap();
        let err = FileCheckpointStore::open(&path).unwrap_err();
        assert!(err.message().contains("not valid JSON"), "{err}");
    }

    #[test]
    fn failed_write_keeps_the_previous_state() {
        let dir = tempfile::tempdir().unwrap();
        // The store's file lives in a directory that disappears: every write fails.
        let gone = dir.path().join("gone");
        fs::create_dir(&gone).unwrap();
        let store = FileCheckpointStore::open(gone.join("cp.json")).unwrap();
        fs::remove_dir(&gone).unwrap();
        let err = store.save("a", &sample()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        assert_eq!(store.load("a").unwrap(), None);
    }

    #[test]
    fn stores_are_object_safe_and_shareable() {
        let shared: Arc<dyn CheckpointStore> = Arc::new(MemoryCheckpointStore::new());
        let again = Arc::clone(&shared);
        again.save("x", &sample()).unwrap();
        assert_eq!(shared.load("x").unwrap(), Some(sample()));
    }
}
