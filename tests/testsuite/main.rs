//! The integration tests: one binary, one module per concern (as mdBook's `tests/testsuite/`).
//!
//! One binary links jieba, syntect and the rest once instead of once per file, and the real
//! site is built once per run and shared ([`common::real_site`]). See `README.md` here for how
//! to add a test.

mod common;

mod alignments;
mod boxes;
mod broken_content;
mod browser;
mod build_real;
mod cite;
mod cli;
mod compiled_pages;
mod content_errors;
mod growth;
mod import;
mod import_eval;
mod incremental;
mod interrupted;
mod layers;
mod nesting;
mod orient;
mod output_safety;
mod properties;
mod provenance;
mod provenance_check;
mod real_search_index;
mod real_site_data;
mod related_eval;
mod related_rules;
mod search_tokenizer;
mod security;
mod serve;
mod serve_rebuilds;
mod source_readers;
mod theme_suggest;
