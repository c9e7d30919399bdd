//! Repeated paragraphs: a scraped page may hold a passage twice or more. Each paragraph is kept
//! at its first occurrence; the lines of the dropped ones go into the report, as the order of
//! the text around them is uncertain.

use std::collections::HashSet;

use crate::import::measures::Node;
use crate::import::numbering::is_space;
use crate::import::outline::{Item, Outline};

/// Paragraphs shorter than this (in characters) may repeat legitimately (`一、总体要求` in a
/// table of contents and in the text, a unit's name).
const MIN_CHARS: usize = 20;

/// The items without repeated paragraphs, and the source lines of those dropped.
pub fn dedupe(items: Vec<Item>) -> (Vec<Item>, Vec<usize>) {
    let mut seen = HashSet::new();
    let mut dropped = Vec::new();
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if let Item::Para(p) = &item {
            let key: String = p.text.chars().filter(|c| !is_space(*c)).collect();
            if key.chars().count() >= MIN_CHARS && !seen.insert(key) {
                dropped.push(p.line);
                continue;
            }
        }
        out.push(item);
    }
    (out, dropped)
}

/// Measures whose whole text repeats an earlier one (a scrape cut its repeats into paragraphs
/// differently) are dropped too; the source lines of those dropped.
pub fn dedupe_measures(outline: &mut Outline) -> Vec<usize> {
    let mut seen = HashSet::new();
    let mut dropped = Vec::new();
    for ch in &mut outline.chapters {
        for div in std::iter::once(&mut ch.div).chain(ch.sections.iter_mut()) {
            div.nodes.retain(|n| match n {
                Node::Measure(m) => {
                    let key: String = m.text().chars().filter(|c| !is_space(*c)).collect();
                    let fresh = seen.insert(key);
                    if !fresh {
                        dropped.push(m.line);
                    }
                    fresh
                }
                _ => true,
            });
        }
    }
    dropped
}
