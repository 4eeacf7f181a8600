//! A test aid for secret scans: with `OPCORP_EMULATOR_SECRETS_FILE` set, every client secret
//! and access token the emulator hands out is appended to that file, one per line, so a test
//! run can prove that none of them shows up in any log or output of the SDK. Off by default;
//! OP has nothing like it.

use std::fs::OpenOptions;
use std::io::Write;

/// The environment variable naming the file.
pub const SECRETS_FILE_ENV: &str = "OPCORP_EMULATOR_SECRETS_FILE";

/// Appends one issued secret to the file, when one is configured. Best effort: a test aid
/// must never make the emulator fail.
pub(crate) fn record(secret: &str) {
    let Some(path) = std::env::var_os(SECRETS_FILE_ENV) else {
        return;
    };
    if let Ok(mut file) = OpenOptions::new().create(true).append(true).open(path) {
        let _ = writeln!(file, "{secret}");
    }
}
