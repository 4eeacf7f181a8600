//! The Finnish payments domain: pure, no I/O, available in every build (including wasm32).

pub mod amount;
