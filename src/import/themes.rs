//! Suggested themes for imported measures, learned from the measures already tagged in the site
//! (and the themes' names and definitions, so that a site without tagged measures still gets
//! suggestions).
//!
//! A stand-in until `analyse::suggest::ThemeSuggester` lands: each theme is the centroid of the
//! character-bigram vectors (IDF-weighted, normalised) of its measures and its definition; a
//! measure's themes are the most similar centroids. Everything goes through [`suggest_themes`]
//! so that the swap touches one function.

use std::collections::HashMap;

use crate::model::Site;

/// Themes are suggested among those scoring at least this share of the best one's score.
const KEEP_SHARE: f64 = 0.75;

type Vector = HashMap<(char, char), f64>;

pub struct Suggester {
    idf: HashMap<(char, char), f64>,
    centroids: Vec<(String, Vector)>,
    fallback: Option<String>,
}

fn bigrams(text: &str) -> Vector {
    let chars: Vec<char> = text
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c) || c.is_ascii_alphanumeric())
        .collect();
    let mut out = HashMap::new();
    for w in chars.windows(2) {
        *out.entry((w[0], w[1])).or_insert(0.0) += 1.0;
    }
    out
}

fn normalise(v: &mut Vector) {
    let norm = v.values().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        v.values_mut().for_each(|x| *x /= norm);
    }
}

impl Suggester {
    pub fn new(site: &Site) -> Suggester {
        let mut docs: Vec<(Vec<String>, Vector)> = Vec::new();
        for plan in &site.plans {
            for ch in &plan.chapters {
                for d in ch.divisions() {
                    for m in &d.measures {
                        docs.push((m.themes.clone(), bigrams(&m.text)));
                    }
                }
            }
        }
        for t in &site.themes {
            let text = format!("{} {}", t.name, t.definition);
            docs.push((vec![t.slug.clone()], bigrams(&text)));
        }
        let mut df: HashMap<(char, char), f64> = HashMap::new();
        for (_, d) in &docs {
            for k in d.keys() {
                *df.entry(*k).or_insert(0.0) += 1.0;
            }
        }
        let n = docs.len().max(1) as f64;
        let idf: HashMap<(char, char), f64> = df
            .into_iter()
            .map(|(k, f)| (k, (1.0 + n / f).ln()))
            .collect();
        let mut centroids: HashMap<&str, Vector> = HashMap::new();
        for (themes, d) in &docs {
            let mut v: Vector = d
                .iter()
                .map(|(k, tf)| (*k, (1.0 + tf.ln()) * idf.get(k).copied().unwrap_or(0.0)))
                .collect();
            normalise(&mut v);
            for (i, t) in themes.iter().enumerate() {
                // A measure's first theme is its main one.
                let w = if i == 0 { 1.0 } else { 0.5 };
                let c = centroids.entry(t.as_str()).or_default();
                for (k, x) in &v {
                    *c.entry(*k).or_insert(0.0) += w * x;
                }
            }
        }
        let mut centroids: Vec<(String, Vector)> = site
            .themes
            .iter()
            .filter_map(|t| {
                let mut v = centroids.remove(t.slug.as_str())?;
                normalise(&mut v);
                Some((t.slug.clone(), v))
            })
            .collect();
        centroids.sort_by(|a, b| a.0.cmp(&b.0));
        Suggester {
            idf,
            centroids,
            fallback: site.themes.first().map(|t| t.slug.clone()),
        }
    }

    /// Up to three themes, best first, each with its score.
    pub fn suggest(&self, text: &str) -> Vec<(String, f64)> {
        let mut v: Vector = bigrams(text)
            .into_iter()
            .map(|(k, tf)| {
                (
                    k,
                    (1.0 + tf.ln()) * self.idf.get(&k).copied().unwrap_or(0.0),
                )
            })
            .collect();
        normalise(&mut v);
        let mut scored: Vec<(String, f64)> = self
            .centroids
            .iter()
            .map(|(slug, c)| {
                let s: f64 = v
                    .iter()
                    .map(|(k, x)| x * c.get(k).copied().unwrap_or(0.0))
                    .sum();
                (slug.clone(), s)
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let best = scored.first().map(|s| s.1).unwrap_or(0.0);
        let mut out: Vec<(String, f64)> = scored
            .into_iter()
            .take(3)
            .filter(|(_, s)| best > 0.0 && *s >= best * KEEP_SHARE)
            .collect();
        if out.is_empty() {
            if let Some(f) = &self.fallback {
                out.push((f.clone(), 0.0));
            }
        }
        out
    }
}

/// The one place themes are suggested: 1–3 slugs for each text, best first.
pub fn suggest_themes(site: &Site, texts: &[String]) -> Vec<Vec<(String, f64)>> {
    let s = Suggester::new(site);
    texts.iter().map(|t| s.suggest(t)).collect()
}
