//! Sets the shared library's soname when `OPCORP_C_SONAME` is given. (The header
//! `include/opcorp.h` is checked against cbindgen by the unit test
//! `header::committed_header_is_current`.)

fn main() {
    // Installed libraries carry a versioned soname (`libopcorp.so.0`) so programs linked
    // today keep loading a compatible later build. `make install` and `scripts/dist` set
    // it; development builds leave it out so tests can load `target/*/libopcorp.so` as is.
    println!("cargo:rerun-if-env-changed=OPCORP_C_SONAME");
    if let Ok(soname) = std::env::var("OPCORP_C_SONAME")
        && std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
    {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
    }
}
