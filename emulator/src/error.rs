//! Errors that stop an emulator from starting or running.

use std::path::PathBuf;

/// Why the emulator could not start (or keep serving).
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    /// Reading or writing a file in the state directory failed.
    #[error("state file {path}: {source}")]
    StateFile {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file in the state directory is present but not usable.
    #[error("state file {path} is invalid: {reason}")]
    InvalidState {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// Generating keys or certificates failed.
    #[error("certificate generation failed: {0}")]
    Certificate(String),
    /// Building the TLS configuration failed.
    #[error("TLS configuration failed: {0}")]
    Tls(String),
    /// Binding a listening socket failed.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The requested port.
        port: u16,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A scenario file could not be read or parsed.
    #[error("scenario: {0}")]
    Scenario(String),
    /// Any other I/O failure while serving.
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
}
