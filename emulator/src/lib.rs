//! opcorp-emulator: a faithful local OP Corporate Banking API (being written).

pub mod bank;
