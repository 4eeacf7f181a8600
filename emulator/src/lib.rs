//! Placeholder; the emulator is being built.
