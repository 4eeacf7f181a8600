//! Checks that the committed `include/opcorp.h` is what cbindgen generates from this crate.

#[test]
fn committed_header_is_current() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/opcorp.h"));
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/include/opcorp.h");
    if std::env::var_os("OPCORP_UPDATE_HEADER").is_some_and(|v| v == "1") {
        std::fs::write(path, generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "bindings-c/include/opcorp.h is stale; regenerate it with \
         OPCORP_UPDATE_HEADER=1 cargo test -p opcorp-c header"
    );
}
