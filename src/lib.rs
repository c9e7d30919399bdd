//! planatlas: a static site generator for government development plans.
//!
//! Content (`content/`: plans as Markdown and TOML) flows one way through the components:
//! [`content`] → [`validate`] → [`analyse`] → [`render`], [`search`], [`open_data`], [`feeds`]
//! → [`output`], driven by [`build`](mod@build).
//!
//! The components stand in nine layers; a module imports only from layers below its own
//! (`tests/testsuite/layers.rs` keeps the rule, this file and `main.rs` stand outside it):
//!
//! | layer | components |
//! |---|---|
//! | 0 | [`util`], [`diagnostics`] |
//! | 1 | [`config`], [`output`], [`source`] |
//! | 2 | [`model`] |
//! | 3 | [`markdown`] |
//! | 4 | [`content`], [`validate`], [`provenance`] |
//! | 5 | [`analyse`] |
//! | 6 | [`render`], [`search`], [`open_data`], [`feeds`] |
//! | 7 | [`build`](mod@build), [`import`] |
//! | 8 | [`serve`], [`cmd`] |
//!
//! Three corollaries: only `content/` reads `content/` (`config` reads `site.toml` through
//! [`util::fs`]); only `render/` reads `themes/`; only
//! `output/` writes the output folder, and only `build/` knows the order of the stages.

// The components that binaries, tests, benches and fuzz targets use are public; the others are
// private, reached only through the components above them.
// Layer 0
pub mod diagnostics;
mod util;
// Layer 1
pub mod config;
mod output;
pub mod source;
// Layer 2
pub mod model;
// Layer 3
pub mod markdown;
// Layer 4
pub mod content;
pub mod provenance;
mod validate;
// Layer 5
pub mod analyse;
// Layer 6
mod feeds;
mod open_data;
mod render;
mod search;
// Layer 7
pub mod build;
pub mod import;
// Layer 8
pub mod cmd;
pub mod serve;

/// The parsers the fuzz targets and property tests drive.
pub mod parse {
    pub use crate::content::attrs::{parse_block, split_heading, split_list};
    pub use crate::content::frontmatter::split;
    pub use crate::diagnostics::toml::parse_toml;
    pub use crate::model::indicator::{format_number, parse_value};
}

pub use build::{build, build_and_discard, build_in_memory, BuildStats};
pub use config::BuildOptions;
pub use diagnostics::{BuildError, Diagnostic};
/// How a CSV cell that a spreadsheet would run as a formula is written (tests check it).
pub use open_data::neutralise_formula;
/// The allocator settings of the binaries (the command line and the benchmarks).
#[doc(hidden)]
pub use util::alloc;
/// A build's phases as `--timings` prints them, and the process's peak memory.
pub use util::phase::{self, Phase};
