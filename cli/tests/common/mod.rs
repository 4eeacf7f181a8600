//! Runs the built `opcorp` binary with a clean environment (no OPCORP_* from the developer's
//! shell, HOME pointing at an empty directory so no config file is read).

// Each test binary uses part of this module; helpers outside #[test] functions may unwrap
// like the tests themselves.
#![allow(dead_code, clippy::unwrap_used)]

pub mod pg;

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The result of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// Runs `opcorp args…` with `env` added to a clean environment and `stdin` piped in.
pub fn opcorp_with(args: &[&str], env: &[(String, String)], stdin: Option<&[u8]>) -> Run {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_opcorp"));
    cmd.args(args)
        .env_clear()
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    {
        let mut pipe = child.stdin.take().unwrap();
        if let Some(bytes) = stdin {
            pipe.write_all(bytes).unwrap();
        }
    }
    Run::from(child.wait_with_output().unwrap())
}

/// Runs `opcorp args…` offline (no extra environment, empty stdin).
pub fn opcorp(args: &[&str]) -> Run {
    opcorp_with(args, &[], None)
}
