//! The start-up banner: where the emulator listens and how to point a client at it.

use std::fmt::Write;
use std::path::Path;

use crate::identity::ClientIdentity;

/// The banner text.
pub(crate) fn banner(
    base_url: &str,
    admin_url: &str,
    state_dir: &Path,
    temporary: bool,
    identity: &ClientIdentity,
) -> String {
    let mut out = String::new();
    let state = if temporary {
        " (temporary, deleted on shutdown)"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "opcorp-emulator: a local imitation of OP's Corporate Banking APIs"
    );
    let _ = writeln!(
        out,
        "  OP API     {base_url}  (HTTPS, client certificate required)"
    );
    let _ = writeln!(
        out,
        "  Admin API  {admin_url}/admin  (plain HTTP, loopback only)"
    );
    let _ = writeln!(out, "  State dir  {}{state}", state_dir.display());
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Demo client: a local development identity issued by this emulator's own CA, \
         not an OP credential, so its secret is printed here. Use it with:"
    );
    for (name, value) in identity.env_vars(base_url) {
        let _ = writeln!(out, "export {name}={}", shell_quote(&value));
    }
    out
}

/// Single-quotes `value` for POSIX shells.
fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}
