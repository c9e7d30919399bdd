//! planatlas: a static site generator for government development plans.
//!
//! Content (`content/`: plans as Markdown and TOML) flows one way through the modules:
//! [`load`] → [`validate`] → [`analyse`] → [`render`] → [`output`], driven by [`site`].

pub mod analyse;
pub mod build;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod feeds;
pub mod markdown;
pub mod model;
pub mod open_data;
pub mod output;
pub mod provenance;
pub mod render;
pub mod search;
pub mod serve;
pub mod util;
pub mod validate;

/// The parsers the fuzz targets and property tests drive.
pub mod parse {
    pub use crate::content::attrs::{parse_block, split_heading, split_list};
    pub use crate::content::frontmatter::split;
    pub use crate::diagnostics::toml::parse_toml;
    pub use crate::model::indicator::{format_number, parse_value};
}

pub use build::{build, build_in_memory, BuildStats};
pub use config::BuildOptions;
pub use diagnostics::{BuildError, Diagnostic};
