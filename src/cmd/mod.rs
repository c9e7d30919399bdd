//! The commands other than `build` and `serve`: `init` (a new site), `synth` (a synthetic corpus
//! for benchmarks), and the provenance part of `check`.
//!
//! Layer 8, a front end: may use every layer below, `build` included.

pub mod check;
pub mod import;
pub mod init;
pub mod synth;
