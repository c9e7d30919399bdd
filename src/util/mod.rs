//! Leaves: helpers that import nothing from the crate, for every layer above to use.
//!
//! Layer 0. May use the standard library and outside crates only.

pub mod alloc;
pub mod fs;
pub mod hash;
pub mod phase;
pub mod prefetch;
#[cfg(test)]
pub mod random;
pub mod scratch;
pub mod text;
