//! Checks that the committed `include/opcorp.h` is what cbindgen generates from this crate.
//!
//! cbindgen runs here, in the test, and not in build.rs: as a build-dependency it gave the
//! proc-macro crates that every build of the library compiles (syn and all its users) other
//! features than the rest of the workspace's builds, so the C binding recompiled most of its
//! dependency tree instead of reusing it (see workspace-hack/Cargo.toml).

#[test]
fn committed_header_is_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).unwrap();
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
        .unwrap()
        .write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();
    let path = dir.join("include/opcorp.h");
    if std::env::var_os("OPCORP_UPDATE_HEADER").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "bindings-c/include/opcorp.h is stale; regenerate it with \
         OPCORP_UPDATE_HEADER=1 cargo test -p opcorp-c header"
    );
}
