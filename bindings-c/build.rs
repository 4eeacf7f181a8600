//! Generates `opcorp.h` from the crate's `extern "C"` items with cbindgen into `OUT_DIR`.
//! The unit test `header::committed_header_is_current` compares it with the committed
//! `include/opcorp.h` (and rewrites that file when `OPCORP_UPDATE_HEADER=1`). Also sets the
//! shared library's soname when `OPCORP_C_SONAME` is given.

use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    // Installed libraries carry a versioned soname (`libopcorp.so.0`) so programs linked
    // today keep loading a compatible later build. `make install` and `scripts/dist` set
    // it; development builds leave it out so tests can load `target/*/libopcorp.so` as is.
    println!("cargo:rerun-if-env-changed=OPCORP_C_SONAME");
    if let Ok(soname) = std::env::var("OPCORP_C_SONAME")
        && std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
    {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
    }
    let config = match cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")) {
        Ok(config) => config,
        Err(e) => panic!("bindings-c/cbindgen.toml is unreadable: {e}"),
    };
    match cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src/lib.rs"))
        .generate()
    {
        Ok(bindings) => {
            bindings.write_to_file(out_dir.join("opcorp.h"));
        }
        Err(e) => panic!("cbindgen could not generate opcorp.h: {e}"),
    }
}
