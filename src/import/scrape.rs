//! Run-on blocks: a scraped page may hold many paragraphs, headings included, on one line.
//! Such a block is cut back into paragraphs before the outline is read:
//! - at the chapter and section headings a table of contents (目录) lists, when the text has
//!   one, before and after the heading as the contents write it;
//! - before a lead phrase (a short first sentence without a comma, `推动金融机构集聚。`) or an
//!   item number (`一、`, `（二）`) that follows the end of a sentence.
//!
//! Lead phrases only cut blocks longer than [`RUN_ON_CHARS`] in a text whose headings run into
//! the paragraphs around them (it has lost its paragraph breaks): a normal paragraph may well
//! hold a short sentence.

use crate::import::numbering::{is_space, numbering, Numbering};
use crate::import::outline::{Item, Para};

/// A block longer than this (in characters) is taken for several paragraphs run together.
pub const RUN_ON_CHARS: usize = 200;

/// A lead phrase inside a run-on block is at most this long (characters, its `。` included).
const MAX_INNER_LEAD: usize = 32;

/// The headings a table of contents lists (`第一章发展基础与环境`), marker and title.
pub fn contents(items: &[Item]) -> Vec<String> {
    let mut out = Vec::new();
    for item in items {
        let Item::Para(p) = item else { continue };
        let compact: String = p.text.chars().filter(|c| !is_space(*c)).collect();
        let Some(at) = compact.find("目录") else {
            continue;
        };
        let mut rest = &compact[at + "目录".len()..];
        // Each entry runs to the next marker; an entry that runs on into a sentence ends the
        // contents.
        while let Some((kind, len)) = numbering(rest) {
            if !matches!(kind, Numbering::Chapter | Numbering::Section) {
                break;
            }
            let next = next_marker(&rest[len..]).map(|n| n + len);
            let end = next.unwrap_or(rest.len());
            let entry = &rest[..end];
            let title_chars = entry[len..].chars().count();
            if title_chars == 0 || title_chars > 30 || entry.contains(['。', '，']) {
                break;
            }
            out.push(entry.to_string());
            match next {
                Some(n) => rest = &rest[n..],
                None => break,
            }
        }
        if !out.is_empty() {
            break;
        }
    }
    out
}

/// The byte offset of the next `第X章` / `第X节` in `text`.
fn next_marker(text: &str) -> Option<usize> {
    text.char_indices().find_map(|(i, c)| {
        (c == '第'
            && matches!(
                numbering(&text[i..]),
                Some((Numbering::Chapter | Numbering::Section, _))
            ))
        .then_some(i)
    })
}

/// The block cut into paragraphs (or the block as it is).
fn cut(p: &Para, headings: &[String], run_on: bool) -> Vec<Para> {
    let text = &p.text;
    let mut cuts: Vec<usize> = Vec::new();
    let is_contents = text.contains("目录");
    if !is_contents {
        for h in headings {
            for (at, _) in text.match_indices(h.as_str()) {
                cuts.push(at);
                cuts.push(at + h.len());
            }
        }
    }
    cuts.sort_unstable();
    let heading_cuts = cuts.clone();
    let mut last_lead_cut = 0;
    // Sentence ends followed by a lead phrase or an item number; never right after a lead
    // phrase, which belongs with the text it leads.
    for (i, c) in text.char_indices() {
        if c != '。' || !run_on {
            continue;
        }
        let after = i + c.len_utf8();
        let last = heading_cuts
            .iter()
            .copied()
            .filter(|h| *h <= i)
            .max()
            .unwrap_or(0)
            .max(last_lead_cut);
        if text[last..after].chars().count() <= MAX_INNER_LEAD {
            continue;
        }
        let rest = &text[after..];
        let starts_item = matches!(
            numbering(rest),
            Some((Numbering::Hanzi | Numbering::ParenHanzi, _))
        );
        let lead = rest
            .find('。')
            .map(|e| &rest[..e])
            .filter(|s| s.chars().count() < MAX_INNER_LEAD && !s.contains(['，', ',', '；', '：']));
        if starts_item || lead.is_some() {
            cuts.push(after);
            last_lead_cut = after;
        }
    }
    cuts.retain(|c| *c > 0 && *c < text.len());
    cuts.sort_unstable();
    cuts.dedup();
    if cuts.is_empty() {
        // Uncut, the paragraph keeps what the format said about it (bold, heading level).
        return vec![p.clone()];
    }
    let mut out = Vec::new();
    let mut start = 0;
    for c in cuts.into_iter().chain(std::iter::once(text.len())) {
        let piece = text[start..c].trim_matches(is_space);
        if !piece.is_empty() {
            out.push(Para {
                text: piece.to_string(),
                line: p.line,
                bold_lead: None,
                all_bold: false,
                heading: None,
            });
        }
        start = c;
    }
    out
}

/// Cuts every run-on block of `items` into its paragraphs.
pub fn split_run_ons(items: Vec<Item>) -> Vec<Item> {
    let headings = contents(&items);
    // A text whose headings run into the paragraphs around them has lost its paragraph breaks:
    // only then are long blocks cut before lead phrases too.
    let lost_breaks = items.iter().any(|i| match i {
        Item::Para(p) => {
            !p.text.contains("目录")
                && (headings
                    .iter()
                    .any(|h| p.text.find(h.as_str()).is_some_and(|at| at > 0))
                    || p.text.match_indices('。').any(|(at, c)| {
                        matches!(
                            numbering(&p.text[at + c.len()..]),
                            Some((Numbering::Chapter | Numbering::Section, _))
                        )
                    }))
        }
        Item::Table { .. } => false,
    });
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Item::Para(p) => {
                let run_on = lost_breaks && p.text.chars().count() > RUN_ON_CHARS;
                out.extend(cut(&p, &headings, run_on).into_iter().map(Item::Para));
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> Item {
        Item::Para(Para {
            text: text.into(),
            line: 1,
            bold_lead: None,
            all_bold: false,
            heading: None,
        })
    }

    #[test]
    fn contents_and_cuts() {
        let items = vec![para("规划2022年1月目录第一章发展基础第一节发展成效第二章指导思想为全面贯彻落实，制定本规划。")];
        assert_eq!(contents(&items), vec!["第一章发展基础", "第一节发展成效"]);
        let headings = vec!["第一节发展成效".to_string()];
        let p = Para {
            text: format!(
                "{}第一节发展成效金融业规模不断壮大。“十三五”期间，全市金融市场持续平稳运行。",
                "甲".repeat(10)
            ),
            line: 3,
            bold_lead: None,
            all_bold: false,
            heading: None,
        };
        let pieces: Vec<String> = cut(&p, &headings, true)
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(pieces[1], "第一节发展成效");
        assert!(pieces[2].starts_with("金融业规模不断壮大。"));
    }
}
