//! Responsible units (责任单位): one page per body, whatever name the plans give it.
//!
//! Names are normalised in two steps. Plans name a side's first unit in full (重庆市金融监管局)
//! and the next ones in short (市司法局, 省财政厅): a name that starts with 市 or 省 on a side is
//! read with the side's name in front (重庆市司法局, 四川省财政厅). Then `content/units.toml`
//! maps any other alias to its canonical name (`[[alias]] name = "…" aliases = ["…"]`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::analyse::index::MeasureEntry;
use crate::model::aliases::UnitAliases;
use crate::model::Measure;

/// One body with the measures it is responsible for.
#[derive(Debug, Clone, Serialize)]
pub struct Agency {
    pub name: String,
    pub side: Option<String>,
    /// Page key: stable as long as the canonical name is.
    pub key: String,
    /// The names the plans use for it, canonical name included.
    pub names: BTreeSet<String>,
    /// Measure indices (as in `Analysis::measures`), in reading order.
    #[serde(skip)]
    pub measures: Vec<usize>,
}

/// The canonical name of a unit named `name` on `side`.
pub fn canonical(name: &str, side: Option<&str>, aliases: &HashMap<String, String>) -> String {
    let expanded = match side {
        Some(s) if name.starts_with(['市', '省']) => format!("{s}{name}"),
        _ => name.to_string(),
    };
    aliases
        .get(&expanded)
        .or_else(|| aliases.get(name))
        .cloned()
        .unwrap_or(expanded)
}

/// A stable page key for a name: its 64-bit FNV-1a hash. Stable as long as the name is, and
/// long enough that distinct names practically never share it (32 bits did: two names among a
/// few million already collide); [`assign_keys`] settles the rare case that they do.
pub fn key(name: &str) -> String {
    let hash = crate::util::hash::fnv1a64(name.as_bytes());
    format!("u{hash:016x}")
}

/// The page keys of `names` (distinct, in a fixed order): `hash` of each name, with `-2`,
/// `-3` … added where an earlier name already has the key, so that no two names share a page.
pub fn assign_keys<'a>(
    names: impl IntoIterator<Item = &'a str>,
    hash: impl Fn(&str) -> String,
) -> Vec<String> {
    let mut used = std::collections::HashSet::new();
    names
        .into_iter()
        .map(|name| {
            let base = hash(name);
            let mut key = base.clone();
            let mut n = 1;
            while !used.insert(key.clone()) {
                n += 1;
                key = format!("{base}-{n}");
            }
            key
        })
        .collect()
}

/// Gathers every responsible unit of the site, sorted by side and then by number of measures.
pub fn agencies(
    entries: &[MeasureEntry],
    measures: &[&Measure],
    aliases: &UnitAliases,
) -> Vec<Agency> {
    let table: HashMap<String, String> = aliases
        .alias
        .iter()
        .flat_map(|a| a.aliases.iter().map(move |x| (x.clone(), a.name.clone())))
        .collect();
    let mut by_name: BTreeMap<String, Agency> = BTreeMap::new();
    for (i, m) in measures.iter().enumerate() {
        let _ = &entries[i];
        for unit in &m.units {
            let name = canonical(&unit.name, unit.side.as_deref(), &table);
            let agency = by_name.entry(name.clone()).or_insert_with(|| Agency {
                key: String::new(),
                name: name.clone(),
                side: unit.side.clone(),
                names: BTreeSet::new(),
                measures: Vec::new(),
            });
            agency.names.insert(unit.name.clone());
            agency.names.insert(name);
            if agency.measures.last() != Some(&i) {
                agency.measures.push(i);
            }
        }
    }
    // Keys are given in name order, so that a suffix, if ever needed, does not depend on
    // the order of the measures.
    let keys = assign_keys(by_name.keys().map(String::as_str), key);
    for (agency, key) in by_name.values_mut().zip(keys) {
        agency.key = key;
    }
    let mut list: Vec<Agency> = by_name.into_values().collect();
    list.sort_by(|a, b| {
        (&a.side, std::cmp::Reverse(a.measures.len()), &a.name).cmp(&(
            &b.side,
            std::cmp::Reverse(b.measures.len()),
            &b.name,
        ))
    });
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_take_their_side() {
        let none = HashMap::new();
        assert_eq!(canonical("市司法局", Some("重庆"), &none), "重庆市司法局");
        assert_eq!(canonical("省财政厅", Some("四川"), &none), "四川省财政厅");
        assert_eq!(
            canonical("人行成都分行", Some("四川"), &none),
            "人行成都分行"
        );
        assert_eq!(canonical("市司法局", None, &none), "市司法局");
    }

    #[test]
    fn aliases_map_to_one_name() {
        let table: HashMap<String, String> = [(
            "人民银行重庆营业管理部".to_string(),
            "人行重庆营管部".to_string(),
        )]
        .into();
        assert_eq!(
            canonical("人民银行重庆营业管理部", Some("重庆"), &table),
            "人行重庆营管部"
        );
        assert_eq!(
            canonical("人行重庆营管部", Some("重庆"), &table),
            "人行重庆营管部"
        );
    }

    #[test]
    fn keys_are_stable() {
        assert_eq!(key("重庆市金融监管局"), key("重庆市金融监管局"));
        assert_ne!(key("重庆市金融监管局"), key("四川省地方金融监管局"));
        assert!(key("x").starts_with('u') && key("x").len() == 17);
    }

    #[test]
    fn names_that_collide_in_32_bits_get_their_own_keys() {
        // These two share their 32-bit FNV-1a hash (0x0f089164).
        assert_ne!(key("重庆市第996434局"), key("重庆市第2064160局"));
    }

    #[test]
    fn equal_hashes_still_give_distinct_keys() {
        let names = ["甲", "乙", "丙"].map(String::from);
        let keys = assign_keys(names.iter().map(String::as_str), |_| "u0".to_string());
        assert_eq!(keys, ["u0", "u0-2", "u0-3"]);
    }
}
