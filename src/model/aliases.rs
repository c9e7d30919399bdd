//! The aliases of responsible units that `content/units.toml` lists: canonical name and the other
//! names plans use for the same body.

use serde::Deserialize;

/// `content/units.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitAliases {
    #[serde(default)]
    pub alias: Vec<AliasEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AliasEntry {
    pub name: String,
    pub aliases: Vec<String>,
}
