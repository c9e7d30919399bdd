//! One file per kind of page: the `Renderer` methods that build each page's context.

pub(super) mod alignments;
pub(super) mod division;
pub(super) mod home;
pub(super) mod indicators;
pub(super) mod mappings;
pub(super) mod plans;
pub(super) mod themes;
pub(super) mod units;
