//! What a related link shows of the measure it leads to, its title and its URL, copied for every
//! measure, in measure order, next to each other, before pages render.
//!
//! Why: a measure's related links lead anywhere in the corpus. Read from the model, each link
//! went from its measure's entry to the plan, the chapter, the section and the measure, then to
//! the title's and the URL's bytes: seven places, each a cache miss and, once the model is larger
//! than the processor keeps addresses for, a page walk too. At a million measures that is five
//! million links, and render grew 11.6–12.0× from 100,000 to a million where the corpus grew 10×.
//! From the cards a link reads two places: its measure's two ends, and the texts they end.
//! Render at a million took 13.2–13.4 s with the cards against 14.3–15.8 s (BENCHMARKS.md,
//! twenty-sixth round). The copies take about 120 bytes a measure (12 MB at 100,000) while
//! pages render, after the related measures' larger working set is gone: the peak of a check
//! moved by 1 MB at 100,000 and not measurably at a million.

use rayon::prelude::*;

use crate::analyse::Analysis;
use crate::model::Site;

/// Every measure's title and URL, by index into `Analysis::measures`.
pub(super) struct LinkCards {
    /// `PIECE` measures each, built in parallel and never joined (a join would copy them all
    /// once more).
    pieces: Vec<Piece>,
}

/// The cards of `PIECE` measures (fewer in the last piece).
struct Piece {
    /// Each measure's title, then its URL.
    text: String,
    /// Where each measure's title ends in `text`, then where its URL ends: two per measure.
    ends: Vec<usize>,
}

/// Measures in one piece: a power of two, so that finding a card divides by shifting.
const PIECE: usize = 1 << 12;

impl LinkCards {
    pub(super) fn new(site: &Site, analysis: &Analysis) -> Self {
        let pieces = analysis
            .measures
            .par_chunks(PIECE)
            .map(|entries| {
                let mut piece = Piece {
                    text: String::new(),
                    ends: Vec::with_capacity(2 * entries.len()),
                };
                for entry in entries {
                    piece.text.push_str(&analysis.measure(site, entry).title);
                    piece.ends.push(piece.text.len());
                    piece.text.push_str(&entry.url);
                    piece.ends.push(piece.text.len());
                }
                piece
            })
            .collect();
        LinkCards { pieces }
    }

    /// The title and the URL of the measure at `index` in `Analysis::measures`.
    pub(super) fn get(&self, index: usize) -> (&str, &str) {
        let piece = &self.pieces[index / PIECE];
        let j = 2 * (index % PIECE);
        let start = match j {
            0 => 0,
            _ => piece.ends[j - 1],
        };
        let (title_end, url_end) = (piece.ends[j], piece.ends[j + 1]);
        (
            &piece.text[start..title_end],
            &piece.text[title_end..url_end],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cards read back what they copy, on both sides of the pieces' edges: the real site's
    /// measures, listed over and over (each time with another URL) to fill more than two pieces.
    #[test]
    fn cards_give_each_measure_its_title_and_url() {
        let site = crate::content::bundled_site();
        let mut analysis = crate::analyse::analyse(&site, None);
        let real = std::mem::take(&mut analysis.measures);
        assert!(!real.is_empty());
        let copies = 2 * PIECE / real.len() + 2;
        analysis.measures = (0..copies)
            .flat_map(|n| {
                real.iter().map(move |e| {
                    let mut e = e.clone();
                    e.url = format!("{}{n}", e.url);
                    e
                })
            })
            .collect();
        let cards = LinkCards::new(&site, &analysis);
        assert!(cards.pieces.len() >= 3);
        for (i, entry) in analysis.measures.iter().enumerate() {
            let title = analysis.measure(&site, entry).title.as_str();
            assert_eq!(cards.get(i), (title, entry.url.as_str()), "measure {i}");
        }
    }
}
