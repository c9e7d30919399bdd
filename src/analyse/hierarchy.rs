//! Which plan stands above which: the pairs of plans an alignment compares, from plan metadata.
//!
//! Plan U is **above** plan L, and (U, L) is a pair, when
//!
//! 1. L names U in `implements` (implementation rules below the plan they implement), or
//! 2. L names U as its `parent` (an editors' statement of subordination), or
//! 3. U ranks above L by level (national > joint > province = municipality > district), U's
//!    region covers L's (see [`covers`]), and U does not itself implement another plan.
//!
//! The last condition keeps implementation rules out of rule 3: they pass a plan's measures down
//! to the bodies that carry them out, not to the plans of the regions below, which are paired with
//! the plan the rules implement instead (and were, in the bundled corpus, written before the
//! rules). No slug and no place name is written in this file: everything comes from `plan.toml`.

use crate::model::{Level, PlanMeta};

/// How a pair of plans was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PairBasis {
    /// The lower plan's `implements` names the upper one.
    Implements,
    /// The lower plan's `parent` names the upper one.
    Parent,
    /// Level and region: the upper plan ranks above and its region covers the lower's.
    Region,
}

impl PairBasis {
    /// How the site says it.
    pub fn label(self) -> &'static str {
        match self {
            PairBasis::Implements => "实施细则",
            PairBasis::Parent => "上位规划",
            PairBasis::Region => "层级与地域",
        }
    }
}

/// The rank of a level: lower numbers stand higher; provinces and municipalities (直辖市) rank
/// alike.
pub fn rank(level: Level) -> u8 {
    match level {
        Level::National => 0,
        Level::Joint => 1,
        Level::Province | Level::Municipality => 2,
        Level::District => 3,
    }
}

/// The region a government issuer stands for: `重庆市人民政府` and `重庆市人民政府办公厅` stand
/// for 重庆市; other issuers (ministries, the central bank) for none.
fn issuer_region(issuer: &str) -> Option<&str> {
    ["人民政府办公厅", "人民政府办公室", "人民政府"]
        .iter()
        .find_map(|suffix| issuer.strip_suffix(suffix))
        .filter(|region| !region.is_empty())
}

/// The last characters of a region's name that make it a unit of administration, whose name
/// begins the names of the regions within it.
const REGION_UNITS: [char; 7] = ['省', '市', '区', '县', '州', '盟', '旗'];

/// Whether the region of the plan `upper` covers the region `inner`.
///
/// * A national plan covers every region.
/// * Administrative names are written from the top down (`重庆市永川区`), so a region covers
///   itself and every region whose name begins with its own, when its own ends with a unit
///   (省, 市, 区, 县, 州, 盟, 旗): `重庆市` covers `重庆市永川区`, `合成地区1` not `合成地区10`.
/// * A joint plan is issued jointly by the governments of the regions it spans (成渝地区 by
///   重庆市人民政府 and 四川省人民政府), so it covers what those regions cover.
pub fn covers(upper: &PlanMeta, inner: &str) -> bool {
    if inner.is_empty() {
        return false;
    }
    if upper.level == Level::National {
        return true;
    }
    let within =
        |outer: &str| inner == outer || (inner.starts_with(outer) && outer.ends_with(REGION_UNITS));
    within(&upper.region)
        || (upper.level == Level::Joint
            && upper
                .issuers
                .iter()
                .filter_map(|i| issuer_region(i))
                .any(within))
}

/// Whether the plan `upper` (slug and metadata) stands above the plan `lower`, and why.
pub fn pair_basis(
    (upper_slug, upper): (&str, &PlanMeta),
    (lower_slug, lower): (&str, &PlanMeta),
) -> Option<PairBasis> {
    if upper_slug == lower_slug {
        None
    } else if lower.implements.iter().any(|s| s == upper_slug) {
        Some(PairBasis::Implements)
    } else if lower.parent.as_deref() == Some(upper_slug) {
        Some(PairBasis::Parent)
    } else if rank(upper.level) < rank(lower.level)
        && covers(upper, &lower.region)
        && upper.implements.is_empty()
    {
        Some(PairBasis::Region)
    } else {
        None
    }
}

/// Every pair (upper, lower) of plans, as indices into `plans`, with its basis: upper plans by
/// rank, then in site order, each with its lower plans by rank, then in site order.
pub fn plan_pairs<'a>(
    plans: impl IntoIterator<Item = (&'a str, &'a PlanMeta)>,
) -> Vec<(usize, usize, PairBasis)> {
    use std::collections::HashMap;
    let plans: Vec<(&str, &PlanMeta)> = plans.into_iter().collect();
    // Where a plan's upper plans can be, so that finding the pairs costs about what they are,
    // not every plan against every plan (10,000 plans, 10⁸ tests): by slug (`implements`,
    // `parent`), by the region a plan may cover from (its own, and a joint plan's issuers'), and
    // the national plans, which cover every region. Each candidate is then tested with
    // [`pair_basis`], as every pair was.
    let mut by_slug: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_region: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut national = Vec::new();
    for (u, (slug, meta)) in plans.iter().enumerate() {
        by_slug.entry(slug).or_default().push(u);
        if meta.level == Level::National {
            national.push(u);
            continue;
        }
        by_region.entry(meta.region.as_str()).or_default().push(u);
        if meta.level == Level::Joint {
            for region in meta.issuers.iter().filter_map(|i| issuer_region(i)) {
                by_region.entry(region).or_default().push(u);
            }
        }
    }
    let mut pairs = Vec::new();
    let mut candidates: Vec<usize> = Vec::new();
    for (l, lower) in plans.iter().enumerate() {
        let meta = lower.1;
        candidates.clear();
        for slug in meta.implements.iter().chain(&meta.parent) {
            candidates.extend(by_slug.get(slug.as_str()).into_iter().flatten());
        }
        candidates.extend(&national);
        // A region is covered from itself and from each beginning of its name that ends with a
        // unit (重庆市 of 重庆市永川区).
        let region = meta.region.as_str();
        for (k, c) in region.char_indices() {
            let end = k + c.len_utf8();
            if end == region.len() || REGION_UNITS.contains(&c) {
                candidates.extend(by_region.get(&region[..end]).into_iter().flatten());
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        for &u in &candidates {
            if let Some(basis) = pair_basis(plans[u], *lower) {
                pairs.push((u, l, basis));
            }
        }
    }
    let rank_of = |p: usize| rank(plans[p].1.level);
    pairs.sort_by_key(|(u, l, _)| (rank_of(*u), *u, rank_of(*l), *l));
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(level: Level, region: &str, issuers: &[&str]) -> PlanMeta {
        PlanMeta {
            issuers: issuers.iter().map(|s| s.to_string()).collect(),
            region: region.into(),
            ..PlanMeta::new("", level)
        }
    }

    /// The bundled corpus in miniature: a joint plan, its rules, a province, a municipality, a
    /// district of the municipality and a district of another province.
    fn corpus() -> Vec<(&'static str, PlanMeta)> {
        let joint = meta(
            Level::Joint,
            "成渝地区",
            &["中国人民银行", "重庆市人民政府", "四川省人民政府"],
        );
        let mut rules = meta(
            Level::Joint,
            "成渝地区",
            &["重庆市人民政府办公厅", "四川省人民政府办公厅"],
        );
        rules.implements = vec!["plan".into()];
        vec![
            ("sc", meta(Level::Province, "四川省", &[])),
            ("rules", rules),
            ("plan", joint),
            ("yc", meta(Level::District, "重庆市永川区", &[])),
            (
                "cq",
                meta(Level::Municipality, "重庆市", &["重庆市人民政府"]),
            ),
            ("hb", meta(Level::District, "湖北省武汉市江汉区", &[])),
        ]
    }

    fn named(corpus: &[(&'static str, PlanMeta)]) -> Vec<(&'static str, &'static str, PairBasis)> {
        plan_pairs(corpus.iter().map(|(s, m)| (*s, m)))
            .into_iter()
            .map(|(u, l, b)| (corpus[u].0, corpus[l].0, b))
            .collect()
    }

    /// Found through the candidates, the pairs are those of testing every plan against every
    /// plan, on a corpus of every kind of plan (nested regions, look-alike names, joint plans by
    /// issuers, national plans, implements and parent, an empty region).
    #[test]
    fn candidates_find_every_pair() {
        let mut corpus: Vec<(&'static str, PlanMeta)> = corpus();
        let mut national = meta(Level::National, "", &["中国人民银行"]);
        national.implements = vec![];
        corpus.push(("nat", national));
        corpus.push(("hubei", meta(Level::Province, "湖北省", &[])));
        corpus.push(("wuhan", meta(Level::Municipality, "湖北省武汉市", &[])));
        corpus.push(("syn1", meta(Level::Province, "合成地区1", &[])));
        corpus.push(("syn10", meta(Level::District, "合成地区10", &[])));
        corpus.push(("empty", meta(Level::District, "", &[])));
        let mut child = meta(Level::District, "别处", &[]);
        child.parent = Some("cq".into());
        corpus.push(("child", child));
        let mut rules = meta(Level::Municipality, "重庆市", &["重庆市人民政府办公厅"]);
        rules.implements = vec!["cq".into(), "missing".into()];
        corpus.push(("cq-rules", rules));
        let mut every = Vec::new();
        for (u, upper) in corpus.iter().enumerate() {
            for (l, lower) in corpus.iter().enumerate() {
                if let Some(basis) = pair_basis((upper.0, &upper.1), (lower.0, &lower.1)) {
                    every.push((u, l, basis));
                }
            }
        }
        let rank_of = |p: usize| rank(corpus[p].1.level);
        every.sort_by_key(|(u, l, _)| (rank_of(*u), *u, rank_of(*l), *l));
        assert!(every.len() > 10, "{every:?}");
        assert_eq!(plan_pairs(corpus.iter().map(|(s, m)| (*s, m))), every);
    }

    #[test]
    fn the_bundled_chain() {
        use PairBasis::*;
        assert_eq!(
            named(&corpus()),
            [
                ("plan", "rules", Implements),
                ("plan", "sc", Region),
                ("plan", "cq", Region),
                ("plan", "yc", Region),
                ("cq", "yc", Region),
            ]
        );
    }

    #[test]
    fn parent_and_national() {
        let mut c = corpus();
        // An editors' parent pairs plans the rule would not (same rank, other region).
        c[5].1.parent = Some("sc".into());
        c.push(("cn", meta(Level::National, "全国", &["国务院"])));
        let pairs = named(&c);
        assert!(pairs.contains(&("sc", "hb", PairBasis::Parent)));
        // A national plan is above every other plan, implementation rules included.
        let national: Vec<&str> = pairs.iter().filter(|p| p.0 == "cn").map(|p| p.1).collect();
        assert_eq!(national, ["rules", "plan", "sc", "cq", "yc", "hb"]);
        // Nothing is above a national plan, and no plan is above itself.
        assert!(pairs.iter().all(|p| p.1 != "cn" && p.0 != p.1));
    }

    #[test]
    fn regions() {
        let cq = meta(Level::Municipality, "重庆市", &[]);
        assert!(covers(&cq, "重庆市永川区"));
        assert!(!covers(&cq, "四川省成都市"));
        assert!(!covers(&cq, ""));
        // A name that merely begins another is no unit above it.
        let numbered = meta(Level::Province, "合成地区1", &[]);
        assert!(!covers(&numbered, "合成地区10"));
        assert!(covers(&numbered, "合成地区1"));
        let sc = meta(Level::Province, "四川省", &[]);
        assert!(covers(&sc, "四川省成都市武侯区"));
        // A joint plan without government issuers covers only what its own name prefixes.
        let joint = meta(Level::Joint, "成渝地区", &["中国人民银行"]);
        assert!(!covers(&joint, "重庆市"));
        assert!(covers(&joint, "成渝地区"));
        // Issuers count for joint plans only.
        let province = meta(Level::Province, "四川省", &["重庆市人民政府"]);
        assert!(!covers(&province, "重庆市永川区"));
        assert_eq!(issuer_region("人民政府"), None);
        assert_eq!(issuer_region("四川省人民政府办公厅"), Some("四川省"));
    }

    #[test]
    fn same_rank_is_no_pair() {
        let c = corpus();
        let pairs = named(&c);
        assert!(!pairs.iter().any(|p| p.0 == "sc" || p.1 == "plan"));
        // A province does not stand above another province's district.
        assert!(!pairs.iter().any(|p| p.1 == "hb"));
    }
}
