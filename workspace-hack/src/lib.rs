//! Build-time only: this crate has no code. Its manifest turns on the dependency features that
//! the Rust test build unifies, so that the bindings' builds reuse that build's compiled
//! dependencies instead of compiling them again with other features (see Cargo.toml).
