//! The Finnish payments domain: pure, no I/O, available in every build (including wasm32).

pub mod amount;
pub mod barcode;
pub mod bic;
pub mod iban;
pub mod reference;
pub mod rf;
